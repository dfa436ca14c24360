"""People named in minutes, and the one canonical name each of them gets.

Minutes name one person many ways: "Major General (Ret.) Patrick Cammaert", "General Cammaert",
"Gen. Cammaert"; Japanese names family name first with the family name in capitals ("SHINODA
Hideaki", "Prof. SHINODA"). A canonical name is "Given Family" in normal case; every other form
resolves to it by full name, or by family name when that is unambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rag.minutes import Speaker
from rag.text.address import TITLES, title_pattern

_TITLE = title_pattern(TITLES)
_RET = r"(?:\s*\((?:Ret\.?|retired|Retd\.?)\))?"
# A name: capitalised words, initials ("M."), hyphenated or accented, 1-4 tokens.
_NAME_TOKEN = r"(?:[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?|[A-ZÀ-ÖØ-Þ]\.)"
_NAME = rf"{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{0,3}}"  # a name never wraps onto the next line
PERSON = re.compile(rf"(?P<title>(?:{_TITLE}\s*{_RET}\s+)+)(?P<name>{_NAME})")
_STOP_NAME_WORDS = {"The", "This", "That", "Japan", "UN", "United", "Nations", "Security", "Council", "Sir."}


@dataclass(frozen=True)
class PersonMention:
    title: str
    name: str  # as written, e.g. "SHINODA Hideaki"
    canonical: str  # "Hideaki Shinoda"
    family: str  # "shinoda" (key for matching)
    start: int
    end: int


def fold(text: str) -> str:
    """Lower case without accents: "José" and "Jose" match."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _cap(word: str) -> str:
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


def canonical_name(name: str) -> tuple[str, str]:
    """("Hideaki Shinoda", "shinoda") from "SHINODA Hideaki"; ("Patrick Cammaert", "cammaert")."""
    tokens = [t for t in name.replace(",", " ").split() if t]
    caps = [t.isupper() and len(t.strip(".")) > 1 for t in tokens]
    if len(tokens) >= 2 and caps[0] and not all(caps):
        tokens = [*tokens[1:], tokens[0]]  # family name first, in capitals
    tokens = [_cap(t) if t.isupper() and len(t.strip(".")) > 1 else t for t in tokens]
    return " ".join(tokens), fold(tokens[-1]).strip(".") if tokens else ""


def find_people(text: str) -> list[PersonMention]:
    """Every "title + name" in the text, e.g. "Prof. Sukehiro Hasegawa", "**Ms. Junko Sazaki**"."""
    clean = text.replace("**", "")
    out = []
    for m in PERSON.finditer(clean):
        tokens = m.group("name").split()
        while tokens and tokens[-1].rstrip(".") in _STOP_NAME_WORDS:
            tokens.pop()
        if not tokens or tokens[0] in _STOP_NAME_WORDS:
            continue
        name = " ".join(tokens).rstrip(".,") if not re.fullmatch(r"[A-Z]\.", tokens[-1]) else " ".join(tokens)
        canonical, family = canonical_name(name)
        title = " ".join(m.group("title").split())
        out.append(PersonMention(title, name, canonical, family, m.start(), m.start("name") + len(name)))
    return out


def parse_person(text: str) -> tuple[PersonMention, str] | None:
    """A line that introduces a person: "Colonel Werner Klaffus, German Bundeswehr" ->
    (mention, "German Bundeswehr"). The title must open the line (after an optional label
    such as "Moderator:")."""
    clean = strip_label(text.replace("**", "").strip())
    people = find_people(clean)
    if not people or people[0].start != 0:
        return None
    person = people[0]
    rest = clean[person.end :].strip(" ,;\n")
    return person, " ".join(rest.split())


def strip_label(text: str) -> str:
    return re.sub(
        r"^(?:Moderator|Chair|Chairperson|Panelists?|Speakers?|Keynote Speaker)\s*:\s*", "", text, flags=re.IGNORECASE
    )


class SpeakerRegistry:
    """Canonical speakers of one document, with every alias seen."""

    def __init__(self):
        self.speakers: dict[str, Speaker] = {}
        self.offices: dict[str, str] = {}  # office ("chair") -> the canonical name of who holds it, as declared

    def holder(self, office: str) -> Speaker | None:
        """Who the document has said holds an office ("The Chair (Hon. Anthony Rota)")."""
        name = self.offices.get(office)
        return self.speakers.get(name) if name else None

    def declare(self, office: str, speaker: Speaker) -> None:
        """The document says so: from here on the office names this speaker (a later
        declaration, e.g. an acting chair taking over, replaces it)."""
        if office:
            self.offices[office] = speaker.name

    def add(self, canonical: str, role: str = "", alias: str = "") -> Speaker:
        found = self.lookup(canonical)
        if found is None:
            found = self.speakers[canonical] = Speaker(canonical, role, {canonical})
        if role and not found.role:
            found.role = role
        if alias:
            found.aliases.add(alias)
        return found

    def lookup(self, name: str, title: str = "") -> Speaker | None:
        """The speaker a name form refers to: same full name, or the only one with that family
        name (a given name that disagrees, allowing one OCR slip such as "lan"/"Ian", rules a
        candidate out)."""
        canonical, family = canonical_name(name)
        key = fold(canonical)
        for speaker in self.speakers.values():
            if fold(speaker.name) == key:
                return speaker
        given = fold(canonical.split()[0]) if len(canonical.split()) > 1 else ""
        candidates = []
        for speaker in self.speakers.values():
            parts = speaker.name.split()
            if fold(parts[-1]) != family:
                continue
            if given and len(parts) > 1 and not _close(given, fold(parts[0])):
                continue
            candidates.append(speaker)
        return candidates[0] if len(candidates) == 1 else None

    def resolve(self, mention: PersonMention) -> Speaker | None:
        speaker = self.lookup(mention.name)
        if speaker is not None:
            speaker.aliases.add(f"{mention.title} {mention.name}".strip())
        return speaker


def _close(a: str, b: str) -> bool:
    """Equal, an initial of the other, or one character apart (OCR: "lan" for "Ian")."""
    a, b = a.rstrip("."), b.rstrip(".")
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    if len(a) == len(b) >= 3:  # two different initials ("J", "E") are two people
        return sum(x != y for x, y in zip(a, b, strict=False)) <= 1
    return False
