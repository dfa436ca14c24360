import pytest

from rag.text import SentenceScorer
from tests.helpers.passages import CAMMAERT, OSHIMA, YUGE, Hit, make_chunk


@pytest.fixture
def passages():
    return [
        Hit(make_chunk(6, OSHIMA, "Kenzo Oshima", "Executive Director, Africa Association"), dense=0.62),
        Hit(
            make_chunk(40, CAMMAERT, "Patrick Cammaert", "Royal Netherlands Marine Corps", "Keynote Speech"), dense=0.35
        ),
        Hit(make_chunk(8, YUGE, "Akiko Yuge", "Professor, Hosei University"), dense=0.30),
    ]


@pytest.fixture
def scorer(passages):
    extra = [
        "The Security Council met.",
        "Peace operations and peacekeeping were discussed at length.",
        "Japan hosted.",
    ]
    return SentenceScorer.from_texts([p.chunk.text for p in passages] + extra)
