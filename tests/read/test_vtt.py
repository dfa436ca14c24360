import pytest

from rag.read import ReadError, read_document
from rag.segment import segment_minutes

TEAMS = """WEBVTT

NOTE exported by a meeting app

1
00:00:01.000 --> 00:00:04.000
<v Hon. Bill Blair (Minister of Public Safety)>Good morning. The measures</v>

2
00:00:04.000 --> 00:00:07.500
<v Hon. Bill Blair (Minister of Public Safety)>are working &amp; the border is closed.</v>

00:00:08.000 --> 00:00:10.000
<v.loud Ms Jones>How long <i>will</i> it stay closed?</v>

00:00:10.000 --> 00:00:12.000 align:start
<v Hon. Bill Blair>Thirty days.</v>
"""


def test_voice_tags_cues_joined_into_turns_with_timestamps(tmp_path):
    path = tmp_path / "2020-05-01-committee.vtt"
    path.write_text(TEAMS, encoding="utf-8")
    source = read_document(path)
    assert [(t.speaker, t.text, t.start, t.end) for t in source.turns] == [
        (
            "Hon. Bill Blair (Minister of Public Safety)",
            "Good morning. The measures are working & the border is closed.",
            "00:00:01.000",
            "00:00:07.500",
        ),
        ("Ms Jones", "How long will it stay closed?", "00:00:08.000", "00:00:10.000"),
        ("Hon. Bill Blair", "Thirty days.", "00:00:10.000", "00:00:12.000"),
    ]
    assert source.info.date == "2020-05-01" and source.info.title == "committee"
    minutes = segment_minutes(source)
    assert minutes.layout == "transcript"
    assert [(p.speaker, p.role, p.start) for p in minutes.paragraphs] == [
        ("Bill Blair", "Minister of Public Safety", "00:00:01.000"),
        ("Jones", "", "00:00:08.000"),
        ("Bill Blair", "Minister of Public Safety", "00:00:10.000"),
    ]


def test_zoom_speaker_prefixes(tmp_path):
    cues = [
        ("Alice Moreau", "We need more trainers."),
        ("Alice Moreau", "At least twelve."),
        ("Bob Tanaka", "Agreed."),
        ("Alice Moreau", "Good."),
        ("Chen Wei", "One more thing."),
    ]
    body = "\n\n".join(
        f"{i + 1}\n00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n{who}: {text}" for i, (who, text) in enumerate(cues)
    )
    path = tmp_path / "zoom.vtt"
    path.write_text("WEBVTT\n\n" + body, encoding="utf-8")
    turns = read_document(path).turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("Alice Moreau", "We need more trainers. At least twelve."),
        ("Bob Tanaka", "Agreed."),
        ("Alice Moreau", "Good."),
        ("Chen Wei", "One more thing."),
    ]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("00:00:01.000 --> 00:00:02.000\nHello", "not a WebVTT file"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n\n00:00:03 --> later\nBye", "line 6: not a cue timing"),
        ("WEBVTT\n\nHello there\n", "line 3: not a cue timing"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n   \n", "no spoken text"),
    ],
)
def test_malformed_vtt_is_one_line_error(tmp_path, content, reason):
    path = tmp_path / "bad.vtt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert str(err.value).startswith("bad.vtt: ") and reason in str(err.value) and "\n" not in str(err.value)
