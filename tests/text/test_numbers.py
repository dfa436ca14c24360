import pytest

from rag.text import counts_in, figures_in, numbers_in
from rag.text.numbers import figure_values, written_date


@pytest.mark.parametrize(
    "text, found",
    [
        ("at around 10.8 % of the overall budget", {"10.8"}),
        ("15-20 thousand troops", {"15", "20", "thousand"}),
        ("1,200 personnel and half of them women", {"1,200", "half"}),
        ("one of the missions", set()),  # a pronoun, not a count
        ("In 2023.", {"2023"}),
    ],
)
def test_figures_in_digits_or_words(text, found):
    assert figures_in(text) == found


def test_numbers_in_keeps_a_figure_whole():
    assert numbers_in("10.8 % of 1,000 in 2015.") == ["10.8", "1,000", "2015"]


@pytest.mark.parametrize(
    "text, found",
    [
        ("In 2023, 15 officers joined the 8th course.", {"15"}),  # a year and an ordinal count nothing
        ("2,023 officers and 1,200 police", {"2,023", "1,200"}),
        ("the 1st of July: more than 16,000 personnel", {"16,000"}),
        ("thousands of casualties", {"thousands"}),
        # days of a month answer "when"
        ("The workshop was held 15-17 May in Geneva.", set()),
        ("from November 6th to November 10th, 40 trainers", {"40"}),
        ("on 5 May 2023 some 300 troops", {"300"}),
        ("Dec. 3 and 12 units", {"12"}),
        ("we may 3 times ask", {"3"}),  # "may" the verb
        ("March 2020: 12 units marched 30 km", {"12", "30"}),
        # the number of a name or code names, it does not count
        ("the M23 were defeated by 3,000 troops", {"3,000"}),
        ("the C4ISR academy and the G7", set()),
        ("a 5km march", {"5"}),
    ],
)
def test_counts_in_leaves_out_years_ordinals_days_and_codes(text, found):
    assert counts_in(text) == found


@pytest.mark.parametrize(
    "iso, words",
    [("2015-01-28", "28 January 2015"), ("2023-12-07", "7 December 2023"), ("", ""), ("2023-13-01", ""), ("2023", "")],
)
def test_written_date(iso, words):
    assert written_date(iso) == words


@pytest.mark.parametrize(
    "text, implied, values",
    [
        ("lasted six months", False, {"6"}),
        ("twenty-five officers, or twenty five, or 25", False, {"25"}),
        ("Twenty-one countries and ninety", False, {"21", "90"}),
        ("1,000 troops and 8 per cent, 10.8 %", False, {"1000", "8", "percent", "10.8"}),
        ("16,000 personnel", False, {"16000"}),
        ("16,000 personnel", True, {"16000", "thousand", "hundred"}),
        ("thousands of casualties, half of them", False, {"thousand", "half"}),
        ("one of the missions, the second", False, set()),
    ],
)
def test_figure_values_read_digits_and_words_alike(text, implied, values):
    assert figure_values(text, implied=implied) == values
