"""The retrieve stage: hybrid (dense + BM25) retrieval with reciprocal rank fusion."""

from rag.retrieve.hybrid import HybridRetriever, reciprocal_rank_fusion

__all__ = ["HybridRetriever", "reciprocal_rank_fusion"]
