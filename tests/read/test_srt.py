import pytest

from rag.read import ReadError, read_document

SRT = """1
00:00:01,000 --> 00:00:03,000
Alice Moreau: We need more
trainers.

2
00:00:03,500 --> 00:00:05,000
Bob Tanaka: How many?

3
00:00:05,000 --> 00:00:06,000
Alice Moreau: Twelve.

4
00:00:06,000 --> 00:00:07,000
At least.
"""


def test_srt_cues_prefixes_and_continuations(tmp_path):
    path = tmp_path / "call.srt"
    path.write_text(SRT, encoding="utf-8")
    turns = read_document(path).turns
    assert [(t.speaker, t.text, t.start, t.end) for t in turns] == [
        ("Alice Moreau", "We need more trainers.", "00:00:01.000", "00:00:03.000"),
        ("Bob Tanaka", "How many?", "00:00:03.500", "00:00:05.000"),
        ("Alice Moreau", "Twelve. At least.", "00:00:05.000", "00:00:07.000"),  # a cue naming nobody goes on
    ]


def test_malformed_srt_timing(tmp_path):
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\nHello\n\n2\n00:00:03 -> 4\nBye\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"bad.srt: line 6: not a SubRip cue timing"):
        read_document(path)
