"""The minutes the app answers from, as instructors manage them in the browser or through the API:
list the indexed documents, add a file, remove a document.

An upload is saved into the corpus folder (under its own name, never over an existing file) and
ingested; if it cannot be read, the saved file is deleted again and the index is unchanged. Ingests
and removals run one at a time (a lock), while questions go on being answered. A removed
document's file is moved out of the corpus into `<data_dir>/removed/`, so a later `ingest` does
not bring it back and nothing is lost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rag.pipeline import Pipeline
from rag.read import SUPPORTED_SUFFIXES

# An upload larger than this is refused before it is saved: minutes are text, and a 300-page PDF is about 10 MB.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SPEAKERS_SHOWN = 8  # names a table row lists before "and N more"


class LibraryError(Exception):
    """A one-line reason why an upload or a removal was refused; nothing was changed."""


class UnknownDocumentError(LibraryError):
    pass


class DocumentExistsError(LibraryError):
    """The upload would replace a document or a file: refused, never done silently."""


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    title: str
    date: str
    layout: str
    speakers: list[str]
    chunks: int
    source: str

    def speakers_shown(self) -> str:
        shown = ", ".join(self.speakers[:SPEAKERS_SHOWN])
        more = len(self.speakers) - SPEAKERS_SHOWN
        return f"{shown} and {more} more" if more > 0 else shown


@dataclass(frozen=True)
class Added:
    doc_id: str
    file: str
    chunks: int


class MinutesLibrary:
    def __init__(self, pipeline: Pipeline, corpus_dir: Path, removed_dir: Path):
        self.pipeline = pipeline
        self.corpus_dir = Path(corpus_dir)
        self.removed_dir = Path(removed_dir)
        self.writing = threading.Lock()  # one ingest or removal at a time

    def documents(self) -> list[DocumentRow]:
        index = self.pipeline.index
        speakers: dict[str, list[str]] = {}
        by_turns = sorted(index.speakers().items(), key=lambda item: (-item[1].get("turns", 0), item[0]))
        for name, info in by_turns:  # who spoke most first
            for doc_id in info.get("docs", []):
                speakers.setdefault(doc_id, []).append(name)
        return [
            DocumentRow(
                d.doc_id,
                d.title,
                d.date,
                index.layout(d.doc_id) or "",
                speakers.get(d.doc_id, []),
                len(index.chunks(d.doc_id)),
                d.source,
            )
            for d in index.documents()
        ]

    def add(self, name: str, data: bytes, progress: Callable[[str], None] | None = None) -> Added:
        """Save a file under `name` in the corpus folder and ingest it; LibraryError with the reason otherwise."""
        name = self.check_name(name)
        if len(data) > MAX_UPLOAD_BYTES:
            raise LibraryError(f"{name}: too large ({len(data) // 2**20} MB; at most {MAX_UPLOAD_BYTES // 2**20} MB)")
        doc_id = Path(name).stem
        target = self.corpus_dir / name
        with self.writing:
            if self.pipeline.index.document(doc_id) is not None:
                raise DocumentExistsError(
                    f"{name}: a document with the id {doc_id!r} is already indexed; remove it first"
                )
            self.corpus_dir.mkdir(parents=True, exist_ok=True)
            try:
                with open(target, "xb") as out:  # exclusive: never over an existing file
                    out.write(data)
            except FileExistsError:
                raise DocumentExistsError(
                    f"{name}: a file of that name is already in the corpus folder; rename the upload"
                ) from None
            report = self.pipeline.ingest([target], progress=progress)
            if report.failed:
                target.unlink(missing_ok=True)
                raise LibraryError(one_line(report.failed[0][1].replace(str(target), name)))
        return Added(doc_id, name, report.chunks)

    def remove(self, doc_id: str) -> DocumentRow:
        with self.writing:
            row = next((d for d in self.documents() if d.doc_id == doc_id), None)
            if row is None:
                raise UnknownDocumentError(f"no document {doc_id!r} in the index")
            self.pipeline.remove(doc_id)
            source = self.corpus_dir / row.source
            if row.source and source.is_file():
                self.removed_dir.mkdir(parents=True, exist_ok=True)
                source.rename(self.removed_dir / f"{time.strftime('%Y%m%dT%H%M%S')}-{row.source}")
        return row

    @staticmethod
    def check_name(name: str) -> str:
        """A plain file name of a supported format: no folders, no hidden files, no control characters."""
        name = (name or "").strip()
        if not name or "/" in name or "\\" in name or name.startswith(".") or not name.isprintable():
            raise LibraryError(f"{name or '(no name)'}: not a plain file name")
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise LibraryError(f"{name}: unsupported format (supported: {', '.join(SUPPORTED_SUFFIXES)})")
        return name


def one_line(reason: str) -> str:
    return reason.strip().splitlines()[0] if reason.strip() else "unreadable file"
