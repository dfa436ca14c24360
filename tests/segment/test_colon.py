from pathlib import Path

import pytest

from rag.segment import segment_minutes
from rag.segment.colon import speaker_tag
from tests.segment.conftest import source_from_text

FIXTURE = Path(__file__).parent / "fixtures" / "hansard.txt"


def test_transcript_turns():
    minutes = segment_minutes(source_from_text(FIXTURE.read_text(), "hansard"))
    assert minutes.layout == "colon"
    speakers = [t.speaker for t in minutes.turns]
    assert speakers == ["The Chairperson", "Jones", "J Smith", "Jones", "Wong", "Jones", "The Chairperson"]
    assert minutes.speakers["Jones"].role == "Canada"
    follow_on = next(p for p in minutes.paragraphs if p.text.startswith("Our programme relies"))
    assert follow_on.speaker == "Jones"
    note = next(p for p in minutes.paragraphs if p.text.startswith("Note:"))
    assert note.speaker == "" and note.kind == "front_matter"


@pytest.mark.parametrize(
    "line, is_turn",
    [
        ("Mr J SMITH: How many?", True),
        ("The CHAIRPERSON: Welcome.", True),
        ("Ms Jones (Canada): Thank you.", True),
        ("Dr. Ana Pérez: Yes.", True),
        ("Note: the hearing was public.", False),
        ("Meeting Date and Time:\tWednesday", False),
        ("Moderator: Dr. SHINODA Hideaki", False),
        ("URL: <https://example.org>", False),
    ],
)
def test_speaker_tags(line, is_turn):
    assert (speaker_tag(line) is not None) == is_turn
