import json

import pytest

from rag.evaluate.gold import TYPES, UNANSWERABLE_KINDS, GoldError, check_quotes, load_gold, normalise, split_gold
from tests.helpers import CORPUS, ROOT

GOLD = ROOT / "eval" / "gold"


@pytest.mark.parametrize("name", ["tune.jsonl", "report.jsonl"])
def test_gold_parts_are_valid_and_every_quote_is_verbatim(name):
    gold = load_gold(GOLD / name)
    assert len(gold) >= 35
    assert {g["type"] for g in gold} == TYPES
    assert check_quotes(gold, CORPUS) == []
    for g in gold:
        for e in g["evidence"]:
            assert 8 <= len(e["quote"].split()) <= 40, g["id"]
        assert (g["type"] == "unanswerable") == (not g["evidence"])


def test_the_report_part_holds_the_traps_and_conversations_written_before_tuning():
    report = load_gold(GOLD / "report.jsonl")
    kinds = [g["kind"] for g in report if g["type"] == "unanswerable" and "kind" in g]
    assert len(kinds) >= 20 and set(kinds) == set(UNANSWERABLE_KINDS)
    assert len([g for g in report if g.get("history")]) >= 15


def test_the_tune_part_holds_traps_of_every_kind_to_tune_refusals_on():
    tune = load_gold(GOLD / "tune.jsonl")
    kinds = [g["kind"] for g in tune if g["type"] == "unanswerable" and "kind" in g]
    assert len(kinds) >= 20 and set(kinds) == set(UNANSWERABLE_KINDS)

    # a question is its conversation: "And the second one?" after another first question is another question
    def asked(gold):
        return {(tuple(g.get("history") or ()), g["question"]) for g in gold}

    assert not asked(load_gold(GOLD / "report.jsonl")) & asked(tune)


def test_the_fresh_set_is_valid_and_held_apart_from_the_tune_part():
    """`fresh.jsonl` is a second set nobody tuned on: no question of it is a tune question."""
    fresh = load_gold(GOLD / "fresh.jsonl")
    assert len(fresh) >= 30 and {g["type"] for g in fresh} == TYPES
    assert check_quotes(fresh, CORPUS) == []
    tune = load_gold(GOLD / "tune.jsonl")
    questions = {g["question"].lower() for g in tune} | {(g.get("standalone") or "").lower() for g in tune}
    assert not {g["question"].lower() for g in fresh} & questions
    assert not {g["id"] for g in fresh} & {g["id"] for g in tune + load_gold(GOLD / "report.jsonl")}


def test_the_dev_questions_split_the_same_way_again():
    """The dev questions (not the ones added to either part afterwards) re-split into the very same parts."""
    tune, report = load_gold(GOLD / "tune.jsonl"), load_gold(GOLD / "report.jsonl")
    dev_report = [g for g in report if not g["id"].startswith("n-")]
    tune = [g for g in tune if not g["id"].startswith("t-")]
    again_tune, again_report = split_gold(dev_report + tune)
    assert {g["id"] for g in again_tune} == {g["id"] for g in tune}
    assert {g["id"] for g in again_report} == {g["id"] for g in dev_report}


def _item(n: int, type_: str) -> dict:
    return {"id": f"q{n}", "type": type_}


def test_split_is_stratified_deterministic_and_independent_of_order():
    items = [_item(n, t) for n, t in enumerate(["factoid"] * 7 + ["numeric"] * 4 + ["unanswerable"] * 3)]
    tune, report = split_gold(items)
    count = lambda part, t: sum(i["type"] == t for i in part)  # noqa: E731
    assert (count(report, "factoid"), count(tune, "factoid")) == (4, 3)
    assert (count(report, "numeric"), count(tune, "numeric")) == (2, 2)
    assert (count(report, "unanswerable"), count(tune, "unanswerable")) == (2, 1)
    tune2, report2 = split_gold(list(reversed(items)))
    assert {i["id"] for i in report2} == {i["id"] for i in report} and {i["id"] for i in tune2} == {
        i["id"] for i in tune
    }
    assert not {i["id"] for i in tune} & {i["id"] for i in report}


def test_quotes_match_across_typographic_quotes_dashes_and_page_breaks():
    printed = "Japan\u2019s contribution \u2014 at \u201caround\u201d 10.8\u00a0%\nof the\n\noverall budget"
    assert normalise('Japan\'s contribution - at "around" 10.8 % of the overall budget') == normalise(printed)


GOOD = {
    "id": "x1",
    "question": "Q?",
    "type": "factoid",
    "answer": "A",
    "must_mention": ["A"],
    "evidence": [{"doc": "d", "speaker": "s", "quote": "q"}],
}
FOLLOW = {**GOOD, "history": ["Who spoke first?"], "standalone": "What did the first speaker say?"}


@pytest.mark.parametrize(
    "lines, message",
    [
        ([json.dumps(GOOD), "{not json"], "line 2: not valid JSON"),
        ([json.dumps({k: v for k, v in GOOD.items() if k != "question"})], "line 1: missing field 'question'"),
        ([json.dumps({**GOOD, "type": "trivia"})], "line 1: unknown type 'trivia'"),
        ([json.dumps(GOOD), "", json.dumps(GOOD)], "line 3: duplicate id 'x1'"),
        ([json.dumps({**GOOD, "evidence": []})], "line 1: an answerable question needs evidence"),
        ([json.dumps({**FOLLOW, "history": "Who spoke first?"})], "line 1: history must be a non-empty list"),
        ([json.dumps({**FOLLOW, "history": []})], "line 1: history must be a non-empty list"),
        ([json.dumps({**FOLLOW, "history": ["ok", " "]})], "line 1: history must be a non-empty list"),
        (
            [json.dumps({k: v for k, v in FOLLOW.items() if k != "standalone"})],
            "line 1: a follow-up .* needs 'standalone'",
        ),
        ([json.dumps({**GOOD, "standalone": "Q?"})], "line 1: 'standalone' is only for follow-ups"),
        ([json.dumps({**GOOD, "kind": "absent_name"})], "line 1: 'kind' is for unanswerable questions"),
        (
            [json.dumps({**GOOD, "type": "unanswerable", "evidence": [], "kind": "spooky"})],
            "line 1: 'kind' is for unanswerable",
        ),
    ],
)
def test_malformed_gold_files_are_rejected_with_the_line(tmp_path, lines, message):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(GoldError, match=message):
        load_gold(path)


def test_a_follow_up_with_its_standalone_form_is_accepted(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(FOLLOW) + "\n")
    assert load_gold(path)[0]["history"] == ["Who spoke first?"]


def test_a_quote_not_in_the_minutes_is_reported(tmp_path):
    bad = {
        **GOOD,
        "evidence": [
            {"doc": "2015-01-28-hippo-informal-meeting-tokyo", "speaker": "x", "quote": "words that are not there"}
        ],
    }
    assert len(check_quotes([bad], CORPUS)) == 1
