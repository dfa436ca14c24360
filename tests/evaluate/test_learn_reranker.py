"""Learning the conversation re-ranking from QMSum: the fit, the refusals, and the command a
maintainer runs, on hand-written meetings."""

import math
import random
from pathlib import Path

import pytest

from rag.evaluate.learn_reranker import fit, learn_from_qmsum, training_rows
from rag.evaluate.qmsum import QMSumError, load_meetings
from rag.retrieve.rerank import FEATURES, RerankModel, RerankModelError
from tests.evaluate.test_qmsum import write_meeting
from tests.helpers import make_settings
from tests.test_cli import run


def test_the_fit_learns_which_feature_tells_the_relevant_apart():
    rng = random.Random(7)
    rows, labels = [], []
    for _ in range(400):
        relevant = rng.random() < 0.3
        row = [rng.random() for _ in FEATURES]
        row[FEATURES.index("dense_gap")] = -rng.random() * (0.05 if relevant else 0.3)  # close to the best
        rows.append(row)
        labels.append(int(relevant))
    model = fit(rows, labels, "synthetic")
    assert max(model.weights, key=lambda name: abs(model.weights[name])) == "dense_gap"
    assert model.weights["dense_gap"] > 0 and model.figures == {"candidates": 400, "relevant": sum(labels)}


def test_the_fit_needs_both_kinds_of_candidate():
    with pytest.raises(ValueError, match="relevant and irrelevant"):
        fit([[0.0] * len(FEATURES)] * 3, [0, 0, 0])


def test_it_never_learns_on_the_reporting_split(tmp_path):
    write_meeting(tmp_path / "val", "committee_1")
    with pytest.raises(QMSumError, match="a reporting split; learn on train/"):
        learn_from_qmsum(make_settings(Path("/unused")), tmp_path / "val", tmp_path / "model.json")
    assert not (tmp_path / "model.json").exists()


def test_training_rows_come_from_the_fusions_order(corpus_pipeline, tmp_path):
    write_meeting(tmp_path / "train", "committee_1")
    with pytest.raises(ValueError, match="re-ranking must be off"):
        training_rows(corpus_pipeline, load_meetings(tmp_path / "train"))


def test_the_command_learns_from_train_meetings_and_the_model_is_used(tmp_path):
    train = tmp_path / "train"
    write_meeting(train, "committee_1")
    write_meeting(train, "committee_2")
    out = tmp_path / "model.json"
    result = run("eval", "--qmsum", str(train), "--learn-reranker", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    model = RerankModel.load(out)
    assert model.learnt_on.startswith("QMSum train: 2 meetings") and "4 queries, both scopes" in model.learnt_on
    assert 0 < model.figures["relevant"] < model.figures["candidates"]
    assert f"wrote {out}" in result.stdout and "weights: fused" in result.stdout
    # the file is a setting: a pipeline told to use it reads it, and a broken one is one line
    from rag.pipeline import Pipeline

    assert Pipeline(make_settings(tmp_path / "a", rerank_model=str(out))).reranker.model == model
    (tmp_path / "broken.json").write_text("{}")
    with pytest.raises(RerankModelError, match=r"broken\.json: not a re-ranking model"):
        Pipeline(make_settings(tmp_path / "b", rerank_model=str(tmp_path / "broken.json"))).reranker  # noqa: B018


def test_the_command_refuses_val_in_one_line(tmp_path):
    write_meeting(tmp_path / "val", "committee_1")
    result = run("eval", "--qmsum", str(tmp_path / "val"), "--learn-reranker", str(tmp_path / "m.json"), cwd=tmp_path)
    assert result.returncode != 0 and "a reporting split; learn on train/" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_a_line_too_short_to_quote_is_never_a_relevant_candidate(tmp_path, embedder):
    from rag.pipeline import Pipeline

    turns = [
        {"speaker": "Chair", "content": "Let us turn to the rural bus routes and what the cuts mean ."},
        {"speaker": "Ms. Jones", "content": "Bus routes ."},  # inside the annotated span, nothing to quote
        {"speaker": "Mr. Smith", "content": "The rural bus routes were cut and pupils now walk two miles to school ."},
        {"speaker": "Chair", "content": "Thank you , we move to mental health services for young people ."},
    ]
    queries = [{"query": "What happened to the rural bus routes?", "answer": "...", "relevant_text_span": [["1", "2"]]}]
    write_meeting(tmp_path / "train", "committee_1", turns=turns, queries=queries)
    meetings = load_meetings(tmp_path / "train")
    pipeline = Pipeline(make_settings(tmp_path / "index", rerank_conversations=False), embedder=embedder)
    assert not pipeline.ingest([mt.path for mt in meetings]).failed
    rows, labels = training_rows(pipeline, meetings)
    log_words = FEATURES.index("log_words")
    by_length = {round(row[log_words], 6): label for row, label in zip(rows, labels, strict=True)}
    assert by_length[round(math.log1p(3), 6)] == 0  # "Bus routes ." lies in the span, yet counts for nothing
    assert by_length[round(math.log1p(len(turns[2]["content"].split())), 6)] == 1
