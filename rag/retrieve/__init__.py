"""The retrieve stage: hybrid (dense + BM25) retrieval with reciprocal rank fusion."""

from rag.retrieve.hybrid import MODES, HybridRetriever, reciprocal_rank_fusion
from rag.retrieve.passages import Passage, to_passages

__all__ = ["HybridRetriever", "Passage", "reciprocal_rank_fusion", "to_passages", "MODES"]
