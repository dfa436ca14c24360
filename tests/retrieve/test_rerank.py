"""The learned re-ranking of conversation passages: its features, its model file, the re-ordering
of conversation chunks only, and the retriever running it on a real index."""

import dataclasses
import json
import math

import pytest

from rag.retrieve import HybridRetriever
from rag.retrieve.rerank import (
    FEATURES,
    SHIPPED_MODEL,
    ConversationReranker,
    RerankModel,
    RerankModelError,
    ScoredChunk,
    candidate_features,
)
from rag.text.relevance import SentenceScorer
from tests.helpers import HIPPO, SYMPOSIUM
from tests.helpers.passages import make_chunk

SCORER = SentenceScorer({"battery": 3.0, "remot": 1.0})


def only(feature: str, weight: float = 1.0) -> RerankModel:
    """A model that weighs one feature alone."""
    return RerankModel({name: weight if name == feature else 0.0 for name in FEATURES}, 0.0)


def scored(seq, text, fused, dense=0.5, keyword=0.0, doc="doc"):
    return ScoredChunk(
        dataclasses.replace(make_chunk(seq, text), doc_id=doc, id=f"{doc}#p{seq}"), fused, dense, keyword
    )


# -- features ---------------------------------------------------------------------------------------
def test_features_are_read_against_the_best_candidate():
    long_text = "we spoke about many things and the battery came up once among the other topics of the day"
    candidates = [
        scored(1, "The battery lasts a week .", fused=0.04, dense=0.6, keyword=6.0),
        scored(2, long_text, fused=0.02, dense=0.4, keyword=0.0),
    ]
    rows = candidate_features("What about the battery?", candidates, SCORER)
    assert [len(row) for row in rows] == [len(FEATURES), len(FEATURES)]
    first, second = (dict(zip(FEATURES, row, strict=True)) for row in rows)
    assert first["fused"] == 1.0 and second["fused"] == 0.5
    assert first["dense_gap"] == 0.0 and second["dense_gap"] == pytest.approx(-0.2)
    assert first["keyword"] == 1.0 and second["keyword"] == 0.0  # BM25 did not find it
    assert first["log_words"] == pytest.approx(math.log1p(6)) and second["log_words"] == pytest.approx(
        math.log1p(len(long_text.split()))
    )
    # both hold the question's one content word: coverage 1, scaled by length
    assert first["coverage_x_log_words"] == pytest.approx(first["log_words"])
    assert second["coverage_x_log_words"] == pytest.approx(second["log_words"])
    assert first["keyword_x_log_words"] == pytest.approx(first["log_words"]) and second["keyword_x_log_words"] == 0.0
    assert candidate_features("What about the battery?", [], SCORER) == []


# -- the model file ---------------------------------------------------------------------------------
def test_the_shipped_model_loads_and_says_what_it_was_learnt_on():
    model = RerankModel.load(SHIPPED_MODEL)
    assert set(model.weights) == set(FEATURES)
    assert model.learnt_on.startswith("QMSum train") and model.figures["candidates"] > model.figures["relevant"] > 0
    # what it learnt, in the direction the data showed: closeness in meaning counts most, length
    # alone counts against a chunk
    assert model.weights["dense_gap"] == max(model.weights.values()) and model.weights["log_words"] < 0


def test_a_model_survives_saving_and_loading(tmp_path):
    model = RerankModel({name: i / 10 for i, name in enumerate(FEATURES)}, -1.5, "hand-made", {"candidates": 3})
    model.save(tmp_path / "model.json")
    assert RerankModel.load(tmp_path / "model.json") == model


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read the re-ranking model"),
        ("{not json", "not a re-ranking model"),
        (json.dumps({"weights": {"fused": 1.0}}), "not a re-ranking model"),
        (json.dumps({"weights": {"fused": 1.0}, "intercept": 0}), "are not"),
        (json.dumps({"weights": {name: "high" for name in FEATURES}, "intercept": 0}), "not a re-ranking model"),
    ],
)
def test_a_broken_model_file_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "model.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(RerankModelError, match=message) as info:
        RerankModel.load(path)
    assert "\n" not in str(info.value)


# -- the re-ordering --------------------------------------------------------------------------------
def test_only_chunks_of_conversations_are_reordered_and_places_keep_their_scores():
    candidates = [
        scored(1, "We talked about it at length for a while .", fused=0.05, doc="talk"),
        scored(2, "A paragraph of written minutes .", fused=0.04, doc="minutes"),
        scored(3, "The battery lasts a week .", fused=0.03, doc="talk"),
        scored(4, "The remote and its battery .", fused=0.02, doc="talk"),
    ]
    reranker = ConversationReranker(only("coverage_x_log_words"), SCORER, {"talk"})
    out = reranker.run("Is the battery in the remote?", candidates)
    # the conversation's places (1st, 3rd, 4th) go to its chunks by the model's score; the written
    # minutes keep their place
    assert [c.chunk.id for c in out] == ["talk#p4", "minutes#p2", "talk#p3", "talk#p1"]
    assert [c.fused for c in out] == [0.05, 0.04, 0.03, 0.02]
    # nothing to re-order when no document reads as a conversation
    assert ConversationReranker(only("coverage_x_log_words"), SCORER, set()).run("battery?", candidates) == candidates


def test_equal_scores_keep_the_fusions_order():
    candidates = [scored(i, f"Line {i} .", fused=0.1 - i / 100, doc="talk") for i in range(4)]
    assert ConversationReranker(only("log_words", 0.0), SCORER, {"talk"}).run("battery?", candidates) == candidates


# -- in the retriever, on a real index --------------------------------------------------------------
QUESTION = "How many peacekeepers' names are on the memorial wall in Bamako?"
BOTH = {HIPPO.stem, SYMPOSIUM.stem}


def _ids(index, embedder, reranker=None, k=5):
    return [p.chunk.id for p in HybridRetriever(index, embedder, k, 30, 60, reranker=reranker).search(QUESTION)]


def test_the_retriever_orders_its_top_candidates_by_the_model(corpus_index, embedder):
    plain = HybridRetriever(corpus_index, embedder, 30, 30, 60).search(QUESTION)
    scorer = SentenceScorer.from_texts([c.text for c in corpus_index.chunks()])
    # a model that prefers the shortest chunk: the passages come shortest first
    shortest = ConversationReranker(only("log_words", -1.0), scorer, BOTH)
    reranked = HybridRetriever(corpus_index, embedder, 5, 30, 60, reranker=shortest).search(QUESTION)
    lengths = [len(p.chunk.text.split()) for p in reranked]
    assert lengths == sorted(lengths) and lengths[0] == min(len(p.chunk.text.split()) for p in plain)
    assert [p.chunk.id for p in reranked] != [p.chunk.id for p in plain[:5]]
    # its places keep the fusion's scores, best first
    assert [p.fused for p in reranked] == pytest.approx([p.fused for p in plain[:5]])
    # a model of the fused score alone keeps the fusion's order; documents that do not read as
    # conversations are never re-ordered
    assert _ids(corpus_index, embedder, ConversationReranker(only("fused"), scorer, BOTH)) == _ids(
        corpus_index, embedder
    )
    assert _ids(corpus_index, embedder, ConversationReranker(only("log_words", -1.0), scorer, set())) == _ids(
        corpus_index, embedder
    )


def test_the_pipeline_reranks_only_conversations_and_can_be_turned_off(corpus_pipeline, tmp_path):
    # the corpus minutes are written in paragraphs: a reranker that re-orders nothing of theirs
    assert corpus_pipeline.reranker is not None and corpus_pipeline.reranker.conversations == set()
    from rag.pipeline import Pipeline
    from tests.helpers import make_settings

    off = Pipeline(make_settings(tmp_path / "off", rerank_conversations=False), embedder=corpus_pipeline.embedder)
    assert off.reranker is None
