"""Word documents with python-docx: paragraphs and tables in document order, tables as
tab-separated rows (the segmenter recognises tab-separated rows as a table)."""

from __future__ import annotations

from pathlib import Path

from rag.read.base import Reader, ReadError, register


class DocxReader(Reader):
    suffixes = (".docx",)

    def _open(self, path: Path):
        import docx

        try:
            return docx.Document(str(path))
        except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors...
            raise ReadError(path, f"not a readable Word document ({type(exc).__name__})") from None

    def read_text(self, path: Path) -> str:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = self._open(path)
        blocks = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                if block.text.strip():
                    blocks.append(block.text)
            elif isinstance(block, Table):
                rows = ["\t".join(cell.text.replace("\n", " ") for cell in row.cells) for row in block.rows]
                blocks.append("\n".join(rows))
        return "\n\n".join(blocks)

    def metadata(self, path: Path) -> dict:
        title = (self._open(path).core_properties.title or "").strip()
        return {"title": title} if title else {}


register(DocxReader())
