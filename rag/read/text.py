"""Plain text and Markdown, strict UTF-8."""

from __future__ import annotations

from pathlib import Path

from rag.read.base import Reader, decode_text, register


class TextReader(Reader):
    suffixes = (".txt", ".md")

    def read_text(self, path: Path) -> str:
        return decode_text(path)


register(TextReader())
