"""The one place a model's answer is replaced by quotes from the minutes.

A model's draft is used when it cites a passage and at least one of its sentences is supported
by what it cites; otherwise (backend down, nothing cited, nothing supported) the reader gets the
extractive answer and the reason. Quotes and refusals pass through unchanged.
"""

from __future__ import annotations

from rag.answer.extractive import ExtractiveGenerator
from rag.answer.result import FROM_MODEL, Draft
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.verify.verifier import CheckedAnswer, Verifier

UNSUPPORTED = "the model's answer is not supported by the passages it cites"


class FallbackToQuotes:
    def __init__(self, extractive: ExtractiveGenerator, verifier: Verifier):
        self.extractive, self.verifier = extractive, verifier

    def run(self, query: Query, passages: list[Passage], draft: Draft) -> tuple[CheckedAnswer, str | None]:
        """The checked answer to show, and why the model's was replaced (None when it was not)."""
        reason = draft.fallback_reason
        if reason is None:
            checked = self.verifier.run(draft, query.standalone)
            if draft.origin != FROM_MODEL or not checked.nothing_supported:
                return checked, None
            reason = UNSUPPORTED
        text, refused = self.extractive.quote(query.standalone, passages, query.preferred, query.asked)
        quotes = Draft(text, refused, passages, "extractive")
        return self.verifier.run(quotes, query.standalone), reason
