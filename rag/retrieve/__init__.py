"""The retrieve stage: hybrid (dense + BM25) retrieval with reciprocal rank fusion."""

from rag.retrieve.hybrid import MODES, HybridRetriever, Passage, reciprocal_rank_fusion

__all__ = ["HybridRetriever", "Passage", "reciprocal_rank_fusion", "MODES"]
