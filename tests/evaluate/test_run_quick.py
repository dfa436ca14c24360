"""A quick subset of the gold set's report part (never tuned on) through the real pipeline
(extractive, lexical judge) with thresholds: a regression in retrieval, citations or refusals fails
CI. 20 answerable questions, one unanswerable question of each kind, 4 follow-up conversations.
Thresholds are the figures measured on 2026-11-26 (eval/RESULTS.md: recall@5 0.958, MRR 0.809,
citation recall 0.913, precision 1.0, refusal accuracy 0.833, false refusals 0.042) minus a margin."""

import json

import pytest

from rag.evaluate.gold import load_gold
from rag.evaluate.judges import LexicalJudge
from rag.evaluate.report import compare, write_report
from rag.evaluate.run import evaluate
from tests.helpers import ROOT

GOLD = ROOT / "eval" / "gold"


@pytest.fixture(scope="module")
def report(corpus_pipeline):
    gold = load_gold(GOLD / "report.jsonl")
    plain = [g for g in gold if "history" not in g]
    one_per_kind = {g.get("kind"): g for g in reversed(plain) if g["type"] == "unanswerable"}
    quick = (
        [g for g in plain if g["type"] != "unanswerable"][:20]
        + list(one_per_kind.values())
        + [g for g in gold if g.get("history")][:4]
    )
    return evaluate(
        corpus_pipeline,
        quick,
        "extractive",
        5,
        LexicalJudge(corpus_pipeline.scorer),
        GOLD / "judge_pairs.jsonl",
        progress=False,
    )


def test_quality_thresholds(report):
    ours, base = report["rows"]["minutes-rag"], report["rows"]["llamaindex-baseline"]
    assert ours["recall@k"] >= 0.85 and ours["mrr"] >= 0.7
    assert ours["citation_recall"] >= 0.8 and ours["citation_precision"] >= 0.85
    assert ours["refusal_accuracy"] >= 0.5 and ours["false_refusal_rate"] <= 0.1
    assert ours["recall@k"] > base["recall@k"]  # better than the library's defaults


def test_follow_ups_and_kinds_of_unanswerable_questions_are_reported(report, tmp_path):
    follow = report["followups"]["minutes-rag"]
    assert follow["conversations"] == 4 and set(follow["gap"]) == set(follow["conversation"])
    assert len(report["unanswerable_kinds"]["minutes-rag"]) == 6
    write_report(report, tmp_path)
    md = (tmp_path / "report.md").read_text()
    assert (
        "## Follow-ups: in their conversation vs asked standalone" in md and "| minutes-rag | wrong_speaker | 1 |" in md
    )


def test_reports_hold_what_the_summary_says(report, tmp_path):
    files = write_report(report, tmp_path)
    assert all(f.exists() and f.stat().st_size > 0 for f in files)
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["rows"] == json.loads(json.dumps(report["rows"]))
    md = (tmp_path / "report.md").read_text()
    assert f"| recall@k | {report['rows']['minutes-rag']['recall@k']:.3f} |" in md
    assert "Judge: **lexical**" in md and "![latency](latency.png)" in md


def test_compare_prints_deltas(report):
    better = json.loads(json.dumps(report))
    better["rows"]["minutes-rag"]["recall@k"] = report["rows"]["minutes-rag"]["recall@k"] + 0.1
    lines = compare(report, better)
    assert any(line.startswith("recall@k") and line.rstrip().endswith("+0.100") for line in lines)


def test_lexical_judge_calibration_is_reported(report):
    cal = report["judge_calibration"]
    assert cal["n"] >= 40 and cal["accuracy"] >= 0.7
