"""Minutes in numbered paragraphs, each reporting one participant named in its first sentence:

    7. Prof. Sukehiro Hasegawa commented that ...
    - 4. Ms. Henrietta Mensa-Bonsu spoke of ...
    Mr. Ian Martin clarified how ... Firstly, 3. he said ...   (the number slipped into the text)

Short unpunctuated lines are section headings; an annex of attendees ("ANNEX A", tab-separated
Name / Title / Organization rows) gives each speaker a role. A paragraph's speaker is the first
person its first sentence names: for an opening paragraph such as "The meeting was opened by
UNU Rector Dr. David M. Malone ... followed by the opening remarks of Mr. Yasushi Akashi" that
is the person who opened the meeting (the minute-taker reports him first).
"""

from __future__ import annotations

import itertools
import re

from rag.minutes import Minutes, SourceText
from rag.segment.base import Layout, MinutesBuilder
from rag.segment.paragraphs import is_heading, is_table
from rag.segment.speakers import canonical_name, find_people, fold
from rag.text import split_sentences

NUMBER = re.compile(r"^\s*(?:[-–•*]\s*)?(\d{1,3})\.\s+(?=\S)")
INNER_NUMBER = re.compile(r"(?<=\s)(\d{1,3})\.\s+(?=[a-z])")
ANNEX = re.compile(r"^\s*(?:ANNEX|Annex|APPENDIX|Appendix)\b")
_ROLE_BEFORE = re.compile(r"((?:[A-Z][\w&-]*\s+){1,3})$")


class NumberedLayout(Layout):
    name = "numbered"

    def score(self, paragraphs: list[str]) -> float:
        numbers = [int(m.group(1)) for p in paragraphs if (m := NUMBER.match(p))]
        ascending = sum(1 for a, b in itertools.pairwise(numbers) if b == a + 1)
        if ascending < 2:
            return 0.0
        body = [p for p in paragraphs if not is_heading(p) and not is_table(p)]
        return min(1.0, 0.4 + len(numbers) / max(len(body), 1))

    def segment(self, source: SourceText, paragraphs: list[str]) -> Minutes:
        b = MinutesBuilder(source, self.name)
        annex_at = next((i for i, p in enumerate(paragraphs) if ANNEX.match(p) and is_heading(p)), len(paragraphs))
        roles = attendee_roles(paragraphs[annex_at:])
        started = False  # before the first numbered paragraph: title and meeting details
        previous = 0
        for text in paragraphs[:annex_at]:
            number = ""
            m = NUMBER.match(text)
            if m:
                number = m.group(1)
            else:
                inner = INNER_NUMBER.search(text[:300])  # "Firstly, 3. he said": near the start
                if inner and started and int(inner.group(1)) == previous + 1:
                    number = inner.group(1)
            if number:
                started, previous = True, int(number)
                self._start(b, text, roles)
                b.add(text, "speech", number)
            elif is_heading(text):
                b.end_turn()
                b.section = text.strip().strip("*").strip()
                b.add(text, "front_matter", in_turn=False)
            elif not started:
                b.add(text, "front_matter", in_turn=False)
            elif b.current is None:
                # before the first numbered paragraph, or an unnumbered one naming its speaker
                if find_people(split_sentences(text)[0]):
                    self._start(b, text, roles)
                    b.add(text, "speech")
                else:
                    b.add(text, "table" if is_table(text) else "front_matter", in_turn=False)
            else:
                b.add(text, "table" if is_table(text) else "speech")  # the turn goes on
        b.end_turn()
        if annex_at < len(paragraphs):
            b.section = paragraphs[annex_at].strip()
        for text in paragraphs[annex_at:]:
            b.add(text, "annex", in_turn=False)
        return b.build()

    def _start(self, b: MinutesBuilder, text: str, roles: dict[str, tuple[str, str]]) -> None:
        first = split_sentences(text)[0]
        people = find_people(first)
        if not people:
            current = b.current
            b.start_turn(current.speaker if current else "", current.role if current else "")
            return
        person = people[0]
        speaker = b.registry.lookup(person.name) or b.registry.add(person.canonical)
        speaker.aliases.add(f"{person.title} {person.name}")
        if not speaker.role:
            speaker.role = match_role(speaker.name, roles) or _role_before(first[: person.start])
        # other forms of the name in the same paragraph ("Mr. Oshima then stated")
        for other in find_people(text):
            if other.family == fold(speaker.name.split()[-1]):
                speaker.aliases.add(f"{other.title} {other.name}")
        b.start_turn(speaker.name, speaker.role, label=f"{person.title} {person.name}")


def _role_before(prefix: str) -> str:
    """ "UNU Rector" in "The meeting was opened by UNU Rector Dr. David M. Malone"."""
    m = _ROLE_BEFORE.search(prefix.replace("**", ""))
    words = m.group(1).split() if m else []
    while words and words[0] in {"The", "By", "A", "An"}:
        words.pop(0)
    return " ".join(words)


def attendee_roles(paragraphs: list[str]) -> dict[str, tuple[str, str]]:
    """Name -> (title, organisation) from tab-separated attendee tables. Cells that wrap continue
    on lines that start with tabs; they are appended to the row above, column by column."""
    rows: list[list[str]] = []
    for paragraph in paragraphs:
        for line in paragraph.splitlines():
            cells = line.split("\t")
            if len(cells) < 2:
                continue
            if not cells[0].strip() and rows:
                for i, cell in enumerate(cells):
                    if cell.strip() and i < len(rows[-1]):
                        rows[-1][i] = f"{rows[-1][i]} {cell.strip()}".strip()
                    elif cell.strip():
                        rows[-1].append(cell.strip())
            else:
                rows.append([c.strip() for c in cells])
    roles = {}
    for row in rows:
        if len(row) >= 2 and row[0] and row[0].lower() != "name":
            roles[row[0]] = (row[1], row[2] if len(row) > 2 else "")
    return roles


def match_role(name: str, roles: dict[str, tuple[str, str]]) -> str:
    """The attendee row of a speaker: same family name and a given name at most one OCR slip away."""
    from rag.segment.speakers import _close

    canonical, family = canonical_name(name)
    given = fold(canonical.split()[0])
    for row_name, (title, organisation) in roles.items():
        row_canonical, row_family = canonical_name(row_name)
        if row_family == family and _close(given, fold(row_canonical.split()[0])):
            return ", ".join(x for x in (title, organisation) if x)
    return ""
