"""The surroundings of a short chunk: the neighbouring chunks searched together with it.

In a conversation a turn is often a line ("Yeah, the battery one."), and what it is about is said
in the turns around it; a question about that moment should find it. So a chunk shorter than
`budget` words is searched (embedded and keyword-indexed) with the chunks around it, any speaker,
growing one neighbour at a time on either side until the budget is reached. A chunk as long as
the budget is searched alone. Only a conversation gets surroundings: a document whose median
chunk is shorter than CONVERSATION_MEDIAN_WORDS (a transcript of spoken turns). Minutes written in
paragraphs are searched chunk by chunk: on the gold set, surroundings for them cost 0.05-0.14 of
recall@5, since their neighbouring paragraphs are about other things. What is shown and cited is
always the chunk itself.

The span is also what retrieval treats as one moment of the meeting: two chunks inside each
other's surroundings are near-duplicates for search, and the retriever keeps the better one.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from rag.minutes import Chunk

# Median words per chunk below which a document reads as a conversation of spoken turns. Measured:
# AMI/ICSI meetings 4-9, parliamentary committees 41-49, the corpus minutes 62 and 126. On QMSum
# train committees gain from surroundings too (hit@5 0.864 -> 0.909 on 11 meetings when they are
# included), on the gold set minutes in paragraphs lose (recall@5 0.906 -> 0.766): the line is drawn
# between the two.
CONVERSATION_MEDIAN_WORDS = 55


def reads_as_conversation(chunks: Sequence[Chunk]) -> bool:
    """A document of spoken turns, not minutes written in paragraphs: its median chunk is short."""
    return bool(chunks) and statistics.median(len(c.text.split()) for c in chunks) < CONVERSATION_MEDIAN_WORDS


def spans(chunks: Sequence[Chunk], budget: int) -> list[tuple[int, int]]:
    """For each chunk of one document (in document order) the first and last index of the
    chunks searched with it; (i, i) when it is searched alone."""
    sizes = [len(c.text.split()) for c in chunks]
    if not reads_as_conversation(chunks):
        return [(i, i) for i in range(len(chunks))]
    out = []
    for i, size in enumerate(sizes):
        lo = hi = i
        words = size
        while words < budget and (lo > 0 or hi < len(chunks) - 1):
            if hi < len(chunks) - 1:
                hi += 1
                words += sizes[hi]
            if words < budget and lo > 0:
                lo -= 1
                words += sizes[lo]
        out.append((lo, hi))
    return out


def surrounding_texts(chunks: Sequence[Chunk], budget: int) -> list[str]:
    """For each chunk, the text of the chunks around it that are searched with it ("" for none)."""
    return [
        "\n".join(chunks[j].text for j in range(lo, hi + 1) if j != i)
        for i, (lo, hi) in enumerate(spans(chunks, budget))
    ]
