"""The data every pipeline stage passes on: documents, paragraphs, speaker turns, chunks.

The pipeline, in order (one sub-package or module per stage):

    read      rag/read/      a file -> SourceText (plain text + document metadata)
    segment   rag/segment/   SourceText -> Minutes (speaker turns of paragraphs)
    chunk     rag/segment/chunk.py   Minutes -> Chunks (retrieval units, never spanning two speakers)
    embed     rag/embed.py   Chunk -> embedding windows (<= 256 word pieces each)
    index     rag/index/     Chroma vectors + BM25 keywords + the catalogue of documents
    retrieve  rag/retrieve/  question -> ranked passages (hybrid, reciprocal rank fusion)
    answer    rag/answer/    passages -> answer with [n] citations (extractive or an LLM)
    verify    rag/verify/    every cited sentence checked against its passage
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# What a paragraph is. Only "speech" is words someone said; the others are searchable
# but must never be quoted as spoken.
KINDS = ("speech", "slide", "table", "front_matter", "annex")


@dataclass(frozen=True)
class DocumentInfo:
    """Who, when and where: shown beside every citation."""

    doc_id: str  # the file name without extension, e.g. "2015-01-28-hippo-informal-meeting-tokyo"
    title: str
    date: str = ""  # ISO date when known, e.g. "2015-01-28"
    venue: str = ""
    organiser: str = ""
    source: str = ""  # file name the document was read from

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SourceText:
    """What a reader hands on: the document's text and its metadata."""

    info: DocumentInfo
    text: str
    sha256: str  # of the file's bytes: an unchanged file is not re-ingested


@dataclass
class Paragraph:
    """One paragraph of the minutes, exactly as printed (page breaks joined back)."""

    id: str  # "<doc_id>#p<seq>", seq counting paragraphs in document order from 1: stable across ingests
    doc_id: str
    seq: int
    text: str
    kind: str = "speech"
    speaker: str = ""  # canonical full name; "" for front matter, annexes, headings
    role: str = ""  # title and organisation
    section: str = ""  # "Keynote Speech", "Discussion", ...
    number: str = ""  # the minutes' own paragraph number where they have one ("7" shown as "¶7")
    turn: int = -1  # index of the speaker turn it belongs to; -1 outside any turn

    @property
    def label(self) -> str:
        return f"¶{self.number}" if self.number else f"p{self.seq}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SpeakerTurn:
    """A stretch of the minutes in which one speaker holds the floor."""

    speaker: str
    role: str
    section: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    label: str = ""  # how the minutes introduced the turn, e.g. "(Answer: Gen. Cammaert)"


@dataclass
class Speaker:
    """A canonical speaker and every way the minutes name them."""

    name: str
    role: str = ""
    aliases: set[str] = field(default_factory=set)


@dataclass
class Minutes:
    """A segmented document: its metadata, paragraphs in order, turns and speakers."""

    info: DocumentInfo
    sha256: str
    paragraphs: list[Paragraph]
    turns: list[SpeakerTurn]
    speakers: dict[str, Speaker]  # by canonical name
    layout: str  # name of the layout that segmented it


@dataclass
class Chunk:
    """The retrieval unit: one paragraph, or a few consecutive short paragraphs of one turn."""

    id: str  # the id of its first paragraph
    doc_id: str
    paragraph_ids: list[str]
    text: str  # shown text: the paragraphs as printed, joined by blank lines
    kind: str
    speaker: str
    role: str
    section: str
    doc_title: str
    date: str
    seq: int  # seq of the first paragraph, for document order

    def source(self) -> dict:
        """Where the chunk is and who said it: what every citation and retrieved node carries."""
        return {
            "doc_id": self.doc_id, "doc_title": self.doc_title, "date": self.date, "speaker": self.speaker,
            "role": self.role, "section": self.section, "kind": self.kind,
        }

    def context_line(self) -> str:
        """The context embedded (and shown to an LLM) in front of the text."""
        who = self.speaker or {"front_matter": "Front matter", "annex": "Annex"}.get(self.kind, "Unattributed")
        if self.role:
            who += f" ({self.role})"
        parts = [who]
        if self.section:
            parts.append(self.section)
        parts.append(self.doc_title)
        if self.kind not in ("speech",):
            parts.append(self.kind.replace("_", " "))
        return " | ".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)
