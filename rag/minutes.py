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

_UNSPOKEN = {"front_matter": "Front matter", "annex": "Annex"}


def speaker_label(speaker: str, role: str, kind: str = "speech") -> str:
    """Who is speaking, as every reader sees it: "Speaker (role)", or what the text is when
    nobody speaks ("Front matter", "Annex", "Unattributed"). Made here only."""
    who = speaker or _UNSPOKEN.get(kind, "Unattributed")
    return f"{who} ({role})" if role else who


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
class TranscriptTurn:
    """One turn a structured transcript (WebVTT, SRT, JSON) already marks: nothing to guess."""

    speaker: str  # as written, e.g. "Hon. Bill Blair (Minister of Public Safety)"; "" when the file names nobody
    text: str
    start: str = ""  # timestamps as the file gives them, e.g. "00:01:02.500"
    end: str = ""


@dataclass(frozen=True)
class SourceText:
    """What a reader hands on: the document's text and its metadata."""

    info: DocumentInfo
    text: str
    sha256: str  # of the file's bytes: an unchanged file is not re-ingested
    turns: tuple[TranscriptTurn, ...] = ()  # set by transcript readers: the segmenter uses them as they are


@dataclass
class Paragraph:
    """One paragraph of the minutes, exactly as printed (page breaks joined back)."""

    id: str  # "<doc_id>#p<seq>", seq counting paragraphs in document order from 1: stable across ingests
    doc_id: str
    seq: int
    text: str
    # "speech" is words someone said; "slide", "table", "front_matter" and "annex" are searchable
    # but never quoted as spoken
    kind: str = "speech"
    speaker: str = ""  # canonical full name; "" for front matter, annexes, headings
    role: str = ""  # title and organisation
    section: str = ""  # "Keynote Speech", "Discussion", ...
    number: str = ""  # the minutes' own paragraph number where they have one ("7" shown as "¶7")
    turn: int = -1  # index of the speaker turn it belongs to; -1 outside any turn
    start: str = ""  # timestamps of a transcript's turn (WebVTT, SRT, JSON), for the viewer
    end: str = ""

    @property
    def label(self) -> str:
        return f"¶{self.number}" if self.number else f"p{self.seq}"

    @property
    def speaker_label(self) -> str:
        return speaker_label(self.speaker, self.role, self.kind)

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
    affiliation: str = ""  # constituency, party, delegation: "Nipissing—Timiskaming, Lib."


@dataclass
class Minutes:
    """A segmented document: its metadata, paragraphs in order, turns and speakers."""

    info: DocumentInfo
    sha256: str
    paragraphs: list[Paragraph]
    turns: list[SpeakerTurn]
    speakers: dict[str, Speaker]  # by canonical name
    layout: str  # name of the layout that segmented it

    @property
    def attributed_share(self) -> float:
        """Share of the paragraphs of speech (not headings, front matter or annexes) that have a speaker."""
        body = [p for p in self.paragraphs if p.kind in ("speech", "slide", "table")]
        return sum(1 for p in body if p.speaker) / len(body) if body else 0.0


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
        """Where the chunk is and who said it: what every citation and retrieved passage carries."""
        return {
            "doc_id": self.doc_id,
            "doc_title": self.doc_title,
            "date": self.date,
            "speaker": self.speaker,
            "role": self.role,
            "section": self.section,
            "kind": self.kind,
        }

    @property
    def label(self) -> str:
        """Who is speaking, as every reader sees it: "Speaker (role)", or what the text is when
        nobody speaks ("Front matter", "Annex", "Unattributed")."""
        return speaker_label(self.speaker, self.role, self.kind)

    def context_line(self) -> str:
        """The context embedded (and shown to an LLM and a judge) in front of the text."""
        parts = [self.label]
        if self.section:
            parts.append(self.section)
        parts.append(self.doc_title)
        if self.kind != "speech":
            parts.append(self.kind.replace("_", " "))
        return " | ".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Passage:
    """A chunk as retrieval found it: the one shape from the retriever to the JSON output.

    Every score is named: `fused` ranks (reciprocal rank fusion), `dense` is the cosine of the
    chunk's best window to the question (for every passage, also one only BM25 found: the answer
    stage reads it to tell whether the minutes address the question at all), `keyword` the BM25
    score (0 when BM25 did not find it).
    """

    chunk: Chunk
    rank: int  # 1-based position in the results
    fused: float = 0.0
    dense: float = 0.0
    keyword: float = 0.0
    dense_rank: int | None = None
    keyword_rank: int | None = None

    @property
    def label(self) -> str:
        return self.chunk.label

    def record(self, n: int | None = None) -> dict:
        """The passage as `ask --json` shows it: where it is, who said it, its text as printed."""
        record = {"id": self.chunk.id, **self.chunk.source(), "text": self.chunk.text, "score": round(self.fused, 6)}
        return record if n is None else {"n": n, **record}
