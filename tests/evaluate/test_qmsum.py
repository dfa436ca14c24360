"""QMSum in the harness: meetings and spans read, relevance decided by text, metrics by kind and
scope; and, on three real committee meetings of the val split, minutes-rag's retrieval against
BM25 over whole turns."""

import json
from pathlib import Path

import pytest

from rag.evaluate.qmsum import (
    SUMMARIZE,
    QMSumBenchmark,
    QMSumError,
    SpanRelevance,
    TurnBM25,
    load_meeting,
    load_meetings,
)
from tests.helpers import ROOT

TURNS = [
    {"speaker": "Chair", "content": "Good morning , let us begin with the budget for school meals ."},
    {
        "speaker": "Ms. Jones",
        "content": "The budget for school meals has fallen by ten percent since last year , which worries parents .",
    },
    {"speaker": "Mr. Smith", "content": "Okay ."},
    {"speaker": "Mr. Smith", "content": "On transport , the rural bus routes were cut and pupils now walk two miles ."},
    {"speaker": "Chair", "content": "Thank you , we move to the next item on mental health services ."},
]
QUERIES = [
    {"query": "What did Ms. Jones say about school meals?", "answer": "...", "relevant_text_span": [["1", "1"]]},
    {"query": "Summarize the discussion of transport.", "answer": "...", "relevant_text_span": [["2", "3"]]},
]


def write_meeting(folder: Path, name: str, turns=TURNS, queries=QUERIES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(
        json.dumps(
            {"meeting_transcripts": turns, "specific_query_list": queries, "general_query_list": [], "topic_list": []}
        )
    )
    return path


@pytest.fixture
def meetings(tmp_path):
    write_meeting(tmp_path, "committee_1")
    write_meeting(tmp_path, "committee_2", turns=list(reversed(TURNS)), queries=[])
    return load_meetings(tmp_path)


def test_meetings_queries_kinds_and_spans_are_read(meetings):
    first = meetings[0]
    assert [m.doc_id for m in meetings] == ["committee_1", "committee_2"]
    assert first.turns[1] == ("Ms. Jones", TURNS[1]["content"])
    assert [q.kind for q in first.queries] == ["specific", SUMMARIZE]
    assert first.queries[1].turns == frozenset({2, 3})


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not a QMSum meeting"),
        (
            json.dumps(
                {"meeting_transcripts": [], "specific_query_list": [{"query": "q", "relevant_text_span": [["0", "3"]]}]}
            ),
            r"span \[0, 3\] outside the 0 turns",
        ),
        (json.dumps({"specific_query_list": []}), "not a QMSum meeting"),
    ],
)
def test_a_broken_meeting_file_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(QMSumError, match=message):
        load_meeting(path)


def test_a_missing_folder_or_no_meetings_is_one_clear_error(tmp_path):
    with pytest.raises(QMSumError, match="no such folder"):
        load_meetings(tmp_path / "nope")
    with pytest.raises(QMSumError, match="no QMSum meeting files"):
        load_meetings(tmp_path)


def test_meetings_are_chosen_by_any_of_several_globs_then_bounded(tmp_path):
    for name in ("covid_1", "education_1", "ES2006a", "education_2"):
        write_meeting(tmp_path, name)
    assert [m.doc_id for m in load_meetings(tmp_path, None, ["covid_*", "education_*"])] == [
        "covid_1",
        "education_1",
        "education_2",
    ]
    assert [m.doc_id for m in load_meetings(tmp_path, 2)] == ["ES2006a", "covid_1"]


def test_relevance_is_decided_by_the_text_of_the_annotated_turns(meetings):
    relevant = SpanRelevance(meetings)
    jones, transport = meetings[0].queries
    # the turn as a segmenter might print it: label stripped, spacing before punctuation gone, another case
    assert relevant(
        jones,
        "committee_1",
        "The budget for school meals has fallen by ten percent since last year, which worries parents.",
    )
    assert relevant(
        jones, "committee_1", "Ms. Jones: The budget for school meals has fallen by ten percent"
    )  # part of the turn, with label
    assert not relevant(jones, "committee_2", TURNS[1]["content"])  # the same words from another meeting
    assert not relevant(jones, "committee_1", TURNS[0]["content"])  # a turn outside the span sharing some words
    assert not relevant(
        jones, "committee_1", TURNS[1]["content"] + " " + TURNS[3]["content"] + " " + TURNS[4]["content"]
    )
    # shorter than a 4-gram: must lie whole in an annotated turn
    assert relevant(transport, "committee_1", "rural bus routes")
    assert not relevant(transport, "committee_1", "bus rural routes")
    # an annotated turn that says nothing lies inside every span of talk: evidence of no query
    assert not relevant(transport, "committee_1", "Okay.")
    assert not relevant(transport, "committee_1", "Thank you.")
    assert not relevant(transport, "committee_1", "")


def test_the_benchmark_scores_each_system_within_and_across_meetings_by_kind(meetings):
    class Fixed:
        """A retrieval system with known answers: the meeting's turns in a fixed order."""

        name = "fixed"

        def __call__(self, question, doc):
            order = [3, 1, 0] if "Jones" in question else [0, 4, 1]
            return [(doc or "committee_2", TURNS[i]["content"]) for i in order]

    report = QMSumBenchmark(meetings, [Fixed()], SpanRelevance(meetings), k=3).run()
    within, across = report["rows"]["fixed"]["within"], report["rows"]["fixed"]["across"]
    assert within["specific"] == pytest.approx(
        {"queries": 1, "hit@k": 1.0, "mrr": 0.5, "precision@k": 1 / 3, "ms_p50": within["specific"]["ms_p50"]}
    )
    assert within[SUMMARIZE]["hit@k"] == 0.0 and within["all"]["queries"] == 2 and within["all"]["mrr"] == 0.25
    assert across["all"]["hit@k"] == 0.0  # everything came from the other meeting
    assert len(report["queries"]["fixed"]) == 4


def test_bm25_over_whole_turns_filters_by_meeting(meetings):
    bm25 = TurnBM25(meetings, k=2)
    top = bm25("rural bus routes for pupils", "committee_2")
    assert top[0] == ("committee_2", "Mr. Smith: " + TURNS[3]["content"]) and all(
        doc == "committee_2" for doc, _ in top
    )
    assert bm25("rural bus routes", None)[0][1].endswith(TURNS[3]["content"])


# -- the CI gate on real data ------------------------------------------------------------------

VAL = ROOT.parent / "shared" / "benchmarks" / "qmsum" / "val"
GATE_MEETINGS, GATE_PATTERNS = 3, ["education_*"]
# Measured on these 3 meetings (36 queries, k = 5) on 2026-11-26 (eval/RESULTS.md): minutes-rag hit@5 0.833 and
# MRR 0.752 within and across meetings; BM25 over whole turns hit@5 0.917 / 0.889 and MRR 0.755 / 0.741. So ours
# trails BM25 by 0.083 / 0.056 in hit@5 and by at most 0.003 in MRR. The gate fails when the gap widens by more than
# one query of 36 (0.028) beyond that, with room for the approximate (HNSW) vector search: a margin of 0.12.
MARGIN = 0.12


@pytest.fixture(scope="module")
def gate_report(embedder):
    if not VAL.is_dir():
        pytest.skip(f"QMSum is not at {VAL}")
    from rag.evaluate.qmsum import run_qmsum
    from tests.helpers import make_settings

    return run_qmsum(
        make_settings(Path("/unused")),
        VAL,
        5,
        GATE_MEETINGS,
        GATE_PATTERNS,
        ["bm25-turns"],
        progress=False,
        embedder=embedder,
    )


def test_minutes_rag_holds_its_own_against_bm25_over_turns_on_real_committee_meetings(gate_report):
    assert gate_report["config"]["split"] == "val" and gate_report["config"]["purpose"] == "reporting"
    assert gate_report["config"]["queries"] == 36
    ours, bm25 = gate_report["rows"]["minutes-rag"], gate_report["rows"]["bm25-turns"]
    for scope in ("within", "across"):
        assert ours[scope]["all"]["hit@k"] >= bm25[scope]["all"]["hit@k"] - MARGIN, scope
        assert ours[scope]["all"]["mrr"] >= bm25[scope]["all"]["mrr"] - MARGIN, scope
    assert set(gate_report["rows"]) == {"minutes-rag", "bm25-turns"}


def run_with_refusals(folder: Path, embedder) -> dict:
    from rag.evaluate.qmsum import run_qmsum
    from tests.helpers import make_settings

    return run_qmsum(
        make_settings(Path("/unused")), folder, 5, baselines=(), progress=False, embedder=embedder, refusals=True
    )


def test_false_refusals_are_the_answerable_queries_the_whole_pipeline_declines(tmp_path, embedder):
    from rag.evaluate.report import write_qmsum_report

    atlantis = "What did Ms. Jones say about Atlantis?"  # annotated like the rest, a name the turns never give
    queries = [*QUERIES, {"query": atlantis, "answer": "...", "relevant_text_span": [["1", "1"]]}]
    write_meeting(tmp_path / "split", "committee_1", queries=queries)
    report = run_with_refusals(tmp_path / "split", embedder)
    for scope in ("within", "across"):
        counted = report["false_refusals"][scope]
        refused = {r["query"]: r["reason"] for r in counted["refusals"]}
        assert refused[atlantis] == "They never mention “Atlantis”."
        assert "What did Ms. Jones say about school meals?" not in refused
        assert counted["queries"] == 3 and counted["declined"] == len(refused) and counted["rate"] == len(refused) / 3
    write_qmsum_report(report, tmp_path / "out")
    shown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## False refusals" in shown and f"within, committee_1: {atlantis} — They never mention “Atlantis”." in shown


DESIGN_TURNS = [
    {"speaker": "Project Manager", "content": "Right , so today we decide the shape of the remote control ."},
    {
        "speaker": "Industrial Designer",
        "content": "I would put the volume buttons on the side , made of rubber , so the thumb finds them .",
    },
    {"speaker": "Marketing", "content": "Our survey says young users want a curved case in bright yellow ."},
    {"speaker": "User Interface", "content": "A small screen for the channel number costs too much battery ."},
]
DESIGN_QUERIES = [
    {"query": "What did the Industrial Designer say about the volume buttons?", "relevant_text_span": [["1", "1"]]},
    # annotated in the design meeting, but the committee's turns answer it too: it must be listed as answered
    {"query": "What happened to the rural bus routes?", "relevant_text_span": [["0", "0"]]},
]


def test_the_least_alike_meeting_is_chosen_by_the_transcripts_words(tmp_path):
    from rag.evaluate.qmsum import least_alike, load_meetings

    write_meeting(tmp_path, "committee_1")
    write_meeting(tmp_path, "committee_2", turns=[*TURNS[:3], {"speaker": "Chair", "content": "The meals again ."}])
    write_meeting(tmp_path, "design_1", turns=DESIGN_TURNS, queries=DESIGN_QUERIES)
    chosen = least_alike(load_meetings(tmp_path))
    assert chosen["committee_1"] == chosen["committee_2"] == "design_1"
    assert chosen["design_1"] in {"committee_1", "committee_2"}
    assert least_alike(load_meetings(tmp_path, 1)) == {}


def test_queries_asked_of_the_meeting_least_like_their_own_are_declined(tmp_path, embedder):
    from rag.evaluate.report import write_qmsum_report

    write_meeting(tmp_path / "split", "committee_1")
    write_meeting(tmp_path / "split", "design_1", turns=DESIGN_TURNS, queries=DESIGN_QUERIES)
    report = run_with_refusals(tmp_path / "split", embedder)
    elsewhere = report["unrelated_refusals"]
    answered = {r["query"]: r for r in elsewhere["answered"]}
    assert set(answered) == {"What happened to the rural bus routes?"}
    assert answered["What happened to the rural bus routes?"]["asked_in"] == "committee_1"
    assert "rural bus routes" in answered["What happened to the rural bus routes?"]["answer"]
    assert elsewhere["queries"] == 4 and elsewhere["declined"] == 3 and elsewhere["rate"] == 0.75
    write_qmsum_report(report, tmp_path / "out")
    shown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Declined elsewhere" in shown and "3 of 4 declined" in shown
    assert "- design_1 asked in committee_1: What happened to the rural bus routes?" in shown


@pytest.mark.parametrize(
    "query, named",
    [
        ("What did Ms. Jones say about school meals?", "Ms. Jones"),
        ("What did the Chair conclude?", "Chair"),
        ("What did the chair conclude?", None),  # a label is written with its capitals: "chair" is a word
        ("What did the Chairman conclude?", None),  # whole words only
        ("How did the Chair answer Ms. Jones?", None),  # two speakers: nobody to attribute it to
        ("Summarize the discussion of transport.", None),
    ],
)
def test_the_speaker_a_query_names_is_one_label_of_its_meeting(query, named):
    from rag.evaluate.qmsum import speaker_named

    assert speaker_named(query, [t["speaker"] for t in TURNS]) == named


def test_speaker_attribution_counts_the_answers_whose_first_quote_is_the_named_speakers(tmp_path, embedder):
    from rag.evaluate.qmsum import run_qmsum
    from rag.evaluate.report import write_qmsum_report
    from tests.helpers import make_settings

    # the label of one speaker, but the question is about two: the one who said it may be quoted first
    worry = "Why did the Chair and Jones worry that the budget for school meals had fallen ten percent?"
    queries = [
        {"query": "What did Ms. Jones say about school meals?", "relevant_text_span": [["1", "1"]]},
        {"query": "What did Mr. Smith say about the rural bus routes?", "relevant_text_span": [["3", "3"]]},
        {"query": "what did mr. smith say about the rural bus routes?", "relevant_text_span": [["3", "3"]]},  # no label
        {"query": worry, "relevant_text_span": [["1", "1"]]},
        {"query": "Summarize the discussion of transport.", "relevant_text_span": [["2", "3"]]},
    ]
    write_meeting(tmp_path / "split", "committee_1", queries=queries)
    settings = make_settings(Path("/unused"))
    report = run_qmsum(
        settings, tmp_path / "split", 5, baselines=(), progress=False, embedder=embedder, attribution=True
    )
    attributed = report["speaker_attribution"]
    assert (attributed["queries"], attributed["theirs"], attributed["declined"]) == (3, 2, 0)
    assert attributed["others"] == [{"meeting": "committee_1", "query": worry, "speaker": "Chair", "quoted": "Jones"}]
    write_qmsum_report(report, tmp_path / "out")
    shown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Speaker attribution" in shown and "2 of 3 answers quote that speaker first (0.667)" in shown
    assert f"- committee_1: {worry} — asked of Chair, quoted Jones" in shown


# Refusals and attribution on real transcripts of three kinds (a committee, two design meetings), the
# whole pipeline asked: measured 2026-12-07 (eval/RESULTS.md) false refusals within 1 of 25, declined
# when asked of the meeting least like its own 23 of 25, first quote the named speaker's 6 of 9 (1
# declined). The gate allows about two queries of 25 and one of 9 more: the HNSW search is approximate.
GATE_MIXED = ["education_0.json", "ES2009a.json", "TS3010b.json"]


def test_real_transcripts_declined_elsewhere_answered_at_home_and_quoting_the_named_speaker(embedder):
    if not VAL.is_dir():
        pytest.skip(f"QMSum is not at {VAL}")
    from rag.evaluate.qmsum import run_qmsum
    from tests.helpers import make_settings

    report = run_qmsum(
        make_settings(Path("/unused")),
        VAL,
        5,
        patterns=GATE_MIXED,
        baselines=(),
        progress=False,
        embedder=embedder,
        refusals=True,
        attribution=True,
    )
    assert report["config"]["queries"] == 25
    assert report["false_refusals"]["within"]["rate"] <= 0.12
    assert report["unrelated_refusals"]["rate"] >= 0.8
    attributed = report["speaker_attribution"]
    assert attributed["queries"] == 9 and attributed["theirs"] >= 5
