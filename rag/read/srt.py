"""SubRip captions (.srt): numbered cues with `00:00:01,000 --> 00:00:04,000` timings; speakers
written in front of the cue ("Jane Doe: Hello") or in a voice tag. A malformed timing is refused
with its line number."""

from __future__ import annotations

import re
from pathlib import Path

from rag.read.base import register
from rag.read.transcript import (
    Cue,
    TranscriptReader,
    caption_blocks,
    caption_lines,
    speakers_from_prefixes,
    timed_cue,
)

_TIME = r"\d{1,2}:\d{2}:\d{2}[,.]\d{3}"
TIMING = re.compile(rf"^({_TIME})\s+-->\s+({_TIME})(?:\s+.*)?$")


class SrtReader(TranscriptReader):
    suffixes = (".srt",)

    def cues(self, path: Path) -> list[Cue]:
        cues = [
            timed_cue(path, block, first, 1 if block[0].strip().isdigit() else 0, TIMING, "SubRip cue timing")
            for first, block in caption_blocks(caption_lines(path))
        ]
        return speakers_from_prefixes(cues)


register(SrtReader())
