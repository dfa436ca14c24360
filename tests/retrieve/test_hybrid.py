import itertools

import numpy as np
import pytest
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import QueryBundle, TextNode

from rag.minutes import Passage
from rag.query.analyse import Query
from rag.retrieve import HybridRetriever, Moment, reciprocal_rank_fusion
from tests.helpers import HIPPO, SYMPOSIUM

HIPPO_ID, SYMPOSIUM_ID = HIPPO.stem, SYMPOSIUM.stem

QUESTIONS = [
    ("How much of the UN peacekeeping budget does Japan pay?", "10.8", "Kenzo Oshima"),
    ("How many peacekeepers' names are on the memorial wall in Bamako?", "309 names", "Patrick Cammaert"),
]


def _search(index, embedder, question, k=5, candidates=30, rrf_k=60, **filters):
    return HybridRetriever(index, embedder, k, candidates, rrf_k, **filters).search(question)


def _ranking(index, embedder, ranking, question, n, **filters):
    """One of the index's own rankings, as chunk ids."""
    if ranking == "dense":
        return [c for c, _ in index.dense_search(embedder.embed_query(question), n, **filters)]
    return [c for c, _ in index.keyword_search(question, n, **filters)]


# -- reciprocal rank fusion ------------------------------------------------------------------------
def test_reciprocal_rank_fusion_known_numbers():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["d"] == pytest.approx(1 / 63)
    assert [x for x, _ in fused] == ["a", "c", "b", "d"]


def test_reciprocal_rank_fusion_weights_each_ranking():
    rankings = [["a", "b"], ["b", "c"]]
    assert reciprocal_rank_fusion(rankings, k=60, weights=[1.0, 1.0]) == reciprocal_rank_fusion(rankings, k=60)
    assert reciprocal_rank_fusion(rankings, k=0, weights=[1.0, 2.0]) == [("b", 2.5), ("a", 1.0), ("c", 1.0)]
    # weight 0: the second ranking adds nothing but its items, at score 0
    assert [c for c, s in reciprocal_rank_fusion(rankings, k=0, weights=[1.0, 0.0]) if s] == ["a", "b"]


def test_reciprocal_rank_fusion_constant_and_ties():
    # with k=0, first in one ranking (1/1) ties with second in both (1/2 + 1/2): ties go in id order
    assert reciprocal_rank_fusion([["x", "y"], ["z", "y"]], k=0) == [("x", 1.0), ("y", 1.0), ("z", 1.0)]
    assert reciprocal_rank_fusion([["x", "y"], ["z", "y"]], k=60)[0][0] == "y"  # agreement wins at k=60
    assert reciprocal_rank_fusion([], k=60) == [] and reciprocal_rank_fusion([[], ["a"]], k=60) == [("a", 1 / 61)]


# -- finding the paragraph -------------------------------------------------------------------------
@pytest.mark.parametrize("question, phrase, speaker", QUESTIONS, ids=["japan-share", "memorial-wall"])
def test_paraphrased_question_finds_its_paragraph_first(corpus_index, embedder, question, phrase, speaker):
    passages = _search(corpus_index, embedder, question, k=3)
    assert phrase in passages[0].chunk.text and passages[0].chunk.speaker == speaker


def test_results_are_ranked_unique_and_k_long(corpus_index, embedder):
    passages = _search(corpus_index, embedder, "peacekeeping operations in Africa", k=7)
    assert [p.rank for p in passages] == list(range(1, 8))
    assert len({p.chunk.id for p in passages}) == 7
    assert all(a.fused >= b.fused for a, b in itertools.pairwise(passages))
    assert all(isinstance(p, Passage) and -1.0 <= p.dense <= 1.0 for p in passages)


def test_hybrid_is_the_fusion_of_the_indexs_dense_and_keyword_rankings(corpus_index, embedder):
    question = "Why did the Kenyan troops leave Congo?"
    dense = _ranking(corpus_index, embedder, "dense", question, 30)
    keyword = _ranking(corpus_index, embedder, "keyword", question, 30)
    hybrid = _search(corpus_index, embedder, question, k=5, candidates=30, rrf_k=60)
    expected = reciprocal_rank_fusion([dense, keyword], 60)[:5]
    assert [(p.chunk.id, pytest.approx(p.fused)) for p in hybrid] == [(c, pytest.approx(s)) for c, s in expected]
    # each passage names its place in both rankings
    for p in hybrid:
        assert p.dense_rank == (dense.index(p.chunk.id) + 1 if p.chunk.id in dense else None)
        assert p.keyword_rank == (keyword.index(p.chunk.id) + 1 if p.chunk.id in keyword else None)
        assert (p.keyword > 0) == (p.keyword_rank is not None)


# -- filters ---------------------------------------------------------------------------------------
def test_speaker_filter_returns_only_that_speaker(corpus_index, embedder):
    question = "What about Afghanistan and the Taliban?"
    unfiltered = _search(corpus_index, embedder, question, k=5)
    assert any(p.chunk.speaker != "Werner Klaffus" for p in unfiltered)  # the filter has work to do
    passages = _search(corpus_index, embedder, question, k=5, speakers=["Werner Klaffus"])
    assert len(passages) == 4 and {p.chunk.speaker for p in passages} == {"Werner Klaffus"}  # all four of his


@pytest.mark.parametrize("ranking", ["dense", "keyword"])
def test_every_ranking_of_the_index_applies_the_filters(corpus_index, embedder, ranking):
    question = "What about Afghanistan and the Taliban?"
    ids = _ranking(corpus_index, embedder, ranking, question, 10, speakers=["Werner Klaffus"])
    assert ids and {corpus_index.chunk(c).speaker for c in ids} == {"Werner Klaffus"}
    ids = _ranking(corpus_index, embedder, ranking, "peacekeeping and civilians", 10, doc_ids=[HIPPO_ID])
    assert ids and {corpus_index.chunk(c).doc_id for c in ids} == {HIPPO_ID}


def test_document_filter(corpus_index, embedder):
    passages = _search(corpus_index, embedder, "peacekeeping and protection of civilians", k=5, doc_ids=[HIPPO_ID])
    assert len(passages) == 5 and {p.chunk.doc_id for p in passages} == {HIPPO_ID}
    both = _search(corpus_index, embedder, "memorial wall", k=3, doc_ids=[HIPPO_ID, SYMPOSIUM_ID])
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
    assert [p.fused for p in passages] == sorted((p.fused for p in passages), reverse=True)


# -- the dense score -------------------------------------------------------------------------------
def _best_window_similarity(embedder, chunk, question):
    vectors = embedder.embed_texts(embedder.windows(chunk))
    return float(np.max(vectors @ embedder.embed_query(question)))


def test_dense_score_is_the_best_window_similarity_for_every_passage(corpus_index, embedder):
    question = "Hitachi mine-clearing machines"
    passages = _search(corpus_index, embedder, question, k=5)
    for p in passages:
        assert p.dense == pytest.approx(_best_window_similarity(embedder, p.chunk, question), abs=2e-3)


def test_dense_score_present_for_keyword_only_hits(corpus_index, embedder):
    question = "Why did the Kenyan troops leave Congo?"
    retriever = HybridRetriever(corpus_index, embedder, 10, 10, 60)
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
    ((chunk_id, cosine),) = corpus_index.dense_search(
        embedder.embed_query("Japan's share of the peacekeeping budget"), 1, speakers=["Kenzo Oshima"]
    )
    assert chunk_id == chunk.id
    assert cosine == pytest.approx(
        _best_window_similarity(embedder, chunk, "Japan's share of the peacekeeping budget"), abs=2e-3
    )


# -- llama-index interface --------------------------------------------------------------------------
def test_is_a_llama_index_retriever_returning_text_nodes(corpus_index, embedder):
    retriever = HybridRetriever(corpus_index, embedder, 3, 30, 60)
    assert isinstance(retriever, BaseRetriever)
    nodes = retriever.retrieve(QueryBundle("How many peacekeepers' names are on the memorial wall in Bamako?"))
    assert len(nodes) == 3 and all(isinstance(n.node, TextNode) for n in nodes)
    top = nodes[0].node
    chunk = corpus_index.chunk(top.node_id)
    assert top.text == chunk.text and "309 names" in top.text
    assert top.metadata["speaker"] == "Patrick Cammaert" and top.metadata["doc_id"] == SYMPOSIUM_ID
    assert top.metadata["paragraph_ids"] == chunk.paragraph_ids and top.metadata["rank"] == 1
    assert top.get_content(metadata_mode="llm") == chunk.text  # metadata stays out of the text


def test_bad_k_is_refused(corpus_index, embedder):
    with pytest.raises(ValueError, match="k must be at least 1"):
        HybridRetriever(corpus_index, embedder, 0, 30, 60)


# -- one passage per moment of the meeting --------------------------------------------------------
def test_chunks_searched_together_count_once(corpus_index, embedder):
    question = "How many peacekeepers' names are on the memorial wall in Bamako?"
    plain = _search(corpus_index, embedder, question, k=3)
    first, second = plain[0].chunk, plain[1].chunk
    # the two best are declared one moment (each inside the other's surroundings): one place for
    # both, held by the one whose own words match best; the other moves behind every other moment
    moments = {first.id: Moment(first.doc_id, 0, 0, 1), second.id: Moment(first.doc_id, 1, 0, 1)}
    together = _search(corpus_index, embedder, question, k=3, moments=moments)
    ids = [p.chunk.id for p in together]
    bm25 = dict(corpus_index.keyword_search(question, 30))
    holder, other = sorted([first.id, second.id], key=lambda c: -bm25.get(c, 0.0))
    assert ids[0] == holder and other not in ids and len(ids) == 3
    # chunks searched alone are never moved
    alone = {first.id: Moment(first.doc_id, 0, 0, 0), second.id: Moment(first.doc_id, 1, 1, 1)}
    assert [p.chunk.id for p in _search(corpus_index, embedder, question, k=3, moments=alone)] == [
        p.chunk.id for p in plain
    ]


def test_a_document_that_is_one_moment_still_shows_all_its_chunks(corpus_index, embedder):
    question = "How many peacekeepers' names are on the memorial wall in Bamako?"
    plain = _search(corpus_index, embedder, question, k=3)
    one = {p.chunk.id: Moment("doc", i, 0, 2) for i, p in enumerate(plain)}  # every candidate is one moment
    assert {p.chunk.id for p in _search(corpus_index, embedder, question, k=3, moments=one)} >= {plain[0].chunk.id}
    assert len(_search(corpus_index, embedder, question, k=3, moments=one)) == 3


# -- a follow-up's own words ---------------------------------------------------------------------
# "And the third point?" after a question about the second case: the heuristic's standalone form
# carries the earlier question's words, which all point at the second case
FIRST = "What was the second case Colonel Kawasaki described for improving TPP training?"
FOLLOW_UP = "And the third point?"
# a standalone form still holding a word the follow-up replaced ("second"), as a model's rewrite may
# (the heuristic no longer borrows the earlier place in a sequence: `tests/query/test_condense.py`)
STANDALONE = "And the third point? (second case Colonel Kawasaki described improving TPP training)"


def test_a_follow_ups_own_words_rank_what_its_standalone_form_found(corpus_index, embedder):
    dense = _ranking(corpus_index, embedder, "dense", STANDALONE, 30)
    keyword = _ranking(corpus_index, embedder, "keyword", STANDALONE, 30)
    own = [c for c, _ in corpus_index.keyword_search(FOLLOW_UP, 30, among=set(dense) | set(keyword))]
    assert own and set(own) <= set(dense) | set(keyword)
    # searched on their own, the follow-up's words find chunks the conversation never pointed at
    assert set(_ranking(corpus_index, embedder, "keyword", FOLLOW_UP, 30)) - set(dense) - set(keyword)
    hybrid = _search(corpus_index, embedder, STANDALONE, k=5, asked=FOLLOW_UP, asked_weight=0.5)
    expected = reciprocal_rank_fusion([dense, keyword, own], 60, weights=[1.0, 1.0, 0.5])[:5]
    assert [(p.chunk.id, pytest.approx(p.fused)) for p in hybrid] == [(c, pytest.approx(s)) for c, s in expected]


def test_a_follow_up_finds_what_it_asks_not_what_it_borrowed(corpus_pipeline):
    query = corpus_pipeline.analyser(None).run(FOLLOW_UP, [(FIRST, "")])
    assert (query.question, query.standalone) == (
        FOLLOW_UP,
        "And the third point? (case Colonel Kawasaki described improving TPP training)",
    )

    def found(asked):
        passages = _search(
            corpus_pipeline.index, corpus_pipeline.embedder, STANDALONE, prefer_speakers=query.preferred, asked=asked
        )
        return any("third point is encouraging women" in p.chunk.text for p in passages)

    assert found(asked=FOLLOW_UP) and not found(asked=None)
    # what the pipeline retrieves with
    assert corpus_pipeline.retriever(query).asked == FOLLOW_UP


def test_a_question_asked_standalone_is_searched_once(corpus_index, embedder):
    assert _search(corpus_index, embedder, FOLLOW_UP, asked=FOLLOW_UP) == _search(corpus_index, embedder, FOLLOW_UP)


REWRITE = "And the fourth recommendation?"  # a model's rewrite that kept nothing of whose recommendations
COMPLETED = "And the fourth? (prof hasegawa's third recommendation future un missions)"  # the heuristic's


def test_a_rewrite_is_searched_with_the_heuristics_completion_beside_it(corpus_pipeline):
    def found(also_searched):
        query = Query("And the fourth?", REWRITE, also_searched=also_searched)
        passages = corpus_pipeline.retriever(query).search(query.standalone)
        return any("(4) The Joint Mission Analysis Center" in p.chunk.text for p in passages)

    assert found([COMPLETED]) and not found([])


def test_each_form_searched_adds_its_dense_and_keyword_rankings(corpus_index, embedder):
    rankings = [_ranking(corpus_index, embedder, r, q, 30) for q in (REWRITE, COMPLETED) for r in ("dense", "keyword")]
    hybrid = _search(corpus_index, embedder, REWRITE, also_searched=[COMPLETED], also_searched_weight=0.5)
    expected = reciprocal_rank_fusion(rankings, 60, weights=[1.0, 1.0, 0.5, 0.5])[:5]
    assert [(p.chunk.id, pytest.approx(p.fused)) for p in hybrid] == [(c, pytest.approx(s)) for c, s in expected]
