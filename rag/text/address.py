"""Forms of address: titles, ranks and honorifics that stand before a name, and the post-nominal
letters that follow one. Data, not the only way in: a segmenter learns a document's own turn
markers and may extend these lists with what it finds (`rag/segment/`).

One list for everyone: the segmenters (finding names), sentence splitting ("Gen." does not end a
sentence), the answerability check ("Colonel" is no name to look up) and the courtesy filter.
"""

from __future__ import annotations

import re

# Ranks, honorifics and titles that may stand before a name, longest first (a regex alternation
# tries them in order, so "Major General" must come before "Major").
TITLES: tuple[str, ...] = (
    "Lieutenant General",
    "Major General",
    "Brigadier General",
    "Lieutenant Colonel",
    "Rear Admiral",
    "Vice Admiral",
    "Right Honourable",
    "Right Hon.",
    "Rt. Hon.",
    "Rt Hon",
    "Lt. Gen.",
    "Lt Gen",
    "Maj. Gen.",
    "Maj Gen",
    "Brig. Gen.",
    "Brig Gen",
    "Lt. Col.",
    "Lt Col",
    "General",
    "Gen.",
    "Colonel",
    "Col.",
    "Commander",
    "Cdr.",
    "Captain",
    "Capt.",
    "Major",
    "Maj.",
    "Admiral",
    "Brigadier",
    "Ambassador",
    "Amb.",
    "H.E.",
    "Hon.",
    "Honourable",
    "Sir",
    "Dame",
    "Senator",
    "Judge",
    "Justice",
    "Rev.",
    "Reverend",
    "Father",
    "Sister",
    "Professor",
    "Prof.",
    "Dr.",
    "Dr",
    "Mr.",
    "Mr",
    "Mrs.",
    "Mrs",
    "Ms.",
    "Ms",
    "Mx.",
    "Miss",
    "Madam",
    "Doctor",
)

# Letters after a name that say what office a person holds (Welsh and UK assemblies, courts).
SUFFIXES: tuple[str, ...] = ("AM", "MS", "MP", "MLA", "MSP", "MEP", "MPP", "MHA", "QC", "KC", "TD", "OBE", "MBE", "CBE")

# Lower-case words of the titles ("major", "general", "dr", ...), for word-level checks.
TITLE_WORDS: frozenset[str] = frozenset(w for t in TITLES for w in re.findall(r"[a-z]+", t.lower())) | {
    "excellency",
    "lieutenant",
    "sir",
    "madam",
    "dame",
    "doctor",
    "professor",
    "ambassador",
}

# Honorifics that say which pronoun a person takes ("Ms. Yamamoto" is "she"), lower case, no full stop.
FEMININE_TITLES: frozenset[str] = frozenset({"ms", "mrs", "miss", "madam", "madame", "dame", "lady", "sister"})
MASCULINE_TITLES: frozenset[str] = frozenset({"mr", "sir", "lord", "father"})

# Abbreviated titles: a full stop after one does not end a sentence ("Gen. Cammaert said").
ABBREVIATED_TITLES: frozenset[str] = frozenset(
    t.lower().rstrip(".") for t in TITLES if t.endswith(".") and " " not in t
) | {"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "cdr", "sgt", "brig", "hon", "rev", "amb"}


def title_words() -> frozenset[str]:
    return TITLE_WORDS


def title_pattern(titles: tuple[str, ...] = TITLES) -> str:
    """A regex alternation of the titles, longest first, each followed by whitespace."""
    ordered = sorted(set(titles), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(t) for t in ordered) + r")(?=\s)"
