"""The segment stage: a document's text becomes speaker turns of paragraphs, then chunks.

Minutes come in several layouts; each is one module with a `Layout` class (`numbered.py`,
`programme.py`, `marked.py`, `plain.py`). Every layout scores how well a document fits it and the
best one segments it; a new layout is a new module and one line in `LAYOUTS`. A transcript whose
reader already marked the turns (WebVTT, SRT, JSON) goes to `transcript.py` as it is.
"""

from __future__ import annotations

from rag.minutes import Minutes, SourceText
from rag.segment.chunk import make_chunks
from rag.segment.marked import MarkedLayout
from rag.segment.numbered import NumberedLayout
from rag.segment.paragraphs import split_paragraphs
from rag.segment.plain import PlainLayout
from rag.segment.programme import ProgrammeLayout
from rag.segment.report import segment_report, segment_warning
from rag.segment.transcript import TranscriptLayout

LAYOUTS = [NumberedLayout(), ProgrammeLayout(), MarkedLayout(), PlainLayout()]
TRANSCRIPT = TranscriptLayout()

__all__ = ["LAYOUTS", "choose_layout", "make_chunks", "segment_minutes", "segment_report", "segment_warning"]


def choose_layout(paragraphs: list[str]):
    return max(LAYOUTS, key=lambda layout: layout.score(paragraphs))


def segment_minutes(source: SourceText) -> Minutes:
    if source.turns:
        return TRANSCRIPT.segment(source)
    paragraphs = split_paragraphs(source.text)
    return choose_layout(paragraphs).segment(source, paragraphs)
