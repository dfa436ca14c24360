import pytest

from rag.verify.citations import cited_numbers, renumber, strip_markers


@pytest.mark.parametrize(
    "text, given, expected_text, order, dropped",
    [
        ("Japan pays 10.8% [3].", 5, "Japan pays 10.8% [1].", [3], []),
        ("A [2]. B [1, 2]. C [1][3].", 3, "A [1]. B [2][1]. C [2][3].", [2, 1, 3], []),
        ("A [7]. B [2].", 5, "A. B [1].", [2], [7]),
        ("A [0] and [1 , 4].", 4, "A and [1][2].", [1, 4], [0]),
        ("No citation at all.", 5, "No citation at all.", [], []),
        ("Repeated [2] [2].", 3, "Repeated [1] [1].", [2], []),
    ],
)
def test_renumber(text, given, expected_text, order, dropped):
    out = renumber(text, given)
    assert out.text == expected_text
    assert out.order == order
    assert out.dropped == dropped


def test_cited_numbers_and_strip():
    sentence = "Gen. Cammaert saw 309 names [2][1, 2]."
    assert cited_numbers(sentence) == [2, 1]
    assert strip_markers(sentence) == "Gen. Cammaert saw 309 names."
