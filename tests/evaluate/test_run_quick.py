"""A quick subset of the dev set through the real pipeline (extractive, lexical judge) with
thresholds: a regression in retrieval or citations fails CI. Thresholds are the measured figures
minus a margin."""

import json

import pytest

from rag.evaluate.gold import load_gold
from rag.evaluate.judges import LexicalJudge, calibrate
from rag.evaluate.report import compare, write_report
from rag.evaluate.run import evaluate
from tests.conftest import ROOT

GOLD = ROOT / "eval" / "gold"


@pytest.fixture(scope="module")
def report(corpus_pipeline):
    gold = load_gold(GOLD / "dev.jsonl")
    quick = [g for g in gold if g["type"] != "unanswerable"][:20] + [g for g in gold if g["type"] == "unanswerable"][:3]
    return evaluate(corpus_pipeline, quick, "extractive", 5, LexicalJudge(corpus_pipeline.scorer), GOLD / "judge_pairs.jsonl",
                    progress=False)


def test_quality_thresholds(report):
    ours, base = report["rows"]["minutes-rag"], report["rows"]["llamaindex-baseline"]
    assert ours["recall@k"] >= 0.8 and ours["mrr"] >= 0.6
    assert ours["citation_recall"] >= 0.8 and ours["citation_precision"] >= 0.85
    assert ours["false_refusal_rate"] <= 0.1
    assert ours["recall@k"] > base["recall@k"]  # better than the library's defaults


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
