"""The retrieve stage: hybrid (dense + BM25) retrieval with reciprocal rank fusion."""

from rag.retrieve.abbreviations import Abbreviations
from rag.retrieve.hybrid import HybridRetriever, Moment, reciprocal_rank_fusion

__all__ = ["Abbreviations", "HybridRetriever", "Moment", "reciprocal_rank_fusion"]
