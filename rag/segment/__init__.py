"""The segment stage: a document's text becomes speaker turns of paragraphs, then chunks.

Minutes come in several layouts; each is one module with a `Layout` class (`numbered.py`,
`programme.py`, `colon.py`, `plain.py`). Every layout scores how well a document fits it and the
best one segments it; a new layout is a new module and one line in `LAYOUTS`.
"""

from __future__ import annotations

from rag.minutes import Minutes, SourceText
from rag.segment.chunk import make_chunks
from rag.segment.colon import ColonLayout
from rag.segment.numbered import NumberedLayout
from rag.segment.paragraphs import split_paragraphs
from rag.segment.plain import PlainLayout
from rag.segment.programme import ProgrammeLayout

LAYOUTS = [NumberedLayout(), ProgrammeLayout(), ColonLayout(), PlainLayout()]

__all__ = ["LAYOUTS", "segment_minutes", "make_chunks", "choose_layout"]


def choose_layout(paragraphs: list[str]):
    return max(LAYOUTS, key=lambda layout: layout.score(paragraphs))


def segment_minutes(source: SourceText) -> Minutes:
    paragraphs = split_paragraphs(source.text)
    return choose_layout(paragraphs).segment(source, paragraphs)
