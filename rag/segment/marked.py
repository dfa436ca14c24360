"""Transcripts whose turns open with a speaker marker, learned from the document itself.

    Mr J SMITH: How many?                       The CHAIRPERSON: Order!
    Adv Z L MADASA: Chairperson, ...            An HON MEMBER: Hear, hear!
    Kirsty Williams AM: Thank you, Lynne.       Mr. Dan Albas (Central Okanagan—Similkameen—Nicola, CPC): ...
    KIRSTY WILLIAMS AM                          (a name alone on its line, its words below it)
    Thank you, Lynne.

No list says who may speak. Every paragraph start (and every line start, for transcripts with
one turn a line) that could be a speaker label is a candidate (`rag/segment/labels.py` parses
it). A candidate is a marker when its form alone says so (a title, post-nominal letters, an
office, a parenthesis), when the same label opens two or more paragraphs (people speak more than
once; headings and fields such as "Agenda:" or "Note:" do not recur), or when it has the shape
the document's markers have and its words are not words the document also writes in lower case
(a name is not; "Opening Remarks" is). Of the two conventions, "label:" and a label alone on its
line, the document's own is applied (the other only for labels marked by their form).

A paragraph with no marker continues the turn before it; after an interjection it goes back to
the speaker interrupted. A short title-like line with no marker is a section heading.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rag.minutes import Minutes, SourceText
from rag.segment.base import Layout, MinutesBuilder
from rag.segment.labels import SpeakerLabel, learn_forms, office_holder, parse_label, resolve, role_key
from rag.segment.paragraphs import is_heading, is_table
from rag.segment.speakers import fold

_LABEL_CHARS = 160  # a label is never longer than this
_LINE_SHARE = 0.15  # names alone on their lines open at least this share of the paragraphs, or they are headings
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-z][a-z'’\-]{2,}")
_TERMINAL = tuple(".!?;,")
_CONNECTORS = frozenset({"and", "the", "for", "with", "from", "into"})


@dataclass(frozen=True)
class Marker:
    form: str  # "colon" ("Name: text"), "line" (the name on the paragraph's first line) or "alone" (a paragraph)
    label: SpeakerLabel
    bare: bool  # nothing follows the label in its piece: the piece is the label alone


@dataclass(frozen=True)
class _Candidate:
    paragraph: int
    line: int
    form: str
    who: str
    rest: str  # what follows the label on its line
    single_line: bool  # the paragraph is this one line


_Parsed = tuple[_Candidate, SpeakerLabel]


def _convention(candidate: _Candidate) -> str:
    return "colon" if candidate.form == "colon" else "line"


class TurnMarkers:
    """The markers of one document: learned from all its candidates, then looked up by paragraph."""

    def __init__(self, paragraphs: list[str]):
        candidates = [c for i, text in enumerate(paragraphs) for c in _candidates(i, text, i + 1 < len(paragraphs))]
        self.forms = learn_forms([c.who for c in candidates])
        parsed = [(c, label) for c in candidates if (label := parse_label(c.who, self.forms))]
        sure, unsure = self._by_confidence(parsed)
        lower_words = set(_LOWER_WORD.findall("\n".join(paragraphs)))
        sure += self._established(sure, unsure, lower_words)
        self.markers = self._in_convention(sure, len(paragraphs))

    @staticmethod
    def _by_confidence(parsed: list[_Parsed]) -> tuple[list[_Parsed], list[_Parsed]]:
        """Markers by their form or by recurring (sure), other labels (unsure); headings and fields dropped."""
        recurring = Counter(fold(label.written) for _, label in parsed)
        sure: list[_Parsed] = []
        unsure: list[_Parsed] = []
        for candidate, label in parsed:
            confident = label.strong or recurring[fold(label.written)] >= 2
            if candidate.form == "colon" and not candidate.rest and not confident:
                continue  # "Agenda:", "Present:" above a list
            if candidate.form == "colon" and candidate.single_line and is_heading(candidate.rest) and not confident:
                continue  # "Budget: Next Year", a heading with a colon
            (sure if confident else unsure).append((candidate, label))
        return sure, unsure

    @staticmethod
    def _established(sure: list[_Parsed], unsure: list[_Parsed], lower_words: set[str]) -> list[_Parsed]:
        """Labels heard once ("Steve Davies: ...") in a document whose markers are established; one
        word alone ("Note: ...") only when the document's markers are single words too."""
        shapes = Counter((c.form, label.shape) for c, label in sure)
        forms = Counter(c.form for c, _ in sure)
        admitted = []
        for candidate, label in unsure:
            established = shapes[(candidate.form, label.shape)] if " " not in label.name else forms[candidate.form]
            if established >= 3 and not _common_words(label, lower_words):
                admitted.append((candidate, label))
        return admitted

    @staticmethod
    def _in_convention(sure: list[_Parsed], paragraphs: int) -> dict[int, dict[int, Marker]]:
        """The document's convention ("Name: text", or the name alone on its line) applied: markers
        of the other one only when their form marks them."""
        by_convention = Counter(_convention(c) for c, _ in sure)
        most = max(by_convention.values(), default=0)
        used = {form for form, n in by_convention.items() if n >= max(2, most / 4)}
        if by_convention["line"] < _LINE_SHARE * paragraphs:
            used.discard("line")  # a few recurring headings ("Panel Discussion") are no convention of names
            del by_convention["line"]
        markers: dict[int, dict[int, Marker]] = {}
        for candidate, label in sure:
            if _convention(candidate) in used or (label.strong and _convention(candidate) in by_convention):
                bare = candidate.form == "alone" or (
                    candidate.form == "colon" and not candidate.rest and candidate.single_line
                )
                markers.setdefault(candidate.paragraph, {})[candidate.line] = Marker(candidate.form, label, bare)
        return markers

    def pieces(self, index: int, text: str) -> list[tuple[str, Marker | None]]:
        """The paragraph split where a marker opens a line ("A: yes\\nB: no" is two turns), each
        piece with the marker that opens it."""
        markers = self.markers.get(index, {})
        if not markers:
            return [(text, None)]
        lines = text.split("\n")
        starts = sorted({0, *markers})
        ends = [*starts[1:], len(lines)]
        return [("\n".join(lines[a:b]), markers.get(a)) for a, b in zip(starts, ends, strict=True)]

    @property
    def count(self) -> int:
        return sum(len(m) for m in self.markers.values())

    @property
    def speakers(self) -> int:
        return len({fold(m.label.name) for ms in self.markers.values() for m in ms.values()})


def _candidates(index: int, text: str, has_next: bool) -> list[_Candidate]:
    lines = text.split("\n")
    found = []
    for n, line in enumerate(lines):
        colon = line.find(":", 0, _LABEL_CHARS)
        if colon > 0 and (colon + 1 == len(line) or line[colon + 1].isspace()):
            found.append(
                _Candidate(index, n, "colon", line[:colon].strip(), line[colon + 1 :].strip(), len(lines) == 1)
            )
        elif n == 0 and len(line) <= _LABEL_CHARS and not line.rstrip().endswith(_TERMINAL):
            if len(lines) > 1:
                found.append(_Candidate(index, 0, "line", line.strip(), "", False))
            elif has_next:
                found.append(_Candidate(index, 0, "alone", line.strip(), "", True))
    return found


def _common_words(label: SpeakerLabel, lower_words: set[str]) -> bool:
    """Every word of the label also occurs in lower case in the document: ordinary words, not a name."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]{3,}", label.name)]
    return bool(words) and all(w in lower_words for w in words)


def section_heading(text: str) -> bool:
    """A heading between turns: a short line in title case or capitals ("Item 3: Budget",
    "AGENDA"), not a short remark ("Thank you") that carries on a turn."""
    if not is_heading(text, 12) or text.rstrip().endswith((",", "-", "–", "—")):
        return False  # a heading does not break off mid-sentence
    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", text) if len(w) > 2 and w.lower() not in _CONNECTORS]
    return bool(words) and all(w[0].isupper() for w in words)


class MarkedLayout(Layout):
    name = "marked"

    def score(self, paragraphs: list[str]) -> float:
        markers = TurnMarkers(paragraphs)
        if markers.count < 3 or markers.speakers < 2:
            return 0.0
        return min(0.9, 0.2 + markers.count / max(len(paragraphs), 1))

    def segment(self, source: SourceText, paragraphs: list[str]) -> Minutes:
        markers = TurnMarkers(paragraphs)
        b = MinutesBuilder(source, self.name)
        self._offices(b, markers, paragraphs)
        return _TurnWriter(b, markers, paragraphs).run()

    @staticmethod
    def _offices(b: MinutesBuilder, markers: TurnMarkers, paragraphs: list[str]) -> None:
        """Offices the document assigns in a list of participants ("Kirsty Williams AM, Minister for
        Education"): a turn marked "The Minister for Education:" is then hers."""
        for index, text in enumerate(paragraphs):
            if index in markers.markers:
                continue
            for line in text.split("\n"):
                held = office_holder(line, markers.forms)
                if held:
                    label, office = held
                    speaker = resolve(b.registry, label)
                    b.registry.declare(role_key(office), speaker)
                    speaker.role = speaker.role or office


class _TurnWriter:
    """Writes a document's pieces into turns: a marker opens a turn, a piece without one carries
    the turn on (back to the interrupted speaker after an interjection), a title-like line is a
    section heading."""

    def __init__(self, builder: MinutesBuilder, markers: TurnMarkers, paragraphs: list[str]):
        self.b, self.markers, self.paragraphs = builder, markers, paragraphs
        self.interjections: set[str] = set()  # speakers who only interject ("An Hon Member")
        self.floor = ""  # who held the floor before an interjection
        self.named = False  # the previous piece was a name alone: this one is their words, however short

    def run(self) -> Minutes:
        for index, text in enumerate(self.paragraphs):
            for piece, marker in self.markers.pieces(index, text):
                if marker is None:
                    self._unmarked(piece)
                else:
                    self._marked(piece, marker)
        return self.b.build()

    def _marked(self, piece: str, marker: Marker) -> None:
        b = self.b
        speaker = resolve(b.registry, marker.label)
        if marker.label.interjection:
            self.interjections.add(speaker.name)
        else:
            self.floor = speaker.name
        b.start_turn(speaker.name, speaker.role, label=marker.label.written)
        if marker.bare:
            b.add(piece, "front_matter", in_turn=False)
        else:
            b.add(piece, "table" if is_table(piece) else "speech")
        self.named = marker.bare

    def _unmarked(self, piece: str) -> None:
        b = self.b
        if section_heading(piece) and not self.named:
            b.end_turn()
            b.section = piece.strip().strip("*").strip()
            b.add(piece, "front_matter", in_turn=False)
        elif b.current is None:
            b.add(piece, "table" if is_table(piece) else "front_matter", in_turn=False)
        else:
            if b.current.speaker in self.interjections and self.floor:
                speaker = b.registry.speakers[self.floor]
                b.start_turn(speaker.name, speaker.role, label="(continued)")
            b.add(piece, "table" if is_table(piece) else "speech")
        self.named = False
