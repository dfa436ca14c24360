"""Parliamentary records and transcripts: each turn opens with the speaker and a colon.

    Mr J SMITH: I move that ...
    The CHAIRPERSON: Thank you.
    Ms Jones (Canada): My delegation ...

A speaker tag needs a title ("Mr", "Senator", ...), a name in capitals, or "The" + an office in
capitals; a parenthesis after the name is the role. Field names such as "Note:", "URL:",
"Meeting Date and Time:" or "Moderator: Dr. X" are not turns.
"""

from __future__ import annotations

import re

from rag.minutes import Minutes, SourceText
from rag.segment.base import Layout, MinutesBuilder
from rag.segment.paragraphs import is_heading, is_table
from rag.segment.speakers import TITLES, canonical_name

_TITLE = "(?:" + "|".join(re.escape(t) for t in TITLES) + ")"
TAG = re.compile(
    rf"^(?P<who>(?:The\s+[A-Z][A-Z\- ]{{2,40}}|{_TITLE}\s+(?:[A-Z][\w.'’\-]*\s+){{0,3}}[A-Z][\w'’\-]+|[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){{0,3}}))"
    r"(?:\s*\((?P<role>[^()\n]{2,60})\))?\s*:\s+(?P<speech>\S.*)$",
    re.S,
)
NOT_SPEAKERS = {"note", "url", "date", "time", "venue", "place", "moderator", "panelists", "chair", "subject", "re",
                "agenda", "attendance", "present", "apologies", "source", "nb", "ps", "q", "a", "item"}


def speaker_tag(paragraph: str):
    m = TAG.match(paragraph.strip())
    if not m:
        return None
    who = m.group("who").strip()
    if who.lower() in NOT_SPEAKERS or who.split()[0].lower() in NOT_SPEAKERS:
        return None
    return m


class ColonLayout(Layout):
    name = "colon"

    def score(self, paragraphs: list[str]) -> float:
        tags = sum(1 for p in paragraphs if speaker_tag(p))
        return 0.0 if tags < 3 else min(0.9, 0.2 + tags / max(len(paragraphs), 1))

    def segment(self, source: SourceText, paragraphs: list[str]) -> Minutes:
        b = MinutesBuilder(source, self.name)
        for text in paragraphs:
            m = speaker_tag(text)
            if m:
                name = self._name(m.group("who"))
                speaker = b.registry.lookup(name) or b.registry.add(name, m.group("role") or "")
                speaker.aliases.add(m.group("who").strip())
                b.start_turn(speaker.name, speaker.role, label=m.group("who").strip())
                b.add(text, "table" if is_table(text) else "speech")
            elif is_heading(text):
                b.end_turn()
                b.section = text.strip().strip("*").strip()
                b.add(text, "front_matter", in_turn=False)
            elif b.current is None:
                b.add(text, "table" if is_table(text) else "front_matter", in_turn=False)
            else:
                b.add(text, "table" if is_table(text) else "speech")
        return b.build()

    @staticmethod
    def _name(who: str) -> str:
        """"Mr J SMITH" -> "J Smith"; "The CHAIRPERSON" -> "The Chairperson"."""
        words = who.split()
        if words[0] == "The":
            return "The " + " ".join(w.capitalize() for w in words[1:])
        titles = {t.rstrip(".") for t in TITLES}
        while len(words) > 1 and words[0].rstrip(".") in titles:
            words.pop(0)
        return canonical_name(" ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in words))[0]
