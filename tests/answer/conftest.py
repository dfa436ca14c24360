from dataclasses import dataclass

import pytest

from rag.answer.relevance import SentenceScorer
from rag.minutes import Chunk


@dataclass
class Hit:
    """A retrieved passage as the answer stages see it: a chunk and its scores."""

    chunk: Chunk
    score: float = 0.5
    dense: float = 0.6
    rank: int = 0


def make_chunk(seq, text, speaker="", role="", section="Discussion", kind="speech"):
    return Chunk(
        id=f"doc#p{seq}", doc_id="doc", paragraph_ids=[f"doc#p{seq}"], text=text, kind=kind, speaker=speaker,
        role=role, section=section, doc_title="Test minutes", date="2015-01-28", seq=seq,
    )


OSHIMA = (
    "Finally, Mr. Oshima offered his views on Japan's contribution to UN peace operations. Japan's financial "
    "contribution to UN peacekeeping still constitutes the second largest share in the world after the US, at "
    "around 10.8 % of the overall budget. Yet, Japan could probably do more with respect to its contribution of troops."
)
CAMMAERT = (
    "I have seen the memorial wall in mission headquarters of MINUSMA in Bamako, Mali, with 309 names of "
    "peacekeepers who gave their lives in order to implement the mandate of the Security Council."
)
YUGE = "She stressed the importance of applying a conflict prevention lens with greater rigor to all development activities."


@pytest.fixture
def passages():
    return [
        Hit(make_chunk(6, OSHIMA, "Kenzo Oshima", "Executive Director, Africa Association"), dense=0.62),
        Hit(make_chunk(40, CAMMAERT, "Patrick Cammaert", "Royal Netherlands Marine Corps", "Keynote Speech"), dense=0.35),
        Hit(make_chunk(8, YUGE, "Akiko Yuge", "Professor, Hosei University"), dense=0.30),
    ]


@pytest.fixture
def scorer(passages):
    extra = ["The Security Council met.", "Peace operations and peacekeeping were discussed at length.", "Japan hosted."]
    return SentenceScorer.from_texts([p.chunk.text for p in passages] + extra)
