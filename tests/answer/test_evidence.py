import pytest

from rag.answer.evidence import FigureEvidenceCheck
from rag.answer.extractive import ExtractiveGenerator
from rag.query.analyse import Query
from rag.text import SentenceScorer
from tests.helpers.passages import Hit, make_chunk

SAKAMOTO = (
    "Currently, Japan has dispatched staff officers to the UN Missions in South Sudan and the multinational "
    "force and observers in Sinai. Since this year, engineer staff officers have been additionally sent."
)


def check(scorer, sentences: int = 3) -> FigureEvidenceCheck:
    return FigureEvidenceCheck(ExtractiveGenerator(scorer, sentences=3, min_relevance=0.30), sentences)


def ask(question: str) -> Query:
    return Query(question=question, standalone=question)


@pytest.mark.parametrize(
    "question",
    [
        "How many names are on the memorial wall in Bamako?",
        "What share of the peacekeeping budget does Japan pay?",
        "How much of the UN peacekeeping budget does Japan finance?",
    ],
)
def test_a_quantity_the_passages_give_is_answered(passages, scorer, question):
    assert check(scorer).run(ask(question), passages) is None


def test_a_quantity_the_passages_never_give_is_declined(scorer):
    passages = [Hit(make_chunk(3, SAKAMOTO, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    question = ask("How many staff officers has Japan dispatched to South Sudan?")
    assert check(scorer).run(question, passages) == FigureEvidenceCheck.REASON
    # the same passages answer a question that asks for no figure
    assert check(scorer).run(ask("Where has Japan dispatched staff officers?"), passages) is None


def test_a_figure_the_question_itself_gives_is_not_evidence(scorer):
    text = "Japan dispatched 40 staff officers to the UN Mission in South Sudan."
    passages = [Hit(make_chunk(3, text, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    assert check(scorer).run(ask("How many of the 40 staff officers did Japan dispatch to South Sudan?"), passages)
    assert check(scorer).run(ask("How many staff officers did Japan dispatch to South Sudan?"), passages) is None


@pytest.mark.parametrize("when", ["In 2023", "For the 8th time"])
def test_a_year_or_an_ordinal_is_not_a_count(scorer, when):
    text = f"{when} Japan dispatched staff officers to the UN Mission in South Sudan."
    passages = [Hit(make_chunk(3, text, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    assert check(scorer).run(ask("How many staff officers did Japan dispatch to South Sudan?"), passages)


def test_nothing_relevant_is_left_to_the_answer_step(passages, scorer):
    for p in passages:
        p.dense = 0.1
    assert check(scorer).run(ask("How many moons does Jupiter have?"), passages) is None


def test_only_the_best_sentences_count():
    """A figure in a sentence further down (about the Sinai, not South Sudan) does not answer the
    question: the three best sentences give none; read five and it would pass."""
    text = (
        "Japan has dispatched staff officers to the UN Mission in South Sudan. "
        "The staff officers Japan dispatched to South Sudan serve at the mission headquarters. "
        "Japan dispatched staff officers to South Sudan for the engineering work as well. "
        "Japan also dispatched 4 staff officers to the Sinai."
    )
    passages = [Hit(make_chunk(3, text, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    scorer = SentenceScorer.from_texts([text, "The Security Council met.", "Peace operations were discussed."])
    question = ask("How many staff officers has Japan dispatched to South Sudan?")
    assert check(scorer, sentences=3).run(question, passages) == FigureEvidenceCheck.REASON
    assert check(scorer, sentences=5).run(question, passages) is None
