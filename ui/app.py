"""One server for the chat (Gradio, mounted on FastAPI) and the minutes viewer (`/minutes/<doc>`)."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import gradio as gr
from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse

from rag.pipeline import Pipeline, PipelineError
from ui.render import answer_html, export_markdown, sources_html
from ui.viewer import render_document

EXAMPLES = [
    "How much of the UN peacekeeping budget does Japan pay?",
    "What did Colonel Kawasaki recommend that Japan do?",
    "Why did Mali ask MINUSMA to leave?",
    "What did the 2015 meeting say about conflict prevention?",
]

CSS = """
.mr-refusal{background:#eef3f8;border-left:4px solid #1f4e79;padding:.4rem .6rem;color:#1a1a1a}
.mr-error{background:#fdecea;border-left:4px solid #a4262c;padding:.4rem .6rem;color:#1a1a1a}
.mr-note{font-size:.85rem;color:#404040;margin-top:.3rem}
.mr-unsupported{background:#ffe0b2;color:#1a1a1a;text-decoration:underline wavy #a4262c}
.mr-cite{font-weight:600;color:#0b5394}
.mr-source{border:1px solid #c9d6e3;border-radius:6px;padding:.5rem;margin:.5rem 0;color:#1a1a1a}
.mr-source mark{background:#fff3b0;color:#1a1a1a}
.mr-meta{font-size:.85rem;color:#404040}
.mr-kind{font-size:.75rem;background:#555;color:#fff;padding:0 .3rem;border-radius:3px}
"""


class ChatService:
    """What the chat does with a question; kept apart from the widgets so it can be tested."""

    def __init__(self, pipeline: Pipeline, backends: list[str]):
        self.pipeline = pipeline
        self.backends = backends

    def locate(self, citation: dict) -> str:
        """The paragraph of a (possibly multi-paragraph) chunk that holds the quoted sentence."""
        chunk = self.pipeline.index.chunk(citation["id"])
        quote = citation.get("quote", "")
        if chunk and quote:
            for pid in chunk.paragraph_ids:
                paragraph = self.pipeline.index.paragraph(pid)
                if paragraph and quote in paragraph.text:
                    return pid
        return citation["id"]

    def respond(self, message, chat, turns, docs, speakers, k, backend):
        chat, turns = list(chat or []), list(turns or [])
        message = (message or "").strip()
        if not message:  # empty input does nothing
            yield chat, turns, gr.update(), ""
            return
        limit = self.pipeline.settings.max_question_chars
        notice = ""
        if len(message) > limit:
            message, notice = message[:limit], f"<p class='mr-note'>Your question was cut to {limit} characters.</p>"
        history = [(t["question"], t.get("answer", "")) for t in turns if "answer" in t]
        chat += [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        streamed = ""
        try:
            for event, value in self.pipeline.ask_stream(message, k=int(k), docs=docs or None, speakers=speakers or None,
                                                         history=history, llm=backend):
                if event == "token":
                    streamed += value
                    chat[-1] = {"role": "assistant", "content": html.escape(streamed) + " ▌"}
                    yield chat, turns, gr.update(), message
                else:
                    out = value.to_json()
                    chat[-1] = {"role": "assistant", "content": notice + answer_html(out, self.locate)}
                    turns.append(out)
                    yield chat, turns, sources_html(out, self.locate), ""
        except PipelineError as exc:
            out = {"question": message, "error": f"{exc}."}
            chat[-1] = {"role": "assistant", "content": answer_html(out, self.locate)}
            turns.append(out)
            yield chat, turns, gr.update(), message
        except Exception as exc:  # never a stack trace in the chat
            out = {"question": message, "error": f"Something went wrong ({type(exc).__name__}); please try again."}
            chat[-1] = {"role": "assistant", "content": answer_html(out, self.locate)}
            turns.append(out)
            yield chat, turns, gr.update(), message

    def export(self, turns) -> str | None:
        if not turns:
            return None
        path = Path(tempfile.mkdtemp()) / "conversation.md"
        path.write_text(export_markdown(turns, self.locate), encoding="utf-8")
        return str(path)


def build_blocks(service: ChatService) -> gr.Blocks:
    index = service.pipeline.index
    docs = [(f"{d.title} ({d.date})", d.doc_id) for d in index.documents()]
    speakers = sorted(index.speakers())
    with gr.Blocks(title="minutes-rag") as blocks:
        gr.Markdown("## Ask the minutes\nEvery answer cites the paragraphs it comes from: click a number to read it in the minutes.")
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3, min_width=300):
                chat = gr.Chatbot(label="Conversation", height=460, elem_id="chat", sanitize_html=True)
                question = gr.Textbox(label="Your question", placeholder="e.g. What did Colonel Klaffus say about Afghanistan?",
                                      elem_id="question", autofocus=True, max_lines=4)
                with gr.Row():
                    ask = gr.Button("Ask", variant="primary", elem_id="ask")
                    clear = gr.Button("Clear chat", elem_id="clear")
                    export = gr.Button("Export as Markdown", elem_id="export")
                download = gr.File(label="Conversation (Markdown)", visible=True, elem_id="download")
                gr.Examples(EXAMPLES, inputs=question, label="Examples")
            with gr.Column(scale=2, min_width=280):
                with gr.Accordion("Filters and settings", open=False):
                    doc_filter = gr.Dropdown(docs, multiselect=True, label="Documents", elem_id="docs")
                    speaker_filter = gr.Dropdown(speakers, multiselect=True, label="Speakers", elem_id="speakers")
                    k = gr.Slider(1, 10, value=service.pipeline.settings.k, step=1, label="Passages")
                    backend = gr.Radio(service.backends, value=service.backends[0], label="Answering with")
                sources = gr.HTML("<h3>Sources</h3><p class='mr-meta'>Ask a question to see its sources.</p>", elem_id="sources")
        inputs = [question, chat, turns, doc_filter, speaker_filter, k, backend]
        outputs = [chat, turns, sources, question]
        ask.click(service.respond, inputs, outputs, api_name="ask")
        question.submit(service.respond, inputs, outputs, api_name=False)
        clear.click(lambda: ([], [], "<h3>Sources</h3>", None), None, [chat, turns, sources, download], api_name=False)
        export.click(service.export, turns, download, api_name="export")
    return blocks


def create_app(pipeline: Pipeline, backends: list[str], users: list[tuple[str, str]] | None = None) -> FastAPI:
    app = FastAPI(title="minutes-rag")

    @app.get("/minutes/{doc_id}", response_class=HTMLResponse)
    def minutes(doc_id: str) -> str:
        info = pipeline.index.document(doc_id)  # only ids of ingested documents: nothing else is read
        if info is None:
            raise HTTPException(status_code=404, detail="no such minutes")
        return render_document(info, pipeline.index.paragraphs(doc_id), pipeline.index.speakers())

    service = ChatService(pipeline, backends)
    return gr.mount_gradio_app(app, build_blocks(service), path="/", auth=users, css=CSS, footer_links=[],
                              theme=gr.themes.Default(primary_hue="blue"))  # white on blue-700 passes WCAG AA
