"""Embedding windows in Chroma (embedded `PersistentClient`), one record a window, each pointing
back to its chunk: id `<chunk_id>~w<i>`, document = the window's text, metadata
`{chunk_id, doc_id, speaker, kind, window}`.

Chroma is only ever handed our own vectors: the collection is created with
`embedding_function=None` and records are added with `embeddings=`; searches read the stored
vectors back and compare them exactly (see `VectorStore.query`). That alone is not a guarantee: chromadb 1.x still keeps its default
embedding function (ONNX all-MiniLM-L6-v2, downloaded on first use) in the collection's schema
and falls back to it for any call that hands it text without vectors. So the collection's
`_embed` hook is replaced by one that refuses: a stray `query_texts=` fails at once with a clear
message instead of trying the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

class ChromaEmbeddingRefused(RuntimeError):
    """Chroma was asked to embed text itself: this project only hands it vectors."""


def _refuse_to_embed(*_args, **_kwargs):
    raise ChromaEmbeddingRefused(
        "Chroma was asked to embed text itself; minutes-rag passes its own vectors "
        "(add with embeddings=, query with query_embeddings=)"
    )


BATCH = 1000  # records per Chroma call (its own limit is larger; this keeps memory flat)


@dataclass
class WindowRecords:
    """Windows ready for Chroma, or a snapshot of a document's windows taken before replacing it."""

    ids: list[str]
    embeddings: np.ndarray  # (n, dimension) float32
    documents: list[str]
    metadatas: list[dict]

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class SearchTable:
    """The stored windows as arrays, rows in id order: what exact search reads."""

    vectors: np.ndarray  # (n, dimension) float32, unit rows
    chunk_ids: np.ndarray
    doc_ids: np.ndarray
    speakers: np.ndarray


def window_id(chunk_id: str, window: int) -> str:
    return f"{chunk_id}~w{window}"


class VectorStore:
    def __init__(self, path: Path, collection: str):
        import chromadb

        self.path = Path(path)
        self.client = chromadb.PersistentClient(
            path=str(self.path), settings=chromadb.Settings(anonymized_telemetry=False)
        )
        self.collection = self.client.get_or_create_collection(
            collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        # never Chroma's default model: see the module docstring (an instance attribute, so an
        # upgrade that renames the hook costs the guard, not the store)
        self.collection._embed = _refuse_to_embed
        self._table: SearchTable | None = None

    # -- reading -------------------------------------------------------------------------------
    def count(self) -> int:
        return self.collection.count()

    def dimension(self) -> int | None:
        """Length of the stored vectors; None while the collection is empty."""
        got = self.collection.get(limit=1, include=["embeddings"])
        embeddings = got.get("embeddings")
        if embeddings is None or len(embeddings) == 0:
            return None
        return len(embeddings[0])

    def count_doc(self, doc_id: str) -> int:
        return len(self.collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def doc_ids(self) -> set[str]:
        """Every document with vectors (reads every record's metadata: for repairs, not queries)."""
        return {m["doc_id"] for m in self.collection.get(include=["metadatas"])["metadatas"]}

    def has_doc(self, doc_id: str) -> bool:
        return bool(self.collection.get(where={"doc_id": doc_id}, limit=1, include=[])["ids"])

    def snapshot(self, doc_id: str) -> WindowRecords:
        """Every window of a document, with its vector: what a failed replacement restores."""
        got = self.collection.get(where={"doc_id": doc_id}, include=["embeddings", "documents", "metadatas"])
        embeddings = got.get("embeddings")
        vectors = np.asarray(embeddings, dtype=np.float32) if embeddings is not None and len(embeddings) else np.zeros((0, 0), np.float32)
        return WindowRecords(list(got["ids"]), vectors, list(got["documents"] or []), list(got["metadatas"] or []))

    def query(self, embedding: np.ndarray, n: int, doc_ids: Sequence[str] | None = None,
              speakers: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """Chunks nearest a (unit) query vector, best first, as (chunk_id, cosine similarity):
        the n nearest windows, each chunk scored by its best window.

        The search is exact, over the stored vectors held in memory (see `_search_table`), not
        Chroma's HNSW graph: on these minutes the graph missed about one in thirty true
        neighbours of the top 30, differently in every process, so answers and evaluation
        figures changed from run to run.
        """
        table = self._search_table()
        if not table.chunk_ids.size or n <= 0:
            return []
        allowed = np.ones(table.chunk_ids.size, dtype=bool)
        if doc_ids:
            allowed &= np.isin(table.doc_ids, list(doc_ids))
        if speakers:
            allowed &= np.isin(table.speakers, list(speakers))
        rows = np.flatnonzero(allowed)
        sims = table.vectors[rows] @ np.asarray(embedding, dtype=np.float32)
        top = np.argsort(-sims, kind="stable")[:n]  # ties: in id order
        best: dict[str, float] = {}
        for row, sim in zip(rows[top], sims[top]):  # best first, so a chunk's first window is its best
            best.setdefault(str(table.chunk_ids[row]), float(sim))
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def similarity(self, embedding: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of each chunk's best window to a (unit) query vector, from the
        stored window vectors (for chunks that only the keyword search found)."""
        table = self._search_table()
        if not chunk_ids or not table.chunk_ids.size:
            return {}
        rows = np.flatnonzero(np.isin(table.chunk_ids, list(chunk_ids)))
        sims = table.vectors[rows] @ np.asarray(embedding, dtype=np.float32)
        best: dict[str, float] = {}
        for row, sim in zip(rows, sims):
            chunk_id = str(table.chunk_ids[row])
            if sim > best.get(chunk_id, -2.0):
                best[chunk_id] = float(sim)
        return best

    def _search_table(self) -> "SearchTable":
        """Every window's vector and filter fields, read from Chroma once per process and again
        after this store writes (a few MB for dozens of minutes; a dot product is milliseconds)."""
        if self._table is None:
            got = self.collection.get(include=["embeddings", "metadatas"])
            order = np.argsort(np.asarray(got["ids"], dtype=object))
            metas = [got["metadatas"][i] for i in order]
            embeddings = got.get("embeddings")
            vectors = np.asarray(embeddings, dtype=np.float32)[order] if embeddings is not None and len(embeddings) else np.zeros((0, 0), np.float32)
            self._table = SearchTable(
                vectors,
                np.asarray([m["chunk_id"] for m in metas], dtype=object),
                np.asarray([m["doc_id"] for m in metas], dtype=object),
                np.asarray([m.get("speaker", "") for m in metas], dtype=object),
            )
        return self._table

    # -- writing -------------------------------------------------------------------------------
    def add(self, records: WindowRecords) -> None:
        self._table = None
        for start in range(0, len(records), BATCH):
            end = start + BATCH
            self.collection.add(
                ids=records.ids[start:end],
                embeddings=records.embeddings[start:end],
                documents=records.documents[start:end],
                metadatas=records.metadatas[start:end],
            )

    def delete_doc(self, doc_id: str) -> None:
        self._table = None
        self.collection.delete(where={"doc_id": doc_id})
