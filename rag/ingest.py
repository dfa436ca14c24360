"""The ingest stages as one component: read a file, segment it into speaker turns, chunk, embed,
and index it; an unchanged file (same sha256) is skipped, a changed one replaced whole.

A document that fails (unreadable, unknown format, empty, refused by the index) is reported with a
one-line reason and leaves the index as it was; the other documents are still ingested.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.index import IndexWriteError, MinutesIndex
from rag.read import Manifest, ReadError, find_documents, load_manifest, read_document
from rag.segment import make_chunks, segment_minutes, segment_report, segment_warning
from rag.segment.surroundings import surrounding_texts


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line reason)
    # per document ingested: layout and share of paragraphs attributed ("marked layout, 97% ...")
    segmentation: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # documents that look like transcripts but got few speakers
    chunks: int = 0
    windows: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)


class Ingestor:
    def __init__(self, index: MinutesIndex, embedder, chunk_min_words: int, chunk_max_words: int, context_words: int):
        self.index, self.embedder = index, embedder
        self.chunk_min_words, self.chunk_max_words = chunk_min_words, chunk_max_words
        self.context_words = context_words
        # what a document's vectors depend on besides its bytes: a change re-embeds it on the next ingest
        self.recipe = f"chunks {chunk_min_words}-{chunk_max_words}, context {context_words}"

    def run(
        self, paths: Iterable[Path], progress: Callable[[str], None] | None = None, progress_bar: bool = False
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        paths = list(paths)
        try:
            files = find_documents(paths)
        except ReadError as exc:
            report.failed.append((str(paths[0]), str(exc)))
            return report
        manifests: dict[Path, Manifest] = {}
        for n, path in enumerate(files, 1):
            # a large folder takes a while: say where the run is, in documents and chunks
            step = (
                (lambda m, n=n: progress(f"[{n}/{len(files)}, {report.chunks} chunks so far] {m}"))
                if progress
                else None
            )
            try:
                if path.parent not in manifests:
                    manifests[path.parent] = load_manifest(path.parent)
                self._ingest_one(path, manifests[path.parent], report, step, progress_bar)
            except ReadError as exc:
                report.failed.append((str(path), str(exc)))
            except IndexWriteError as exc:  # the index refused the write and is as it was
                report.failed.append((str(path), f"{path.name}: {exc}".splitlines()[0]))
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_one(
        self,
        path: Path,
        manifest: Manifest,
        report: IngestReport,
        progress: Callable[[str], None] | None,
        progress_bar: bool,
    ) -> None:
        source = read_document(path, manifest)
        doc_id = source.info.doc_id
        version = hashlib.sha256(f"{source.sha256} {self.recipe}".encode()).hexdigest()
        if self.index.has(doc_id, version):
            report.unchanged.append(doc_id)
            return
        existed = self.index.has(doc_id)
        if progress:
            progress(f"{path.name}: segmenting and embedding")
        minutes = segment_minutes(replace(source, sha256=version))
        report.segmentation[doc_id] = segment_report(minutes)
        warning = segment_warning(minutes)
        if warning:
            report.warnings.append(warning)
        chunks = make_chunks(minutes, self.chunk_min_words, self.chunk_max_words)
        if not chunks:
            raise ReadError(path, "no text to index")
        around = surrounding_texts(chunks, self.context_words) if self.context_words else [""] * len(chunks)
        windows = [self.embedder.windows(chunk, text) for chunk, text in zip(chunks, around, strict=False)]
        flat = [w for ws in windows for w in ws]
        vectors = self.embedder.embed_texts(flat, progress=progress_bar)
        self.index.upsert(minutes, chunks, windows, vectors)
        (report.replaced if existed else report.added).append(doc_id)
        report.chunks += len(chunks)
        report.windows += len(flat)
