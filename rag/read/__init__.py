"""The read stage: a file becomes `SourceText` (plain text plus the document's metadata).

Formats are registered by suffix (`rag/read/text.py`, `pdf.py`, `docx.py`, `html.py`, and the
transcripts `vtt.py`, `srt.py`, `json_turns.py`); a new format is one new module that registers a
`Reader`. Transcript readers hand on the turns the file marks (`SourceText.turns`), so the
segmenter never guesses them again. Metadata comes from `minutes.toml` beside the documents
when it has an entry for the file, else from the file (PDF/Word title, first line, a date at the
start of the file name).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from rag.minutes import DocumentInfo, SourceText
from rag.read import docx as _docx  # noqa: F401  (registers)
from rag.read import html as _html  # noqa: F401
from rag.read import json_turns as _json  # noqa: F401
from rag.read import pdf as _pdf  # noqa: F401
from rag.read import srt as _srt  # noqa: F401
from rag.read import text as _text  # noqa: F401
from rag.read import vtt as _vtt  # noqa: F401
from rag.read.base import READERS, Reader, ReadError, register

MANIFEST = "minutes.toml"
SUPPORTED_SUFFIXES = tuple(sorted(READERS))
Manifest = dict[str, dict]

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "Reader", "find_documents", "load_manifest", "read_document", "register"]


def load_manifest(folder: Path) -> Manifest:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReadError(path, f"not a valid manifest ({str(exc).splitlines()[0]})") from None
    return {name: entry for name, entry in data.items() if isinstance(entry, dict)}


def find_documents(paths: list[Path]) -> list[Path]:
    """Files to ingest: folders expand to their supported files (sorted; README files, which
    describe a corpus rather than record a meeting, are skipped); files are taken as given."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in READERS and not p.name.upper().startswith("README")
            )
        elif path.is_file():
            _reader(path)
            found.append(path)
        else:
            raise ReadError(path, "no such file or folder")
    return found


def _reader(path: Path) -> Reader:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise ReadError(path, f"unsupported format '{path.suffix or '(none)'}' (supported: {supported})")
    return reader


def read_document(path: Path, manifest: Manifest | None = None) -> SourceText:
    path = Path(path)
    reader = _reader(path)
    if not path.is_file():
        raise ReadError(path, "no such file")
    try:
        data = path.read_bytes()
        text, turns = reader.read(path)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    except OSError as exc:
        raise ReadError(path, f"cannot read ({exc.strerror})") from None
    if not text.strip():
        raise ReadError(path, "empty document")
    entry = (manifest or {}).get(path.name, {})
    title = str(entry.get("title") or reader.metadata(path).get("title") or _first_line(text))
    date = str(entry.get("date") or _date_in_name(path.name))
    info = DocumentInfo(
        doc_id=path.stem,
        title=title,
        date=date,
        venue=str(entry.get("venue", "")),
        organiser=str(entry.get("organiser", "")),
        source=path.name,
    )
    return SourceText(info=info, text=text, sha256=hashlib.sha256(data).hexdigest(), turns=turns)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" \t*#")
        if line:
            return line[:150]
    return ""


def _date_in_name(name: str) -> str:
    m = re.match(r"(\d{4}-\d{2}-\d{2})", name)
    return m.group(1) if m else ""
