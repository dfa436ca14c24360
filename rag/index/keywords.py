"""BM25 keyword search over the chunks (bm25s, Lucene's BM25 variant, k1=1.5, b=0.75).

Each chunk is indexed as `context_line() + "\\n" + text`, so a question naming a speaker, a
section or a document title matches that speaker's chunks. The index lives in memory and is
rebuilt from the catalogue only after a change, on the next search; the terms of each document
version are kept, so a rebuild tokenizes only the documents that changed (bm25s then indexes
the 100,000 chunks of a 200-meeting archive in seconds). There is no second persistent store
that could drift out of step with the vectors.

Terms are `rag.text.words` without `STOPWORDS`, reduced by `rag.text.stem` (the same crude
suffix stripper the answer stage scores sentences with), so "trained" matches "training".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from rag.minutes import Chunk
from rag.segment.surroundings import surrounding_texts
from rag.text import STOPWORDS, stem, words


def terms(text: str) -> list[str]:
    """The BM25 terms of a text: content words, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def chunk_terms(chunk: Chunk) -> list[str]:
    return terms(chunk.context_line() + "\n" + chunk.text)


class KeywordIndex:
    """BM25 over a fixed list of chunks; `terms_of` lets a caller reuse terms it already has."""

    def __init__(
        self,
        chunks: Iterable[Chunk],
        k1: float = 1.5,
        b: float = 0.75,
        terms_of: Callable[[Chunk], list[str]] = chunk_terms,
    ):
        import bm25s

        self.chunks = list(chunks)
        self.ids = [c.id for c in self.chunks]
        self.doc_ids = np.asarray([c.doc_id for c in self.chunks], dtype=object)
        self.speakers = np.asarray([c.speaker or "" for c in self.chunks], dtype=object)
        self._bm25 = None
        if self.chunks:
            self._bm25 = bm25s.BM25(k1=k1, b=b)
            self._bm25.index([terms_of(c) for c in self.chunks], show_progress=False)

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

    def search(
        self, query: str, n: int, doc_ids: Sequence[str] | None = None, speakers: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """The n best chunks with a positive score, best first, as (chunk_id, score), among the
        chunks of `doc_ids` and `speakers` when given."""
        scores = self.scores(query)
        if not scores.size or n <= 0:
            return []
        if doc_ids:
            scores = np.where(np.isin(self.doc_ids, list(doc_ids)), scores, 0.0)
        if speakers:
            scores = np.where(np.isin(self.speakers, list(speakers)), scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        # best score first; ties in chunk order (stable sort)
        order = hits[np.argsort(-scores[hits], kind="stable")][:n]
        return [(self.ids[i], float(scores[i])) for i in order]


OWN_WEIGHT = 2  # twice: enough to break the tie, not enough to drown the surroundings


def document_terms(chunks: Sequence[Chunk], context_words: int) -> dict[str, list[str]]:
    """The BM25 terms of each chunk of one document (in document order): its own, plus those of
    its surroundings when it is short (`rag/segment/surroundings.py`)."""
    around = surrounding_texts(chunks, context_words) if context_words else [""] * len(chunks)
    # the chunk's own words count OWN_WEIGHT times: among chunks that share their surroundings
    # (a short exchange) the one that says it ranks first
    return {
        c.id: chunk_terms(c) * (OWN_WEIGHT if text else 1) + terms(text) for c, text in zip(chunks, around, strict=True)
    }


class KeywordCache:
    """The terms of each document version, so rebuilding BM25 after a change tokenizes only the
    changed documents."""

    def __init__(self, context_words: int = 0) -> None:
        self._terms: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.context_words = context_words

    def index(self, versions: dict[str, str], chunks_of: Callable[[str], list[Chunk]]) -> KeywordIndex:
        live = set(versions.items())
        for key in [k for k in self._terms if k not in live]:
            del self._terms[key]
        for key in live - set(self._terms):
            self._terms[key] = document_terms(chunks_of(key[0]), self.context_words)
        chunks = [c for doc_id in sorted(versions) for c in chunks_of(doc_id)]
        return KeywordIndex(chunks, terms_of=lambda c: self._terms[(c.doc_id, versions[c.doc_id])][c.id])
