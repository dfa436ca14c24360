"""The index stage: the catalogue (documents, paragraphs, chunks, speakers), the vectors of the
embedding windows in Chroma, and a BM25 keyword index built from the catalogue."""

from __future__ import annotations

import numpy as np

from rag.index.catalog import Catalog
from rag.index.keywords import KeywordIndex
from rag.index.vectors import VectorStore
from rag.minutes import Chunk, DocumentInfo, Minutes, Paragraph
from rag.settings import Settings


class MinutesIndex:
    def __init__(self, settings: Settings):
        self.settings = settings
        root = settings.data_dir
        self.catalog = Catalog(root / "catalog.json")
        self.vectors = VectorStore(root / "chroma", settings.collection)
        self._keywords: KeywordIndex | None = None

    @property
    def keywords(self) -> KeywordIndex:
        if self._keywords is None:
            self._keywords = KeywordIndex(self.catalog.chunks())
        return self._keywords

    def has(self, doc_id: str, sha256: str | None = None) -> bool:
        known = self.catalog.sha256(doc_id)
        return known is not None and (sha256 is None or known == sha256)

    def upsert(self, minutes: Minutes, chunks: list[Chunk], windows: list[list[str]], embeddings: np.ndarray) -> None:
        """Replace a document completely. Everything is checked and prepared before the first
        write, so a bad call leaves the index as it was."""
        doc_id = minutes.info.doc_id
        flat = [(chunk, i, text) for chunk, texts in zip(chunks, windows) for i, text in enumerate(texts)]
        if len(windows) != len(chunks) or embeddings.ndim != 2 or embeddings.shape[0] != len(flat):
            raise ValueError(f"{doc_id}: {len(flat)} windows but embeddings of shape {embeddings.shape}")
        ids = [f"{chunk.id}~w{i}" for chunk, i, _ in flat]
        metadatas = [
            {"chunk_id": chunk.id, "doc_id": doc_id, "speaker": chunk.speaker, "kind": chunk.kind, "window": i}
            for chunk, i, _ in flat
        ]
        entry = self.catalog.entry(minutes, chunks)
        self.vectors.delete_doc(doc_id)
        self.vectors.add(ids, embeddings, [t for _, _, t in flat], metadatas)
        self.catalog.put(doc_id, entry)
        self._keywords = None

    def remove(self, doc_id: str) -> bool:
        self.vectors.delete_doc(doc_id)
        removed = self.catalog.remove(doc_id)
        self._keywords = None
        return removed

    def is_empty(self) -> bool:
        return not self.catalog.docs

    def documents(self) -> list[DocumentInfo]:
        return self.catalog.documents()

    def document(self, doc_id: str) -> DocumentInfo | None:
        return self.catalog.document(doc_id)

    def paragraphs(self, doc_id: str) -> list[Paragraph]:
        return self.catalog.paragraphs(doc_id)

    def paragraph(self, pid: str) -> Paragraph | None:
        return self.catalog.paragraph(pid)

    def neighbours(self, pid: str, n: int = 1) -> list[Paragraph]:
        return self.catalog.neighbours(pid, n)

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        return self.catalog.chunks(doc_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.catalog.chunk(chunk_id)

    def speakers(self) -> dict[str, dict]:
        return self.catalog.speakers()
