"""The retrieve stage: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank fusion
(Cormack, Clarke & Büttcher 2009), on llama-index's `BaseRetriever`.

Modes: "hybrid" (both, fused), "dense" (Chroma only), "keyword" (BM25 only): the evaluation's
baselines and ablations. Whatever the mode, each result carries `dense`, the cosine similarity
of its chunk's best window to the question, even when only BM25 found it (computed from the
stored window vectors): the answer stage reads it to tell whether the minutes address the
question at all.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.minutes import Chunk
from rag.retrieve.passages import Passage, to_passages

MODES = ("hybrid", "dense", "keyword")
WINDOWS_PER_CANDIDATE = 3  # a chunk may have several windows: ask Chroma for more windows than chunks


def reciprocal_rank_fusion(rankings: Iterable[Sequence[str]], k: int = 60) -> list[tuple[str, float]]:
    """Fuse rankings (each best first, ranks from 1): score(d) = sum over the rankings that hold
    d of 1 / (k + rank of d). Best first; equal scores in id order (deterministic)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))


class HybridRetriever(BaseRetriever):
    """Top-k chunks for a question as llama-index nodes (`retrieve`) or Passages (`search`).

    `doc_ids` / `speakers` restrict both retrievers to those documents / canonical speakers.
    `prefer_speakers` (speakers a question names, "What did Kawasaki recommend?") adds a ranking
    per speaker, their chunks by dense similarity, to the fusion: they rise without excluding what
    others said about them, and a question comparing two speakers gets both. It is ignored when `speakers` already filters, and outside hybrid mode.
    """

    def __init__(self, index, embedder, k: int = 5, candidates: int = 30, rrf_k: int = 60,
                 doc_ids: Sequence[str] | None = None, speakers: Sequence[str] | None = None,
                 mode: str = "hybrid", prefer_speakers: Sequence[str] | None = None):
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r} (known: {', '.join(MODES)})")
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        super().__init__()
        self.index, self.embedder = index, embedder
        self.k, self.candidates, self.rrf_k, self.mode = k, max(candidates, k), rrf_k, mode
        self.doc_ids = list(doc_ids) if doc_ids else None
        self.speakers = list(speakers) if speakers else None
        self.prefer_speakers = list(prefer_speakers) if prefer_speakers else None

    def _allowed(self, chunk: Chunk) -> bool:
        return (self.doc_ids is None or chunk.doc_id in self.doc_ids) and (
            self.speakers is None or chunk.speaker in self.speakers
        )

    def _dense(self, embedding, speakers=None) -> list[tuple[str, float]]:
        hits = self.index.vectors.query(
            embedding, self.candidates * WINDOWS_PER_CANDIDATE, self.doc_ids, speakers or self.speakers
        )
        return hits[: self.candidates]

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        question = query_bundle.query_str
        embedding = self.embedder.embed_query(question)
        dense_hits = self._dense(embedding) if self.mode != "keyword" else []
        keyword_hits = (
            self.index.keywords.search(question, self.candidates, self._allowed) if self.mode != "dense" else []
        )
        dense = dict(dense_hits)
        if self.mode == "dense":
            ranked = dense_hits
        elif self.mode == "keyword":
            ranked = keyword_hits
        else:
            rankings = [[c for c, _ in dense_hits], [c for c, _ in keyword_hits]]
            if self.prefer_speakers and not self.speakers:
                for speaker in self.prefer_speakers:  # one ranking each: comparing two speakers needs both
                    preferred = self._dense(embedding, [speaker])
                    dense.update((c, s) for c, s in preferred if c not in dense)
                    rankings.append([c for c, _ in preferred])
            ranked = reciprocal_rank_fusion(rankings, self.rrf_k)
        top = ranked[: self.k]
        if self.mode == "hybrid" and self.prefer_speakers and len(self.prefer_speakers) > 1 and not self.speakers:
            top = self._every_speaker_heard(ranked, top)
        missing = [c for c, _ in top if c not in dense]
        dense.update(self.index.vectors.similarity(embedding, missing))
        dense_rank = {c: r for r, (c, _) in enumerate(dense_hits, 1)}
        keyword_rank = {c: r for r, (c, _) in enumerate(keyword_hits, 1)}
        nodes = []
        for chunk_id, score in top:
            chunk = self.index.chunk(chunk_id)
            if chunk is None:  # removed between the searches and now
                continue
            metadata = {
                **chunk.source(),
                "paragraph_ids": list(chunk.paragraph_ids),
                "dense": float(dense.get(chunk_id, 0.0)),
                "dense_rank": dense_rank.get(chunk_id),
                "keyword_rank": keyword_rank.get(chunk_id),
                "rank": len(nodes) + 1,
            }
            node = TextNode(
                id_=chunk.id,
                text=chunk.text,
                metadata=metadata,
                excluded_embed_metadata_keys=list(metadata),
                excluded_llm_metadata_keys=list(metadata),
            )
            nodes.append(NodeWithScore(node=node, score=float(score)))
        return nodes

    def _every_speaker_heard(self, ranked: list[tuple[str, float]], top: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """A question naming several speakers ("How do Akashi and Cammaert view ...?") needs each
        of them in the top k: a named speaker left out gets their best-fused passage in place of
        the lowest-ranked passage of a speaker who has more than one."""
        speaker_of = lambda chunk_id: getattr(self.index.chunk(chunk_id), "speaker", "")  # noqa: E731
        top = list(top)
        for speaker in self.prefer_speakers:
            if any(speaker_of(c) == speaker for c, _ in top):
                continue
            best = next(((c, s) for c, s in ranked[len(top):] if speaker_of(c) == speaker), None)
            counts = {}
            for c, _ in top:
                counts[speaker_of(c)] = counts.get(speaker_of(c), 0) + 1
            crowded = [i for i, (c, _) in enumerate(top) if counts[speaker_of(c)] > 1]
            if best is None or not crowded:
                continue
            top[crowded[-1]] = best
        return sorted(top, key=lambda item: -item[1])

    def search(self, question: str) -> list[Passage]:
        """Passages for a question, best first: what the CLI, the chat and the evaluation call."""
        return to_passages(self.retrieve(question), self.index)
