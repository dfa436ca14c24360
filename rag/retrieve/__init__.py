"""The retrieve stage: hybrid (dense + BM25) retrieval with reciprocal rank fusion."""

from rag.retrieve.hybrid import HybridRetriever, Moment, reciprocal_rank_fusion

__all__ = ["HybridRetriever", "Moment", "reciprocal_rank_fusion"]
