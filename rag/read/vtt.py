"""WebVTT captions (Teams, Zoom, YouTube exports): cues with timings, speakers in voice tags
(`<v Jane Doe>Hello</v>`) or written in front of the cue ("Jane Doe: Hello").

A file that does not start with WEBVTT, or a cue whose timing line is malformed, is refused with
its line number: half a transcript is worse than none, because its turns would look complete.
"""

from __future__ import annotations

import re
from pathlib import Path

from rag.read.base import ReadError, register
from rag.read.transcript import (
    Cue,
    TranscriptReader,
    caption_blocks,
    caption_lines,
    speakers_from_prefixes,
    timed_cue,
)

_TIME = r"(?:\d+:)?\d{2}:\d{2}\.\d{3}"
TIMING = re.compile(rf"^({_TIME})\s+-->\s+({_TIME})(?:\s+.*)?$")


class VttReader(TranscriptReader):
    suffixes = (".vtt",)

    def cues(self, path: Path) -> list[Cue]:
        lines = caption_lines(path)
        if not lines[0].startswith("WEBVTT"):
            raise ReadError(path, "not a WebVTT file (the first line must be WEBVTT)")
        cues = [
            timed_cue(path, block, first, 0 if "-->" in block[0] else 1, TIMING, "cue timing")
            for first, block in caption_blocks(lines, 1)
            if not block[0].startswith(("NOTE", "STYLE", "REGION"))
        ]
        return speakers_from_prefixes(cues)


register(VttReader())
