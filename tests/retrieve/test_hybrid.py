import pytest

from rag.retrieve import HybridRetriever, reciprocal_rank_fusion


def test_reciprocal_rank_fusion_known_numbers():
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["b"] == pytest.approx(1 / 62)
    assert [x for x, _ in reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]])] == ["a", "c", "b"]


QUESTIONS = [
    ("How much of the UN peacekeeping budget does Japan pay?", "10.8 %"),
    ("How many peacekeepers' names are on the memorial wall in Bamako?", "309 names"),
    ("Why did the Kenyan troops leave Congo?", "Kenyan troops left the DRC"),
    ("Who proposed a UN police academy hosted by Japan?", "UN Police Academy"),
    ("How many people have been trained through the Triangular Partnership Programme?", "16,000"),
]


def _found(pipeline, mode, question, phrase, k=5):
    retriever = HybridRetriever(pipeline.index, pipeline.embedder, k=k, mode=mode)
    return any(phrase in p.chunk.text for p in retriever.search(question))


@pytest.mark.parametrize("question, phrase", QUESTIONS)
def test_hybrid_finds_the_paragraph_in_the_top_three(corpus_pipeline, question, phrase):
    assert _found(corpus_pipeline, "hybrid", question, phrase, k=3)


@pytest.mark.parametrize("mode", ["dense", "keyword"])
def test_fusion_finds_at_least_what_either_retriever_finds(corpus_pipeline, mode):
    single = sum(_found(corpus_pipeline, mode, q, p) for q, p in QUESTIONS)
    fused = sum(_found(corpus_pipeline, "hybrid", q, p) for q, p in QUESTIONS)
    assert 0 < single <= fused == len(QUESTIONS)


def test_unknown_mode_is_refused(corpus_pipeline):
    with pytest.raises(ValueError, match="unknown retrieval mode"):
        HybridRetriever(corpus_pipeline.index, corpus_pipeline.embedder, mode="magic")


def test_speaker_and_document_filters(corpus_pipeline):
    index, embedder = corpus_pipeline.index, corpus_pipeline.embedder
    passages = HybridRetriever(index, embedder, k=5, speakers=["Werner Klaffus"]).search("What about Afghanistan and the Taliban?")
    assert passages and {p.chunk.speaker for p in passages} == {"Werner Klaffus"}
    doc = "2015-01-28-hippo-informal-meeting-tokyo"
    passages = HybridRetriever(index, embedder, k=5, doc_ids=[doc]).search("peacekeeping")
    assert {p.chunk.doc_id for p in passages} == {doc}


def test_dense_score_present_for_keyword_only_hits(corpus_pipeline):
    passages = HybridRetriever(corpus_pipeline.index, corpus_pipeline.embedder, k=5, mode="keyword").search("Hitachi mine-clearing")
    assert passages and all(-1.0 <= p.dense <= 1.0 and p.dense != 0.0 for p in passages)
    assert "Hitachi" in passages[0].chunk.text
