"""WebVTT captions (Teams, Zoom, YouTube exports): cues with timings, speakers in voice tags
(`<v Jane Doe>Hello</v>`) or written in front of the cue ("Jane Doe: Hello").

A file that does not start with WEBVTT, or a cue whose timing line is malformed, is refused with
its line number: half a transcript is worse than none, because its turns would look complete.
"""

from __future__ import annotations

import re
from pathlib import Path

from rag.read.base import ReadError, register
from rag.read.transcript import CaptionReader

_TIME = r"(?:\d+:)?\d{2}:\d{2}\.\d{3}"


class VttReader(CaptionReader):
    suffixes = (".vtt",)
    timing = re.compile(rf"^({_TIME})\s+-->\s+({_TIME})(?:\s+.*)?$")
    first_line = 1

    def check_header(self, path: Path, lines: list[str]) -> None:
        if not lines[0].startswith("WEBVTT"):
            raise ReadError(path, "not a WebVTT file (the first line must be WEBVTT)")

    def timing_at(self, block: list[str]) -> int:
        return 0 if "-->" in block[0] else 1  # a cue may have an identifier line first

    def is_cue(self, block: list[str]) -> bool:
        return not block[0].startswith(("NOTE", "STYLE", "REGION"))


register(VttReader())
