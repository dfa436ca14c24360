"""Transcripts whose reader already knows the turns (WebVTT, SRT, JSON): nothing is guessed.

Each `TranscriptTurn` becomes a paragraph with its timestamps; consecutive turns of one speaker
are one speaker turn. The speaker as the file writes it is parsed like any label
("Hon. Bill Blair (Minister of ...)" is Bill Blair, role Minister of ...), and a label that is no
name ("Speaker 1", "spk_0") is kept as written: the file says who speaks, the segmenter does not
second-guess it. A turn with no speaker is unattributed text.
"""

from __future__ import annotations

from rag.minutes import Minutes, SourceText
from rag.segment.base import Layout, MinutesBuilder
from rag.segment.labels import SpeakerLabel, parse_label, resolve


class TranscriptLayout(Layout):
    name = "transcript"

    def score(self, paragraphs: list[str]) -> float:
        return 0.0  # never chosen by fit: used when the reader hands over turns

    def segment(self, source: SourceText, paragraphs: list[str] | None = None) -> Minutes:
        b = MinutesBuilder(source, self.name)
        previous: str | None = None
        for turn in source.turns:
            text = turn.text.strip()
            if not text:
                continue
            written = " ".join(turn.speaker.split())
            if written != previous:
                b.end_turn()
                if written:
                    label = parse_label(written) or SpeakerLabel(written, written)
                    speaker = resolve(b.registry, label)
                    b.start_turn(speaker.name, speaker.role, label=written)
                previous = written
            b.add(text, "speech", in_turn=bool(written), start=turn.start, end=turn.end)
        return b.build()
