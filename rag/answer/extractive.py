"""The no-LLM answer: quote the few sentences of the top passages that best answer the question.

Used until an LLM is configured, and afterwards as the fallback when an LLM's answer cannot be
trusted (no valid citation, backend down). Every sentence is quoted verbatim and cited, so the
answer can never say more than the minutes do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from rag.answer.result import REFUSAL
from rag.sentences import content_words, split_sentences, stem, words


class ExtractiveAnswerer:
    """Picks sentences by how much of the question's weight (IDF of its content words) they cover.

    `idf` maps stemmed words to inverse document frequency over all chunks of the index; words it
    does not know count as rare. A question is refused when the best passage is not similar
    enough to it (`min_relevance`, cosine of the dense embeddings) or when no sentence shares a
    content word with it while the similarity is only middling.
    """

    def __init__(
        self,
        sentences: int = 3,
        min_relevance: float = 0.30,
        idf: Mapping[str, float] | None = None,
        passages_used: int = 3,
    ):
        self.sentences = sentences
        self.min_relevance = min_relevance
        self.idf = dict(idf or {})
        self.passages_used = passages_used
        self._unknown_idf = max(self.idf.values(), default=1.0)

    def run(self, question: str, passages: Sequence) -> tuple[str, bool]:
        """Return (answer text with [n] markers pointing into `passages`, refused)."""
        if not passages or max(p.dense for p in passages) < self.min_relevance:
            return REFUSAL, True
        query = {stem(w) for w in content_words(question)}
        weight = sum(self._weight(w) for w in query) or 1.0
        scored = []
        for rank, passage in enumerate(passages[: self.passages_used]):
            for position, sentence in enumerate(split_sentences(passage.chunk.text)):
                tokens = {stem(w) for w in words(sentence)}
                if len(tokens) < 4:
                    continue  # headings, bullets of one word, numbers alone: not an answer
                cover = sum(self._weight(w) for w in query & tokens) / weight
                # longer sentences cover more by chance; the passage's rank breaks ties
                score = cover / (1 + 0.15 * math.log1p(len(tokens) / 25)) + 0.05 / (1 + rank)
                scored.append((score, cover, rank, position, sentence, passage))
        if not scored:
            return REFUSAL, True
        best_cover = max(s[1] for s in scored)
        if best_cover == 0 and max(p.dense for p in passages) < self.min_relevance + 0.15:
            return REFUSAL, True
        chosen = sorted(scored, key=lambda s: -s[0])[: self.sentences]
        chosen.sort(key=lambda s: (s[2], s[3]))  # read in passage order, then sentence order
        lines = [self._quote(s[4], s[5], passages.index(s[5]) + 1) for s in chosen]
        return "\n".join(lines), False

    def _weight(self, word: str) -> float:
        return self.idf.get(word, self._unknown_idf)

    @staticmethod
    def _quote(sentence: str, passage, n: int) -> str:
        chunk = passage.chunk
        if chunk.speaker and chunk.kind == "speech":
            return f"{chunk.speaker}: “{sentence}” [{n}]"
        if chunk.speaker:
            return f"{chunk.speaker} ({chunk.kind}): “{sentence}” [{n}]"
        return f"“{sentence}” [{n}]"


def inverse_document_frequency(texts: Sequence[str]) -> dict[str, float]:
    """IDF of stemmed words over the given texts (the chunks of the index)."""
    df: dict[str, int] = {}
    for text in texts:
        for w in {stem(w) for w in words(text)}:
            df[w] = df.get(w, 0) + 1
    n = len(texts)
    return {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
