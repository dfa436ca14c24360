"""Embedding windows in Chroma (embedded `PersistentClient`), one record a window, each pointing
back to its chunk: id `<chunk_id>~w<i>`, document = the window's text, metadata
`{chunk_id, doc_id, speaker, kind, window}`.

Chroma is only ever handed our own vectors: the collection is created with
`embedding_function=None`, records are added with `embeddings=` and queried with
`query_embeddings=`. That alone is not a guarantee: chromadb 1.x still keeps its default
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


def window_id(chunk_id: str, window: int) -> str:
    return f"{chunk_id}~w{window}"


def where_clause(doc_ids: Sequence[str] | None = None, speakers: Sequence[str] | None = None,
                 chunk_ids: Sequence[str] | None = None) -> dict | None:
    """A Chroma `where` filter; None when nothing is filtered."""
    clauses = []
    for key, values in (("doc_id", doc_ids), ("speaker", speakers), ("chunk_id", chunk_ids)):
        if values:
            clauses.append({key: {"$in": list(values)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


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
        the n nearest windows, each chunk scored by its best window."""
        total = self.count()
        if total == 0 or n <= 0:
            return []
        result = self.collection.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32).tolist()],
            n_results=min(n, total),
            where=where_clause(doc_ids, speakers),
            include=["distances", "metadatas"],
        )
        best: dict[str, float] = {}
        for meta, distance in zip(result["metadatas"][0], result["distances"][0]):
            similarity = 1.0 - float(distance)  # Chroma's cosine distance is 1 - cosine similarity
            chunk_id = meta["chunk_id"]
            if similarity > best.get(chunk_id, -2.0):
                best[chunk_id] = similarity
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def similarity(self, embedding: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of each chunk's best window to a (unit) query vector, from the
        stored window vectors (for chunks that only the keyword search found)."""
        if not chunk_ids:
            return {}
        got = self.collection.get(where=where_clause(chunk_ids=chunk_ids), include=["embeddings", "metadatas"])
        if not got["ids"]:
            return {}
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        sims = vectors @ np.asarray(embedding, dtype=np.float32)
        best: dict[str, float] = {}
        for meta, sim in zip(got["metadatas"], sims):
            if sim > best.get(meta["chunk_id"], -2.0):
                best[meta["chunk_id"]] = float(sim)
        return best

    # -- writing -------------------------------------------------------------------------------
    def add(self, records: WindowRecords) -> None:
        for start in range(0, len(records), BATCH):
            end = start + BATCH
            self.collection.add(
                ids=records.ids[start:end],
                embeddings=records.embeddings[start:end],
                documents=records.documents[start:end],
                metadatas=records.metadatas[start:end],
            )

    def delete_doc(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})
