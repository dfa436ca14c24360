"""The retrieve stage: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank fusion
(Cormack, Clarke & Büttcher 2009), on llama-index's `BaseRetriever`.

Each passage also carries `dense`, the cosine similarity of its best window to the question,
even when only BM25 found it: the answer stage reads it to tell whether the minutes address the
question at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.minutes import Chunk

MODES = ("hybrid", "dense", "keyword")


@dataclass
class Passage:
    chunk: Chunk
    score: float  # fused score (or the single retriever's)
    dense: float  # cosine similarity of the chunk's best window to the question
    rank: int  # 1-based


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> list[tuple[str, float]]:
    """Fuse rankings (best first): score(d) = sum over rankings of 1 / (k + rank of d)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))


class HybridRetriever(BaseRetriever):
    def __init__(self, index, embedder, k: int = 5, candidates: int = 30, rrf_k: int = 60,
                 doc_ids: list[str] | None = None, speakers: list[str] | None = None, mode: str = "hybrid",
                 prefer_speakers: list[str] | None = None):
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r} (known: {', '.join(MODES)})")
        super().__init__()
        self.index, self.embedder = index, embedder
        self.k, self.candidates, self.rrf_k, self.mode = k, candidates, rrf_k, mode
        self.doc_ids, self.speakers = doc_ids, speakers
        # speakers the question names ("What did Kawasaki recommend?"): their passages get a third
        # ranking in the fusion, so they rise without excluding what others said about them
        self.prefer_speakers = prefer_speakers

    def _where(self, speakers: list[str] | None = None) -> dict | None:
        clauses = []
        speakers = speakers or self.speakers
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if speakers:
            clauses.append({"speaker": {"$in": list(speakers)}})
        return None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def _allowed(self, chunk: Chunk) -> bool:
        return (not self.doc_ids or chunk.doc_id in self.doc_ids) and (not self.speakers or chunk.speaker in self.speakers)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        question = query_bundle.query_str
        embedding = self.embedder.embed_query(question)
        dense = {}
        if self.mode != "keyword":
            # a chunk has several windows: ask for more windows than chunks wanted
            dense = self.index.vectors.query(embedding, self.candidates * 3, self._where())
        dense_ranking = sorted(dense, key=lambda c: -dense[c])[: self.candidates]
        keyword_ranking = []
        if self.mode != "dense":
            keyword_ranking = [c for c, _ in self.index.keywords.search(question, self.candidates, self._allowed)]
        if self.mode == "dense":
            fused = [(c, dense[c]) for c in dense_ranking]
        elif self.mode == "keyword":
            fused = [(c, 1.0 / (self.rrf_k + r)) for r, c in enumerate(keyword_ranking, 1)]
        else:
            rankings = [dense_ranking, keyword_ranking]
            if self.prefer_speakers and not self.speakers:
                preferred = self.index.vectors.query(embedding, self.candidates * 3, self._where(self.prefer_speakers))
                dense.update({c: s for c, s in preferred.items() if c not in dense})
                rankings.append(sorted(preferred, key=lambda c: -preferred[c])[: self.candidates])
            fused = reciprocal_rank_fusion(rankings, self.rrf_k)
        top = fused[: self.k]
        missing = [c for c, _ in top if c not in dense]
        dense.update(self.index.vectors.similarity(embedding, missing))
        nodes = []
        for rank, (chunk_id, score) in enumerate(top, 1):
            chunk = self.index.chunk(chunk_id)
            if chunk is None:
                continue
            node = TextNode(id_=chunk.id, text=chunk.text, metadata={"dense": dense.get(chunk_id, 0.0), "rank": rank})
            nodes.append(NodeWithScore(node=node, score=score))
        return nodes

    def search(self, question: str) -> list[Passage]:
        """Passages for a question, best first: what the CLI, the chat and the evaluation use."""
        passages = []
        for node in self.retrieve(question):
            chunk = self.index.chunk(node.node.id_)
            passages.append(Passage(chunk, float(node.score or 0.0), float(node.node.metadata["dense"]), node.node.metadata["rank"]))
        return passages
