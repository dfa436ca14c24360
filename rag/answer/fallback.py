"""The one place a model's answer is replaced by quotes from the minutes.

A model's draft is used when it cites a passage and at least one of its sentences is supported
by what it cites, and, for a question naming one speaker, cites a passage of theirs when any was
found; otherwise (backend down, nothing cited, nothing supported, someone else's words) the reader
gets the extractive answer, which names each quote's speaker, and the reason. Quotes and refusals
pass through unchanged.
"""

from __future__ import annotations

from rag.answer.extractive import ExtractiveGenerator
from rag.answer.result import FROM_MODEL, Draft
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.verify.verifier import CheckedAnswer, Verifier

UNSUPPORTED = "the model's answer is not supported by the passages it cites"
OTHER_SPEAKER = "the model's answer cites none of the passages of the speaker asked about"


class FallbackToQuotes:
    def __init__(self, extractive: ExtractiveGenerator, verifier: Verifier):
        self.extractive, self.verifier = extractive, verifier

    def run(self, query: Query, passages: list[Passage], draft: Draft) -> tuple[CheckedAnswer, str | None]:
        """The checked answer to show, and why the model's was replaced (None when it was not)."""
        reason = draft.fallback_reason
        if reason is None:
            checked = self.verifier.run(draft, query.standalone)
            if draft.origin != FROM_MODEL:
                return checked, None
            if checked.nothing_supported:
                reason = UNSUPPORTED
            elif cites_someone_else(query, passages, checked):
                reason = OTHER_SPEAKER
            else:
                return checked, None
        text, refused = self.extractive.quote(
            query.standalone, passages, query.named_speakers, query.asked, query.answered_by
        )
        quotes = Draft(text, refused, passages, "extractive")
        return self.verifier.run(quotes, query.standalone), reason


def cites_someone_else(query: Query, passages: list[Passage], checked: CheckedAnswer) -> bool:
    """A question about one named speaker answered only from others' passages, when the passages
    hold theirs: the small model attributes to the person asked about what someone else said
    ("And what was Yoshizaki's take on that?" answered with the colonel's words)."""
    if len(query.named_speakers) != 1 or not checked.cited or checked.draft.refused:
        return False
    asked = query.named_speakers[0]
    return all(p.chunk.speaker != asked for p in checked.cited) and any(p.chunk.speaker == asked for p in passages)
