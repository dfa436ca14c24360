"""Learning the conversation re-ranking (`rag/retrieve/rerank.py`) from QMSum train.

Every query of the meetings is retrieved within its meeting and across all of them, with the
re-ranking off, to the depth it re-orders (`candidates`); each candidate from a conversation gets
its features (`candidate_features`, the very function the retriever calls) and a label: does it
lie inside the query's annotated turns (`SpanRelevance`, the benchmark's own rule) and hold
something to quote (`MIN_SENTENCE_WORDS` words or more). The benchmark counts a passage of one to
three words found whole in an annotated turn ("The data ?"), which a common phrase does by chance;
learnt with those as relevant, the model filled the top 5 with such lines (under four words: 0.034
of the fusion's top 5 on train, 0.076 re-ranked), which answer nothing and leave an extractive answer
nothing to quote. A logistic regression (scikit-learn, L2, C = 1) over those rows gives the weights.
Learn on train, never on val: val is where the result is reported.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from rag.answer.extractive import MIN_SENTENCE_WORDS
from rag.evaluate.qmsum import PURPOSE, SCOPES, Meeting, QMSumError, SpanRelevance, load_meetings
from rag.retrieve.rerank import FEATURES, RerankModel, candidate_features
from rag.segment.surroundings import reads_as_conversation


def training_rows(pipeline, meetings: Sequence[Meeting]) -> tuple[list[list[float]], list[int]]:
    """(features, labels) for the top candidates of every query of `meetings`, both scopes;
    `pipeline` holds the meetings and has the re-ranking off."""
    if pipeline.settings.rerank_conversations:
        raise ValueError("learn from the order the fusion gives: the pipeline's re-ranking must be off")
    relevance = SpanRelevance(meetings)
    conversations = {
        doc.doc_id for doc in pipeline.index.documents() if reads_as_conversation(pipeline.index.chunks(doc.doc_id))
    }
    rows: list[list[float]] = []
    labels: list[int] = []
    for query in (q for mt in meetings for q in mt.queries):
        for scope in SCOPES:
            docs = [query.meeting] if scope == "within" else None
            standalone = pipeline.analyser(None, answerability=False).run(query.text, (), docs, None).standalone
            passages = pipeline.retrieve(query.text, k=pipeline.settings.candidates, docs=docs)
            passages = [p for p in passages if p.chunk.doc_id in conversations]
            rows += candidate_features(standalone, passages, pipeline.scorer)
            labels += [int(quotable(p.chunk.text) and relevance(query, p.chunk.doc_id, p.chunk.text)) for p in passages]
    return rows, labels


def quotable(text: str) -> bool:
    """Long enough to hold an answer an extractive answer could quote."""
    return len(text.split()) >= MIN_SENTENCE_WORDS


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int], learnt_on: str = "") -> RerankModel:
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError("the candidates need relevant and irrelevant ones to learn from")
    model = LogisticRegression(C=1.0, max_iter=3000).fit(rows, labels)
    weights = {name: round(float(w), 6) for name, w in zip(FEATURES, model.coef_[0], strict=True)}
    figures = {"candidates": len(labels), "relevant": int(sum(labels))}
    return RerankModel(weights, round(float(model.intercept_[0]), 6), learnt_on, figures)


def learn_from_qmsum(
    settings,
    folder: Path,
    out: Path,
    meetings: int | None = None,
    patterns: Sequence[str] = ("*.json",),
    progress: bool = True,
    embedder=None,
) -> RerankModel:
    """Ingest the meetings into a temporary index, learn the weights, write them to `out`."""
    from rag.pipeline import Pipeline

    split = Path(folder).resolve().name
    if PURPOSE.get(split) == "reporting":
        raise QMSumError(f"{folder}: a reporting split; learn on train/ and report on {split}/")
    chosen = load_meetings(folder, meetings, patterns)
    with tempfile.TemporaryDirectory(prefix="minutes-rag-rerank-") as tmp:
        pipeline = Pipeline(
            settings.replace(
                data_dir=Path(tmp) / "index", corpus_dir=Path(tmp) / "documents", rerank_conversations=False
            ),
            embedder=embedder,
        )
        ingest = pipeline.ingest([mt.path for mt in chosen], progress_bar=progress)
        if ingest.failed:
            raise QMSumError("ingest failed: " + "; ".join(reason for _, reason in ingest.failed[:3]))
        rows, labels = training_rows(pipeline, chosen)
    queries = sum(len(mt.queries) for mt in chosen)
    learnt_on = f"QMSum {split}: {len(chosen)} meetings ({', '.join(patterns)}), {queries} queries, both scopes"
    model = fit(rows, labels, learnt_on)
    model.save(out)
    return model
