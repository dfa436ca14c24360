"""The catalogue: every ingested document with its metadata, paragraphs, chunks and speakers,
kept in Chroma beside the vectors (so a Chroma server holds everything app processes share)
and in memory in each process.

Three collections (placeholder vectors; see `rag.index.chroma`):
- `<name>-documents`: one record per document, id = doc id, metadata `sha256`, `version`,
  `windows`, `layout`, `ingested_at`, `parts`, and `info` and `speakers` as JSON. Writing this
  record is what makes a version of a document visible: its windows and contents are written
  first, under their own version, and the old version's are deleted after.
- `<name>-contents`: a document version's paragraphs and chunks, JSON compressed with zlib,
  in parts of at most PART characters (id `<doc>@<version>#<part>`).
- `<name>-state`: one record whose `generation` changes with every commit: a process compares
  it with the one it loaded (one small read) and reloads only the documents whose version
  changed. Nothing grows with the archive on a question: the whole catalogue is read when a
  process starts, one document when another process changes it.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field

from rag.index.chroma import (
    PLACEHOLDER,
    REBUILD_HINT,
    IndexUnavailableError,
    collection,
    ids_matching,
    pages,
)
from rag.minutes import Chunk, DocumentInfo, Minutes, Paragraph

PART = 500_000  # characters of compressed contents per record: keeps each request small
LOAD_BATCH = 20  # documents whose contents one read fetches (a few MB)


class CatalogError(IndexUnavailableError):
    """A catalogue record cannot be read."""


@dataclass
class Entry:
    """One document version as the catalogue holds it."""

    doc_id: str
    version: str
    sha256: str
    windows: int
    layout: str
    ingested_at: str
    info: DocumentInfo
    speakers: dict[str, dict]
    paragraphs: list[Paragraph] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)


@dataclass
class Prepared:
    """A document version serialised and checked before anything is written."""

    entry: Entry
    record: dict
    parts: list[str]


def new_version() -> str:
    return uuid.uuid4().hex[:16]


class Catalog:
    def __init__(self, client, name: str):
        self.documents_store = collection(client, f"{name}-documents")
        self.contents_store = collection(client, f"{name}-contents")
        self.state_store = collection(client, f"{name}-state")
        self.generation: str | None = None
        self._view = View()
        self._changing = threading.Lock()

    @property
    def entries(self) -> dict[str, Entry]:
        return self._view.entries

    # -- loading -------------------------------------------------------------------------------
    def stored_generation(self) -> str | None:
        got = self.state_store.get(ids=["generation"], include=["metadatas"])
        return got["metadatas"][0]["generation"] if got["ids"] else None

    def refresh(self) -> bool:
        """Bring the in-memory catalogue up to the stored one; True when something changed.
        Costs one small read when nothing did."""
        generation = self.stored_generation()  # read first: a commit after it is seen next time
        if generation == self.generation:
            return False
        stored = {}
        for page in pages(self.documents_store, ["metadatas"]):
            for doc_id, meta in zip(page["ids"], page["metadatas"], strict=True):
                stored[doc_id] = meta
        entries = self.entries
        gone = set(entries) - set(stored)
        stale = {d: m for d, m in stored.items() if d not in entries or entries[d].version != m["version"]}
        ids = sorted(stale)
        loaded = [
            e
            for start in range(0, len(ids), LOAD_BATCH)
            for e in self._load({d: stale[d] for d in ids[start : start + LOAD_BATCH]})
        ]
        self._change(gone, loaded)
        self.generation = generation
        return bool(gone or loaded)

    def _load(self, metas: dict[str, dict]) -> list[Entry]:
        """Entries of some documents (one read for all), as their records describe them. A record
        replaced or removed by another process while this one reads is read again."""
        for _attempt in range(3):
            part_ids = {d: [f"{d}@{m['version']}#{i}" for i in range(int(m["parts"]))] for d, m in metas.items()}
            got = self.contents_store.get(ids=[i for ids in part_ids.values() for i in ids], include=["metadatas"])
            parts = dict(zip(got["ids"], got["metadatas"], strict=True))
            missing = [d for d, ids in part_ids.items() if any(i not in parts for i in ids)]
            if not missing:
                return [self._entry(d, m, "".join(parts[i]["data"] for i in part_ids[d])) for d, m in metas.items()]
            again = self.documents_store.get(ids=missing, include=["metadatas"])
            now = dict(zip(again["ids"], again["metadatas"], strict=True))
            if all(d in now and now[d]["version"] == metas[d]["version"] for d in missing):
                break  # the record still names contents that are not there: damaged, not busy
            metas = {d: now.get(d, m) for d, m in metas.items() if d in now or d not in missing}
        raise CatalogError(
            f"the catalogue record of {missing[0]!r} cannot be read (its contents are missing); {REBUILD_HINT}"
        )

    @staticmethod
    def _entry(doc_id: str, meta: dict, packed: str) -> Entry:
        try:
            contents = json.loads(zlib.decompress(base64.b64decode(packed)))
            return Entry(
                doc_id,
                meta["version"],
                meta["sha256"],
                int(meta["windows"]),
                meta["layout"],
                meta["ingested_at"],
                DocumentInfo(**json.loads(meta["info"])),
                json.loads(meta["speakers"]),
                [Paragraph(**p) for p in contents["paragraphs"]],
                sorted((Chunk(**c) for c in contents["chunks"]), key=lambda c: c.seq),
            )
        except (KeyError, ValueError, TypeError, zlib.error) as exc:
            raise CatalogError(
                f"the catalogue record of {doc_id!r} cannot be read ({type(exc).__name__}: {exc}); {REBUILD_HINT}"
            ) from None

    def _change(self, gone: set[str], new: list[Entry]) -> None:
        """Swap in a view without the `gone` documents and with the `new` entries. Readers on
        other threads (a server answering several users) keep the view they started with."""
        with self._changing:
            self._view = self._view.changed(gone | {e.doc_id for e in new}, new)

    # -- writing -------------------------------------------------------------------------------
    @staticmethod
    def prepare(minutes: Minutes, chunks: list[Chunk], windows: int, version: str) -> Prepared:
        """A document version's records, serialised (and so checked) before anything is written."""
        speakers: dict[str, dict] = {}
        for name, s in minutes.speakers.items():
            speakers[name] = {"role": s.role, "affiliation": s.affiliation, "aliases": sorted(s.aliases), "turns": 0}
        for turn in minutes.turns:
            if not turn.speaker:
                continue
            record = speakers.setdefault(turn.speaker, {"role": turn.role, "aliases": [], "turns": 0})
            record["turns"] += 1
        contents = {"paragraphs": [p.to_dict() for p in minutes.paragraphs], "chunks": [c.to_dict() for c in chunks]}
        packed = base64.b64encode(zlib.compress(json.dumps(contents, ensure_ascii=False).encode("utf-8"), 6)).decode()
        parts = [packed[i : i + PART] for i in range(0, len(packed), PART)] or [""]
        entry = Entry(
            minutes.info.doc_id,
            version,
            minutes.sha256,
            windows,
            minutes.layout,
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            minutes.info,
            speakers,
            list(minutes.paragraphs),
            sorted(chunks, key=lambda c: c.seq),
        )
        record = {
            "sha256": entry.sha256,
            "version": version,
            "windows": windows,
            "layout": entry.layout,
            "ingested_at": entry.ingested_at,
            "parts": len(parts),
            "info": json.dumps(minutes.info.to_dict(), ensure_ascii=False),
            "speakers": json.dumps(speakers, ensure_ascii=False),
        }
        return Prepared(entry, record, parts)

    def write_contents(self, prepared: Prepared) -> None:
        """The contents of a version not yet visible (no document record points at it)."""
        doc_id, version = prepared.entry.doc_id, prepared.entry.version
        ids = [f"{doc_id}@{version}#{i}" for i in range(len(prepared.parts))]
        self.contents_store.upsert(
            ids=ids,
            embeddings=[PLACEHOLDER] * len(ids),
            metadatas=[{"doc_id": doc_id, "version": version, "data": part} for part in prepared.parts],
        )

    def commit(self, prepared: Prepared) -> None:
        """Make a written version the visible one (one record), then say so to other processes."""
        self.documents_store.upsert(ids=[prepared.entry.doc_id], embeddings=[PLACEHOLDER], metadatas=[prepared.record])
        self._change(set(), [prepared.entry])
        self._bump()

    def remove(self, doc_id: str) -> bool:
        known = bool(self.documents_store.get(ids=[doc_id], include=[])["ids"])
        if known:
            self.documents_store.delete(ids=[doc_id])
            self._bump()
        self._change({doc_id}, [])
        return known

    def drop_contents(self, doc_id: str, keep: str | None = None) -> None:
        """Contents of a document's versions other than `keep` (all of them when None)."""
        where: dict = {"doc_id": doc_id}
        if keep is not None:
            where = {"$and": [where, {"version": {"$ne": keep}}]}
        stale = ids_matching(self.contents_store, where)
        if stale:
            self.contents_store.delete(ids=stale)

    def _bump(self) -> None:
        others_wrote = self.stored_generation() != self.generation
        generation = uuid.uuid4().hex
        self.state_store.upsert(ids=["generation"], embeddings=[PLACEHOLDER], metadatas=[{"generation": generation}])
        # our own write needs no reload; another process's since our last refresh does (refresh
        # then compares document versions and loads only what differs)
        self.generation = None if others_wrote else generation

    # -- reading -------------------------------------------------------------------------------
    def version(self, doc_id: str) -> str | None:
        entry = self.entries.get(doc_id)
        return entry.version if entry else None

    def documents(self) -> list[DocumentInfo]:
        """Every document, by date then id."""
        return sorted((e.info for e in self.entries.values()), key=lambda i: (i.date, i.doc_id))

    def document(self, doc_id: str) -> DocumentInfo | None:
        entry = self.entries.get(doc_id)
        return entry.info if entry else None

    def windows(self, doc_id: str | None = None) -> int:
        """Vectors visible in Chroma, for one document or all."""
        if doc_id is not None:
            entry = self.entries.get(doc_id)
            return entry.windows if entry else 0
        return sum(e.windows for e in self.entries.values())

    def paragraphs(self, doc_id: str) -> list[Paragraph]:
        entry = self.entries.get(doc_id)
        return list(entry.paragraphs) if entry else []

    def paragraph(self, pid: str) -> Paragraph | None:
        return self._view.paragraphs.get(pid)

    def neighbours(self, pid: str, n: int = 1) -> list[Paragraph]:
        """The paragraph with up to n paragraphs before and after it, in document order."""
        view = self._view
        p = view.paragraphs.get(pid)
        if p is None:
            return []
        paragraphs = view.entries[p.doc_id].paragraphs
        i = view.order[p.doc_id][pid]
        n = max(0, n)
        return paragraphs[max(0, i - n) : i + n + 1]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id is None:
            return [c for e in self.entries.values() for c in e.chunks]
        entry = self.entries.get(doc_id)
        return list(entry.chunks) if entry else []

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._view.chunks.get(chunk_id)

    def speakers(self) -> dict[str, dict]:
        """Speakers merged across documents: name -> {role, aliases, turns, docs}."""
        return self._view.speakers()


class View:
    """The catalogue as one process sees it at one moment: never changed, replaced whole."""

    def __init__(
        self,
        entries: dict[str, Entry] | None = None,
        paragraphs: dict[str, Paragraph] | None = None,
        chunks: dict[str, Chunk] | None = None,
        order: dict[str, dict[str, int]] | None = None,
    ):
        self.entries = entries or {}
        self.paragraphs = paragraphs or {}
        self.chunks = chunks or {}
        self.order = order or {}  # doc -> paragraph id -> position
        self._speakers: dict[str, dict] | None = None

    def changed(self, gone: set[str], new: list[Entry]) -> View:
        entries, paragraphs, chunks, order = (
            dict(self.entries),
            dict(self.paragraphs),
            dict(self.chunks),
            dict(self.order),
        )
        for doc_id in gone:
            old = entries.pop(doc_id, None)
            order.pop(doc_id, None)
            for p in old.paragraphs if old else []:
                paragraphs.pop(p.id, None)
            for c in old.chunks if old else []:
                chunks.pop(c.id, None)
        for entry in new:
            entries[entry.doc_id] = entry
            paragraphs.update((p.id, p) for p in entry.paragraphs)
            chunks.update((c.id, c) for c in entry.chunks)
            order[entry.doc_id] = {p.id: i for i, p in enumerate(entry.paragraphs)}
        return View(entries, paragraphs, chunks, order)

    def speakers(self) -> dict[str, dict]:
        if self._speakers is None:  # built once per view; callers read it
            merged: dict[str, dict] = {}
            for doc_id, entry in sorted(self.entries.items()):
                for name, s in entry.speakers.items():
                    m = merged.setdefault(
                        name, {"role": s.get("role", ""), "affiliation": "", "aliases": [], "turns": 0, "docs": []}
                    )
                    m["affiliation"] = m["affiliation"] or s.get("affiliation", "")
                    m["aliases"] = sorted(set(m["aliases"]) | set(s.get("aliases", [])))
                    m["turns"] += s.get("turns", 0)
                    m["docs"].append(doc_id)
                    m["role"] = m["role"] or s.get("role", "")
            self._speakers = dict(sorted(merged.items()))
        return self._speakers
