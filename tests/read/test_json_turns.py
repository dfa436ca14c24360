import json

import pytest

from rag.read import ReadError, read_document
from rag.segment import segment_minutes


def write(tmp_path, data, name="meeting.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_list_of_speaker_content(tmp_path):
    path = write(
        tmp_path,
        [
            {"speaker": "Project Manager", "content": "Let us start."},
            {"speaker": "Marketing", "content": "  "},
            {"speaker": "Marketing", "content": "Mm-hmm."},
        ],
    )
    source = read_document(path)
    assert [(t.speaker, t.text) for t in source.turns] == [
        ("Project Manager", "Let us start."),
        ("Marketing", "Mm-hmm."),
    ]
    assert segment_minutes(source).speakers.keys() == {"Project Manager", "Marketing"}


def test_object_holding_the_turns_with_text_and_times(tmp_path):
    turns = [
        {"speaker": "Kirsty Williams AM", "text": "Thank you.", "start": 1.5},
        {"speaker": "Lynne Neagle AM", "text": "Minister.", "end": "00:02"},
    ]
    path = write(tmp_path, {"title": "Weekly sync", "topic_list": [{"topic": "budget"}], "meeting_transcripts": turns})
    source = read_document(path)
    assert [(t.speaker, t.text, t.start, t.end) for t in source.turns] == [
        ("Kirsty Williams AM", "Thank you.", "1.5", ""),
        ("Lynne Neagle AM", "Minister.", "", "00:02"),
    ]
    assert source.info.title == "Weekly sync"
    assert [p.speaker for p in segment_minutes(source).paragraphs] == ["Kirsty Williams", "Lynne Neagle"]


def test_speakers_in_the_file_are_not_second_guessed(tmp_path):
    path = write(
        tmp_path,
        [
            {"speaker": "Speaker 1", "content": "Note: this is recorded."},
            {"speaker": "", "content": "Unattributed words."},
        ],
    )
    minutes = segment_minutes(read_document(path))
    assert [(p.speaker, p.text) for p in minutes.paragraphs] == [
        ("Speaker 1", "Note: this is recorded."),
        ("", "Unattributed words."),
    ]


@pytest.mark.parametrize(
    "data, reason",
    [
        ('[{"speaker": "A", "content": "Hi"}', "not valid JSON (line 1, column"),
        ({"meeting": "no turns here"}, "no list of turns"),
        ([{"speaker": "A", "content": "Hi"}, {"speaker": "B", "content": 3}], "[root][1] has no text"),
        ({"transcript": [{"speaker": "A", "text": "Hi"}, "oops"]}, "transcript[1] is not an object"),
    ],
)
def test_malformed_json_is_one_line_error(tmp_path, data, reason):
    path = write(tmp_path, data, "bad.json")
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert str(err.value).startswith("bad.json: ") and reason in str(err.value) and "\n" not in str(err.value)
