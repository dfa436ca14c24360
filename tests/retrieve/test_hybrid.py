
import numpy as np
import pytest
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import QueryBundle, TextNode

from rag.retrieve import MODES, HybridRetriever, Passage, reciprocal_rank_fusion
from tests.retrieve.conftest import HIPPO_ID, SYMPOSIUM_ID

QUESTIONS = [
    ("How much of the UN peacekeeping budget does Japan pay?", "10.8", "Kenzo Oshima"),
    ("How many peacekeepers' names are on the memorial wall in Bamako?", "309 names", "Patrick Cammaert"),
]


def _search(index, embedder, question, **kwargs):
    return HybridRetriever(index, embedder, **kwargs).search(question)


# -- reciprocal rank fusion ------------------------------------------------------------------------
def test_reciprocal_rank_fusion_known_numbers():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["d"] == pytest.approx(1 / 63)
    assert [x for x, _ in fused] == ["a", "c", "b", "d"]


def test_reciprocal_rank_fusion_constant_and_ties():
    # with k=0, first in one ranking (1/1) ties with second in both (1/2 + 1/2): ties go in id order
    assert reciprocal_rank_fusion([["x", "y"], ["z", "y"]], k=0) == [("x", 1.0), ("y", 1.0), ("z", 1.0)]
    assert reciprocal_rank_fusion([["x", "y"], ["z", "y"]], k=60)[0][0] == "y"  # agreement wins at k=60
    assert reciprocal_rank_fusion([], k=60) == [] and reciprocal_rank_fusion([[], ["a"]]) == [("a", 1 / 61)]


# -- finding the paragraph -------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("question, phrase, speaker", QUESTIONS, ids=["japan-share", "memorial-wall"])
def test_paraphrased_question_finds_its_paragraph(corpus_index, embedder, mode, question, phrase, speaker):
    passages = _search(corpus_index, embedder, question, k=3, mode=mode)
    hits = [p for p in passages if phrase in p.chunk.text]
    assert hits and hits[0].chunk.speaker == speaker
    if mode == "hybrid":
        assert phrase in passages[0].chunk.text


@pytest.mark.parametrize("mode", MODES)
def test_results_are_ranked_unique_and_k_long(corpus_index, embedder, mode):
    passages = _search(corpus_index, embedder, "peacekeeping operations in Africa", k=7, mode=mode)
    assert [p.rank for p in passages] == list(range(1, 8))
    assert len({p.chunk.id for p in passages}) == 7
    assert all(a.score >= b.score for a, b in zip(passages, passages[1:]))
    assert all(isinstance(p, Passage) and -1.0 <= p.dense <= 1.0 for p in passages)


def test_hybrid_is_the_fusion_of_the_dense_and_keyword_rankings(corpus_index, embedder):
    question = "Why did the Kenyan troops leave Congo?"
    dense = [p.chunk.id for p in _search(corpus_index, embedder, question, k=30, mode="dense")]
    keyword = [p.chunk.id for p in _search(corpus_index, embedder, question, k=30, mode="keyword")]
    hybrid = _search(corpus_index, embedder, question, k=5, candidates=30, rrf_k=60)
    expected = reciprocal_rank_fusion([dense, keyword], 60)[:5]
    assert [(p.chunk.id, pytest.approx(p.score)) for p in hybrid] == [(c, pytest.approx(s)) for c, s in expected]


# -- filters ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_speaker_filter_returns_only_that_speaker(corpus_index, embedder, mode):
    question = "What about Afghanistan and the Taliban?"
    unfiltered = _search(corpus_index, embedder, question, k=5, mode=mode)
    assert any(p.chunk.speaker != "Werner Klaffus" for p in unfiltered)  # the filter has work to do
    passages = _search(corpus_index, embedder, question, k=5, mode=mode, speakers=["Werner Klaffus"])
    assert len(passages) == 4 and {p.chunk.speaker for p in passages} == {"Werner Klaffus"}  # all four of his


@pytest.mark.parametrize("mode", MODES)
def test_document_filter(corpus_index, embedder, mode):
    passages = _search(corpus_index, embedder, "peacekeeping and protection of civilians", k=5, mode=mode, doc_ids=[HIPPO_ID])
    assert len(passages) == 5 and {p.chunk.doc_id for p in passages} == {HIPPO_ID}
    both = _search(corpus_index, embedder, "memorial wall", k=3, mode=mode, doc_ids=[HIPPO_ID, SYMPOSIUM_ID])
    assert any("309 names" in p.chunk.text for p in both)  # both documents searched


def test_filters_that_match_nothing_return_nothing(corpus_index, embedder):
    # Cammaert speaks only in the symposium
    assert _search(corpus_index, embedder, "memorial wall", doc_ids=[HIPPO_ID], speakers=["Patrick Cammaert"]) == []
    assert _search(corpus_index, embedder, "memorial wall", speakers=["Nobody"]) == []


def test_preferred_speakers_rise_without_excluding_others(corpus_index, embedder):
    question = "What were his views on the principles of peacekeeping and Japan's contribution?"
    plain = _search(corpus_index, embedder, question, k=5)
    preferred = _search(corpus_index, embedder, question, k=5, prefer_speakers=["Kenzo Oshima"])
    oshima = lambda ps: [p.rank for p in ps if p.chunk.speaker == "Kenzo Oshima"]  # noqa: E731
    assert len(oshima(preferred)) == 2 and oshima(preferred)[:1] <= (oshima(plain) or [99])[:1]
    assert any(p.chunk.speaker != "Kenzo Oshima" for p in preferred)


@pytest.mark.parametrize("k", [2, 5])
def test_a_question_naming_two_speakers_hears_both(corpus_pipeline, k):
    # without the guarantee, five passages of Cammaert (2023) crowded out Ian Martin's (2015)
    question = "Do Ian Martin in 2015 and Patrick Cammaert in 2023 both see the protection of civilians as central to peace operations?"
    speakers = ["Ian Martin", "Patrick Cammaert"]
    passages = _search(corpus_pipeline.index, corpus_pipeline.embedder, question, k=k, prefer_speakers=speakers)
    assert len(passages) == k and {"Ian Martin", "Patrick Cammaert"} <= {p.chunk.speaker for p in passages}
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


# -- the dense score -------------------------------------------------------------------------------
def _best_window_similarity(embedder, chunk, question):
    vectors = embedder.embed_texts(embedder.windows(chunk))
    return float(np.max(vectors @ embedder.embed_query(question)))


@pytest.mark.parametrize("mode", MODES)
def test_dense_score_is_the_best_window_similarity_for_every_passage(corpus_index, embedder, mode):
    question = "Hitachi mine-clearing machines"
    passages = _search(corpus_index, embedder, question, k=5, mode=mode)
    for p in passages:
        assert p.dense == pytest.approx(_best_window_similarity(embedder, p.chunk, question), abs=2e-3)


def test_dense_score_present_for_keyword_only_hits(corpus_index, embedder):
    question = "Why did the Kenyan troops leave Congo?"
    retriever = HybridRetriever(corpus_index, embedder, k=10, candidates=10)
    nodes = retriever.retrieve(question)
    keyword_only = [n for n in nodes if n.node.metadata["dense_rank"] is None]
    assert keyword_only, "expected some passages that only BM25 found"
    for n in keyword_only:
        chunk = corpus_index.chunk(n.node.node_id)
        assert n.node.metadata["dense"] == pytest.approx(_best_window_similarity(embedder, chunk, question), abs=2e-3)


def test_long_chunk_scores_by_its_best_window(corpus_index, embedder):
    # Oshima's long paragraph has several windows; 10.8 % sits in a later one
    chunk = next(c for c in corpus_index.chunks(HIPPO_ID) if "10.8" in c.text)
    windows = corpus_index.vectors.collection.get(where={"chunk_id": chunk.id})["ids"]
    assert len(windows) > 1
    (p,) = _search(corpus_index, embedder, "Japan's share of the peacekeeping budget", k=1, mode="dense", speakers=["Kenzo Oshima"])
    assert p.chunk.id == chunk.id and p.dense == pytest.approx(p.score)


# -- llama-index interface, modes, speed -----------------------------------------------------------
def test_is_a_llama_index_retriever_returning_text_nodes(corpus_index, embedder):
    retriever = HybridRetriever(corpus_index, embedder, k=3)
    assert isinstance(retriever, BaseRetriever)
    nodes = retriever.retrieve(QueryBundle("How many peacekeepers' names are on the memorial wall in Bamako?"))
    assert len(nodes) == 3 and all(isinstance(n.node, TextNode) for n in nodes)
    top = nodes[0].node
    chunk = corpus_index.chunk(top.node_id)
    assert top.text == chunk.text and "309 names" in top.text
    assert top.metadata["speaker"] == "Patrick Cammaert" and top.metadata["doc_id"] == SYMPOSIUM_ID
    assert top.metadata["paragraph_ids"] == chunk.paragraph_ids and top.metadata["rank"] == 1
    assert top.get_content(metadata_mode="llm") == chunk.text  # metadata stays out of the text


def test_unknown_mode_and_bad_k_are_refused(corpus_index, embedder):
    with pytest.raises(ValueError, match="unknown retrieval mode"):
        HybridRetriever(corpus_index, embedder, mode="magic")
    with pytest.raises(ValueError, match="k must be at least 1"):
        HybridRetriever(corpus_index, embedder, k=0)
