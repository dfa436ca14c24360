"""Answers and their sources as HTML for the chat (through `ui/templates/`), and the conversation
as Markdown for export.

The answer's text is cut into spans (a sentence no citation supports is its own span) and each
span into parts (words, or the links a citation marker became); the template turns them into
markup and escapes every word, so a paragraph containing `<script>` shows as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rag.verify.citations import MARKER, marker_numbers, strip_markers
from rag.verify.support import answer_sentences
from ui.templating import render, viewer_link

# a citation -> the id of the paragraph inside its chunk that holds the quote
Locate = Callable[[dict], str]

SOURCES_PLACEHOLDER = "Ask a question to see its sources."


@dataclass(frozen=True)
class CitationLink:
    n: int
    paragraph_id: str

    @property
    def href(self) -> str:
        return viewer_link(self.paragraph_id)


@dataclass(frozen=True)
class AnswerPart:
    """Words of the answer, or the links one citation marker became (a marker citing no passage vanishes)."""

    text: str = ""
    links: tuple[CitationLink, ...] = ()


@dataclass(frozen=True)
class AnswerSpan:
    parts: tuple[AnswerPart, ...]
    unsupported: bool


@dataclass(frozen=True)
class PassageView:
    """A passage as the sources panel shows it, its quoted sentence set apart for highlighting."""

    n: int | None
    who: str
    kind: str
    doc_title: str
    date: str
    section: str
    paragraph_id: str
    before: str
    quote: str
    after: str


def speaker_label(c: dict) -> str:
    who = c.get("speaker") or c.get("kind", "").replace("_", " ")
    return f"{who} ({c['role']})" if c.get("role") else who


def searched_for(out: dict) -> str:
    """The standalone question the pipeline searched for, when it rewrote a follow-up."""
    standalone = out.get("standalone_question") or ""
    return standalone if standalone and standalone != out.get("question") else ""


class AnswerView:
    """An answer (`Answer.to_json()`) as the spans and parts `answer.html` renders."""

    def __init__(self, locate: Locate):
        self.locate = locate

    def run(self, out: dict) -> list[AnswerSpan]:
        raw = out["answer"]
        targets = {c["n"]: self.locate(c) for c in out.get("citations", [])}
        flagged = {item["sentence"] for item in out.get("unsupported", [])}
        return [AnswerSpan(self._parts(text, targets), unsupported) for text, unsupported in self._spans(raw, flagged)]

    @staticmethod
    def _spans(raw: str, flagged: set[str]) -> list[tuple[str, bool]]:
        spans, start = [], 0
        for sentence in answer_sentences(raw):
            at = raw.find(sentence, start)
            if at < 0 or strip_markers(sentence) not in flagged:
                continue
            spans += [(raw[start:at], False), (sentence, True)]
            start = at + len(sentence)
        spans.append((raw[start:], False))
        return [(text, unsupported) for text, unsupported in spans if text]

    @staticmethod
    def _parts(text: str, targets: dict[int, str]) -> tuple[AnswerPart, ...]:
        parts, start = [], 0
        for marker in MARKER.finditer(text):
            links = tuple(CitationLink(n, targets[n]) for n in marker_numbers(marker.group(1)) if n in targets)
            parts += [AnswerPart(text=text[start : marker.start()]), AnswerPart(links=links)]
            start = marker.end()
        parts.append(AnswerPart(text=text[start:]))
        return tuple(parts)


def answer_html(out: dict, locate: Locate, notice: str = "") -> str:
    """The answer with each [n] a link to the cited paragraph, unsupported sentences marked, the
    rewritten question shown; an error or a refusal in their own look. `notice` goes above it."""
    error, refused = out.get("error", ""), bool(out.get("refused"))
    return render(
        "answer.html",
        notice=notice,
        error=error,
        refused=refused,
        answer=out.get("answer", ""),
        spans=[] if error or refused else AnswerView(locate).run(out),
        fallback=out.get("fallback"),
        fallback_reason=out.get("fallback_reason", ""),
        searched_for=searched_for(out),
    )


def streaming_html(text: str) -> str:
    return render("streaming.html", text=text)


def waiting_html(ahead: int) -> str:
    return render("waiting.html", ahead=ahead)


def _passage(c: dict, paragraph_id: str, numbered: bool) -> PassageView:
    text, quote = c["text"], c.get("quote", "")
    at = text.find(quote) if quote else -1
    before, after = (text, "") if at < 0 else (text[:at], text[at + len(quote) :])
    return PassageView(
        n=c["n"] if numbered else None,
        who=speaker_label(c),
        kind=c["kind"],
        doc_title=c["doc_title"],
        date=c["date"],
        section=c.get("section", ""),
        paragraph_id=paragraph_id,
        before=before,
        quote=quote if at >= 0 else "",
        after=after,
    )


def sources_html(out: dict | None, locate: Locate) -> str:
    """The cited passages, then (folded) those retrieved but not cited; a placeholder before any answer."""
    if out is None:
        return render("sources.html", placeholder=SOURCES_PLACEHOLDER, cited=[], others=[], retrieved_count=0)
    cited = out.get("citations", [])
    cited_ids = {c["id"] for c in cited}
    others = [c for c in out.get("retrieved", []) if c["id"] not in cited_ids]
    return render(
        "sources.html",
        placeholder="",
        cited=[_passage(c, locate(c), True) for c in cited],
        others=[_passage(c, c["id"], False) for c in others],
        retrieved_count=len(out.get("retrieved", [])),
    )


def export_markdown(turns: list[dict], locate: Locate) -> str:
    """The conversation with full references for each citation."""
    lines = ["# Conversation with the minutes", ""]
    for out in turns:
        lines += [f"**Q:** {out['question']}", "", f"**A:** {out.get('answer', out.get('error', ''))}", ""]
        for c in out.get("citations", []):
            where = f"{c['doc_title']}, {c['date']}, {c.get('section', '')}, paragraph `{locate(c)}`"
            lines.append(f"[{c['n']}] {speaker_label(c)} — {where}")
            lines.append(f"    > {c.get('quote') or c['text']}")
        for item in out.get("unsupported", []):
            lines.append(f"⚠ Not supported by its citation: {item['sentence']}")
        lines.append("")
    return "\n".join(lines)
