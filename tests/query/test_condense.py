import pytest

from rag.query.condense import Condenser, borrow_context, is_valid_rewrite

HISTORY = [("What did Colonel Klaffus say about the UN?", "Col. Klaffus said the UN no longer works as designed [1].")]


@pytest.mark.parametrize(
    "rewrite, valid",
    [
        ("What did Colonel Klaffus say about Afghanistan?", True),
        ("Did Klaffus mention Afghanistan?", True),
        # the previous answer, not a question
        ("Col. Klaffus said the UN no longer works as designed.", False),
        # a question that lost the follow-up's own topic
        ("What did Colonel Klaffus say about the UN?", False),
        ("", False),
    ],
)
def test_a_rewrite_must_be_a_question_keeping_the_follow_ups_topic(rewrite, valid):
    assert is_valid_rewrite(rewrite, "And what did he say about Afghanistan?", HISTORY, 1000) is valid


def test_a_follow_up_leaning_on_the_conversation_borrows_the_earlier_question():
    standalone = borrow_context("And what did he say about Afghanistan?", HISTORY)
    assert "klaffus" in standalone.lower() and "Afghanistan" in standalone


def test_a_standalone_follow_up_is_kept_as_asked():
    question = "What did Ian Martin say about peace operations in Mali?"
    assert borrow_context(question, HISTORY) == question


def test_without_a_model_the_condenser_uses_the_heuristic():
    condenser = Condenser(None, None, 1000)
    assert condenser.run("And Afghanistan?", HISTORY) == borrow_context("And Afghanistan?", HISTORY)
    assert condenser.run("And Afghanistan?", []) == "And Afghanistan?"
