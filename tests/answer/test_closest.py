"""The step that quotes the minutes' closest sentence after a model's answer that missed it."""

import pytest

from rag.answer.closest import ClosestSentenceQuote
from rag.answer.extractive import ExtractiveGenerator
from rag.answer.result import FROM_MODEL, FROM_QUOTES, Draft
from rag.query.analyse import Query
from rag.verify.support import SupportChecker
from rag.verify.verifier import Verifier

QUESTION = "What share of the peacekeeping budget does Japan pay?"
WRONG_SENTENCE = "Kenzo Oshima said Japan could do more with respect to its contribution of troops [1]."


def _run(scorer, passages, text, margin=0.1, shown=None, origin=FROM_MODEL):
    verifier = Verifier(SupportChecker(scorer, 0.5))
    step = ClosestSentenceQuote(ExtractiveGenerator(scorer, 2, 0.30), verifier, margin)
    checked = verifier.run(Draft(text, False, shown or passages, origin))
    after, quoted = step.run(Query(QUESTION, QUESTION), passages, checked)
    # the step says which sentence it quoted, for the diagnostics, exactly when it quoted one
    assert (quoted is None) == (after is checked)
    assert quoted is None or after.text.rstrip().endswith(f"{quoted}” [{len(after.cited)}]")
    return checked, after


def test_an_answer_from_the_wrong_sentence_gets_the_closest_one_quoted_after_it(scorer, passages):
    before, after = _run(scorer, passages, WRONG_SENTENCE)
    assert before.report.unsupported == []  # the model's sentence is true, just not the answer
    assert after.text.startswith(before.text)
    assert after.text.endswith("at around 10.8 % of the overall budget.” [1]")
    assert after.cited == [passages[0]] and after.report.unsupported == []


def test_the_closest_sentence_from_a_passage_the_model_did_not_read_is_cited_as_well(scorer, passages):
    shown = [passages[1], passages[0]]  # the model read Oshima's turn second
    text = "Patrick Cammaert saw the memorial wall of MINUSMA in Bamako [1]."
    _, after = _run(scorer, passages, text, shown=[shown[0]])
    assert after.cited == [passages[1], passages[0]]
    assert after.text.endswith("10.8 % of the overall budget.” [2]")


@pytest.mark.parametrize(
    "text",
    [
        "Japan pays around 10.8 % of the peacekeeping budget [1].",  # the answer says it
        "Kenzo Oshima said Japan pays the second largest share of the budget, at around 10.8 % [1].",
    ],
)
def test_an_answer_that_covers_the_question_is_left_alone(scorer, passages, text):
    before, after = _run(scorer, passages, text)
    assert after is before


def test_quotes_and_a_margin_of_one_change_nothing(scorer, passages):
    before, after = _run(scorer, passages, WRONG_SENTENCE, margin=1.0)
    assert after is before
    quotes = ExtractiveGenerator(scorer, 2, 0.30).quote(QUESTION, passages)[0]
    before, after = _run(scorer, passages, quotes, origin=FROM_QUOTES)
    assert after is before
