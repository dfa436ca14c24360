"""Passages: what retrieval hands the answer stage, the CLI, the chat and the evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from llama_index.core.schema import NodeWithScore

from rag.minutes import Chunk


@dataclass
class Passage:
    chunk: Chunk
    score: float  # the ranking score: fused RRF score (hybrid), cosine (dense) or BM25 (keyword)
    dense: float  # cosine similarity of the chunk's best window to the question, for every passage
    rank: int  # 1-based position in the results


def to_passages(nodes: Iterable[NodeWithScore], index) -> list[Passage]:
    """Passages for retrieved nodes (node id = chunk id), in order; a node whose chunk is no
    longer in the index (removed meanwhile) is skipped and the ranks close up."""
    passages: list[Passage] = []
    for node in nodes:
        chunk = index.chunk(node.node.node_id)
        if chunk is None:
            continue
        meta = node.node.metadata
        passages.append(Passage(chunk, float(node.score or 0.0), float(meta.get("dense", 0.0)), len(passages) + 1))
    return passages
