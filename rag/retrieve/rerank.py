"""The learned re-ranking of conversation passages: a logistic model over each candidate's scores,
learnt from real transcripts (QMSum train) by `minutes-rag eval --qmsum DIR --learn-reranker FILE`
(`rag/evaluate/learn_reranker.py`).

Fusion by rank (`hybrid.py`) ignores how far apart the scores are and how long a chunk is. In a
transcript both matter: a long turn embeds and BM25-scores many topics at once, so it ranks high
without answering unless its own words cover the question, and a short line is searched with its
surroundings, so its dense and BM25 scores say where the moment is. The model weighs, for each of the
top candidates, its fused score, its cosine against the best candidate's, its BM25 score against
the best, its length, and its own words' coverage of the question and BM25 score each scaled by its
length (`FEATURES`). Learnt on conversations only, it re-orders only chunks of documents that read as
conversations (`rag/segment/surroundings.py`): on minutes written in paragraphs it cost the gold
set's tune part recall (eval/RESULTS.md, *A learned re-ranking of conversation passages*). The
places such chunks held keep their fused scores; the model decides which chunk takes which.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rag.errors import PipelineError
from rag.minutes import Chunk
from rag.text.relevance import SentenceScorer

# the model shipped with the package, learnt on QMSum train (its file records how)
SHIPPED_MODEL = Path(__file__).with_name("conversation_reranker.json")

FEATURES = (
    "fused",  # fused score over the best candidate's
    "dense_gap",  # cosine minus the best candidate's cosine
    "keyword",  # BM25 score over the best candidate's (0: BM25 did not find it)
    "log_words",  # log(1 + the chunk's words)
    "coverage_x_log_words",  # IDF-weighted share of the question's words in the chunk's own text, times log_words
    "keyword_x_log_words",
)


class RerankModelError(PipelineError):
    """A re-ranking model file that cannot be used; the message is one line."""


class Candidate(Protocol):
    """What the re-ranking reads of a candidate (a `Passage` is one)."""

    @property
    def chunk(self) -> Chunk: ...
    @property
    def fused(self) -> float: ...
    @property
    def dense(self) -> float: ...
    @property
    def keyword(self) -> float: ...


@dataclass(frozen=True)
class ScoredChunk:
    """A candidate inside the retriever, before it becomes a `Passage`."""

    chunk: Chunk
    fused: float
    dense: float
    keyword: float


def candidate_features(question: str, candidates: Sequence[Candidate], scorer: SentenceScorer) -> list[list[float]]:
    """One row of `FEATURES` per candidate; the scores are read against the best of the list, so
    the same weights hold for archives whose scores run higher or lower."""
    if not candidates:
        return []
    best_fused = max(c.fused for c in candidates) or 1.0
    best_dense = max(c.dense for c in candidates)
    best_keyword = max(c.keyword for c in candidates) or 1.0
    terms = SentenceScorer.terms(question)
    rows = []
    for c in candidates:
        log_words = math.log1p(len(c.chunk.text.split()))
        coverage = scorer.coverage(terms, SentenceScorer.tokens(c.chunk.text))
        keyword = c.keyword / best_keyword
        rows.append(
            [c.fused / best_fused, c.dense - best_dense, keyword, log_words, coverage * log_words, keyword * log_words]
        )
    return rows


@dataclass(frozen=True)
class RerankModel:
    """A logistic model's weights over `FEATURES`, and a line saying what it was learnt on."""

    weights: Mapping[str, float]
    intercept: float
    learnt_on: str = ""
    figures: Mapping[str, object] = field(default_factory=dict)

    def score(self, row: Sequence[float]) -> float:
        """The log-odds that the candidate lies inside the turns that answer."""
        return self.intercept + sum(self.weights[name] * value for name, value in zip(FEATURES, row, strict=True))

    @classmethod
    def load(cls, path: Path) -> RerankModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            intercept = float(data["intercept"])
        except OSError as exc:
            raise RerankModelError(f"{path}: cannot read the re-ranking model ({exc.strerror})") from None
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RerankModelError(f"{path}: not a re-ranking model ({type(exc).__name__}: {exc})") from None
        if set(weights) != set(FEATURES):
            raise RerankModelError(f"{path}: the model's features {sorted(weights)} are not {sorted(FEATURES)}")
        return cls(weights, intercept, str(data.get("learnt_on", "")), dict(data.get("figures", {})))

    def save(self, path: Path) -> None:
        record = {
            "features": list(FEATURES),
            "weights": {name: self.weights[name] for name in FEATURES},
            "intercept": self.intercept,
            "learnt_on": self.learnt_on,
            "figures": dict(self.figures),
        }
        Path(path).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


class ConversationReranker:
    """Re-orders the top candidates that are chunks of conversations by the model's score; every
    other candidate keeps its place."""

    def __init__(self, model: RerankModel, scorer: SentenceScorer, conversations: Collection[str]):
        self.model, self.scorer, self.conversations = model, scorer, conversations

    def run(self, question: str, candidates: Sequence[ScoredChunk]) -> list[ScoredChunk]:
        """The candidates re-ordered; the chunk moved into a place takes that place's fused score,
        so the list stays ordered by score."""
        places = [i for i, c in enumerate(candidates) if c.chunk.doc_id in self.conversations]
        if len(places) < 2:
            return list(candidates)
        rows = candidate_features(question, [candidates[i] for i in places], self.scorer)
        scores = [self.model.score(row) for row in rows]
        order = sorted(range(len(places)), key=lambda j: (-scores[j], j))
        out = list(candidates)
        for place, j in zip(places, order, strict=True):
            moved = candidates[places[j]]
            out[place] = ScoredChunk(moved.chunk, candidates[place].fused, moved.dense, moved.keyword)
        return out
