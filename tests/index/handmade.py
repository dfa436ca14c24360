"""Minutes, paragraphs and chunks built by hand (no segmenter): synthetic documents (V1, V2,
OTHER), and the corpus files split on blank lines with a few paragraphs attributed to their
speakers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rag.minutes import Chunk, DocumentInfo, Minutes, Paragraph, Speaker, SpeakerTurn


def chunk_of(p: Paragraph, info: DocumentInfo) -> Chunk:
    return Chunk(p.id, p.doc_id, [p.id], p.text, p.kind, p.speaker, p.role, p.section, info.title, info.date, p.seq)


def build_minutes(
    doc_id: str,
    rows: list[tuple],
    title: str = "",
    date: str = "2020-01-01",
    aliases: dict[str, set[str]] | None = None,
) -> tuple[Minutes, list[Chunk]]:
    """Minutes from rows of (text, speaker, role, section[, kind]); one chunk per paragraph; a new
    turn whenever the speaker changes."""
    info = DocumentInfo(doc_id, title or f"Minutes {doc_id}", date, "Tokyo", "UNU", f"{doc_id}.txt")
    paragraphs, turns, speakers = [], [], {}
    for seq, row in enumerate(rows, 1):
        text, speaker, role, section = row[:4]
        kind = row[4] if len(row) > 4 else ("speech" if speaker else "front_matter")
        if speaker and (not turns or turns[-1].speaker != speaker):
            turns.append(SpeakerTurn(speaker, role, section))
        p = Paragraph(
            f"{doc_id}#p{seq}",
            doc_id,
            seq,
            text,
            kind,
            speaker,
            role,
            section,
            str(seq) if speaker else "",
            len(turns) - 1 if speaker else -1,
        )
        if speaker:
            turns[-1].paragraphs.append(p)
            speakers.setdefault(speaker, Speaker(speaker, role, set((aliases or {}).get(speaker, ()))))
        paragraphs.append(p)
    sha = hashlib.sha256("\n\n".join(r[0] for r in rows).encode()).hexdigest()
    minutes = Minutes(info, sha, paragraphs, turns, speakers, "handmade")
    return minutes, [chunk_of(p, info) for p in paragraphs]


MARTIN = ("Ian Martin", "Member of the Panel")
DOE = ("Jane Doe", "Professor, UNU")

V1 = [
    ("Attendance: see Annex A.", "", "", ""),
    (
        "Mr. Ian Martin said the review covers all peace operations, including special political missions.",
        *MARTIN,
        "Discussion",
    ),
    ("Ms. Jane Doe said that prevention of conflict matters most and is cheaper than any mission.", *DOE, "Discussion"),
    ("Mr. Ian Martin added that quality information and analysis are critical for the panel.", *MARTIN, "Discussion"),
    ("Ms. Jane Doe closed by thanking the hosts for the meeting in Tokyo.", *DOE, "Closing"),
]
V2 = [
    ("Attendance: see Annex A.", "", "", ""),
    (
        "Mr. Ian Martin said the review covers all peace operations, including special political missions.",
        *MARTIN,
        "Discussion",
    ),
    ("Ms. Jane Doe said budgets for peacekeeping are shrinking fast.", *DOE, "Discussion"),
]
OTHER = [
    ("Ms. Jane Doe opened the symposium on peacekeeping training in Entebbe.", *DOE, "Opening"),
    (
        "Colonel Ken Sato described engineering units that build roads and mine-clearing with Hitachi machines.",
        "Ken Sato",
        "Colonel, JGSDF",
        "Panel",
    ),
]


def doc(rows, doc_id="doc", **kwargs) -> tuple[Minutes, list[Chunk]]:
    return build_minutes(doc_id, rows, **kwargs)


def corpus_minutes(
    path: Path, title: str, date: str, attributions: dict[str, tuple[str, str]]
) -> tuple[Minutes, list[Chunk]]:
    """A corpus file split on blank lines; a paragraph containing one of `attributions`' phrases
    is that speaker's (phrase -> (speaker, role)); the rest are unattributed."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if b.strip()]
    rows = []
    for block in blocks:
        who = next((sr for phrase, sr in attributions.items() if phrase in block), None)
        rows.append((block, who[0], who[1], "", "speech") if who else (block, "", "", "", "speech"))
    return build_minutes(path.stem, rows, title, date)


def ingest(index, embedder, minutes: Minutes, chunks: list[Chunk]) -> int:
    """Window, embed and upsert; the number of windows."""
    windows = [embedder.windows(c) for c in chunks]
    flat = [w for ws in windows for w in ws]
    index.upsert(minutes, chunks, windows, embedder.embed_texts(flat))
    return len(flat)
