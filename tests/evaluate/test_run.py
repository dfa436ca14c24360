import pytest

from rag.answer.relevance import SentenceScorer
from rag.evaluate.judges import LexicalJudge
from rag.evaluate.run import premise, score_record

KLAFFUS = {"speaker": "Werner Klaffus", "role": "Colonel, German Bundeswehr", "section": "Panel Discussion",
           "doc_title": "Symposium 2023", "date": "2023-12-07", "text": "We were training 300,000 Afghans as soldiers."}
ITEM = {"id": "t1", "type": "numeric", "question": "How many Afghans were trained?", "must_mention": ["300,000"],
        "evidence": [{"doc": "d", "speaker": "Werner Klaffus", "quote": "training 300,000 Afghans as soldiers"}]}


def test_premise_puts_who_and_where_before_the_text():
    assert premise(KLAFFUS) == ("Werner Klaffus, Colonel, German Bundeswehr | Panel Discussion, Symposium 2023, 2023-12-07:\n"
                                "We were training 300,000 Afghans as soldiers.")
    assert premise({"text": "Plain chunk."}) == "Plain chunk."


@pytest.mark.parametrize(
    "speaker, role, supported",
    [("Werner Klaffus", "Colonel, German Bundeswehr", True),
     ("Patrick Cammaert", "Major General (Ret.)", False)],  # the attribution is part of the claim
)
def test_an_attributed_claim_is_judged_against_the_passage_and_its_speaker(speaker, role, supported):
    judge = LexicalJudge(SentenceScorer.from_texts([premise(KLAFFUS), "Peace operations were discussed.", "Cammaert spoke."]))
    passage = {**KLAFFUS, "speaker": speaker, "role": role, "id": "d#p1"}
    out = {"answer": "Colonel Werner Klaffus said the coalition was training 300,000 Afghans as soldiers [1].",
           "refused": False, "citations": [passage], "retrieved": [passage]}
    record = score_record(ITEM, out, 5, judge.entails)
    assert record["recall@k"] == 1.0 and record["must_mention"] == 1.0
    assert record["citation_recall"] == (1.0 if supported else 0.0)
    assert record["faithfulness"] == (1.0 if supported else 0.0)
