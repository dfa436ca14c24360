"""What every reader shares: the one-line error, the reader interface, the registry by suffix and
strict UTF-8 decoding."""

from __future__ import annotations

from pathlib import Path

from rag.minutes import TranscriptTurn


class ReadError(Exception):
    """A document that cannot be ingested; str() is one line: '<file>: <reason>'."""

    def __init__(self, path: Path | str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{Path(path).name}: {reason}")


class Reader:
    """Turns one file format into plain text; paragraphs separated by blank lines."""

    suffixes: tuple[str, ...] = ()

    def read_text(self, path: Path) -> str:
        raise NotImplementedError

    def read(self, path: Path) -> tuple[str, tuple[TranscriptTurn, ...]]:
        """The text, and the turns when the format marks them (transcripts); formats that do
        not leave the turns to the segmenter."""
        return self.read_text(path), ()

    def metadata(self, path: Path) -> dict:
        """Document metadata the file itself carries (e.g. a PDF's title)."""
        return {}


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    for suffix in reader.suffixes:
        READERS[suffix] = reader
    return reader


def decode_text(path: Path) -> str:
    """A text file's content: strict UTF-8 (a byte-order mark dropped), because a wrong guess of
    the encoding would put wrong characters into quotes that instructors check word for word."""
    data = path.read_bytes()
    if b"\x00" in data or _control_share(data) > 0.05:
        raise ReadError(path, "binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    control = sum(1 for b in data[:65536] if b < 32 and b not in (9, 10, 12, 13))
    return control / min(len(data), 65536)
