import pytest

from rag.minutes import Chunk
from rag.segment.surroundings import spans, surrounding_texts


def _chunks(*sizes):
    return [
        Chunk(
            id=f"d#p{i}",
            doc_id="d",
            paragraph_ids=[f"d#p{i}"],
            text=" ".join([f"w{i}"] * n),
            kind="speech",
            speaker="A" if i % 2 else "B",
            role="",
            section="",
            doc_title="D",
            date="",
            seq=i,
        )
        for i, n in enumerate(sizes)
    ]


def test_a_short_chunk_grows_into_its_neighbours_until_the_budget():
    # 5 words: the next (5) and the previous (5) and the one after (5) reach 20
    assert spans(_chunks(5, 5, 5, 5, 5), 20)[1] == (0, 3)


def test_a_chunk_as_long_as_the_budget_is_searched_alone():
    assert spans(_chunks(5, 60, 5), 60)[1] == (1, 1)


def test_minutes_in_paragraphs_are_searched_chunk_by_chunk():
    # the median chunk is long: a document of paragraphs, not a conversation, even if some are short
    assert spans(_chunks(80, 10, 90, 100, 10), 120) == [(i, i) for i in range(5)]


def test_no_budget_no_surroundings():
    assert spans(_chunks(3, 3, 3), 0) == [(0, 0), (1, 1), (2, 2)]
    assert surrounding_texts(_chunks(3, 3, 3), 0) == ["", "", ""]


def test_the_ends_of_a_document_grow_one_way():
    assert spans(_chunks(2, 2, 2), 100) == [(0, 2), (0, 2), (0, 2)]


@pytest.mark.parametrize("budget", [10, 30])
def test_surrounding_texts_hold_the_neighbours_in_order_never_the_chunk_itself(budget):
    chunks = _chunks(4, 4, 4, 4)
    texts = surrounding_texts(chunks, budget)
    for i, (lo, hi) in enumerate(spans(chunks, budget)):
        assert texts[i] == "\n".join(chunks[j].text for j in range(lo, hi + 1) if j != i)
        assert f"w{i}" not in texts[i].split()
