"""The QMSum report: JSON with everything, Markdown with the table, the split and what it is for."""

import json

from rag.evaluate.qmsum import QMSumBenchmark, SpanRelevance, load_meetings
from rag.evaluate.report import write_qmsum_report
from tests.evaluate.test_qmsum import TURNS, write_meeting


class FirstTurns:
    name = "first-turns"

    def __call__(self, question, doc):
        return [(doc or "committee_1", t["content"]) for t in TURNS[:2]]


def test_qmsum_report_says_which_split_it_ran_on_and_holds_the_table(tmp_path):
    write_meeting(tmp_path / "val", "committee_1")
    meetings = load_meetings(tmp_path / "val")
    report = QMSumBenchmark(meetings, [FirstTurns()], SpanRelevance(meetings), k=2).run()
    report["config"] = {
        "split": "val",
        "purpose": "reporting",
        "meetings": ["committee_1"],
        "queries": 2,
        "k": 2,
        "chunks": 5,
        "windows": 5,
        "ingest_seconds": 1.0,
        "seconds": 2.0,
    }
    files = write_qmsum_report(report, tmp_path / "out")
    assert json.loads(files[0].read_text())["rows"] == report["rows"]
    md = files[1].read_text()
    assert "Split **val** (for reporting), 1 meetings, 2 queries (1 Summarize, 1 other), k = 2" in md
    # the specific query's relevant turn is second: hit, RR 0.5, P@2 0.5; the Summarize one misses
    assert "| first-turns | within | 0.500 | 0.250 | 0.250 | 0.000 | 0.000 | 0.000 | 1.000 | 0.500 | 0.500 |" in md
