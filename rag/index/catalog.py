"""The catalogue: every ingested document with its metadata, paragraphs, chunks and speakers,
in one JSON file written atomically (a crash mid-write leaves the previous catalogue)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from rag.minutes import Chunk, DocumentInfo, Minutes, Paragraph


class Catalog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.docs: dict[str, dict] = {}
        if self.path.is_file():
            self.docs = json.loads(self.path.read_text(encoding="utf-8"))["documents"]
        self._reindex()

    def _reindex(self) -> None:
        self._paragraphs: dict[str, Paragraph] = {}
        self._chunks: dict[str, Chunk] = {}
        self._order: dict[str, list[str]] = {}
        for doc_id, doc in self.docs.items():
            paragraphs = [Paragraph(**p) for p in doc["paragraphs"]]
            self._order[doc_id] = [p.id for p in paragraphs]
            self._paragraphs.update((p.id, p) for p in paragraphs)
            self._chunks.update((c["id"], Chunk(**c)) for c in doc["chunks"])

    def entry(self, minutes: Minutes, chunks: list[Chunk]) -> dict:
        speakers = {}
        for turn in minutes.turns:
            s = minutes.speakers.get(turn.speaker)
            if s is None:
                continue
            record = speakers.setdefault(s.name, {"role": s.role, "aliases": sorted(s.aliases), "turns": 0})
            record["turns"] += 1
        return {
            "info": minutes.info.to_dict(),
            "sha256": minutes.sha256,
            "layout": minutes.layout,
            "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "speakers": speakers,
            "paragraphs": [p.to_dict() for p in minutes.paragraphs],
            "chunks": [c.to_dict() for c in chunks],
        }

    def put(self, doc_id: str, entry: dict) -> None:
        docs = {**self.docs, doc_id: entry}
        self._write(docs)

    def remove(self, doc_id: str) -> bool:
        if doc_id not in self.docs:
            return False
        self._write({k: v for k, v in self.docs.items() if k != doc_id})
        return True

    def _write(self, docs: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".catalog-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"version": 1, "documents": docs}, f, ensure_ascii=False)
        os.replace(tmp, self.path)
        self.docs = docs
        self._reindex()

    # -- reading -----------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return [DocumentInfo(**d["info"]) for d in self.docs.values()]

    def document(self, doc_id: str) -> DocumentInfo | None:
        d = self.docs.get(doc_id)
        return DocumentInfo(**d["info"]) if d else None

    def sha256(self, doc_id: str) -> str | None:
        d = self.docs.get(doc_id)
        return d["sha256"] if d else None

    def paragraphs(self, doc_id: str) -> list[Paragraph]:
        return [self._paragraphs[pid] for pid in self._order.get(doc_id, [])]

    def paragraph(self, pid: str) -> Paragraph | None:
        return self._paragraphs.get(pid)

    def neighbours(self, pid: str, n: int = 1) -> list[Paragraph]:
        p = self._paragraphs.get(pid)
        if p is None:
            return []
        order = self._order[p.doc_id]
        i = order.index(pid)
        return [self._paragraphs[x] for x in order[max(0, i - n): i + n + 1]]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id is None:
            return list(self._chunks.values())
        return [Chunk(**c) for c in self.docs.get(doc_id, {}).get("chunks", [])]

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._chunks.get(chunk_id)

    def speakers(self) -> dict[str, dict]:
        merged: dict[str, dict] = {}
        for doc_id, d in self.docs.items():
            for name, s in d["speakers"].items():
                m = merged.setdefault(name, {"role": s["role"], "aliases": [], "turns": 0, "docs": []})
                m["aliases"] = sorted(set(m["aliases"]) | set(s["aliases"]))
                m["turns"] += s["turns"]
                m["docs"].append(doc_id)
                m["role"] = m["role"] or s["role"]
        return merged
