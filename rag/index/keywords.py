"""BM25 keyword search over the chunks (bm25s, Lucene's BM25 variant, k1=1.5, b=0.75).

Each chunk is indexed as `context_line() + "\\n" + text`, so a question naming a speaker, a
section or a document title matches that speaker's chunks. The index is rebuilt in memory from
the catalogue when it is first needed (a thousand chunks take milliseconds): there is no second
persistent store that could drift out of step with the vectors.

Terms are `rag.sentences.words` without `STOPWORDS`, reduced by `rag.sentences.stem` (the same
crude suffix stripper the answer stage scores sentences with), so "trained" matches "training".
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from rag.minutes import Chunk
from rag.sentences import STOPWORDS, stem, words


def terms(text: str) -> list[str]:
    """The BM25 terms of a text: content words, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def chunk_terms(chunk: Chunk) -> list[str]:
    return terms(chunk.context_line() + "\n" + chunk.text)


class KeywordIndex:
    def __init__(self, chunks: Iterable[Chunk], k1: float = 1.5, b: float = 0.75):
        import bm25s

        self.chunks = list(chunks)
        self.ids = [c.id for c in self.chunks]
        self._bm25 = None
        if self.chunks:
            self._bm25 = bm25s.BM25(k1=k1, b=b)
            self._bm25.index([chunk_terms(c) for c in self.chunks], show_progress=False)

    def __len__(self) -> int:
        return len(self.chunks)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (in `self.chunks` order) for a query."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        q = list(dict.fromkeys(terms(query)))  # a repeated word does not count twice
        if not q:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(q), dtype=np.float32)

    def search(self, query: str, n: int, allowed: Callable[[Chunk], bool] | None = None) -> list[tuple[str, float]]:
        """The n best chunks with a positive score, best first, as (chunk_id, score); `allowed`
        filters chunks (a document or speaker filter) before ranking."""
        scores = self.scores(query)
        if not scores.size or n <= 0:
            return []
        if allowed is not None:
            mask = np.fromiter((allowed(c) for c in self.chunks), dtype=bool, count=len(self.chunks))
            scores = np.where(mask, scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        # best score first; ties in document order (stable sort over chunk order)
        order = hits[np.argsort(-scores[hits], kind="stable")][:n]
        return [(self.ids[i], float(scores[i])) for i in order]
