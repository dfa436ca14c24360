"""Word documents with python-docx: paragraphs and tables in document order, tables as
tab-separated rows (the segmenter recognises tab-separated rows as a table). A speaker's name in
bold at the start of a paragraph ("**Mr J SMITH** I rise ...") is put on its own line above the
words, the convention the segmenter learns; a bold "Mr J SMITH:" already marks itself."""

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
                    blocks.append(_with_bold_name(block))
            elif isinstance(block, Table):
                rows = ["\t".join(cell.text.replace("\n", " ") for cell in row.cells) for row in block.rows]
                blocks.append("\n".join(rows))
        return "\n\n".join(blocks)

    def metadata(self, path: Path) -> dict:
        title = (self._open(path).core_properties.title or "").strip()
        return {"title": title} if title else {}


def _with_bold_name(paragraph) -> str:
    """The paragraph's text, with a leading bold name on its own line."""
    runs = list(paragraph.runs)
    lead = 0
    while lead < len(runs) and (runs[lead].bold or not runs[lead].text.strip()):
        lead += 1
    name = " ".join("".join(r.text for r in runs[:lead]).split())
    rest = "".join(r.text for r in runs[lead:]).strip()
    if not name or not rest or name.endswith(":") or "".join(r.text for r in runs) != paragraph.text:
        return paragraph.text  # no bold name, a name that marks itself, or text outside runs (fields, links)
    return f"{name}\n{rest}"


register(DocxReader())
