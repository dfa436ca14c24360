"""Minutes of a conference: a programme at the top, then sections ("Opening Remarks",
"Keynote Speech", "Panel Discussion", "Q&A:", "Closing Remarks"), each presentation headed by its
speaker's title and name, and the discussion in labelled turns:

    (Moderator, Prof. SHINODA)   (Answer: Gen. Cammaert)   (Col. KAWASAKI)
    (Question 3)                 (Questioner)              (Announce)        (End)

The programme gives every speaker a canonical name and a role; a label names a speaker the
programme introduced (by any form of the name) or an audience member. An audience member's role
is the affiliation they state ("I am from Embassy of Kenya"); "(Questioner)" is the last audience
member following up; "(Announce)" is the master of ceremonies. Slides, tables and quoted posts
inside a presentation keep the presenter as speaker, marked by kind. A parenthesised line that
names nobody ("(Source: ...)", an interpreter's note) is an editorial note, not a turn.
"""

from __future__ import annotations

import re

from rag.minutes import Minutes, SourceText
from rag.segment.base import Layout, MinutesBuilder
from rag.segment.paragraphs import is_heading, is_table, slide_like, strip_markup
from rag.segment.speakers import find_people, parse_person

SECTION = re.compile(
    r"^(?:(?:opening|closing|keynote|welcome|introductory)\b.*|.*\b(?:remarks|speech|address|presentation|discussion|"
    r"session|panel|q\s*&\s*a|questions? and answers?|debate|briefing|statements?)\s*:?)$",
    re.IGNORECASE,
)
LABEL = re.compile(r"^\(([^()\n]{2,80})\)$")
QUESTION = re.compile(r"^(?:question|q)\s*(\d+)$", re.IGNORECASE)
FOLLOW_UP = re.compile(r"^questioner$", re.IGNORECASE)
ANNOUNCE = re.compile(r"^(?:announce|announcer|announcement|mc|master of ceremonies)$", re.IGNORECASE)
END = re.compile(r"^(?:end|break|recess|adjourned|closed)$", re.IGNORECASE)
ROLE_LABEL = re.compile(
    r"^(answer|reply|response|moderator|chair|chairperson|panelist|speaker)\s*[:,]\s*(.+)$", re.IGNORECASE
)
STRUCTURE = re.compile(r"^(?:Moderator|Panelists?|Chair|Speakers?|Participants)\s*:", re.IGNORECASE)
HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Professor|Sir|Dame|Madam)\.?$", re.IGNORECASE)
TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
AFFILIATION = [
    re.compile(r"\bI am (?:an? )?([a-z][\w\- ]{2,40}?) from ((?:the |an? )?[^.,;]{3,80})"),
    re.compile(r"\bI am from ((?:the )?[^.,;]{3,80})"),
    re.compile(r"\bI am an? ([a-z][\w\- ]{2,40}?)(?=[,.;]| and )"),
]


def is_section(paragraph: str) -> bool:
    text = strip_markup(paragraph)
    return is_heading(paragraph, 8) and not TIME.search(text) and bool(SECTION.match(text))


class ProgrammeLayout(Layout):
    name = "programme"

    def score(self, paragraphs: list[str]) -> float:
        labels = sum(1 for p in paragraphs if (m := LABEL.match(p.strip())) and _label_kind(m.group(1)))
        sections = sum(1 for p in paragraphs if is_section(p))
        if labels + sections < 3:
            return 0.0
        return min(0.95, 0.3 + 0.03 * labels + 0.05 * sections)

    def segment(self, source: SourceText, paragraphs: list[str]) -> Minutes:
        b = MinutesBuilder(source, self.name)
        body = next((i for i, p in enumerate(paragraphs) if is_section(p)), 0)
        self._roster(b, paragraphs[:body])
        for text in paragraphs[:body]:
            b.add(text, "front_matter", in_turn=False)
        state = _State()
        for text in paragraphs[body:]:
            self._paragraph(b, state, text)
        self._aliases_in_text(b)
        return b.build()

    # -- the programme ---------------------------------------------------------------------------
    def _roster(self, b: MinutesBuilder, front: list[str]) -> None:
        """Speakers introduced in the programme, with their roles."""
        for i, text in enumerate(front):
            parsed = parse_person(text)
            if not parsed or text.rstrip().endswith("."):
                continue
            person, role = parsed
            follow = front[i + 1] if i + 1 < len(front) else ""
            if follow and _role_line(follow):
                position = " ".join(strip_markup(follow).split())
                role = f"{role}; {position}" if role else position
            before = strip_markup(front[i - 1]) if i else ""
            moderator = re.match(r"^(?:Moderator|Chair)\s*:?$", before, re.IGNORECASE) or re.match(
                r"^\**Moderator\s*:", text, re.IGNORECASE
            )
            if moderator:
                role = f"Moderator; {role}" if role else "Moderator"
            if not HONORIFIC.match(person.title):  # a rank is part of the role: "Colonel, Commander, ..."
                role = f"{person.title}, {role}" if role else person.title
            b.registry.add(person.canonical, role.strip(" ,;"), alias=f"{person.title} {person.name}")

    # -- the body --------------------------------------------------------------------------------
    def _paragraph(self, b: MinutesBuilder, state: _State, text: str) -> None:
        stripped = text.strip()
        label = LABEL.match(stripped)
        if label and self._label(b, state, label.group(1)):
            b.add(text, "front_matter", in_turn=False)
            return
        if is_section(text):
            b.end_turn()
            b.section = strip_markup(text).rstrip(":").strip()
            b.add(text, "front_matter", in_turn=False)
            state.expect_heading, state.role_line = True, False
            return
        if STRUCTURE.match(strip_markup(text)):
            b.add(text, "front_matter", in_turn=False)
            return
        if state.expect_heading and self._heading(b, text):
            b.add(text, "front_matter", in_turn=False)
            state.expect_heading, state.role_line = False, True
            return
        if state.role_line and _role_line(text):
            b.add(text, "front_matter", in_turn=False)
            state.role_line = False
            return
        state.expect_heading = state.role_line = False
        if label or b.current is None or _editorial_note(stripped):
            kind = "table" if is_table(text) else "front_matter"
            b.add(text, kind, in_turn=False)
            return
        if b.current.speaker.startswith("Audience member") and not b.current.role:
            role = _affiliation(text)
            if role:
                b.current.role = role
                b.registry.speakers[b.current.speaker].role = role
        b.add(text, "table" if is_table(text) else "slide" if slide_like(text) else "speech")

    def _heading(self, b: MinutesBuilder, text: str) -> bool:
        """A presentation's heading: the speaker's title and name (and role) right after a section."""
        parsed = parse_person(text)
        if not parsed or len(text.split()) > 25 or text.rstrip().endswith("."):
            return False
        person, role = parsed
        speaker = b.registry.lookup(person.name) or b.registry.add(person.canonical, role)
        speaker.aliases.add(f"{person.title} {person.name}")
        b.start_turn(speaker.name, speaker.role, label=" ".join(text.split()))
        return True

    def _label(self, b: MinutesBuilder, state: _State, label: str) -> bool:
        """Start the turn a label announces; False when the parentheses name nobody."""
        kind = _label_kind(label)
        label_text = f"({label})"
        question = QUESTION.match(label.strip())
        if kind == "question" and question:
            name = f"Audience member (Question {question.group(1)})"
            b.registry.add(name, alias=label_text)
            state.audience = name
            b.start_turn(name, "", label_text)
        elif kind == "follow_up":
            if not state.audience:
                return False
            speaker = b.registry.speakers[state.audience]
            speaker.aliases.add(label_text)
            b.start_turn(speaker.name, speaker.role, label_text)
        elif kind == "announce":
            b.registry.add("Announcer", "Master of ceremonies", alias=label_text)
            b.start_turn("Announcer", "Master of ceremonies", label_text)
        elif kind == "end":
            b.end_turn()
        else:
            m = ROLE_LABEL.match(label.strip())
            name_part = m.group(2) if m else label
            parsed = parse_person(name_part.strip())
            if not parsed:
                return False
            person, _ = parsed
            speaker = b.registry.lookup(person.name) or b.registry.add(person.canonical)
            speaker.aliases.add(f"{person.title} {person.name}")
            b.start_turn(speaker.name, speaker.role, label_text)
        return True

    def _aliases_in_text(self, b: MinutesBuilder) -> None:
        """Other forms of speakers' names used in the text ("General Cammaert", "Prof. Shinoda")."""
        for paragraph in b.paragraphs:
            for mention in find_people(paragraph.text):
                speaker = b.registry.lookup(mention.name)
                if speaker is not None:
                    speaker.aliases.add(f"{mention.title} {mention.name}")


class _State:
    def __init__(self):
        self.expect_heading = False
        self.role_line = False
        self.audience = ""  # the latest audience member, for "(Questioner)"


def _label_kind(label: str) -> str:
    """What a parenthesised line announces: a question, a follow-up, the announcer, the end, or a
    named person ("person"); "" when it names nobody."""
    text = label.strip()
    if QUESTION.match(text):
        return "question"
    if FOLLOW_UP.match(text):
        return "follow_up"
    if ANNOUNCE.match(text):
        return "announce"
    if END.match(text):
        return "end"
    m = ROLE_LABEL.match(text)
    if parse_person((m.group(2) if m else text).strip()):
        return "person"
    return ""


def _editorial_note(text: str) -> bool:
    """A paragraph wholly in parentheses that names no speaker: the editor's, not the speaker's."""
    return text.startswith("(") and text.endswith(")") and text.count("(") == 1


def _role_line(text: str) -> bool:
    """A line continuing a speaker heading with their position: short, no sentence, no person."""
    clean = strip_markup(text)
    return (
        is_heading(text, 14)
        and not is_section(text)
        and not parse_person(clean)
        and not LABEL.match(clean)
        and not TIME.search(clean)
        and not STRUCTURE.match(clean)
        and not re.match(r"^\w+\s*:$", clean)
        and clean[:1].isupper()
    )


def _affiliation(text: str) -> str:
    """What an audience member says they are: "I am from Embassy of Kenya" -> "Embassy of Kenya"."""
    for pattern in AFFILIATION:
        m = pattern.search(text)
        if m:
            parts = [re.sub(r"^(?:the|an?)\s+", "", g.strip()) for g in m.groups() if g]
            return ", ".join(parts)
    return ""
