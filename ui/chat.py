"""What the chat does with a question, kept apart from the widgets so it can be tested: stream the
answer, or say how many questions are ahead when the model is busy, then show the checked answer."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from rag.pipeline import Pipeline, PipelineError
from ui.lane import ModelLane
from ui.render import answer_html, export_markdown, sources_html, streaming_html, waiting_html

ChatUpdate = tuple[list[dict], list[dict], Any, str]  # chat messages, answers so far, sources panel, question box


class ChatService:
    def __init__(self, pipeline: Pipeline, backends: list[str], lane: ModelLane):
        self.pipeline = pipeline
        self.backends = backends
        self.lane = lane

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

    def respond(self, message, chat, turns, docs, speakers, k, backend) -> Iterator[ChatUpdate]:
        chat, turns = list(chat or []), list(turns or [])
        message = (message or "").strip()
        if not message:  # empty input does nothing
            yield chat, turns, gr.update(), ""
            return
        limit = self.pipeline.settings.max_question_chars
        notice = ""
        if len(message) > limit:
            message, notice = (message[:limit], f"Your question was cut to {limit} characters.")
        chat += [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        ask = {
            "k": int(k),
            "docs": docs or None,
            "speakers": speakers or None,
            "llm": backend,
            "history": [(t["question"], t.get("answer", "")) for t in turns if "answer" in t],
        }
        if not self.lane.needed(backend):
            yield from self._answer(message, notice, ask, chat, turns)
            return
        with self.lane.ticket() as ticket:
            for ahead in ticket.waiting():
                chat[-1] = {"role": "assistant", "content": waiting_html(ahead)}
                yield chat, turns, gr.update(), message
            yield from self._answer(message, notice, ask, chat, turns)

    def _answer(
        self, message: str, notice: str, ask: dict, chat: list[dict], turns: list[dict]
    ) -> Iterator[ChatUpdate]:
        streamed = ""
        try:
            for _, value in self.pipeline.ask_stream(message, **ask):
                if isinstance(value, str):  # a token
                    streamed += value
                    chat[-1] = {"role": "assistant", "content": streaming_html(streamed)}
                    yield chat, turns, gr.update(), message
                else:
                    out = value.to_json()
                    chat[-1] = {"role": "assistant", "content": answer_html(out, self.locate, notice)}
                    turns.append(out)
                    yield chat, turns, sources_html(out, self.locate), ""
            return
        except PipelineError as exc:
            error = f"{exc}."
        except Exception as exc:  # never a stack trace in the chat: one line, and the chat goes on)
            error = f"Something went wrong ({type(exc).__name__}); please try again."
        out = {"question": message, "error": error}
        chat[-1] = {"role": "assistant", "content": answer_html(out, self.locate)}
        turns.append(out)
        yield chat, turns, gr.update(), message

    def export(self, turns) -> str | None:
        if not turns:
            return None
        path = Path(tempfile.mkdtemp()) / "conversation.md"
        path.write_text(export_markdown(turns, self.locate), encoding="utf-8")
        return str(path)
