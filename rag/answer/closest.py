"""A model's answer that drew on a weaker sentence than the minutes' closest one gets that sentence
quoted after it.

A small model often answers from the wrong sentence of the passages it reads: asked why a
speaker said to act before fighting breaks out, it paraphrases his wish for more conflict
prevention, a few sentences from "After fighting breaks out, it is usually too late". Its answer
is supported (the passage says it), so it is kept; but when the sentence the extractive answer
would quote first covers the question's words by more than `margin` over every sentence the
model's answer draws on (the support check's quote of each citation) and every sentence it
wrote, the reader also gets that sentence, quoted and cited: the model's words, then the
minutes' own. Quotes, refusals and fallbacks pass through unchanged.
"""

from __future__ import annotations

from dataclasses import replace

from rag.answer.extractive import ExtractiveGenerator, quoted_sentence
from rag.answer.result import FROM_MODEL
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.verify.verifier import CheckedAnswer, Verifier


class ClosestSentenceQuote:
    def __init__(self, extractive: ExtractiveGenerator, verifier: Verifier, margin: float):
        self.extractive, self.verifier, self.margin = extractive, verifier, margin

    def run(self, query: Query, passages: list[Passage], checked: CheckedAnswer) -> tuple[CheckedAnswer, str | None]:
        """The checked answer to show, and the sentence quoted after the model's (None when none was)."""
        draft = checked.draft
        if draft.origin != FROM_MODEL or draft.refused or not checked.cited or self.margin >= 1.0:
            return checked, None
        scored = self.extractive.scored_sentences(query.standalone, passages, query.asked)
        if not scored:
            return checked, None
        _, cover, _, _, sentence, passage = max(scored, key=lambda s: s[0])
        drawn_on = {n: quote for n, quote in checked.report.quotes.items() if 1 <= n <= len(checked.cited)}
        if sentence in drawn_on.values():
            return checked, None
        # what the answer covers: its sources' sentences, or its own sentences (a model that
        # says the closest sentence in its own words needs no quote of it)
        used = max(
            [self.extractive.coverage(query.standalone, quote, checked.cited[n - 1]) for n, quote in drawn_on.items()]
            + [
                self.extractive.coverage(query.standalone, verdict.sentence, checked.cited[verdict.citations[0] - 1])
                for verdict in checked.report.verdicts
                if verdict.citations and verdict.citations[0] <= len(checked.cited)
            ],
            default=0.0,
        )
        if cover - used <= self.margin:
            return checked, None
        shown = list(draft.shown)
        if passage not in shown:
            shown.append(passage)
        text = f"{draft.text.rstrip()}\n{quoted_sentence(sentence, passage, shown.index(passage) + 1)}"
        return self.verifier.run(replace(draft, text=text, shown=shown), query.standalone), sentence
