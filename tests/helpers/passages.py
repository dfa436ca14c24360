"""Hand-made passages for the answer and verify stages: real sentences of the minutes, known speakers."""

from rag.minutes import Chunk, Passage


def Hit(chunk: Chunk, dense: float = 0.6) -> Passage:
    """A retrieved passage as the answer stages see it: a chunk and its scores."""
    return Passage(chunk, rank=0, fused=0.5, dense=dense)


def make_chunk(seq, text, speaker="", role="", section="Discussion", kind="speech", date="2015-01-28"):
    return Chunk(
        id=f"doc#p{seq}",
        doc_id="doc",
        paragraph_ids=[f"doc#p{seq}"],
        text=text,
        kind=kind,
        speaker=speaker,
        role=role,
        section=section,
        doc_title="Test minutes",
        date=date,
        seq=seq,
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
