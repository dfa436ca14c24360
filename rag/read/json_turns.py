"""JSON transcripts: a list of turns (`{"speaker", "content"}` or `{"speaker", "text"}` objects),
or an object holding such a list (QMSum's `meeting_transcripts`, `transcript`, `utterances`,
...). Timestamps (`start`/`end`) are kept when the turns have them.

Bad JSON, a file with no list of turns, or a turn without text is refused in one line that says
where: a transcript missing turns would silently misattribute what follows.
"""

from __future__ import annotations

import json
from pathlib import Path

from rag.read.base import ReadError, decode_text, register
from rag.read.transcript import Cue, TranscriptReader

SPEAKER_KEYS = ("speaker", "speaker_name", "speakerName", "name", "participant", "author", "role")
TEXT_KEYS = ("content", "text", "utterance", "transcript", "sentence", "words", "message")
START_KEYS = ("start", "start_time", "startTime", "begin", "timestamp")
END_KEYS = ("end", "end_time", "endTime")
# Where transcripts usually keep their turns; any other list of objects with text is accepted too.
LIST_KEYS = (
    "meeting_transcripts",
    "transcript",
    "transcripts",
    "turns",
    "utterances",
    "segments",
    "dialogue",
    "messages",
    "entries",
)


class JsonTranscriptReader(TranscriptReader):
    suffixes = (".json",)
    joins_cues = False

    def _load(self, path: Path) -> object:
        try:
            return json.loads(decode_text(path))
        except json.JSONDecodeError as exc:
            raise ReadError(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None

    def cues(self, path: Path) -> list[Cue]:
        where, items = _turn_list(self._load(path))
        if items is None:
            raise ReadError(path, "no list of turns ({speaker, content} or {speaker, text} objects) in the JSON")
        cues = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise ReadError(path, f"{where}[{i}] is not an object with speaker and text")
            text = next((item[k] for k in TEXT_KEYS if k in item), None)
            if not isinstance(text, str):
                expected = ", ".join(TEXT_KEYS[:2])
                raise ReadError(path, f"{where}[{i}] has no text (expected a string under one of: {expected})")
            speaker = next((item[k] for k in SPEAKER_KEYS if item.get(k) not in (None, "")), "")
            cues.append(Cue(str(speaker), text, _time(item, START_KEYS), _time(item, END_KEYS)))
        return cues

    def metadata(self, path: Path) -> dict:
        data = self._load(path)
        title = data.get("title") if isinstance(data, dict) else None
        return {"title": title.strip()} if isinstance(title, str) and title.strip() else super().metadata(path)


def _turn_list(data: object) -> tuple[str, list | None]:
    """The list of turns and where it is ("meeting_transcripts", "[root]")."""
    if isinstance(data, list):
        return "[root]", data if _looks_like_turns(data) else None
    if not isinstance(data, dict):
        return "", None
    keys = [k for k in LIST_KEYS if k in data] + [k for k in data if k not in LIST_KEYS]
    for key in keys:
        value = data[key]
        if isinstance(value, list) and _looks_like_turns(value):
            return key, value
        if isinstance(value, dict):  # one level down: {"results": {"utterances": [...]}}
            inner, found = _turn_list(value)
            if found is not None:
                return f"{key}.{inner}", found
    return "", None


def _looks_like_turns(items: list) -> bool:
    """A list of objects, most of them with text: malformed items are then reported, not skipped."""
    objects = [i for i in items if isinstance(i, dict)]
    with_text = sum(1 for i in objects if any(k in i for k in TEXT_KEYS))
    return bool(items) and with_text * 2 >= len(items)


def _time(item: dict, keys: tuple[str, ...]) -> str:
    value = next((item[k] for k in keys if k in item), "")
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


register(JsonTranscriptReader())
