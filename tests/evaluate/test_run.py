import pytest

from rag.evaluate.judges import LexicalJudge
from rag.evaluate.run import PipelineAsker, followups, premise, refusals_by_kind, run_items, score_record
from rag.text.relevance import SentenceScorer

KLAFFUS = {
    "speaker": "Werner Klaffus",
    "role": "Colonel, German Bundeswehr",
    "section": "Panel Discussion",
    "doc_title": "Symposium 2023",
    "date": "2023-12-07",
    "text": "We were training 300,000 Afghans as soldiers.",
}
ITEM = {
    "id": "t1",
    "type": "numeric",
    "question": "How many Afghans were trained?",
    "must_mention": ["300,000"],
    "evidence": [{"doc": "d", "speaker": "Werner Klaffus", "quote": "training 300,000 Afghans as soldiers"}],
}


def test_premise_puts_who_and_where_before_the_text():
    assert premise(KLAFFUS) == (
        "Werner Klaffus, Colonel, German Bundeswehr | Panel Discussion, Symposium 2023, 2023-12-07:\n"
        "We were training 300,000 Afghans as soldiers."
    )
    assert premise({"text": "Plain chunk."}) == "Plain chunk."


@pytest.mark.parametrize(
    "speaker, role, supported",
    [
        ("Werner Klaffus", "Colonel, German Bundeswehr", True),
        ("Patrick Cammaert", "Major General (Ret.)", False),
    ],  # the attribution is part of the claim
)
def test_an_attributed_claim_is_judged_against_the_passage_and_its_speaker(speaker, role, supported):
    judge = LexicalJudge(
        SentenceScorer.from_texts([premise(KLAFFUS), "Peace operations were discussed.", "Cammaert spoke."])
    )
    passage = {**KLAFFUS, "speaker": speaker, "role": role, "id": "d#p1"}
    out = {
        "answer": "Colonel Werner Klaffus said the coalition was training 300,000 Afghans as soldiers [1].",
        "refused": False,
        "citations": [passage],
        "retrieved": [passage],
    }
    record = score_record(ITEM, out, 5, judge.entails)
    assert record["recall@k"] == 1.0 and record["must_mention"] == 1.0
    assert record["citation_recall"] == (1.0 if supported else 0.0)
    assert record["faithfulness"] == (1.0 if supported else 0.0)


def _record(type_="factoid", recall=1.0, rr=1.0, must=1.0, refused=False, **extra):
    return {
        "type": type_,
        "timings_ms": {"total": 1.0},
        "recall@k": recall,
        "rr": rr,
        "citation_recall": 1.0,
        "citation_precision": 1.0,
        "faithfulness": 1.0,
        "must_mention": must,
        "false_refusal": refused,
        **extra,
    }


def test_follow_up_gap_is_standalone_minus_conversation():
    records = [
        _record(recall=0.0, rr=0.0, must=0.0, standalone=_record()),  # lost in the conversation
        _record(standalone=_record()),
        _record(),  # not a follow-up: left out
    ]
    out = followups(records)
    assert out["conversations"] == 2
    assert out["conversation"]["recall@k"] == 0.5 and out["standalone"]["recall@k"] == 1.0
    assert out["gap"]["recall@k"] == 0.5 and out["gap"]["mrr"] == 0.5 and out["gap"]["must_mention"] == 0.5
    assert followups([_record()]) is None


def test_refusals_are_counted_by_kind_of_unanswerable_question():
    records = [
        {"type": "unanswerable", "kind": "absent_name", "refusal_correct": True},
        {"type": "unanswerable", "kind": "absent_name", "refusal_correct": False},
        {"type": "unanswerable", "kind": None, "refusal_correct": True},
        _record(),
    ]
    assert refusals_by_kind(records) == {
        "absent_name": {"questions": 2, "refusal_accuracy": 0.5},
        "unspecified": {"questions": 1, "refusal_accuracy": 1.0},
    }


FOLLOW_UP = {
    "id": "f1",
    "type": "numeric",
    "history": ["How many troops did Germany have in Afghanistan every day some ten years ago?"],
    "question": "And in Mali?",
    "standalone": "How many German troops were in Mali?",
    "answer": "1,500",
    "must_mention": ["1,500"],
    "evidence": [
        {
            "doc": "2023-12-07-international-peace-security-symposium",
            "speaker": "Werner Klaffus",
            "quote": "In Mali, we had 1,500 troops",
        }
    ],
}


def test_a_follow_up_is_asked_in_its_conversation_and_standalone(corpus_pipeline):
    asker = PipelineAsker(corpus_pipeline, "extractive", 5)
    [record] = run_items(asker, [FOLLOW_UP], 5, lambda premise, hypothesis: True, "test", progress=False)
    earlier = asker.conversations[tuple(FOLLOW_UP["history"])]
    assert earlier[0][0] == FOLLOW_UP["history"][0] and earlier[0][1]  # the earlier question was answered first
    assert record["history"] == FOLLOW_UP["history"] and record["question"] == "And in Mali?"
    assert record["searched_for"] != "And in Mali?"  # the conversation reached retrieval
    assert record["standalone"]["question"] == FOLLOW_UP["standalone"] and record["standalone"]["recall@k"] == 1.0
