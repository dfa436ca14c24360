"""The one step where a model's answer is replaced by quotes from the minutes."""

import pytest

from rag.answer.extractive import ExtractiveGenerator
from rag.answer.fallback import UNSUPPORTED, FallbackToQuotes
from rag.answer.result import FROM_MODEL, FROM_QUOTES, Draft
from rag.query.analyse import Query
from rag.verify.support import SupportChecker
from rag.verify.verifier import Verifier

QUESTION = "What share of the peacekeeping budget does Japan pay?"


@pytest.fixture
def fallback(scorer):
    return FallbackToQuotes(ExtractiveGenerator(scorer, 2, 0.30), Verifier(SupportChecker(scorer, 0.5)))


def _run(fallback, passages, text, reason=None):
    draft = Draft(text, False, passages, FROM_MODEL, fallback_reason=reason)
    return fallback.run(Query(QUESTION, QUESTION), passages, draft)


def test_a_supported_model_answer_is_kept(fallback, passages):
    checked, reason = _run(fallback, passages, "Japan pays around 10.8 % of the peacekeeping budget [1].")
    assert reason is None and checked.draft.origin == FROM_MODEL
    assert checked.text == "Japan pays around 10.8 % of the peacekeeping budget [1]." and checked.cited == [passages[0]]


def test_an_answer_its_citations_do_not_support_becomes_quotes(fallback, passages):
    checked, reason = _run(fallback, passages, "Japan pays half of the budget of the moon mission [2].")
    assert reason == UNSUPPORTED and checked.draft.origin == FROM_QUOTES
    assert "10.8 %" in checked.text and checked.cited[0] is passages[0]


@pytest.mark.parametrize(
    "reason",
    ["cannot reach the Ollama server at http://127.0.0.1:9: connection refused", "the model's answer cited no passage"],
)
def test_a_failed_or_uncited_model_answer_becomes_quotes_with_its_reason(fallback, passages, reason):
    checked, given = _run(fallback, passages, "", reason)
    assert given == reason and checked.draft.origin == FROM_QUOTES and checked.cited


def test_quotes_pass_through_unchanged(fallback, passages):
    text, refused = fallback.extractive.quote(QUESTION, passages)
    draft = Draft(text, refused, passages, FROM_QUOTES)
    checked, reason = fallback.run(Query(QUESTION, QUESTION), passages, draft)
    assert reason is None and checked.draft is draft
