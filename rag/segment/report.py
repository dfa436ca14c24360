"""How sure the segmenter is: the layout chosen, the share of paragraphs given a speaker, and a
one-line warning when a document that reads like a transcript got few speakers, instead of a
silent guess. `ingest` prints both per document."""

from __future__ import annotations

import re

from rag.minutes import Minutes

# A paragraph that opens like a turn, whatever the label: "SPEAKER 1: ...", "Q: ...", "Mr X: ...".
_OPENS_LIKE_TURN = re.compile(r"^\s*(?:[^\s:]+[ \t]+){0,5}[^\s:]+:\s+\S")
LOW_SHARE = 0.5  # below this share of attributed paragraphs, a transcript-like document is warned about
TRANSCRIPT_LIKE = 0.3  # share of paragraphs opening like a turn that makes a document look like a transcript


def segment_report(minutes: Minutes) -> str:
    """ "marked layout, 97% of paragraphs attributed to 12 speakers"."""
    return (
        f"{minutes.layout} layout, {minutes.attributed_share:.0%} of paragraphs attributed to "
        f"{len(minutes.speakers)} speaker{'s' if len(minutes.speakers) != 1 else ''}"
    )


def segment_warning(minutes: Minutes) -> str | None:
    """One line when a document that looks like a transcript has few paragraphs attributed."""
    body = [p for p in minutes.paragraphs if p.kind != "annex"]
    if not body or minutes.attributed_share >= LOW_SHARE:
        return None
    opening = sum(1 for p in body if _OPENS_LIKE_TURN.match(p.text)) / len(body)
    if minutes.layout != "transcript" and opening < TRANSCRIPT_LIKE:
        return None  # an essay or a report: no speakers expected
    return (
        f"{minutes.info.doc_id}: only {minutes.attributed_share:.0%} of paragraphs attributed to a speaker, though "
        f"{opening:.0%} open like a speaker's turn; its speaker labels were not recognised"
    )
