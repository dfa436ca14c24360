"""PDF with pypdf. Pages are separated by a blank line, so a sentence broken across a page is
joined back by the segmenter like any other page break in the minutes."""

from __future__ import annotations

import logging
from pathlib import Path

from rag.read.base import Reader, ReadError, register


class PdfReader(Reader):
    suffixes = (".pdf",)

    def _open(self, path: Path):
        from pypdf import PdfReader as _Pdf
        from pypdf.errors import PdfReadError

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        try:
            pdf = _Pdf(str(path))
            if pdf.is_encrypted:
                raise ReadError(path, "encrypted PDF (remove the password first)")
            return pdf
        except ReadError:
            raise
        except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ReadError(path, f"not a readable PDF ({reason})") from None

    def read_text(self, path: Path) -> str:
        pdf = self._open(path)
        try:
            pages = [(page.extract_text() or "").strip() for page in pdf.pages]
        except Exception as exc:  # pypdf raises many kinds on damaged content streams
            raise ReadError(path, f"not a readable PDF ({type(exc).__name__})") from None
        text = "\n\n".join(p for p in pages if p)
        if not text.strip():
            raise ReadError(path, "no extractable text (scanned PDF? run OCR first)")
        return text

    def metadata(self, path: Path) -> dict:
        info = self._open(path).metadata
        title = (info.title or "").strip() if info else ""
        return {"title": title} if title else {}


register(PdfReader())
