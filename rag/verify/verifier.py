"""The verify stage as one component: markers renumbered, a model's citations repaired, every
cited sentence checked against its passages, and the quote that supports each citation found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.answer.result import FROM_MODEL, Draft
from rag.minutes import Passage
from rag.verify.citations import renumber
from rag.verify.support import SupportChecker, SupportReport


@dataclass
class CheckedAnswer:
    draft: Draft
    text: str  # markers renumbered by first appearance
    cited: list[Passage]  # [n] in `text` is cited[n-1]
    report: SupportReport
    repaired: list[dict[str, Any]] = field(default_factory=list)

    @property
    def quotes(self) -> list[str]:
        return [self.report.quotes.get(n, "") for n in range(1, len(self.cited) + 1)]

    @property
    def nothing_supported(self) -> bool:
        """Some sentence cites a passage, yet none is supported by what it cites."""
        return bool(self.cited and self.report.verdicts and not any(v.supported for v in self.report.verdicts))


class Verifier:
    def __init__(self, support: SupportChecker):
        self.support = support

    def run(self, draft: Draft, question: str = "") -> CheckedAnswer:
        """Repair and check a draft; `question` (the standalone one) lets a claim restate what it
        asks when the passages shown hold it (`SupportChecker.grounded`)."""
        text, repaired = draft.text, list[dict[str, Any]]()
        premise = self.support.grounded(question, draft.shown)
        if draft.origin == FROM_MODEL and not draft.refused:
            # a small model cites the neighbouring passage or puts one marker after two sentences;
            # quotes are cited by construction and need no repair
            text, repaired = self.support.repair(text, draft.shown, premise)
        numbered = renumber(text, len(draft.shown))
        cited = [] if draft.refused else [draft.shown[n - 1] for n in numbered.order]
        report = self.support.check(numbered.text, cited, premise)
        return CheckedAnswer(draft, numbered.text, cited, report, repaired)
