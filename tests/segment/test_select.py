from pathlib import Path

from rag.segment import segment_minutes
from tests.helpers.segment import source_from_text

ESSAY = """Peacekeeping in a changing world

Peace operations have changed a great deal since the end of the Cold War. Missions now protect civilians.

Budgets are shrinking and host governments are less willing to consent to large missions."""


def test_layout_chosen_by_fit(hippo, symposium):
    transcript = (Path(__file__).parent / "fixtures" / "hansard.txt").read_text()
    assert hippo.layout == "numbered" and symposium.layout == "programme"
    assert segment_minutes(source_from_text(transcript)).layout == "marked"
    plain = segment_minutes(source_from_text(ESSAY))
    assert plain.layout == "plain" and len(plain.paragraphs) == 3 and all(p.speaker == "" for p in plain.paragraphs)
