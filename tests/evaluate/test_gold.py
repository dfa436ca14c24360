import json

import pytest

from rag.evaluate.gold import TYPES, GoldError, check_quotes, load_gold
from tests.conftest import CORPUS, ROOT

DEV = ROOT / "eval" / "gold" / "dev.jsonl"


def test_dev_set_is_valid_and_every_quote_is_verbatim():
    gold = load_gold(DEV)
    assert len(gold) >= 60
    assert {g["type"] for g in gold} == TYPES
    assert check_quotes(gold, CORPUS) == []
    for g in gold:
        for e in g["evidence"]:
            assert 8 <= len(e["quote"].split()) <= 40, g["id"]
        assert (g["type"] == "unanswerable") == (not g["evidence"])


GOOD = {"id": "x1", "question": "Q?", "type": "factoid", "answer": "A", "must_mention": ["A"],
        "evidence": [{"doc": "d", "speaker": "s", "quote": "q"}]}


@pytest.mark.parametrize(
    "lines, message",
    [
        ([json.dumps(GOOD), "{not json"], "line 2: not valid JSON"),
        ([json.dumps({k: v for k, v in GOOD.items() if k != "question"})], "line 1: missing field 'question'"),
        ([json.dumps({**GOOD, "type": "trivia"})], "line 1: unknown type 'trivia'"),
        ([json.dumps(GOOD), "", json.dumps(GOOD)], "line 3: duplicate id 'x1'"),
        ([json.dumps({**GOOD, "evidence": []})], "line 1: an answerable question needs evidence"),
    ],
)
def test_malformed_gold_files_are_rejected_with_the_line(tmp_path, lines, message):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(GoldError, match=message):
        load_gold(path)


def test_a_quote_not_in_the_minutes_is_reported(tmp_path):
    bad = {**GOOD, "evidence": [{"doc": "2015-01-28-hippo-informal-meeting-tokyo", "speaker": "x", "quote": "words that are not there"}]}
    assert len(check_quotes([bad], CORPUS)) == 1
