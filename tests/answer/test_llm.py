"""What the model's own output decides about its answer (rag/answer/llm.py), without running a model:
the draft step reads text the way it reads a model's."""

from pathlib import Path

import pytest

from rag.answer.context import ContextBuilder
from rag.answer.llm import RESTATES, LLMGenerator, restates
from rag.prompts import Prompts
from rag.query.analyse import Query

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


@pytest.mark.parametrize(
    "asked, standalone, answer, handed_back",
    [
        # the question handed back, with a marker: nothing answered
        (
            "Why did the first questioner say troops left?",
            None,
            "Why did the first questioner say troops left? [1]",
            True,
        ),
        # its words rearranged, the rewrite's name added: still nothing new
        (
            "How many countries belong to the association he mentioned?",
            "How many countries belong to the association Anna Berg mentioned?",
            "Anna Berg mentioned the association [1].",
            True,
        ),
        # one new word is the answer ("Who ...?" -> a name; "How many ...?" -> a figure)
        ("Who chaired the meeting?", None, "Tom Ruiz chaired the meeting [1].", False),
        ("How many countries belong to the association?", None, "Twenty countries belong to it [1].", False),
        ("How many countries belong to the association?", None, "20 countries belong to the association [1].", False),
        # a yes-no question is answered by restating it
        ("Did Anna Berg support the budget cut?", None, "Anna Berg supported the budget cut [1].", False),
        ("And did she support the budget cut?", None, "She supported the budget cut [1].", False),
    ],
)
def test_an_answer_that_only_restates_the_question(asked, standalone, answer, handed_back):
    assert restates(answer, Query(asked, standalone or asked)) is handed_back


@pytest.fixture
def generator(scorer):
    prompts = Prompts.load(PROMPTS)
    return LLMGenerator(None, ContextBuilder(prompts, scorer, 400, 2), prompts.refusal, grammar="off")


def test_a_restated_question_is_not_used_as_the_answer(generator, passages):
    question = "What share of the peacekeeping budget does Japan pay?"
    query = Query(question, question)
    context = generator.context_builder.build(question, passages)
    echoed = generator.draft("What share of the peacekeeping budget does Japan pay? [1]", context, query)
    assert echoed.fallback_reason == RESTATES
    answered = generator.draft("Japan pays around 10.8 % of the peacekeeping budget [1].", context, query)
    assert answered.fallback_reason is None and not answered.refused
