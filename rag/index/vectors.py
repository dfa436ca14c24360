"""Embedding windows in Chroma, one record a window, each pointing back to its chunk: id
`<chunk_id>~<version>~w<i>`, document = the window's text, metadata
`{chunk_id, doc_id, speaker, kind, window, version}`. A window belongs to one version of its
document; only the version the catalogue names is visible (see `rag.index`).

Search runs in Chroma: its HNSW graph (cosine space, `hnsw_ef_construction`, `hnsw_ef_search`,
chosen by measurement, see the README's "Archive scale"), with document and speaker filters in
its `where`. Where the windows a question may match are few (a small archive, or a filter
leaving few), the search is exact instead: those documents' vectors are read once per version
(a version never changes, so the cache needs no invalidation) and compared by one dot product.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.index.chroma import collection, ids_matching, pages

BATCH = 1000  # records per Chroma write: keeps requests and memory flat


@dataclass
class WindowRecords:
    """Windows ready for Chroma."""

    ids: list[str]
    embeddings: np.ndarray  # (n, dimension) float32
    documents: list[str]
    metadatas: list[dict]

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Hit:
    """One window found for a query."""

    chunk_id: str
    doc_id: str
    version: str
    similarity: float


@dataclass
class DocumentVectors:
    """The windows of one document version, as arrays: what exact search reads."""

    vectors: np.ndarray  # (n, dimension) float32, unit rows
    chunk_ids: np.ndarray
    speakers: np.ndarray

    def __len__(self) -> int:
        return len(self.chunk_ids)


def window_id(chunk_id: str, version: str, window: int) -> str:
    return f"{chunk_id}~{version}~w{window}"


class VectorStore:
    CACHED_WINDOWS = 200_000  # exact search's vector cache (~300 MB at 384 dimensions), least recently used out

    def __init__(self, client, name: str, max_neighbors: int, ef_construction: int, ef_search: int):
        hnsw = {
            "space": "cosine",
            "max_neighbors": max_neighbors,
            "ef_construction": ef_construction,
            "ef_search": ef_search,
        }
        self.collection = collection(client, f"{name}-windows", {"hnsw": hnsw})
        with warnings.catch_warnings():  # chromadb calls a collection made without an embedding function "legacy"
            warnings.simplefilter("ignore", DeprecationWarning)
            stored = (self.collection.configuration or {}).get("hnsw") or {}
        if stored.get("ef_search") != ef_search:  # the one HNSW parameter a built graph can change
            self.collection.modify(configuration={"hnsw": {"ef_search": ef_search}})
        self._cache: OrderedDict[tuple[str, str], DocumentVectors] = OrderedDict()
        self._cache_lock = threading.Lock()  # a server answers several users on threads

    # -- reading -------------------------------------------------------------------------------
    def count(self) -> int:
        """Every stored window, invisible versions included."""
        return self.collection.count()

    def dimension(self) -> int | None:
        """Length of the stored vectors; None while the collection is empty."""
        got = self.collection.get(limit=1, include=["embeddings"])
        embeddings = got.get("embeddings")
        if embeddings is None or len(embeddings) == 0:
            return None
        return len(embeddings[0])

    def count_version(self, doc_id: str, version: str) -> int:
        return len(ids_matching(self.collection, {"$and": [{"doc_id": doc_id}, {"version": version}]}))

    def versions(self) -> set[tuple[str, str]]:
        """Every (document, version) with windows: reads every window's metadata, for repairs."""
        return {
            (m["doc_id"], m["version"]) for page in pages(self.collection, ["metadatas"]) for m in page["metadatas"]
        }

    def query(self, embedding: np.ndarray, n: int, where: dict | None = None) -> list[Hit]:
        """The n windows nearest a (unit) query vector by Chroma's HNSW search, best first."""
        if n <= 0:
            return []
        got = self.collection.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=n,
            where=where,
            include=["metadatas", "distances"],
        )
        return [
            Hit(m["chunk_id"], m["doc_id"], m["version"], 1.0 - float(d))
            for m, d in zip(got["metadatas"][0], got["distances"][0], strict=True)
        ]

    def exact(
        self, embedding: np.ndarray, n: int, versions: dict[str, str], speakers: Sequence[str] | None = None
    ) -> list[Hit]:
        """The n windows of the given document versions nearest a (unit) query vector, exactly."""
        hits: list[Hit] = []
        query = np.asarray(embedding, dtype=np.float32)
        for doc_id, version in sorted(versions.items()):
            table = self.document_vectors(doc_id, version)
            rows = np.arange(len(table)) if not speakers else np.flatnonzero(np.isin(table.speakers, list(speakers)))
            if not rows.size:
                continue
            sims = table.vectors[rows] @ query
            top = np.argsort(-sims, kind="stable")[:n]
            hits += [Hit(str(table.chunk_ids[rows[i]]), doc_id, version, float(sims[i])) for i in top]
        hits.sort(key=lambda h: -h.similarity)  # stable: ties keep document then window order
        return hits[:n]

    def document_vectors(self, doc_id: str, version: str) -> DocumentVectors:
        key = (doc_id, version)
        with self._cache_lock:
            table = self._cache.get(key)
            if table is not None:
                self._cache.move_to_end(key)
                return table
        ids: list[str] = []
        vectors, metas = [], []
        for page in pages(
            self.collection, ["embeddings", "metadatas"], {"$and": [{"doc_id": doc_id}, {"version": version}]}
        ):
            ids += page["ids"]
            vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
            metas += page["metadatas"]
        order = np.argsort(np.asarray(ids, dtype=object)) if ids else np.zeros(0, dtype=int)
        matrix = np.concatenate(vectors)[order] if vectors else np.zeros((0, 0), np.float32)
        metas = [metas[i] for i in order]
        table = DocumentVectors(
            matrix,
            np.asarray([m["chunk_id"] for m in metas], dtype=object),
            np.asarray([m.get("speaker", "") for m in metas], dtype=object),
        )
        with self._cache_lock:
            self._cache[key] = table
            while sum(len(t) for t in self._cache.values()) > self.CACHED_WINDOWS and len(self._cache) > 1:
                self._cache.popitem(last=False)
        return table

    def windows_of(self, chunk_ids: Sequence[str]) -> list[tuple[dict, np.ndarray]]:
        """The stored windows of some chunks, with their vectors."""
        out = []
        for start in range(0, len(chunk_ids), BATCH):
            where = {"chunk_id": {"$in": list(chunk_ids[start : start + BATCH])}}
            for page in pages(self.collection, ["embeddings", "metadatas"], where):
                out += list(zip(page["metadatas"], np.asarray(page["embeddings"], dtype=np.float32), strict=True))
        return out

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

    def delete_versions(self, doc_id: str, keep: str | None = None) -> None:
        """A document's windows of every version but `keep` (all of them when None)."""
        where: dict = {"doc_id": doc_id}
        if keep is not None:
            where = {"$and": [where, {"version": {"$ne": keep}}]}
        self.collection.delete(where=where)
        with self._cache_lock:
            for key in [k for k in self._cache if k[0] == doc_id and k[1] != keep]:
                del self._cache[key]

    def delete_version(self, doc_id: str, version: str) -> None:
        self.collection.delete(where={"$and": [{"doc_id": doc_id}, {"version": version}]})
        with self._cache_lock:
            self._cache.pop((doc_id, version), None)
