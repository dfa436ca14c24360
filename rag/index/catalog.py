"""The catalogue: every ingested document with its metadata, paragraphs, chunks and speakers,
in one JSON file (`<data_dir>/catalog.json`) written atomically: the new text goes to a temporary
file in the same folder, is flushed to disk, and replaces the old file with `os.replace`, so a
crash mid-write leaves the previous catalogue.

Per document: `info` (DocumentInfo), `sha256`, `layout`, `ingested_at`, `speakers`
(name -> {role, aliases (sorted), turns}), `paragraphs` (document order), `chunks`, and `windows`
(how many vectors the document has in Chroma: lets the index notice vectors lost in a crash).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from rag.minutes import Chunk, DocumentInfo, Minutes, Paragraph

VERSION = 1


class CatalogError(Exception):
    """The catalogue file cannot be read."""


class Catalog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.docs: dict[str, dict] = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.docs = dict(data["documents"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CatalogError(f"{self.path}: not a readable catalogue ({exc}); remove it and ingest again") from None
        self._reindex()

    def _reindex(self) -> None:
        self._paragraphs: dict[str, Paragraph] = {}
        self._chunks: dict[str, Chunk] = {}
        self._order: dict[str, list[str]] = {}  # paragraph ids of each document, in order
        self._doc_chunks: dict[str, list[Chunk]] = {}
        for doc_id, doc in self.docs.items():
            paragraphs = [Paragraph(**p) for p in doc["paragraphs"]]
            self._order[doc_id] = [p.id for p in paragraphs]
            self._paragraphs.update((p.id, p) for p in paragraphs)
            chunks = sorted((Chunk(**c) for c in doc["chunks"]), key=lambda c: c.seq)
            self._doc_chunks[doc_id] = chunks
            self._chunks.update((c.id, c) for c in chunks)

    # -- writing -------------------------------------------------------------------------------
    @staticmethod
    def entry(minutes: Minutes, chunks: list[Chunk], windows: int = 0) -> dict:
        """A document's catalogue record (`windows`: how many vectors it has in Chroma)."""
        speakers: dict[str, dict] = {}
        for name, s in minutes.speakers.items():
            speakers[name] = {"role": s.role, "aliases": sorted(s.aliases), "turns": 0}
        for turn in minutes.turns:
            if not turn.speaker:
                continue
            record = speakers.setdefault(turn.speaker, {"role": turn.role, "aliases": [], "turns": 0})
            record["turns"] += 1
        return {
            "info": minutes.info.to_dict(),
            "sha256": minutes.sha256,
            "layout": minutes.layout,
            "windows": windows,
            "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "speakers": speakers,
            "paragraphs": [p.to_dict() for p in minutes.paragraphs],
            "chunks": [c.to_dict() for c in chunks],
        }

    def prepare_put(self, doc_id: str, entry: dict) -> tuple[dict, str]:
        """The catalogue with a document added or replaced, and its JSON text: built (and so
        checked to be serialisable) before anything is written."""
        docs = {**self.docs, doc_id: entry}
        return docs, self._dumps(docs)

    def commit(self, docs: dict, text: str) -> None:
        """Write a prepared catalogue atomically and make it the current one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".catalog-", suffix=".json.tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.docs = docs
        self._reindex()

    def put(self, doc_id: str, entry: dict) -> None:
        self.commit(*self.prepare_put(doc_id, entry))

    def remove(self, doc_id: str) -> bool:
        if doc_id not in self.docs:
            return False
        docs = {k: v for k, v in self.docs.items() if k != doc_id}
        self.commit(docs, self._dumps(docs))
        return True

    @staticmethod
    def _dumps(docs: dict) -> str:
        return json.dumps({"version": VERSION, "documents": docs}, ensure_ascii=False, indent=1)

    # -- reading -------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        """Every document, by date then id."""
        infos = [DocumentInfo(**d["info"]) for d in self.docs.values()]
        return sorted(infos, key=lambda i: (i.date, i.doc_id))

    def document(self, doc_id: str) -> DocumentInfo | None:
        d = self.docs.get(doc_id)
        return DocumentInfo(**d["info"]) if d else None

    def windows(self, doc_id: str | None = None) -> int:
        """Vectors the catalogue expects in Chroma, for one document or all."""
        docs = self.docs.values() if doc_id is None else [self.docs.get(doc_id, {})]
        return sum(d.get("windows", 0) for d in docs)

    def sha256(self, doc_id: str) -> str | None:
        d = self.docs.get(doc_id)
        return d["sha256"] if d else None

    def paragraphs(self, doc_id: str) -> list[Paragraph]:
        return [self._paragraphs[pid] for pid in self._order.get(doc_id, [])]

    def paragraph(self, pid: str) -> Paragraph | None:
        return self._paragraphs.get(pid)

    def neighbours(self, pid: str, n: int = 1) -> list[Paragraph]:
        """The paragraph with up to n paragraphs before and after it, in document order."""
        p = self._paragraphs.get(pid)
        if p is None:
            return []
        order = self._order[p.doc_id]
        i = order.index(pid)
        n = max(0, n)
        return [self._paragraphs[x] for x in order[max(0, i - n): i + n + 1]]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id is None:
            return list(self._chunks.values())
        return list(self._doc_chunks.get(doc_id, []))

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._chunks.get(chunk_id)

    def chunk_ids(self) -> set[str]:
        return set(self._chunks)

    def speakers(self) -> dict[str, dict]:
        """Speakers merged across documents: name -> {role, aliases, turns, docs}."""
        merged: dict[str, dict] = {}
        for doc_id, d in self.docs.items():
            for name, s in d["speakers"].items():
                m = merged.setdefault(name, {"role": s.get("role", ""), "aliases": [], "turns": 0, "docs": []})
                m["aliases"] = sorted(set(m["aliases"]) | set(s.get("aliases", [])))
                m["turns"] += s.get("turns", 0)
                m["docs"].append(doc_id)
                m["role"] = m["role"] or s.get("role", "")
        return dict(sorted(merged.items()))
