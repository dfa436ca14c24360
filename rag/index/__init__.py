"""The index stage: the vectors of the embedding windows, the catalogue (documents, paragraphs,
chunks, speakers) and an in-memory BM25 index, all kept in Chroma (embedded under
`<data_dir>/chroma`, or a Chroma server shared by several app processes: `rag.index.chroma`).

A document is written as a new *version*: its windows (`rag.index.vectors`), then its contents,
then its catalogue record, which is the one write that makes the version visible; the old
version's records are deleted after. A search only returns windows of the versions the
catalogue names. So an upsert is all-or-nothing for every reader: a failure, Ctrl-C or kill -9
at any point leaves the previous version visible (or none, for a new document), and what the
interrupted write left behind is invisible and deleted by the next write of that document (or,
in embedded mode, when the index is next opened). Arguments are validated before the first
write. Writers take a file lock in the data folder (`rag.index.lock`).

Every read first brings the catalogue up to date when another process may have changed it: one
small read of a generation record at most once a second (`REFRESH_SECONDS`), and only changed
documents are loaded.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np

from rag.index.catalog import Catalog, CatalogError, new_version
from rag.index.chroma import (
    REBUILD_HINT,
    IndexUnavailableError,
    connect,
    forget,
    is_server,
    unavailable,
)
from rag.index.keywords import KeywordCache, KeywordIndex
from rag.index.lock import WriteLock
from rag.index.vectors import VectorStore, WindowRecords, window_id
from rag.minutes import Chunk, DocumentInfo, Minutes, Paragraph
from rag.settings import Settings

__all__ = ["CatalogError", "IndexUnavailableError", "IndexWriteError", "MinutesIndex"]

log = logging.getLogger(__name__)
REFRESH_SECONDS = (
    1.0  # how stale a process's view of a shared index may get: another process's ingest shows within this
)
WINDOWS_PER_CHUNK = 3  # windows asked of Chroma per chunk wanted: a long chunk has several near the question


class IndexWriteError(ValueError):
    """An upsert refused before anything was written."""


class MinutesIndex:
    def __init__(self, settings: Settings, on_wait: Callable[[str], None] | None = None):
        self.settings = settings
        root = Path(settings.data_dir)
        if (root / "catalog.json").is_file():
            raise IndexUnavailableError(f"{root} holds an index of an older minutes-rag; {REBUILD_HINT}")
        self.lock = WriteLock(root / "write.lock", on_wait or log.warning)
        client = connect(settings)
        try:
            self.vectors = VectorStore(
                client,
                settings.collection,
                settings.hnsw_max_neighbors,
                settings.hnsw_ef_construction,
                settings.hnsw_ef_search,
            )
            self.catalog = Catalog(client, settings.collection)
            self.catalog.refresh()
        except (CatalogError, IndexUnavailableError):
            raise
        except Exception as exc:
            raise unavailable(settings, exc) from exc
        self._checked = time.monotonic()
        self._keyword_cache = KeywordCache(settings.context_words, root / "keywords")
        self._keywords: KeywordIndex | None = None
        self._keywords_building = threading.Lock()
        if not is_server(settings):
            self._drop_leftovers()

    # -- keeping up with other processes -------------------------------------------------------
    def refresh(self, force: bool = True) -> bool:
        """Load what other processes changed; True when something did. Without `force`, at most
        once every REFRESH_SECONDS."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return False
        self._checked = now
        changed = self.catalog.refresh()
        if changed:
            self._keywords = None
        return changed

    @property
    def generation(self) -> str | None:
        """Changes whenever the indexed documents do (after `refresh`): a cache of anything built
        from the index (statistics, speaker lists) is valid while this stays the same."""
        self.refresh(force=False)
        return self.catalog.generation

    def _drop_leftovers(self) -> None:
        """Windows and contents of versions no catalogue record names: what a write killed before
        its commit left. Checked by count first (one cheap call), repaired only when free to write."""
        if self.vectors.count() == self.catalog.windows():
            return
        try:
            with self.lock.held(wait=False):
                for doc_id, version in self.vectors.versions():
                    if self.catalog.version(doc_id) != version:
                        self.vectors.delete_version(doc_id, version)
                        self.catalog.drop_contents(doc_id, keep=self.catalog.version(doc_id))
        except BlockingIOError:  # another process is writing: its windows are not leftovers
            return

    # -- writing -------------------------------------------------------------------------------
    def writing(self) -> AbstractContextManager[None]:
        """Hold the write lock across several writes (an ingest run): a second ingest waits for the
        whole run instead of embedding the same documents alongside it."""
        return self.lock.held()

    def has(self, doc_id: str, sha256: str | None = None) -> bool:
        """With sha256: that exact version of the document is indexed, all its vectors present;
        without: some version of it is in the catalogue."""
        self.refresh(force=False)
        entry = self.catalog.entries.get(doc_id)
        if entry is None or (sha256 is not None and entry.sha256 != sha256):
            return False
        if sha256 is None:
            return True
        return self.vectors.count_version(doc_id, entry.version) == entry.windows

    def upsert(
        self, minutes: Minutes, chunks: list[Chunk], windows_per_chunk: list[list[str]], embeddings: np.ndarray
    ) -> None:
        """Replace a document completely with a new version. Raises IndexWriteError (a ValueError)
        and changes nothing when the arguments do not fit together; any other failure leaves the
        previous version the visible one."""
        doc_id = minutes.info.doc_id
        version = new_version()
        with self.lock.held():
            self.refresh()
            replaced = self.catalog.version(doc_id)
            records = self._records(minutes, chunks, windows_per_chunk, embeddings, version)
            prepared = self.catalog.prepare(minutes, chunks, len(records), version)
            try:
                self.vectors.add(records)
                self.catalog.write_contents(prepared)
                self.catalog.commit(prepared)
            except BaseException:
                self._discard(doc_id, version)
                raise
            finally:
                self._keywords = None
            self._keyword_cache.add(doc_id, version, prepared.entry.chunks)
            if replaced is not None:
                self._keyword_cache.forget(doc_id, replaced)
            # the old version is invisible from here on; a failure now only leaves leftovers
            self.vectors.delete_versions(doc_id, keep=version)
            self.catalog.drop_contents(doc_id, keep=version)

    def _discard(self, doc_id: str, version: str) -> None:
        """What a failed write of a version left (best effort: a killed process leaves it to `_drop_leftovers`)."""
        try:
            self.vectors.delete_version(doc_id, version)
            self.catalog.drop_contents(doc_id, keep=self.catalog.version(doc_id))
        except Exception as exc:
            log.warning("%s: the failed write's records stay until the index is next opened (%s)", doc_id, exc)

    def _records(
        self,
        minutes: Minutes,
        chunks: list[Chunk],
        windows_per_chunk: list[list[str]],
        embeddings: np.ndarray,
        version: str,
    ) -> WindowRecords:
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
        for chunk, texts in zip(chunks, windows_per_chunk, strict=True):
            if chunk.doc_id != doc_id:
                refuse(f"chunk {chunk.id} belongs to {chunk.doc_id!r}")
            owner = self.catalog.chunk(chunk.id)
            if owner is not None and owner.doc_id != doc_id:
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
        for chunk, texts in zip(chunks, windows_per_chunk, strict=True):
            for i, text in enumerate(texts):
                ids.append(window_id(chunk.id, version, i))
                documents.append(text)
                metadatas.append(
                    {
                        "chunk_id": chunk.id,
                        "doc_id": doc_id,
                        "speaker": chunk.speaker or "",
                        "kind": chunk.kind,
                        "window": i,
                        "version": version,
                    }
                )
        return WindowRecords(ids, vectors, documents, metadatas)

    def remove(self, doc_id: str) -> bool:
        """Remove a document; False when it was not indexed."""
        with self.lock.held():
            self.refresh()
            replaced = self.catalog.version(doc_id)
            removed = self.catalog.remove(doc_id)  # invisible from here on
            if replaced is not None:
                self._keyword_cache.forget(doc_id, replaced)
            self.vectors.delete_versions(doc_id)
            self.catalog.drop_contents(doc_id)
            self._keywords = None
        return removed

    @staticmethod
    def clear(settings: Settings) -> None:
        """Delete the whole index, even one that cannot be opened (`minutes-rag ingest --rebuild`):
        in embedded mode its folder under the data folder (assembled models and the rest stay),
        on a server its collections."""
        root = Path(settings.data_dir)
        with WriteLock(root / "write.lock").held():
            if is_server(settings):
                client = connect(settings)
                prefix = f"{settings.collection}-"
                for c in client.list_collections():
                    name = c if isinstance(c, str) else c.name
                    if name.startswith(prefix):
                        client.delete_collection(name)
            else:
                forget(settings)
                shutil.rmtree(root / "chroma", ignore_errors=True)
            (root / "catalog.json").unlink(missing_ok=True)  # an older minutes-rag's catalogue
            shutil.rmtree(root / "keywords", ignore_errors=True)  # the BM25 counts of the versions just deleted

    # -- searching -----------------------------------------------------------------------------
    def dense_search(
        self, vector: np.ndarray, n: int, doc_ids: Sequence[str] | None = None, speakers: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """The n chunks nearest a (unit) question vector, best first, as (chunk_id, cosine
        similarity of the chunk's best window), among `doc_ids` and `speakers` when given."""
        self.refresh(force=False)
        versions = self._versions(doc_ids, speakers)
        if n <= 0 or not versions:
            return []
        want = n * WINDOWS_PER_CHUNK
        if sum(self.catalog.windows(d) for d in versions) <= self.settings.exact_search_below:
            hits = self.vectors.exact(vector, want, versions, speakers)
        else:
            hits = self.vectors.query(vector, want, self._where(doc_ids, speakers))
        best: dict[str, float] = {}
        for hit in hits:  # best first, so a chunk's first window is its best
            if versions.get(hit.doc_id) == hit.version:  # a version being written or replaced is not visible
                best.setdefault(hit.chunk_id, hit.similarity)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:n]

    def keyword_search(
        self,
        question: str,
        n: int,
        doc_ids: Sequence[str] | None = None,
        speakers: Sequence[str] | None = None,
        among: Collection[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The n chunks with the best positive BM25 score, best first (of the chunk ids `among`, when given)."""
        return self.keywords().search(question, n, doc_ids, speakers, among)

    def keywords(self) -> KeywordIndex:
        """BM25 over the visible document versions: built after a change, at the next search
        (from the counted documents in `<data_dir>/keywords`, counting only those not there)."""
        self.refresh(force=False)
        keywords = self._keywords
        if keywords is None:
            with self._keywords_building:  # a second thread waits for the first build, not builds again
                keywords = self._keywords
                if keywords is None:
                    versions = {doc_id: e.version for doc_id, e in self.catalog.entries.items()}
                    keywords = self._keywords = self._keyword_cache.index(versions, self.catalog.chunks)
        return keywords

    def similarity(self, vector: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of each chunk's best window to a (unit) question vector (for chunks
        only the keyword search found)."""
        if not chunk_ids:
            return {}
        query = np.asarray(vector, dtype=np.float32)
        best: dict[str, float] = {}
        for meta, window in self.vectors.windows_of(list(dict.fromkeys(chunk_ids))):
            if self.catalog.version(meta["doc_id"]) != meta["version"]:
                continue
            sim = float(window @ query)
            if sim > best.get(meta["chunk_id"], -2.0):
                best[meta["chunk_id"]] = sim
        return best

    def _versions(self, doc_ids: Sequence[str] | None, speakers: Sequence[str] | None) -> dict[str, str]:
        """The visible version of each document a search may look in."""
        docs = set(self.catalog.entries) if not doc_ids else set(doc_ids) & set(self.catalog.entries)
        if speakers:
            known = self.catalog.speakers()
            docs &= {d for s in speakers for d in known.get(s, {}).get("docs", [])}
        return {d: self.catalog.entries[d].version for d in docs}

    @staticmethod
    def _where(doc_ids: Sequence[str] | None, speakers: Sequence[str] | None) -> dict | None:
        clauses = []
        if doc_ids:
            clauses.append({"doc_id": {"$in": list(doc_ids)}})
        if speakers:
            clauses.append({"speaker": {"$in": list(speakers)}})
        if len(clauses) > 1:
            return {"$and": clauses}
        return clauses[0] if clauses else None

    # -- reading -------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        self.refresh(force=False)
        return not self.catalog.entries

    def count(self) -> int:
        """Windows of the visible document versions."""
        self.refresh(force=False)
        return self.catalog.windows()

    def documents(self) -> list[DocumentInfo]:
        self.refresh(force=False)
        return self.catalog.documents()

    def document(self, doc_id: str) -> DocumentInfo | None:
        self.refresh(force=False)
        return self.catalog.document(doc_id)

    def paragraphs(self, doc_id: str) -> list[Paragraph]:
        self.refresh(force=False)
        return self.catalog.paragraphs(doc_id)

    def paragraph(self, pid: str) -> Paragraph | None:
        self.refresh(force=False)
        return self.catalog.paragraph(pid)

    def neighbours(self, pid: str, n: int = 1) -> list[Paragraph]:
        self.refresh(force=False)
        return self.catalog.neighbours(pid, n)

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        self.refresh(force=False)
        return self.catalog.chunks(doc_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        self.refresh(force=False)
        return self.catalog.chunk(chunk_id)

    def speakers(self) -> dict[str, dict]:
        self.refresh(force=False)
        return self.catalog.speakers()

    def layout(self, doc_id: str) -> str | None:
        """The segmenter that read a document (`numbered`, `programme`, `marked`, `transcript`, `plain`)."""
        self.refresh(force=False)
        entry = self.catalog.entries.get(doc_id)
        return entry.layout if entry else None
