"""The LlamaIndex baseline: library defaults over the same corpus, embedding model and LLM."""

import pytest

from rag.evaluate.baseline import Baseline
from rag.pipeline import Pipeline


def test_extractive_baseline_retrieves_and_answers_from_its_top_chunk(corpus_pipeline):
    base = Baseline(corpus_pipeline.settings, None, k=5)
    out = base.ask("What share of the UN peacekeeping budget does Japan pay?")
    assert len(out["retrieved"]) == 5 and out["citations"] == []
    assert out["answer"] and out["answer"][:40] in out["retrieved"][0]["text"]


@pytest.mark.slow
def test_baseline_with_the_local_model_uses_the_default_query_engine(corpus_pipeline):
    pipeline = Pipeline(corpus_pipeline.settings.replace(llm="local", llm_model="qwen2.5-0.5b"))
    base = Baseline(pipeline.settings, pipeline.llm("local"), k=2)
    out = base.ask("What share of the UN peacekeeping budget does Japan pay?")
    assert out["answer"].strip() and len(out["retrieved"]) == 2
    assert out["timings_ms"]["total"] > 0
