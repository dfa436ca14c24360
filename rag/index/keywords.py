"""BM25 keyword search over the chunks (Lucene's BM25 variant, k1=1.5, b=0.75, as bm25s scores it),
a chunk's length measured against its own document's mean chunk length, not the archive's.

Each chunk is indexed as `context_line() + "\\n" + text`, so a question naming a speaker, a
section or a document title matches that speaker's chunks; a short chunk also with the words
around it (`document_terms`). Terms are `rag.text.words` without `STOPWORDS`, reduced by
`rag.text.stem` (the same crude suffix stripper the answer stage scores sentences with), so
"trained" matches "training".

What a document version contributes is counted once (`DocumentTerms`: each chunk's term counts
as a sparse row) and kept in a cache folder beside the index, one file per version, written by
whichever process counted it first. Tokenizing is the expensive part (most of a minute for a
200-meeting archive); merging the counted documents into one BM25 matrix takes a second or
two. So a restarted server does not tokenize again, a change tokenizes only the changed
documents, and a process holds counts (a few bytes per distinct term of a chunk) rather than
term lists. The files are a cache: a missing, stale or damaged one is counted again from the
catalogue, which stays the only record of the chunks.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import groupby
from pathlib import Path

import numpy as np
from scipy import sparse

from rag.minutes import Chunk
from rag.segment.surroundings import surrounding_texts
from rag.text import STOPWORDS, stem, words
from rag.text.relevance import SentenceScorer

log = logging.getLogger(__name__)

# bump when what a file holds, or how terms are made, changes: older files are then not read
TERMS_FORMAT = 2  # 2: words spelt letter by letter read as one ("L_C_D_" is "lcd")


def terms(text: str) -> list[str]:
    """The BM25 terms of a text: content words, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def chunk_terms(chunk: Chunk) -> list[str]:
    return terms(chunk.context_line() + "\n" + chunk.text)


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


def _strings(values: Iterable[str]) -> np.ndarray:
    return np.asarray(list(values), dtype=str)


@dataclass(frozen=True)
class DocumentTerms:
    """One document version's chunks, counted: row i is chunk i's BM25 term counts over
    `vocabulary` (sorted); `lengths` are their term totals; `words`/`word_chunks` say in how many
    chunks each of the answer scorer's words occurs."""

    doc_id: str
    chunk_ids: list[str]
    speakers: list[str]
    vocabulary: np.ndarray
    counts: sparse.csr_matrix
    lengths: np.ndarray
    words: np.ndarray
    word_chunks: np.ndarray

    @classmethod
    def count(
        cls, chunks: Sequence[Chunk], context_words: int = 0, terms_of: Callable[[Chunk], list[str]] | None = None
    ) -> DocumentTerms:
        """Count one document's chunks (in document order); `terms_of` replaces `document_terms`."""
        doc_ids = {c.doc_id for c in chunks}
        if len(doc_ids) > 1:
            raise ValueError(f"chunks of several documents: {sorted(doc_ids)}")
        table = {c.id: terms_of(c) for c in chunks} if terms_of else document_terms(chunks, context_words)
        per_chunk = [table[c.id] for c in chunks]
        vocabulary = sorted({t for ts in per_chunk for t in ts})
        column = {t: i for i, t in enumerate(vocabulary)}
        rows: list[int] = []
        cols: list[int] = []
        for row, ts in enumerate(per_chunk):
            rows.extend([row] * len(ts))
            cols.extend(column[t] for t in ts)
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(chunks), len(vocabulary)), dtype=np.int32
        )
        counts.sum_duplicates()
        word_chunks: dict[str, int] = {}
        for c in chunks:
            for w in SentenceScorer.tokens(c.context_line() + "\n" + c.text):
                word_chunks[w] = word_chunks.get(w, 0) + 1
        scorer_vocabulary = sorted(word_chunks)
        return cls(
            doc_id=next(iter(doc_ids), ""),
            chunk_ids=[c.id for c in chunks],
            speakers=[c.speaker or "" for c in chunks],
            vocabulary=_strings(vocabulary),
            counts=counts,
            lengths=np.asarray([len(ts) for ts in per_chunk], dtype=np.int32),
            words=_strings(scorer_vocabulary),
            word_chunks=np.asarray([word_chunks[w] for w in scorer_vocabulary], dtype=np.int32),
        )

    def save(self, path: Path) -> None:
        """Write the file whole or not at all (a reader never sees half of it)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(
                    f,
                    doc_id=np.asarray([self.doc_id]),
                    chunk_ids=_strings(self.chunk_ids),
                    speakers=_strings(self.speakers),
                    vocabulary=self.vocabulary,
                    indptr=self.counts.indptr,
                    indices=self.counts.indices,
                    data=self.counts.data,
                    lengths=self.lengths,
                    words=self.words,
                    word_chunks=self.word_chunks,
                )
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> DocumentTerms:
        with np.load(path, allow_pickle=False) as f:
            vocabulary, chunk_ids = f["vocabulary"], f["chunk_ids"]
            counts = sparse.csr_matrix(
                (f["data"], f["indices"], f["indptr"]), shape=(len(chunk_ids), len(vocabulary)), dtype=np.int32
            )
            return cls(
                str(f["doc_id"][0]),
                chunk_ids.tolist(),
                f["speakers"].tolist(),
                vocabulary,
                counts,
                f["lengths"],
                f["words"],
                f["word_chunks"],
            )


class KeywordIndex:
    """BM25 over counted documents (in the given order; ties rank in that order)."""

    def __init__(self, documents: Sequence[DocumentTerms], k1: float = 1.5, b: float = 0.75):
        docs = [d for d in documents if len(d.chunk_ids)]
        self._documents = docs
        self.ids = [i for d in docs for i in d.chunk_ids]
        self.doc_ids = np.asarray([d.doc_id for d in docs for _ in d.chunk_ids], dtype=object)
        self.speakers = np.asarray([s for d in docs for s in d.speakers], dtype=object)
        # term -> column, merged document by document: one array of every document's terms would
        # be as wide as the longest term anywhere, hundreds of MB at a few hundred meetings
        self._columns: dict[str, int] = {}
        for d in docs:
            for term in d.vocabulary.tolist():
                self._columns.setdefault(term, len(self._columns))
        n = len(self.ids)
        if not n or not self._columns:
            self._scores = sparse.csc_matrix((n, 0), dtype=np.float32)
            return
        # one chunks x terms matrix: each document's columns renamed to the shared ones
        cols = np.concatenate(
            [
                np.fromiter((self._columns[t] for t in d.vocabulary.tolist()), np.int32, len(d.vocabulary))[
                    d.counts.indices
                ]
                for d in docs
            ]
        )
        per_row = np.concatenate([np.diff(d.counts.indptr) for d in docs])
        rows = np.repeat(np.arange(n, dtype=np.int32), per_row)
        tf = np.concatenate([d.counts.data for d in docs]).astype(np.float32)
        lengths = np.concatenate([d.lengths for d in docs]).astype(np.float32)
        # Lucene's BM25: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf part = tf / (tf + k1 (1 - b + b len/avg))
        df = np.bincount(cols, minlength=len(self._columns)).astype(np.float32)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        # a chunk is long or short for its own document: an archive mixing edited minutes, committee
        # turns of 45 words and meeting transcripts of 5 would otherwise judge every committee turn
        # long, and one meeting's ranking would change with what else was added (QMSum train
        # within a meeting MRR 0.679 -> 0.685, across 0.506 -> 0.512; gold tune part, retrieval
        # alone, MRR 0.791 -> 0.807; eval/RESULTS.md, "BM25 lengths by document")
        average = np.concatenate([np.full(len(d.chunk_ids), float(np.mean(d.lengths)) or 1.0) for d in docs])
        weight = tf / (tf + k1 * (1 - b + b * lengths[rows] / average[rows].astype(np.float32))) * idf[cols]
        self._scores = sparse.csc_matrix((weight, (rows, cols)), shape=(n, len(self._columns)), dtype=np.float32)

    @classmethod
    def of(cls, chunks: Iterable[Chunk], terms_of: Callable[[Chunk], list[str]] = chunk_terms) -> KeywordIndex:
        """BM25 over chunks as given (grouped by consecutive document), each chunk's terms from `terms_of`."""
        return cls([DocumentTerms.count(list(g), terms_of=terms_of) for _, g in groupby(chunks, lambda c: c.doc_id)])

    def __len__(self) -> int:
        return len(self.ids)

    def word_chunks(self) -> dict[str, int]:
        """In how many chunks each of the answer scorer's words occurs (`SentenceScorer.tokens`)."""
        total: dict[str, int] = {}
        for d in self._documents:
            for word, count in zip(d.words.tolist(), d.word_chunks.tolist(), strict=True):
                total[word] = total.get(word, 0) + count
        return total

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (in `self.ids` order) for a query."""
        known = [self._columns[t] for t in dict.fromkeys(terms(query)) if t in self._columns]  # a repeat counts once
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._scores[:, known].sum(axis=1), dtype=np.float32).ravel()

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {chunk_id: row for row, chunk_id in enumerate(self.ids)}

    def search(
        self,
        query: str,
        n: int,
        doc_ids: Sequence[str] | None = None,
        speakers: Sequence[str] | None = None,
        among: Collection[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The n best chunks with a positive score, best first, as (chunk_id, score), among the
        chunks of `doc_ids` and `speakers` when given, and among the chunk ids `among` when given."""
        scores = self.scores(query)
        if not scores.size or n <= 0:
            return []
        if among is not None:
            keep = np.zeros(len(self.ids), dtype=bool)
            keep[[self._rows[c] for c in among if c in self._rows]] = True
            scores = np.where(keep, scores, 0.0)
        if doc_ids:
            scores = np.where(np.isin(self.doc_ids, list(doc_ids)), scores, 0.0)
        if speakers:
            scores = np.where(np.isin(self.speakers, list(speakers)), scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        # best score first; ties in chunk order (stable sort)
        order = hits[np.argsort(-scores[hits], kind="stable")][:n]
        return [(self.ids[i], float(scores[i])) for i in order]


class KeywordCache:
    """The counted terms of each live document version: in memory, and in `folder` (when given)
    for the next process. Building the index after a change counts only the changed documents."""

    def __init__(self, context_words: int = 0, folder: Path | None = None) -> None:
        self.context_words = context_words
        self.folder = folder
        self._counted: dict[tuple[str, str], DocumentTerms] = {}
        self._building = threading.Lock()  # one build at a time: a second caller waits and reuses it

    def path(self, doc_id: str, version: str) -> Path | None:
        if self.folder is None:
            return None
        key = f"{TERMS_FORMAT}\0{self.context_words}\0{doc_id}\0{version}".encode()
        return self.folder / f"{hashlib.sha256(key).hexdigest()[:32]}.npz"

    def index(self, versions: dict[str, str], chunks_of: Callable[[str], list[Chunk]]) -> KeywordIndex:
        with self._building:
            live = set(versions.items())
            for key in [k for k in self._counted if k not in live]:
                del self._counted[key]
                if (gone := self.path(*key)) is not None:  # a version this process saw replaced or removed
                    gone.unlink(missing_ok=True)
            for key in sorted(live - set(self._counted)):
                self._counted[key] = self._document(key[0], key[1], chunks_of)
            return KeywordIndex([self._counted[(d, versions[d])] for d in sorted(versions)])

    def add(self, doc_id: str, version: str, chunks: list[Chunk]) -> None:
        """Count a document version as it is written, so that no process has to tokenize it later."""
        with self._building:
            self._counted[(doc_id, version)] = self._document(doc_id, version, lambda _: chunks)

    def forget(self, doc_id: str, version: str) -> None:
        """A version replaced or removed: its counts and file go (other processes keep what they loaded)."""
        with self._building:
            self._counted.pop((doc_id, version), None)
            if (path := self.path(doc_id, version)) is not None:
                path.unlink(missing_ok=True)

    def _document(self, doc_id: str, version: str, chunks_of: Callable[[str], list[Chunk]]) -> DocumentTerms:
        chunks = chunks_of(doc_id)
        path = self.path(doc_id, version)
        if path is not None and path.is_file():
            try:
                found = DocumentTerms.load(path)
                ids = [c.id for c in chunks]
                if found.doc_id == doc_id and found.chunk_ids == ids:
                    # the catalogue's own strings, not a second copy of every chunk id and speaker
                    return replace(found, chunk_ids=ids, speakers=[c.speaker or "" for c in chunks])
            except (OSError, ValueError, KeyError) as exc:  # damaged: counted again and rewritten
                log.warning("%s: keyword cache file %s unreadable (%s); counting again", doc_id, path.name, exc)
        counted = DocumentTerms.count(chunks, self.context_words)
        if path is not None:
            try:
                counted.save(path)
            except OSError as exc:  # a read-only or full disk costs the next start time, not this answer
                log.warning("%s: keyword cache not written (%s)", doc_id, exc)
        return counted
