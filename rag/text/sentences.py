"""Sentence splitting, shared by the stages that need it (segmenting, embed windows, extractive
answers, citation checks): one definition, so a sentence means the same thing everywhere."""

from __future__ import annotations

import re

from rag.text.address import ABBREVIATED_TITLES

# Titles and abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = ABBREVIATED_TITLES | {
    "st",
    "no",
    "nos",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.n",
    "u.k",
    "ret",
    "jr",
    "sr",
    "fig",
    "vol",
    "art",
    "para",
    "approx",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "ltd",
    "co",
}

# A candidate boundary: terminal punctuation, optional closing quote/bracket, whitespace.
_BOUNDARY = re.compile(r"""([.!?]["'”’)\]]*)(\s+)""")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping each sentence's own characters (no rewriting).

    A boundary needs terminal punctuation followed by whitespace and then something that can
    start a sentence (upper case, digit, quote, bracket, bullet). Full stops after known titles
    ("Mr.", "Gen."), single initials ("David M. Malone") and inside numbers ("10.8") are not
    boundaries. Line breaks inside a paragraph (tables, bullet lists) also end a sentence.
    """
    sentences: list[str] = []
    for block in re.split(r"\n+", text):
        start = 0
        for m in _BOUNDARY.finditer(block):
            end = m.end(1)
            rest = block[m.end() :]
            if not rest or not _can_start(rest[0]):
                continue
            word = re.search(r"([\w.]+)[.!?][\"'”’)\]]*$", block[start:end])
            if m.group(1).startswith(".") and word:
                token = word.group(1).lower()
                if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
            piece = block[start:end].strip()
            if _LIST_NUMBER.match(piece):
                continue  # "1." or "- 4." opening a numbered paragraph belongs to its first sentence
            if piece:
                sentences.append(piece)
            start = m.end()
        tail = block[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


_LIST_NUMBER = re.compile(r"^[-–•*]?\s*\(?\d{1,3}[.)]$")


def _can_start(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in "\"'“‘([-•*➤■–—"
