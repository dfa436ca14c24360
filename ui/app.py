"""One server for the chat (Gradio, mounted on FastAPI), the minutes viewer (`/minutes/<doc>`), the
JSON API (`/api/...`, schema at `/docs`) and, for instructors, the "Minutes" tab.

Concurrency: one Pipeline, and so one loaded model, serves every user. Gradio's queue runs up to
`serve_concurrency` questions at once (setting); beyond that a user waits in Gradio's queue and sees their
place in it. A question for a model then takes its turn in the model lane (ui/lane.py), one at a
time, showing how many are ahead; extractive answers skip the lane, so they are never held up
behind the model. Uploads and removals run one at a time in their own queue group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse

from rag.pipeline import Pipeline
from rag.read import SUPPORTED_SUFFIXES
from ui.api import MinutesApi
from ui.auth import Users
from ui.chat import ChatService
from ui.lane import ModelLane
from ui.library import LibraryError, MinutesLibrary
from ui.render import sources_html
from ui.templating import read_asset, render
from ui.viewer import render_document

PROGRESS = gr.Progress()  # as a handler's default, tells Gradio to show that handler's progress bar
DOCUMENT_COLUMNS = ["Document", "Title", "Date", "Layout", "Speakers", "Chunks"]
COLUMN_WIDTHS: list[str | int] = ["22%", "28%", "10%", "9%", "23%", "8%"]


class MinutesTab:
    """What the instructors' "Minutes" tab does; every action checks the signed-in user's role."""

    def __init__(self, library: MinutesLibrary, users: Users):
        self.library = library
        self.users = users

    def allowed(self, request: gr.Request | None) -> bool:
        user = self.users.user(getattr(request, "username", None))
        return user is not None and user.is_instructor

    def table(self) -> list[list[Any]]:
        return [[d.doc_id, d.title, d.date, d.layout, d.speakers_shown(), d.chunks] for d in self.library.documents()]

    def choices(self) -> tuple[list[tuple[str, str]], list[str]]:
        """The chat's document and speaker filter choices as the index has them now."""
        index = self.library.pipeline.index
        return [(f"{d.title} ({d.date})", d.doc_id) for d in index.documents()], sorted(index.speakers())

    def on_load(self, request: gr.Request) -> tuple[Any, ...]:
        """A page opens: current filter choices for everyone, the tab and its table for instructors only."""
        docs, speakers = self.choices()
        shown = self.allowed(request)
        ids = [d.doc_id for d in self.library.documents()] if shown else []
        return (
            gr.update(visible=shown),
            gr.update(choices=docs),
            gr.update(choices=speakers),
            self.table() if shown else [],
            gr.update(choices=ids),
        )

    def add(self, files: list[str] | None, request: gr.Request, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
        """Save and index each uploaded file; the upload box is emptied for the next one."""
        if not self.allowed(request):
            return (*self.after([("", "only instructors add minutes")]), None)
        files, results = files or [], []
        for i, path in enumerate(files):
            name = Path(path).name
            progress(i / len(files), desc=f"Reading and indexing {name}")
            try:
                added = self.library.add(name, Path(path).read_bytes())
                results.append((f"{name}: added as {added.doc_id}, {added.chunks} chunks", ""))
            except LibraryError as exc:
                results.append(("", str(exc)))
        return (*self.after(results), None)

    def remove(self, doc_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        if not self.allowed(request):
            return self.after([("", "only instructors remove minutes")])
        if not doc_id:
            return self.after([("", "choose a document to remove")])
        try:
            return self.after([(f"{self.library.remove(doc_id).doc_id}: removed", "")])
        except LibraryError as exc:
            return self.after([("", str(exc))])

    def after(self, results: list[tuple[str, str]]) -> tuple[Any, ...]:
        """What each action shows: its results (done, or the reason), then the table and every choice refreshed."""
        docs, speakers = self.choices()
        ids = [d.doc_id for d in self.library.documents()]
        return (
            render("library_status.html", results=results),
            self.table(),
            gr.update(choices=ids, value=None),
            gr.update(choices=docs),
            gr.update(choices=speakers),
        )


def build_blocks(service: ChatService, tab: MinutesTab, examples: list[str]) -> gr.Blocks:
    docs, speakers = tab.choices()  # as at start; each page load and each upload or removal refreshes them
    with gr.Blocks(title="minutes-rag") as blocks:
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                gr.Markdown(
                    "## Ask the minutes\nEvery answer cites the paragraphs it comes from: "
                    "click a number to read it in the minutes."
                )
                with gr.Row():
                    with gr.Column(scale=3, min_width=300):
                        chat = gr.Chatbot(label="Conversation", height=460, elem_id="chat", sanitize_html=True)
                        question = gr.Textbox(
                            label="Your question",
                            elem_id="question",
                            autofocus=True,
                            max_lines=4,
                            placeholder="Ask the minutes a question, e.g. what a speaker said about a topic",
                        )
                        with gr.Row():
                            ask = gr.Button("Ask", variant="primary", elem_id="ask")
                            clear = gr.Button("Clear chat", elem_id="clear")
                            export = gr.Button("Export as Markdown", elem_id="export")
                        download = gr.File(label="Conversation (Markdown)", visible=True, elem_id="download")
                        if examples:
                            gr.Examples(examples, inputs=question, label="Examples")
                    with gr.Column(scale=2, min_width=280):
                        with gr.Accordion("Filters and settings", open=False):
                            doc_filter = gr.Dropdown(docs, multiselect=True, label="Documents", elem_id="docs")
                            speaker_filter = gr.Dropdown(
                                speakers, multiselect=True, label="Speakers", elem_id="speakers"
                            )
                            k = gr.Slider(1, 10, value=service.pipeline.settings.k, step=1, label="Passages")
                            backend = gr.Radio(service.backends, value=service.backends[0], label="Answering with")
                        sources = gr.HTML(sources_html(None, service.locate), elem_id="sources")
            with gr.Tab("Minutes", id="minutes-tab", visible=False) as minutes_tab:
                gr.Markdown(
                    "## The minutes\nAdd minutes (" + " ".join(SUPPORTED_SUFFIXES) + "): each file is "
                    "saved into the corpus folder and indexed while the chat goes on. Removing a document "
                    "takes it out of the answers and moves its file out of the corpus folder."
                )
                upload = gr.File(
                    label="Add minutes", file_count="multiple", file_types=list(SUPPORTED_SUFFIXES), elem_id="upload"
                )
                status = gr.HTML(elem_id="library-status")
                table = gr.Dataframe(
                    headers=DOCUMENT_COLUMNS,
                    column_widths=COLUMN_WIDTHS,
                    interactive=False,
                    wrap=True,
                    elem_id="documents",
                )
                with gr.Row():
                    chosen = gr.Dropdown([], label="Document to remove", elem_id="remove-doc")
                    remove = gr.Button("Remove", variant="stop", elem_id="remove")
        inputs = [question, chat, turns, doc_filter, speaker_filter, k, backend]
        outputs = [chat, turns, sources, question]
        # the button and Enter share one queue lane; only the button is the public API endpoint
        limit = service.pipeline.settings.serve_concurrency
        ask.click(service.respond, inputs, outputs, api_name="ask", concurrency_id="ask", concurrency_limit=limit)
        question.submit(
            service.respond, inputs, outputs, api_visibility="private", concurrency_id="ask", concurrency_limit=limit
        )
        clear.click(
            lambda: ([], [], sources_html(None, service.locate), None),
            None,
            [chat, turns, sources, download],
            api_visibility="private",
            queue=False,
        )
        export.click(service.export, turns, download, api_name="export")
        refreshed = [status, table, chosen, doc_filter, speaker_filter]
        blocks.load(
            tab.on_load, None, [minutes_tab, doc_filter, speaker_filter, table, chosen], api_visibility="private"
        )
        upload.upload(
            tab.add,
            upload,
            [*refreshed, upload],
            api_visibility="private",
            concurrency_id="library",
            concurrency_limit=1,
        )
        remove.click(
            tab.remove, chosen, refreshed, api_visibility="private", concurrency_id="library", concurrency_limit=1
        )
    # a model question mostly waits in the model lane (there is one model): the limit bounds waiting
    # threads rather than CPU work, and lets extractive answers through while the model writes
    settings = service.pipeline.settings
    blocks.queue(default_concurrency_limit=settings.serve_concurrency, max_size=settings.serve_queue_size)
    return blocks


def create_app(pipeline: Pipeline, backends: list[str], users: Users, examples: list[str] | None = None) -> FastAPI:
    app = FastAPI(title="minutes-rag", description="Questions answered from meeting minutes, every claim cited.")

    @app.get("/minutes/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def minutes(doc_id: str) -> str:
        info = pipeline.index.document(doc_id)  # only ids of ingested documents: nothing else is read
        if info is None:
            raise HTTPException(status_code=404, detail="no such minutes")
        return render_document(info, pipeline.index.paragraphs(doc_id), pipeline.index.speakers())

    lane = ModelLane()
    library = MinutesLibrary(pipeline, pipeline.settings.corpus_dir, pipeline.settings.data_dir / "removed")
    MinutesApi(pipeline, backends, users, lane, library).run(app)
    blocks = build_blocks(ChatService(pipeline, backends, lane), MinutesTab(library, users), examples or [])
    return gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        auth=users.check if users.required else None,
        css=read_asset("chat.css"),
        footer_links=[],
        theme=gr.themes.Default(primary_hue="blue"),
    )  # white on blue-700 passes WCAG AA
