"""SubRip captions (.srt): numbered cues with `00:00:01,000 --> 00:00:04,000` timings; speakers
written in front of the cue ("Jane Doe: Hello") or in a voice tag. A malformed timing is refused
with its line number."""

from __future__ import annotations

import re

from rag.read.base import register
from rag.read.transcript import CaptionReader

_TIME = r"\d{1,2}:\d{2}:\d{2}[,.]\d{3}"


class SrtReader(CaptionReader):
    suffixes = (".srt",)
    timing = re.compile(rf"^({_TIME})\s+-->\s+({_TIME})(?:\s+.*)?$")
    timing_name = "SubRip cue timing"

    def timing_at(self, block: list[str]) -> int:
        return 1 if block[0].strip().isdigit() else 0  # the cue's number first


register(SrtReader())
