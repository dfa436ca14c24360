"""Paragraphs as the minutes print them, with page breaks undone, and what kind each one is.

Minutes converted from PDF keep page breaks as blank lines, sometimes in mid-sentence: a block
that ends without closing punctuation, followed by one that starts in lower case, is one
paragraph broken by the page, and is joined back with a single space. Nothing else is rewritten.
"""

from __future__ import annotations

import re

_BLANK = re.compile(r"\n[ \t\u00a0\u3000\u200b]*\n(?:[ \t\u00a0\u3000\u200b]*\n)*")
_TERMINAL = tuple('.!?:;"”’)]。！？')


def split_paragraphs(text: str) -> list[str]:
    blocks = [b.strip(" \t\n\u00a0\u3000\u200b") for b in _BLANK.split(text.replace("\r\n", "\n"))]
    paragraphs: list[str] = []
    for block in (piece for b in blocks if b for piece in _one_paragraph_a_line(b)):
        if paragraphs and is_page_break(paragraphs[-1], block):
            paragraphs[-1] = f"{paragraphs[-1]} {block}"
        else:
            paragraphs.append(block)
    return paragraphs


_PROSE_LINE = 120  # characters: a line this long is a reflowed paragraph, not a wrapped line


def _one_paragraph_a_line(block: str) -> list[str]:
    """Text converted with one paragraph a line and no blank line between them ("1. ...\n2. ...")
    is split at each line that follows a long line ending a sentence."""
    lines = block.split("\n")
    pieces = [lines[0]]
    for line in lines[1:]:
        previous = pieces[-1].split("\n")[-1]
        ends_sentence = previous.rstrip()[-1:] in '.!?"”)'
        if len(previous) >= _PROSE_LINE and ends_sentence and "\t" not in previous and line.strip():
            pieces.append(line)
        else:
            pieces[-1] += "\n" + line
    return [p.strip() for p in pieces if p.strip()]


def is_page_break(before: str, after: str) -> bool:
    """`before` stops mid-sentence and `after` carries on in lower case."""
    last, first = before.rstrip()[-1:], after.lstrip()[:1]
    if "\t" in before.splitlines()[-1] or "\t" in after.splitlines()[0]:
        return False  # table rows end without punctuation as a matter of course
    return bool(last) and last not in _TERMINAL and first.isalpha() and first.islower()


# -- what a paragraph is --------------------------------------------------------------------------
_BULLET = re.compile(r"^\s*(?:[-–•*➤■□○◆▪・]|\d+[.)]\s|\(\d+\)|[a-z][.)]\s)", re.MULTILINE)
_SOCIAL = re.compile(r"(?:^|\s)@\w{2,}|(?:^|\s)#\w{3,}|\b\d[\d,]*\s+[Vv]iews\b|\b(?:AM|PM)\s*[·\-]")
_URL = re.compile(r"^<?https?://\S+>?$")


def is_table(paragraph: str) -> bool:
    lines = [line for line in paragraph.splitlines() if line.strip()]
    tabbed = [line for line in lines if len([c for c in line.split("\t") if c.strip()]) >= 2]
    one_wide_row = len(lines) == 1 and len([c for c in lines[0].split("\t") if c.strip()]) >= 3
    return bool(lines) and (len(tabbed) >= 2 or one_wide_row)


def is_heading(paragraph: str, max_words: int = 16) -> bool:
    """A title-like line: one line, short, no closing punctuation (a colon may end it)."""
    if "\n" in paragraph.strip() or "\t" in paragraph:
        return False
    text = paragraph.strip().strip("*_").strip()
    if not text or len(text.split()) > max_words:
        return False
    return text[-1] not in '.!?;"”。' and not text[0].islower()


def slide_like(paragraph: str) -> bool:
    """Slide text inside a presentation: bullets, titles, quoted posts, links."""
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    if not lines:
        return False
    if all(_URL.match(line) for line in lines) or _SOCIAL.search(paragraph):
        return True
    bullets = sum(1 for line in lines if _BULLET.match(line))
    unpunctuated = not paragraph.rstrip().endswith((".", "。"))
    if (bullets and bullets >= len(lines) / 2 and unpunctuated) or (bullets == len(lines) and bullets):
        return True
    return is_heading(paragraph, 12)


def strip_markup(text: str) -> str:
    return re.sub(r"\*\*|__", "", text).strip()
