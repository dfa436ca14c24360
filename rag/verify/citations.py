"""Citation markers: parse `[1]`, `[1, 3]`, `[1][3]`, drop the ones that point nowhere, renumber.

An answer is written against the passages it was given, numbered 1..k. What the reader sees is
numbered by first appearance, 1..m, and `citations` holds exactly those m passages in that order,
so `[n]` in the text and `citations[n-1]` always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One marker group: "[1]", "[1, 3]", "[1,2 ,3]", "[1-2]" is not a citation (ranges are not allowed).
MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*,\s*\d{1,3})*)\s*\]")


@dataclass(frozen=True)
class Renumbered:
    text: str  # the answer with markers renumbered, invalid ones removed
    order: list[int]  # original passage numbers (1-based), in the new numbering's order
    dropped: list[int]  # marker numbers that pointed to no passage


def marker_numbers(group: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", group)]


def renumber(text: str, passages_given: int) -> Renumbered:
    """Renumber markers by first appearance; remove markers that point past the passages given."""
    new_number: dict[int, int] = {}
    dropped: list[int] = []

    def replace(m: re.Match) -> str:
        kept = []
        for n in marker_numbers(m.group(1)):
            if not 1 <= n <= passages_given:
                dropped.append(n)
                continue
            new_number.setdefault(n, len(new_number) + 1)
            if new_number[n] not in kept:
                kept.append(new_number[n])
        return "".join(f"[{k}]" for k in kept)

    out = MARKER.sub(replace, text)
    out = re.sub(r"[ \t]+([.,;:!?])", r"\1", out)  # a removed marker leaves no space before punctuation
    out = re.sub(r"[ \t]{2,}", " ", out).strip()
    return Renumbered(out, sorted(new_number, key=lambda n: new_number[n]), dropped)


def cited_numbers(sentence: str) -> list[int]:
    """The (already renumbered) passage numbers a sentence cites, in order, without repeats."""
    seen: list[int] = []
    for m in MARKER.finditer(sentence):
        for n in marker_numbers(m.group(1)):
            if n not in seen:
                seen.append(n)
    return seen


def strip_markers(sentence: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", sentence)).strip()
