"""Answers as HTML for the chat, and the conversation as Markdown for export.

Everything that comes from the minutes or the model is escaped first (`html.escape`): a
paragraph containing `<script>` shows as text. Only the markup built here is HTML.
"""

from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import quote

from rag.verify.citations import MARKER, marker_numbers, strip_markers
from rag.verify.support import answer_sentences

# paragraph id -> the id of the paragraph inside a chunk that holds the quote
Locate = Callable[[dict], str]


def viewer_link(paragraph_id: str) -> str:
    doc, _, anchor = paragraph_id.partition("#")
    return f"/minutes/{quote(doc)}#{quote(anchor)}"


def _who(c: dict) -> str:
    who = c.get("speaker") or c.get("kind", "").replace("_", " ")
    return f"{who} ({c['role']})" if c.get("role") else who


def answer_html(out: dict, locate: Locate) -> str:
    """The answer with each [n] a link to the cited paragraph; unsupported sentences marked."""
    if out.get("error"):
        return f'<div class="mr-error">⚠ {html.escape(out["error"])}</div>'
    if out.get("refused"):
        return f'<div class="mr-refusal">🛈 {html.escape(out["answer"])}</div>'
    raw = out["answer"].replace("\x00", "").replace("\x01", "")
    flagged = {item["sentence"] for item in out.get("unsupported", [])}
    for sentence in answer_sentences(raw):
        if strip_markers(sentence) in flagged:
            raw = raw.replace(sentence, f"\x00{sentence}\x01", 1)
    text = html.escape(raw).replace("\x00", '<mark class="mr-unsupported" title="Not supported by the passage it cites">')
    text = text.replace("\x01", "</mark> ⚠")
    targets = {c["n"]: locate(c) for c in out.get("citations", [])}

    def link(m: re.Match) -> str:
        links = []
        for n in marker_numbers(m.group(1)):
            if n in targets:
                links.append(f'<a href="{viewer_link(targets[n])}" target="_blank" class="mr-cite" title="{html.escape(targets[n])}">[{n}]</a>')
        return "".join(links)

    body = MARKER.sub(link, text).replace("\n", "<br>")
    note = ""
    if out.get("fallback"):
        note = f'<div class="mr-note">The model\'s answer could not be used ({html.escape(out.get("fallback_reason", ""))}); quoting the minutes instead.</div>'
    return f'<div class="mr-answer">{body}</div>{note}'


def _passage_html(c: dict, target: str, numbered: bool) -> str:
    text = html.escape(c["text"])
    quote_text = html.escape(c.get("quote", ""))
    if quote_text and quote_text in text:
        text = text.replace(quote_text, f"<mark>{quote_text}</mark>", 1)
    number = f'<span class="mr-n">[{c["n"]}]</span> ' if numbered else ""
    kind = "" if c["kind"] == "speech" else f' <span class="mr-kind">{html.escape(c["kind"].replace("_", " "))}</span>'
    return (
        f'<div class="mr-source">{number}<strong>{html.escape(_who(c))}</strong>{kind}<br>'
        f'<span class="mr-meta">{html.escape(c["doc_title"])}, {html.escape(c["date"])} · {html.escape(c.get("section", ""))} · '
        f'<code>{html.escape(target)}</code></span>'
        f'<blockquote>{text.replace(chr(10), "<br>")}</blockquote>'
        f'<a href="{viewer_link(target)}" target="_blank">Open in the minutes</a></div>'
    )


def sources_html(out: dict, locate: Locate) -> str:
    cited = out.get("citations", [])
    parts = ["<h3>Sources</h3>"]
    parts += [_passage_html(c, locate(c), True) for c in cited] or ['<p class="mr-meta">No passage cited.</p>']
    cited_ids = {c["id"] for c in cited}
    others = [c for c in out.get("retrieved", []) if c["id"] not in cited_ids]
    if others:
        parts.append(f'<details><summary>All retrieved passages ({len(out.get("retrieved", []))})</summary>')
        parts += [_passage_html(c, c["id"], False) for c in others]
        parts.append("</details>")
    return "\n".join(parts)


def export_markdown(turns: list[dict], locate: Locate) -> str:
    """The conversation with full references for each citation."""
    lines = ["# Conversation with the minutes", ""]
    for out in turns:
        lines += [f"**Q:** {out['question']}", "", f"**A:** {out.get('answer', out.get('error', ''))}", ""]
        for c in out.get("citations", []):
            lines.append(f"[{c['n']}] {_who(c)} — {c['doc_title']}, {c['date']}, {c.get('section', '')}, paragraph `{locate(c)}`")
            lines.append(f"    > {c.get('quote') or c['text']}")
        for item in out.get("unsupported", []):
            lines.append(f"⚠ Not supported by its citation: {item['sentence']}")
        lines.append("")
    return "\n".join(lines)
