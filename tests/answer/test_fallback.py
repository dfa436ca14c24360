"""The one step where a model's answer is replaced by quotes from the minutes."""

import pytest

from rag.answer.extractive import ExtractiveGenerator
from rag.answer.fallback import OTHER_SPEAKER, UNSUPPORTED, FallbackToQuotes
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


ASKED = "What did Oshima say about peacekeepers' lives?"
ANSWER_FROM_CAMMAERT = "Oshima said 309 peacekeepers gave their lives to implement the mandate [2]."


@pytest.mark.parametrize(
    "named, kept",
    [
        (["Kenzo Oshima"], False),  # asked about Oshima, answered only from Cammaert's passage
        (["Patrick Cammaert"], True),  # the cited passage is the asked speaker's
        ([], True),  # a question naming nobody may be answered from anyone
        (["Kenzo Oshima", "Patrick Cammaert"], True),  # several named: any of theirs may answer
    ],
)
def test_an_answer_about_one_speaker_from_someone_elses_passage_becomes_quotes(fallback, passages, named, kept):
    query = Query(ASKED, ASKED, named_speakers=named)
    checked, reason = fallback.run(query, passages, Draft(ANSWER_FROM_CAMMAERT, False, passages, FROM_MODEL))
    if kept:
        assert reason is None and checked.draft.origin == FROM_MODEL
    else:
        assert reason == OTHER_SPEAKER and checked.draft.origin == FROM_QUOTES
        # quotes say who said each sentence: no line puts Cammaert's words in Oshima's mouth
        assert "Oshima said" not in checked.text
        assert all(line.startswith(("Kenzo Oshima", "Patrick Cammaert")) for line in checked.text.splitlines())


def test_an_answer_from_someone_else_stays_when_the_asked_speaker_has_no_passage(fallback, passages):
    """Nothing of theirs was found: quotes would not be theirs either."""
    shown = [passages[1], passages[2]]
    query = Query(ASKED, ASKED, named_speakers=["Kenzo Oshima"])
    checked, reason = fallback.run(
        query, shown, Draft(ANSWER_FROM_CAMMAERT.replace("[2]", "[1]"), False, shown, FROM_MODEL)
    )
    assert reason is None and checked.draft.origin == FROM_MODEL
