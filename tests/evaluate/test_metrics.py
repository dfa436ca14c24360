import pytest

from rag.evaluate import metrics as m

P1 = "Japan pays around 10.8 % of the UN peacekeeping budget."
P2 = "The memorial wall in Bamako has 309 names of peacekeepers."


def entails(premise, hypothesis):
    """A judge with known answers: the hypothesis's key fact must be in the premise."""
    return ("10.8" in hypothesis and "10.8" in premise) or ("309" in hypothesis and "309" in premise)


def test_fully_supported_answer():
    out = m.citation_scores("Japan pays 10.8 % [1]. The wall has 309 names [2].", [P1, P2], entails)
    assert out == {"citation_recall": 1.0, "citation_precision": 1.0, "sentences": 2}


def test_wrong_citation():
    out = m.citation_scores("Japan pays 10.8 % [2].", [P1, P2], entails)
    assert out["citation_recall"] == 0.0 and out["citation_precision"] == 0.0


def test_irrelevant_extra_citation_lowers_precision_only():
    out = m.citation_scores("Japan pays 10.8 % [1][2].", [P1, P2], entails)
    assert out["citation_recall"] == 1.0 and out["citation_precision"] == 0.5


def test_answer_without_citation():
    out = m.citation_scores("Japan pays 10.8 %.", [P1], entails)
    assert out["citation_recall"] == 0.0 and out["citation_precision"] is None


def test_faithfulness_and_must_mention():
    assert m.faithfulness("Japan pays 10.8 % [1]. It rains in Tokyo.", P1 + " " + P2, entails) == 0.5
    assert m.must_mention("Around 10.8% of the budget", ["10.8", "second largest"]) == 0.5


def test_retrieval_recall_and_reciprocal_rank():
    r = m.retrieval(["nothing", "x " + P2, P1], ["Japan pays around 10.8 %", "309  names of\npeacekeepers"], k=3)
    assert r == {"recall": 1.0, "rr": 0.5}
    assert m.retrieval(["nothing"], ["absent quote"], k=1) == {"recall": 0.0, "rr": 0.0}


def test_refusals_and_percentiles():
    from rag.evaluate.run import SCORES, summarise

    base = {"timings_ms": {"total": 10.0}, **dict.fromkeys(SCORES)}
    records = [
        {**base, "type": "unanswerable", "refusal_correct": True},  # a correct refusal
        {**base, "type": "unanswerable", "refusal_correct": False},
        {**base, "type": "factoid", "false_refusal": True},  # a false refusal
        {**base, "type": "factoid", "false_refusal": False, "fallback": "extractive"},  # the model's answer replaced
    ]
    records[1]["closest_quote"] = "Japan pays around 10.8 %."  # a kept answer followed by the closest sentence
    s = summarise(records)
    assert s["refusal_accuracy"] == 0.5 and s["false_refusal_rate"] == 0.5
    assert s["fallback_rate"] == 0.25 and s["closest_quote_rate"] == 0.25
    assert m.percentile([1, 2, 3, 4, 5], 0.5) == 3 and m.percentile([1, 2], 0.95) == pytest.approx(1.95)


def test_a_quote_typed_plainly_is_found_in_a_passage_printed_with_typographic_marks():
    passage = (
        "The consensus built \u201cby the Brahimi Report\u201d has become frazzled\u00a0around the edges \u2014 he said"
    )
    quote = 'The consensus built "by the Brahimi Report" has become frazzled around the edges - he said'
    assert m.retrieval([passage], [quote], k=1) == {"recall": 1.0, "rr": 1.0}
    joined = "Mr. Martin stated that quality information and analysis are critical,\n\nand must reappear"
    assert (
        m.retrieval([joined], ["quality information and analysis are critical, and must reappear"], k=1)["recall"]
        == 1.0
    )


@pytest.mark.parametrize(
    "flags, k, expected",
    [
        ([False, True, False, True, False], 5, {"hit": 1.0, "rr": 0.5, "precision": 0.4}),
        ([True, True, True], 3, {"hit": 1.0, "rr": 1.0, "precision": 1.0}),
        (
            [False, False, False, False, True],
            3,
            {"hit": 0.0, "rr": 0.0, "precision": 0.0},
        ),  # beyond k counts for nothing
        ([False, True], 5, {"hit": 1.0, "rr": 0.5, "precision": 0.2}),  # fewer than k retrieved: precision over k
        ([], 5, {"hit": 0.0, "rr": 0.0, "precision": 0.0}),
    ],
)
def test_hit_reciprocal_rank_and_precision_at_k(flags, k, expected):
    assert m.ranking(flags, k) == pytest.approx(expected)
