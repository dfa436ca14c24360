import pytest

from rag.answer.evidence import FigureEvidenceCheck, figures
from rag.answer.extractive import ExtractiveGenerator
from rag.query.analyse import Query
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
    text = "In 2023 Japan dispatched staff officers to the UN Mission in South Sudan."
    passages = [Hit(make_chunk(3, text, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    assert check(scorer).run(ask("How many staff officers did Japan dispatch to South Sudan in 2023?"), passages)
    assert check(scorer).run(ask("How many staff officers did Japan dispatch in 2015?"), passages) is None


def test_nothing_relevant_is_left_to_the_answer_step(passages, scorer):
    for p in passages:
        p.dense = 0.1
    assert check(scorer).run(ask("How many moons does Jupiter have?"), passages) is None


def test_only_the_best_sentences_count(scorer):
    """A figure in a weak sentence further down does not answer the question."""
    weak = Hit(make_chunk(9, "The conference had 300 participants from many countries.", "Akiko Yuge"), dense=0.31)
    passages = [Hit(make_chunk(3, SAKAMOTO, "Koichi Sakamoto", "Lieutenant General"), dense=0.6), weak]
    question = ask("How many staff officers has Japan dispatched to South Sudan?")
    assert check(scorer, sentences=3).run(question, passages) == FigureEvidenceCheck.REASON


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
def test_figures(text, found):
    assert figures(text) == found
