import pytest

from rag.segment.paragraphs import is_page_break, is_table, split_paragraphs


def test_blank_lines_with_spaces_separate_and_page_breaks_join():
    text = "First sentence ends here.\n \u00a0\nIn 2019,\n\n \ntraining began.\n\nNext."
    assert split_paragraphs(text) == ["First sentence ends here.", "In 2019, training began.", "Next."]


def test_one_paragraph_a_line_is_split():
    long = "x" * 130 + "."
    assert split_paragraphs(f"1. {long}\n2. {long}") == [f"1. {long}", f"2. {long}"]


@pytest.mark.parametrize(
    "before, after, joined",
    [
        ("peace operations", "today, Mr. Martin stated", True),
        ("It ended.", "then another began", False),
        ("A heading", "Capitalised start", False),
        ("Name\tTitle", "continued\tcell", False),
    ],
)
def test_page_break_rule(before, after, joined):
    assert is_page_break(before, after) == joined


def test_tables():
    assert is_table("A\tB\tC\n1\t2\t3") and not is_table("Just prose, with a comma.")
