"""What every reader shares: the one-line error, the reader interface and the registry by suffix."""

from __future__ import annotations

from pathlib import Path


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

    def metadata(self, path: Path) -> dict:
        """Document metadata the file itself carries (e.g. a PDF's title)."""
        return {}


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    for suffix in reader.suffixes:
        READERS[suffix] = reader
    return reader
