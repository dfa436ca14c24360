"""The fallback: a document with no recognisable turns still ingests, paragraph by paragraph,
with no speaker (searchable, citable, never attributed to anyone)."""

from __future__ import annotations

from rag.minutes import Minutes, SourceText
from rag.segment.base import Layout, MinutesBuilder
from rag.segment.paragraphs import is_heading, is_table


class PlainLayout(Layout):
    name = "plain"

    def score(self, paragraphs: list[str]) -> float:
        return 0.1  # always fits a little, so something always segments a document

    def segment(self, source: SourceText, paragraphs: list[str]) -> Minutes:
        b = MinutesBuilder(source, self.name)
        for text in paragraphs:
            if is_heading(text):
                b.section = text.strip().strip("*").strip()
                b.add(text, "front_matter", in_turn=False)
            else:
                b.add(text, "table" if is_table(text) else "speech", in_turn=False)
        return b.build()
