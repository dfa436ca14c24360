"""What the transcript formats (WebVTT, SRT, JSON) share: they mark their own turns, so the
reader hands them on as `TranscriptTurn`s and the segmenter does not guess them again.

Captions come in cues of a line or two; consecutive cues of one speaker are one turn, with the
first cue's start and the last cue's end. A caption file without voice tags often writes the
speaker in front of each cue ("John Smith: Hello"): such a prefix counts when it opens two or
more cues (people speak more than once; "Note: ..." does not recur), or, once that convention is
clear, when every word of it is capitalised. A cue with no speaker carries on the turn before it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rag.minutes import TranscriptTurn
from rag.read.base import Reader, ReadError, decode_text

_PREFIX = re.compile(r"^\s*([^\s:][^:]{0,150}?)\s*:\s+(?=\S)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")
_MAX_WORDS_UNVOICED = 60  # a caption file that names nobody: cues gathered into paragraphs of about this many words


@dataclass
class Cue:
    speaker: str
    text: str
    start: str = ""
    end: str = ""


class TranscriptReader(Reader):
    """A format that marks turns: `cues()` parses the file once; turns and text follow from them."""

    joins_cues = True  # captions split a turn into cues; a JSON transcript's items are turns already

    def cues(self, path: Path) -> list[Cue]:
        raise NotImplementedError

    def read(self, path: Path) -> tuple[str, tuple[TranscriptTurn, ...]]:
        cues = self.cues(path)
        if self.joins_cues:
            turns = join_cues(cues)
        else:
            turns = [
                TranscriptTurn(c.speaker, " ".join(c.text.split()), c.start, c.end) for c in cues if c.text.strip()
            ]
        if not turns:
            raise ReadError(path, "no spoken text in the transcript")
        return render(turns), tuple(turns)

    def read_text(self, path: Path) -> str:
        return self.read(path)[0]

    def metadata(self, path: Path) -> dict:
        title = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", path.stem).replace("_", " ").replace("-", " ").strip()
        return {"title": title or path.stem}


class CaptionReader(TranscriptReader):
    """Caption files (WebVTT, SRT): blocks of a timing line and text, separated by blank lines."""

    timing: re.Pattern  # group 1 the start, group 2 the end
    timing_name = "cue timing"  # as a bad one is reported
    first_line = 0  # where the cues start (after a header)

    def cues(self, path: Path) -> list[Cue]:
        lines = caption_lines(path)
        self.check_header(path, lines)
        cues = [
            timed_cue(path, block, first, self.timing_at(block), self.timing, self.timing_name)
            for first, block in caption_blocks(lines, self.first_line)
            if self.is_cue(block)
        ]
        return speakers_from_prefixes(cues)

    def check_header(self, path: Path, lines: list[str]) -> None:
        """Refuse a file that is not of the format."""

    def timing_at(self, block: list[str]) -> int:
        return 0

    def is_cue(self, block: list[str]) -> bool:
        return True


def caption_lines(path: Path) -> list[str]:
    return decode_text(path).replace("\r\n", "\n").replace("\r", "\n").split("\n")


def caption_blocks(lines: list[str], start: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Blocks of non-blank lines (cues, notes), each with the index of its first line."""
    n = start
    while n < len(lines):
        if not lines[n].strip():
            n += 1
            continue
        first = n
        while n < len(lines) and lines[n].strip():
            n += 1
        yield first, lines[first:n]


def timed_cue(path: Path, block: list[str], first: int, timing_at: int, timing: re.Pattern, what: str) -> Cue:
    """The cue of a block whose line `timing_at` is its timing; a bad timing is refused with its line number."""
    m = timing.match(block[timing_at].strip()) if timing_at < len(block) else None
    if m is None:
        at = min(timing_at, len(block) - 1)
        raise ReadError(path, f"line {first + at + 1}: not a {what} ('{block[at].strip()[:60]}')")
    start, end = (t.replace(",", ".") for t in m.group(1, 2))
    return cue_from_payload(" ".join(block[timing_at + 1 :]), start, end)


def cue_from_payload(payload: str, start: str, end: str) -> Cue:
    """A caption cue's text without markup; its speaker from a voice tag (`<v Jane Doe>`)."""
    voice = _VOICE.search(payload)
    speaker = " ".join(html.unescape(voice.group(1)).split()) if voice else ""
    return Cue(speaker, html.unescape(_TAG.sub("", payload)), start, end)


def speakers_from_prefixes(cues: list[Cue]) -> list[Cue]:
    """Cues with no speaker but a recurring "Name: " in front get that name as speaker."""
    prefixes = [(_PREFIX.match(c.text) if not c.speaker else None) for c in cues]
    counts = Counter(m.group(1) for m in prefixes if m)
    # once the file's convention is clear, a name heard only once counts too ("Grad I: Hmm.")
    recurring = sum(n for n in counts.values() if n >= 2)
    convention = recurring >= 2 and recurring * 2 >= sum(counts.values())
    out = []
    for cue, m in zip(cues, prefixes, strict=False):
        if (
            m
            and len(_outside_parentheses(m.group(1))) <= 8
            and (counts[m.group(1)] >= 2 or (convention and _capitalised(m.group(1))))
        ):
            cue = Cue(m.group(1), cue.text[m.end() :], cue.start, cue.end)
        out.append(cue)
    return out


def _outside_parentheses(prefix: str) -> list[str]:
    """The words of a name, its role or constituency aside: "The Chair (Hon. A Rota (Nipissing, Lib.))" -> The Chair."""
    return re.sub(r"\(.*\)", " ", prefix).split()


def _capitalised(prefix: str) -> bool:
    words = _outside_parentheses(prefix)
    return bool(words) and all(w[:1].isupper() for w in words)


def join_cues(cues: list[Cue]) -> list[TranscriptTurn]:
    """Consecutive cues of one speaker (or with no speaker named) joined into turns."""
    voiced = any(c.speaker for c in cues)
    turns: list[Cue] = []
    for cue in cues:
        text = " ".join(cue.text.split())
        if not text:
            continue
        last = turns[-1] if turns else None
        if (
            last
            and (cue.speaker == last.speaker or (voiced and not cue.speaker))
            and (voiced or len(last.text.split()) < _MAX_WORDS_UNVOICED or not last.text.endswith((".", "?", "!")))
        ):
            last.text = f"{last.text} {text}"
            last.end = cue.end or last.end
        else:
            turns.append(Cue(cue.speaker, text, cue.start, cue.end))
    return [TranscriptTurn(t.speaker, t.text, t.start, t.end) for t in turns]


def render(turns: list[TranscriptTurn]) -> str:
    """The transcript as text: one "Speaker: words" paragraph a turn."""
    return "\n\n".join(f"{t.speaker}: {t.text}" if t.speaker else t.text for t in turns)
