"""The LLM judge: the local 1.5B model's yes/no log-probabilities, calibrated on the hand labels."""

import pytest

from rag.evaluate.judges import LLMJudge, calibrate
from rag.pipeline import Pipeline
from tests.helpers import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judge(corpus_pipeline):
    pipeline = Pipeline(corpus_pipeline.settings.replace(llm="local"))
    return LLMJudge(pipeline.llm("local"))


def test_probabilities_separate_a_supported_claim_from_a_wrong_number(judge):
    premise = "Kenzo Oshima: Japan's financial contribution to UN peacekeeping is around 10.8 % of the overall budget."
    right = judge.probability(premise, "Kenzo Oshima said Japan pays around 10.8 % of the peacekeeping budget.")
    wrong = judge.probability(premise, "Kenzo Oshima said Japan pays around 45 % of the peacekeeping budget.")
    assert 0.0 <= wrong < right <= 1.0 and right >= 0.5


def test_calibration_on_the_hand_labelled_pairs(judge):
    result = calibrate(judge, ROOT / "eval" / "gold" / "judge_pairs.jsonl")
    assert result["n"] >= 40 and result["judge"] == "llm"
    assert result["accuracy"] >= 0.6  # better than always answering "not supported" (24 of 42 = 0.57)
