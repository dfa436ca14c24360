"""The retrieve stage: the index's dense (cosine) and keyword (BM25) rankings fused by reciprocal
rank fusion (Cormack, Clarke & Büttcher 2009), on llama-index's `BaseRetriever`.

Every passage carries `dense`, the cosine of its chunk's best window to the question, even when
only BM25 found it: the answer stage reads it to tell whether the minutes address the question.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.index import MinutesIndex
from rag.minutes import Passage
from rag.retrieve.abbreviations import Abbreviations
from rag.retrieve.rerank import ConversationReranker, ScoredChunk

Ranking = list[tuple[str, float]]  # (chunk id, score), best first


@dataclass(frozen=True)
class Moment:
    """Where a chunk is among the chunks searched with it: its index in its document and the
    first and last index of its surroundings (`rag/segment/surroundings.py`)."""

    doc_id: str
    index: int
    first: int
    last: int

    def overlaps(self, other: Moment) -> bool:
        """The two are one moment of the meeting for search: one lies in the other's surroundings."""
        return self.doc_id == other.doc_id and (
            self.first <= other.index <= self.last or other.first <= self.index <= other.last
        )


def reciprocal_rank_fusion(
    rankings: Iterable[Sequence[str]], k: int, weights: Sequence[float] | None = None
) -> Ranking:
    """Fuse rankings (each best first, ranks from 1): score(d) = sum over the rankings that hold
    d of weight / (k + rank of d), each ranking's weight 1 unless given. Best first; equal scores
    in id order (deterministic)."""
    scores: dict[str, float] = {}
    for n, ranking in enumerate(rankings):
        weight = weights[n] if weights is not None else 1.0
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))


class HybridRetriever(BaseRetriever):
    """Top-k chunks for a question, as llama-index nodes (`retrieve`) or Passages (`search`).

    `doc_ids` / `speakers` restrict every ranking to those documents / canonical speakers.
    `prefer_speakers` (the speakers a question names: "What did Kawasaki recommend?") adds one
    ranking per speaker, their chunks by dense similarity: they rise without excluding what
    others said about them, and a question comparing two speakers gets both. Ignored when
    `speakers` already filters.
    `asked` is a follow-up as it was asked, when the conversation made it standalone: its own
    words rank, by BM25, the chunks the standalone question found (weight `asked_weight`), so the
    words borrowed from the conversation say where to look without outweighing what the follow-up
    asks ("And the third point?" after a question about the second). Only those chunks: searched
    on their own, a follow-up's few words ("And the other panel member?") find whatever else
    holds them.
    `also_searched` are other standalone forms of the same question (a follow-up's heuristic
    completion beside the model's rewrite of it): each adds its dense and BM25 rankings at
    `also_searched_weight`, so what the rewrite dropped of the conversation is still looked for.
    `abbreviations` the documents define are searched for by their short form too ("Triangular Partnership
    Programme" also finds "TPP was launched in 2015"). Only the search reads the other form: the
    answer stage scores sentences by the question as asked, where the added words would favour
    the sentence that defines the abbreviation over the one that answers.
    `silent` chunks (those that say nothing: "Yeah .", "{vocalsound}", "Thank you.") are never
    passages.
    `reranker` re-orders the top `candidates` of the fusion that are chunks of conversations by a
    model learnt on real transcripts (`rerank.py`).
    """

    def __init__(
        self,
        index: MinutesIndex,
        embedder,
        k: int,
        candidates: int,
        rrf_k: int,
        doc_ids: Sequence[str] | None = None,
        speakers: Sequence[str] | None = None,
        prefer_speakers: Sequence[str] | None = None,
        moments: Mapping[str, Moment] | None = None,
        keyword_weight: float = 1.0,
        speaker_weight: float = 1.0,
        asked: str | None = None,
        asked_weight: float = 0.5,
        abbreviations: Abbreviations | None = None,
        also_searched: Sequence[str] = (),
        also_searched_weight: float = 1.0,
        silent: Collection[str] = frozenset(),
        reranker: ConversationReranker | None = None,
    ):
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        super().__init__()
        self.index, self.embedder = index, embedder
        self.k, self.candidates, self.rrf_k = k, max(candidates, k), rrf_k
        self.doc_ids = list(doc_ids) if doc_ids else None
        self.speakers = list(speakers) if speakers else None
        self.prefer_speakers = [] if self.speakers else list(prefer_speakers or [])
        self.moments = moments or {}
        self.keyword_weight, self.speaker_weight = keyword_weight, speaker_weight
        self.asked, self.asked_weight = asked, asked_weight
        self.abbreviations = abbreviations or Abbreviations({})
        self.also_searched, self.also_searched_weight = list(also_searched), also_searched_weight
        self.silent = silent
        self.reranker = reranker

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        question = self.abbreviations.expand(query_bundle.query_str)
        vector = self.embedder.embed_query(question)
        dense = self._dense(vector, self.speakers)
        keyword = self._keyword(question)
        preferred = [self._dense(vector, [s]) for s in self.prefer_speakers]
        rankings = [dense, keyword, *preferred]
        weights = [1.0, self.keyword_weight] + [self.speaker_weight] * len(preferred)
        for form in self.also_searched:
            other = self.abbreviations.expand(form)
            rankings += [self._dense(self.embedder.embed_query(other), self.speakers), self._keyword(other)]
            weights += [self.also_searched_weight, self.also_searched_weight * self.keyword_weight]
        if self.asked and self.asked != query_bundle.query_str:
            found = {c for ranking in rankings for c, _ in ranking}
            rankings.append(self.index.keyword_search(self.asked, self.candidates, self.doc_ids, self.speakers, found))
            weights.append(self.asked_weight)
        fused = self._one_per_moment(
            reciprocal_rank_fusion([[c for c, _ in r] for r in rankings], self.rrf_k, weights), keyword
        )
        similarity = dict(dense)
        for ranking in preferred:
            similarity.update((c, s) for c, s in ranking if c not in similarity)
        if self.reranker is not None:
            fused = self._reranked(query_bundle.query_str, vector, fused, similarity, keyword)
        top = fused[: self.k]
        if len(self.prefer_speakers) > 1:
            top = self._every_speaker_heard(fused, top)
        similarity.update(self.index.similarity(vector, [c for c, _ in top if c not in similarity]))
        return self._nodes(top, similarity, dense, keyword)

    def _reranked(
        self, question: str, vector, fused: Ranking, similarity: dict[str, float], keyword: Ranking
    ) -> Ranking:
        """The top `candidates` re-ordered by the reranker, then one place per moment again (the
        first the model put there holds it). The places keep their scores, best first."""
        assert self.reranker is not None
        head, tail = fused[: self.candidates], fused[self.candidates :]
        chunks = [(chunk, score) for chunk_id, score in head if (chunk := self.index.chunk(chunk_id)) is not None]
        if sum(chunk.doc_id in self.reranker.conversations for chunk, _ in chunks) < 2:
            return fused  # nothing to re-order (minutes in paragraphs): no cosines to compute
        similarity.update(self.index.similarity(vector, [c.id for c, _ in chunks if c.id not in similarity]))
        own = dict(keyword)
        scored = [
            ScoredChunk(chunk, score, float(similarity.get(chunk.id, 0.0)), float(own.get(chunk.id, 0.0)))
            for chunk, score in chunks
        ]
        reranked = self._one_per_moment([(c.chunk.id, c.fused) for c in self.reranker.run(question, scored)], None)
        scores = sorted((s for _, s in reranked), reverse=True)
        return [(chunk_id, scores[i]) for i, (chunk_id, _) in enumerate(reranked)] + tail

    # Both rankings leave out the chunks that say nothing ("Yeah .", "{vocalsound}", "Thank you."):
    # searched with their surroundings they match what was said around them, and as passages they
    # answer nothing.
    def _dense(self, vector, speakers: Sequence[str] | None) -> Ranking:
        ranking = self.index.dense_search(vector, self.candidates, self.doc_ids, speakers)
        return [(c, s) for c, s in ranking if c not in self.silent]

    def _keyword(self, question: str) -> Ranking:
        ranking = self.index.keyword_search(question, self.candidates, self.doc_ids, self.speakers)
        return [(c, s) for c, s in ranking if c not in self.silent]

    def _nodes(
        self, top: Ranking, similarity: dict[str, float], dense: Ranking, keyword: Ranking
    ) -> list[NodeWithScore]:
        dense_rank = {c: r for r, (c, _) in enumerate(dense, 1)}
        keyword_rank = {c: r for r, (c, _) in enumerate(keyword, 1)}
        keyword_score = dict(keyword)
        nodes: list[NodeWithScore] = []
        for chunk_id, fused in top:
            chunk = self.index.chunk(chunk_id)
            if chunk is None:  # removed between the searches and now
                continue
            metadata = {
                **chunk.source(),
                "paragraph_ids": list(chunk.paragraph_ids),
                "rank": len(nodes) + 1,
                "dense": float(similarity.get(chunk_id, 0.0)),
                "keyword": float(keyword_score.get(chunk_id, 0.0)),
                "dense_rank": dense_rank.get(chunk_id),
                "keyword_rank": keyword_rank.get(chunk_id),
            }
            node = TextNode(
                id_=chunk.id,
                text=chunk.text,
                metadata=metadata,
                excluded_embed_metadata_keys=list(metadata),
                excluded_llm_metadata_keys=list(metadata),
            )
            nodes.append(NodeWithScore(node=node, score=float(fused)))
        return nodes

    def _one_per_moment(self, fused: Ranking, keyword: Ranking | None) -> Ranking:
        """Short chunks are searched with their surroundings, so neighbours rank together. Chunks
        that are one moment of the meeting take one place, at the best rank any of them reached,
        held by the one whose own words match best (its BM25 score in `keyword` counts its own
        words twice), or by the first of them when `keyword` is None (after the re-ranking, whose
        model has weighed the chunk's own words already); the others move behind every other
        moment, so the top k covers as many moments as there are (and a small document, all one
        moment, still shows all its chunks). Chunks searched alone (long paragraphs) never move."""
        if not self.moments:
            return fused
        own = dict(keyword or [])
        kept: Ranking = []
        deferred: Ranking = []
        for chunk_id, score in fused:
            moment = self.moments.get(chunk_id)
            place = None
            if moment is not None and moment.first != moment.last:
                place = next(
                    (
                        i
                        for i, (c, _) in enumerate(kept)
                        if (m := self.moments.get(c)) is not None and m.overlaps(moment)
                    ),
                    None,
                )
            if place is None:
                kept.append((chunk_id, score))
            elif keyword is not None and own.get(chunk_id, 0.0) > own.get(kept[place][0], 0.0):
                deferred.append(kept[place])
                kept[place] = (chunk_id, kept[place][1])  # the better-matching chunk takes the moment's place
            else:
                deferred.append((chunk_id, score))
        return kept + deferred

    def _every_speaker_heard(self, fused: Ranking, top: Ranking) -> Ranking:
        """A question naming several speakers ("How do Akashi and Cammaert view ...?") needs each
        of them in the top k: a named speaker left out gets their best-fused passage in place of
        the lowest-ranked passage of a speaker who has more than one."""

        def speaker_of(chunk_id: str) -> str:
            chunk = self.index.chunk(chunk_id)
            return chunk.speaker if chunk else ""

        top = list(top)
        for speaker in self.prefer_speakers:
            if any(speaker_of(c) == speaker for c, _ in top):
                continue
            best = next(((c, s) for c, s in fused[len(top) :] if speaker_of(c) == speaker), None)
            counts: dict[str, int] = {}
            for c, _ in top:
                counts[speaker_of(c)] = counts.get(speaker_of(c), 0) + 1
            crowded = [i for i, (c, _) in enumerate(top) if counts[speaker_of(c)] > 1]
            if best is None or not crowded:
                continue
            top[crowded[-1]] = best
        return sorted(top, key=lambda item: -item[1])

    def search(self, question: str) -> list[Passage]:
        """Passages for a question, best first: what the pipeline, the chat and the evaluation read.
        A chunk removed since the search is skipped and the ranks close up."""
        passages: list[Passage] = []
        for node in self.retrieve(question):
            chunk = self.index.chunk(node.node.node_id)
            if chunk is None:
                continue
            meta = node.node.metadata
            passages.append(
                Passage(
                    chunk,
                    rank=len(passages) + 1,
                    fused=float(node.score or 0.0),
                    dense=meta["dense"],
                    keyword=meta["keyword"],
                    dense_rank=meta["dense_rank"],
                    keyword_rank=meta["keyword_rank"],
                )
            )
        return passages
