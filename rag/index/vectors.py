"""Embedding windows in Chroma (embedded `PersistentClient`), one record a window, each pointing
back to its chunk. Chroma is always handed our own vectors: the collection has no embedding
function, so Chroma can never try to download its default model."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class VectorStore:
    def __init__(self, path: Path, collection: str):
        import chromadb

        self.client = chromadb.PersistentClient(path=str(path), settings=chromadb.Settings(anonymized_telemetry=False))
        self.collection = self.client.get_or_create_collection(
            collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def count(self) -> int:
        return self.collection.count()

    def add(self, ids: list[str], embeddings: np.ndarray, documents: list[str], metadatas: list[dict]) -> None:
        for start in range(0, len(ids), 1000):
            end = start + 1000
            self.collection.add(
                ids=ids[start:end], embeddings=embeddings[start:end].tolist(),
                documents=documents[start:end], metadatas=metadatas[start:end],
            )

    def delete_doc(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def query(self, embedding: np.ndarray, n: int, where: dict | None = None) -> dict[str, float]:
        """Best cosine similarity per chunk among the n nearest windows."""
        total = self.count()
        if total == 0:
            return {}
        result = self.collection.query(
            query_embeddings=[embedding.tolist()], n_results=min(n, total), where=where, include=["distances", "metadatas"]
        )
        best: dict[str, float] = {}
        for meta, distance in zip(result["metadatas"][0], result["distances"][0]):
            similarity = 1.0 - float(distance)
            chunk_id = meta["chunk_id"]
            if similarity > best.get(chunk_id, -2.0):
                best[chunk_id] = similarity
        return best

    def similarity(self, embedding: np.ndarray, chunk_ids: list[str]) -> dict[str, float]:
        """Best cosine similarity of each chunk's windows (for chunks found by keywords only)."""
        if not chunk_ids:
            return {}
        got = self.collection.get(where={"chunk_id": {"$in": chunk_ids}}, include=["embeddings", "metadatas"])
        best: dict[str, float] = {}
        for meta, vector in zip(got["metadatas"], got["embeddings"]):
            similarity = float(np.dot(np.asarray(vector, dtype=np.float32), embedding))
            if similarity > best.get(meta["chunk_id"], -2.0):
                best[meta["chunk_id"]] = similarity
        return best
