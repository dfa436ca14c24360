"""The answer when the question analysis already knows the minutes cannot answer: the refusal
sentence and the reason ("They never mention “Arctic”."), with no model run."""

from __future__ import annotations

from collections.abc import Iterator

from rag.answer.result import FROM_REFUSAL, Draft
from rag.minutes import Passage
from rag.query.analyse import Query


class RefusalGenerator:
    def __init__(self, refusal: str):
        self.refusal = refusal

    def run(self, query: Query, passages: list[Passage]) -> Iterator[str | Draft]:
        reason = query.unanswerable or ""
        yield Draft(f"{self.refusal} {reason}".strip(), True, passages, FROM_REFUSAL, refusal_reason=reason or None)
