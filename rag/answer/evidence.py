"""Declining after retrieval, on what the minutes hold: a question asking how many or how much is
not answered by sentences that give no figure (`FigureEvidenceCheck`), and a question about one
speaker in words they never used is declined only when none of their turns comes close to it in
meaning either (`SpeakerEvidenceCheck`).

The answerability check before retrieval (`rag/query/answerable.py`) catches names and figures the
minutes never mention; it cannot catch "How many staff officers has Japan sent to South Sudan?"
when the minutes say Japan sent staff officers but never how many. Here the sentences that answer
the question best (the ones the extractive answer would quote) are read: when none of them gives a
count beyond those the question itself gives (a year or an ordinal, "in 2023", "the 8th course",
answers "when" or "which", not "how many"), the minutes do not hold the number asked for, and
quoting them, or handing them to a model that will write a number anyway, would mislead. The
question forms are those of English wh-questions for a quantity, not of any set of minutes; the
check was measured on the tune part and confirmed on the report part (README, "Refusals").
"""

from __future__ import annotations

import re

from rag.answer.extractive import ExtractiveGenerator
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.text import counts_in, figures_in

QUANTITY_QUESTION = re.compile(
    r"\bhow\s+(?:many|much)\b|\bwhat\s+(?:percentage|proportion|fraction|share|number|amount)\b", re.IGNORECASE
)


class FigureEvidenceCheck:
    """`run(query, passages)` returns why the passages cannot answer a how-many question, or None."""

    REASON = "The passages that come closest give no figure."

    def __init__(self, extractive: ExtractiveGenerator, sentences: int = 3):
        self.extractive = extractive
        self.sentences = sentences

    def run(self, query: Query, passages: list[Passage]) -> str | None:
        if not QUANTITY_QUESTION.search(query.standalone):
            return None
        chosen = self.extractive.select(query.standalone, passages, self.sentences, query.preferred)
        if chosen is None:
            return None  # nothing relevant at all: the answer step refuses on its own
        asked = figures_in(query.standalone)
        if any(counts_in(sentence) - asked for sentence, _ in chosen):
            return None
        return self.REASON


class SpeakerEvidenceCheck:
    """Confirms or drops the analysis stage's suspicion (`Query.unsaid`) that a question about one
    speaker asks what they never said. Their words do not hold most of the question's weight;
    if their closest turn is also below `min_similarity` (cosine of the question without their
    name), nothing of theirs answers it ("Where was Werner Klaffus born?"); if a turn is close,
    the question is a paraphrase ("What did Oshima say about funding peacekeeping?") and is answered."""

    def __init__(self, embedder, index, min_similarity: float):
        self.embedder, self.index, self.min_similarity = embedder, index, min_similarity

    def run(self, query: Query) -> str | None:
        unsaid = query.unsaid
        if unsaid is None:
            return None
        vector = self.embedder.embed_query(unsaid.topic)
        closest = self.index.dense_search(vector, 1, query.doc_ids, [unsaid.speaker])
        if closest and closest[0][1] >= self.min_similarity:
            return None
        return unsaid.reason
