"""HTML pages (parliamentary records saved from the web), read with the standard library's HTML
parser: block elements become paragraphs, table rows tab-separated lines, and script, style,
navigation and the page head are dropped. A speaker name printed in bold at the start of a
paragraph (`<p><b>Mr J SMITH</b> I rise ...`) is put on its own line above the words, the
convention the segmenter learns; `<b>Mr J SMITH:</b> I rise` stays one line. The page's
<title> is the document title."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from rag.read.base import Reader, ReadError, decode_text, register

BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "section",
        "article",
        "dt",
        "dd",
        "pre",
        "table",
        "ul",
        "ol",
        "main",
        "header",
        "figcaption",
        "caption",
        "center",
    }
)
CELLS = frozenset({"td", "th"})
SKIPPED = frozenset({"script", "style", "head", "nav", "noscript", "template", "svg", "button", "form", "select"})
BOLD = frozenset({"b", "strong"})


class _Blocks(HTMLParser):
    """Collects the text of block elements in document order, each piece of text with whether
    it was bold."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.title = ""
        self._parts: list[tuple[str, bool]] = []
        self._skip = 0
        self._in_title = False
        self._bold = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        if tag in SKIPPED:
            self._skip += 1
        elif tag in BLOCKS:
            self.flush()
        elif tag in CELLS and self._parts and self._parts[-1][0] != "\n":
            self._parts.append(("\t", False))
        elif tag == "br":
            self._parts.append(("\n", False))
        elif tag in BOLD:
            self._bold += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "tr":
            self._parts.append(("\n", False))
        elif tag in BLOCKS:
            self.flush()
        elif tag in BOLD:
            self._bold = max(0, self._bold - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._parts.append((data, self._bold > 0))

    def flush(self) -> None:
        parts = [(text.replace("\xa0", " "), bold) for text, bold in self._parts]
        self._parts = []
        lead = 0  # leading bold pieces: a speaker's name when plain text follows
        while lead < len(parts) and (parts[lead][1] or not parts[lead][0].strip()):
            lead += 1
        name = " ".join("".join(text for text, _ in parts[:lead]).split())
        rest = "".join(text for text, _ in parts[lead:])
        if name and rest.strip() and "\t" not in rest:
            raw = f"{name} {rest}" if name.endswith(":") else f"{name}\n{rest.strip()}"
        else:
            raw = "".join(text for text, _ in parts)
        lines = ["\t".join(" ".join(cell.split()) for cell in line.split("\t")) for line in raw.split("\n")]
        text = "\n".join(line for line in lines if line.strip())
        if text:
            self.blocks.append(text)


class HtmlReader(Reader):
    suffixes = (".html", ".htm")

    def _parse(self, path: Path) -> _Blocks:
        parser = _Blocks()
        parser.feed(decode_text(path))
        parser.close()
        parser.flush()
        if not parser.blocks:
            raise ReadError(path, "no text in the HTML page")
        return parser

    def read_text(self, path: Path) -> str:
        return "\n\n".join(self._parse(path).blocks)

    def metadata(self, path: Path) -> dict:
        title = " ".join(self._parse(path).title.split())
        return {"title": title} if title else {}


register(HtmlReader())
