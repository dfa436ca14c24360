"""The index stage: the catalogue (documents, paragraphs, chunks, speakers; JSON), the vectors
of the embedding windows (Chroma), and a BM25 keyword index rebuilt in memory from the catalogue.

`upsert` replaces a document completely and is all-or-nothing: every argument is validated and
every record (and the catalogue's JSON) prepared before the first write; the document's old
windows are kept in memory while they are replaced and put back if a write fails.

The catalogue is the record of what is indexed; the process dying between the Chroma writes
and the catalogue write can still leave the two apart. So `has(doc_id, sha256)` also checks
that the document's vectors are all there (a document missing some is ingested again), and
opening the index drops vectors of documents the catalogue does not know.
"""

from __future__ import annotations

import numpy as np

from rag.index.catalog import Catalog, CatalogError
from rag.index.keywords import KeywordIndex
from rag.index.vectors import VectorStore, WindowRecords, window_id
from rag.minutes import Chunk, DocumentInfo, Minutes, Paragraph
from rag.settings import Settings

__all__ = ["MinutesIndex", "IndexWriteError", "CatalogError"]


class IndexWriteError(ValueError):
    """An upsert refused before anything was written."""


class MinutesIndex:
    def __init__(self, settings: Settings):
        self.settings = settings
        root = settings.data_dir
        self.catalog = Catalog(root / "catalog.json")
        self.vectors = VectorStore(root / "chroma", settings.collection)
        self._keywords: KeywordIndex | None = None
        self._drop_orphans()

    def _drop_orphans(self) -> None:
        """Vectors of documents missing from the catalogue (a crash before its first write)."""
        if self.vectors.count() == self.catalog.windows():
            return
        for doc_id in self.vectors.doc_ids() - set(self.catalog.docs):
            self.vectors.delete_doc(doc_id)

    @property
    def keywords(self) -> KeywordIndex:
        """BM25 over every chunk, built on first use after a change."""
        if self._keywords is None:
            self._keywords = KeywordIndex(self.catalog.chunks())
        return self._keywords

    # -- writing -------------------------------------------------------------------------------
    def has(self, doc_id: str, sha256: str | None = None) -> bool:
        """With sha256: that exact version of the document is indexed, all its vectors present;
        without: some version of it is in the catalogue."""
        known = self.catalog.sha256(doc_id)
        if known is None or (sha256 is not None and known != sha256):
            return False
        if sha256 is None or "windows" not in self.catalog.docs[doc_id]:  # (catalogues before the count)
            return True
        return self.vectors.count_doc(doc_id) == self.catalog.windows(doc_id)

    def upsert(self, minutes: Minutes, chunks: list[Chunk], windows_per_chunk: list[list[str]],
               embeddings: np.ndarray) -> None:
        """Replace a document completely: its old windows go, the new ones are added, then the
        catalogue is written. Raises IndexWriteError (a ValueError) and changes nothing when the
        arguments do not fit together."""
        doc_id = minutes.info.doc_id
        records = self._records(minutes, chunks, windows_per_chunk, embeddings)
        docs, text = self.catalog.prepare_put(doc_id, self.catalog.entry(minutes, chunks, len(records)))
        old = self.vectors.snapshot(doc_id)
        try:
            self.vectors.delete_doc(doc_id)
            self.vectors.add(records)
            self.catalog.commit(docs, text)
        except BaseException:
            self._restore(doc_id, old)
            raise
        finally:
            self._keywords = None

    def _restore(self, doc_id: str, old: WindowRecords) -> None:
        self.vectors.delete_doc(doc_id)
        if len(old):
            self.vectors.add(old)

    def _records(self, minutes: Minutes, chunks: list[Chunk], windows_per_chunk: list[list[str]],
                 embeddings: np.ndarray) -> WindowRecords:
        """Check that a document's parts fit together and build its Chroma records."""
        doc_id = minutes.info.doc_id

        def refuse(problem: str):
            raise IndexWriteError(f"{doc_id or '(no doc_id)'}: {problem}; nothing was changed")

        if not doc_id:
            refuse("the document has no id")
        if not chunks:
            refuse("no chunks to index")
        if len(windows_per_chunk) != len(chunks):
            refuse(f"{len(chunks)} chunks but windows for {len(windows_per_chunk)}")
        paragraph_ids = [p.id for p in minutes.paragraphs]
        if len(set(paragraph_ids)) != len(paragraph_ids):
            refuse("two paragraphs share an id")
        if any(p.doc_id != doc_id for p in minutes.paragraphs):
            refuse("a paragraph belongs to another document")
        known_paragraphs = set(paragraph_ids)
        chunk_ids = [c.id for c in chunks]
        if len(set(chunk_ids)) != len(chunk_ids):
            refuse("two chunks share an id")
        others = self.catalog.chunk_ids() - {c.id for c in self.catalog.chunks(doc_id)}
        for chunk, texts in zip(chunks, windows_per_chunk):
            if chunk.doc_id != doc_id:
                refuse(f"chunk {chunk.id} belongs to {chunk.doc_id!r}")
            if chunk.id in others:
                refuse(f"chunk id {chunk.id} is already used by another document")
            if not chunk.paragraph_ids or not set(chunk.paragraph_ids) <= known_paragraphs:
                refuse(f"chunk {chunk.id} names paragraphs the document does not have")
            if isinstance(texts, str) or not texts or not all(isinstance(t, str) and t.strip() for t in texts):
                refuse(f"chunk {chunk.id} needs a list of one or more non-empty window texts")
        n_windows = sum(len(t) for t in windows_per_chunk)
        vectors = np.asarray(embeddings)
        if vectors.ndim != 2 or vectors.shape[0] != n_windows or vectors.shape[1] == 0:
            refuse(f"{n_windows} windows but embeddings of shape {vectors.shape}")
        if not np.issubdtype(vectors.dtype, np.number):
            refuse(f"embeddings of type {vectors.dtype}")
        vectors = vectors.astype(np.float32)
        if not np.isfinite(vectors).all():
            refuse("embeddings contain NaN or infinity")
        norms = np.linalg.norm(vectors, axis=1)
        if not np.allclose(norms, 1.0, atol=1e-3):
            refuse("embeddings are not normalised (unit length)")
        stored = self.vectors.dimension()
        if stored is not None and stored != vectors.shape[1]:
            refuse(f"embeddings of dimension {vectors.shape[1]} but the index holds {stored} (another model?)")
        ids, documents, metadatas = [], [], []
        for chunk, texts in zip(chunks, windows_per_chunk):
            for i, text in enumerate(texts):
                ids.append(window_id(chunk.id, i))
                documents.append(text)
                metadatas.append(
                    {"chunk_id": chunk.id, "doc_id": doc_id, "speaker": chunk.speaker or "", "kind": chunk.kind, "window": i}
                )
        return WindowRecords(ids, vectors, documents, metadatas)

    def remove(self, doc_id: str) -> bool:
        """Remove a document's windows and catalogue entry; False when it was not indexed."""
        had_vectors = self.vectors.has_doc(doc_id)
        self.vectors.delete_doc(doc_id)
        removed = self.catalog.remove(doc_id)
        self._keywords = None
        return removed or had_vectors

    # -- reading -------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.catalog.docs

    def count(self) -> int:
        """Windows stored in Chroma."""
        return self.vectors.count()

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

