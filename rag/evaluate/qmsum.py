"""QMSum (Zhong et al., NAACL 2021) in the harness: real meeting transcripts and queries written
and annotated by other people, for retrieval measured on minutes nobody here wrote.

Each meeting file holds `meeting_transcripts` (speaker turns) and `specific_query_list`, whose
`relevant_text_span` marks the turns that answer each query. The meeting files are ingested as
they are (rag.read's JSON transcript reader) into a temporary index through the pipeline's own
ingest; each query is then retrieved (no LLM) within its meeting (document filter) and across all
the meetings, by minutes-rag and by three baselines, and scored with hit@k, MRR and precision@k,
by query kind.

Relevance is decided by text, not by turn ids, so it holds whatever the segmenter does with the
turns (merge, split, strip the speaker label): a retrieved text is relevant to a query when it
comes from the query's meeting and at least half of its word 4-grams (normalised: case,
punctuation, typography) occur in the query's annotated turns. A text shorter than four words
must occur whole in one of those turns. A text that says nothing (courtesies, fillers, marks of
non-speech: "Yeah .", "{vocalsound}", "Thank you.") is relevant to no query: it occurs inside
every span of talk, so it would count as found wherever it came from.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.evaluate import metrics as m
from rag.evaluate.gold import normalise
from rag.text import STOPWORDS, is_formality

SUMMARIZE, SPECIFIC = "summarize", "specific"
SCOPES = ("within", "across")
KINDS = (SUMMARIZE, SPECIFIC, "all")
PURPOSE = {"train": "tuning", "val": "reporting"}  # tune on train/, report on val/, never the other way round

Retrieved = list[tuple[str, str]]  # (document id, text), best first


class QMSumError(ValueError):
    """A QMSum folder or file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Query:
    meeting: str  # the meeting's document id (its file name without .json)
    text: str
    kind: str  # SUMMARIZE ("Summarize the discussion about ...") or SPECIFIC (the rest)
    turns: frozenset[int]  # indices of the annotated relevant turns


@dataclass(frozen=True)
class Meeting:
    doc_id: str
    path: Path
    turns: tuple[tuple[str, str], ...]  # (speaker, content), in order
    queries: tuple[Query, ...]


def query_kind(text: str) -> str:
    return SUMMARIZE if text.strip().lower().startswith(("summarize", "summarise")) else SPECIFIC


def load_meeting(path: Path) -> Meeting:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        turns = tuple((str(t["speaker"]), str(t["content"])) for t in data["meeting_transcripts"])
        queries = []
        for q in data["specific_query_list"]:
            relevant: set[int] = set()
            for first, last in q["relevant_text_span"]:
                first, last = int(first), int(last)
                if not 0 <= first <= last < len(turns):
                    raise ValueError(f"span [{first}, {last}] outside the {len(turns)} turns")
                relevant.update(range(first, last + 1))
            queries.append(Query(path.stem, str(q["query"]), query_kind(str(q["query"])), frozenset(relevant)))
    except OSError as exc:
        raise QMSumError(f"{path.name}: cannot read ({exc.strerror})") from None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise QMSumError(f"{path.name}: not a QMSum meeting ({type(exc).__name__}: {exc})") from None
    return Meeting(path.stem, path, turns, tuple(queries))


def load_meetings(folder: Path, limit: int | None = None, patterns: Sequence[str] = ("*.json",)) -> list[Meeting]:
    """The meetings of a QMSum split folder, in file-name order, the first `limit` of those
    matching any of `patterns` (file-name globs)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise QMSumError(f"{folder}: no such folder (want a QMSum split, e.g. ../shared/benchmarks/qmsum/val)")
    files = sorted({f for pattern in patterns for f in folder.glob(pattern) if f.suffix == ".json"})[:limit]
    if not files:
        raise QMSumError(f"{folder}: no QMSum meeting files matching {' or '.join(patterns)}")
    return [load_meeting(f) for f in files]


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", normalise(text))


def shingles(words: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


class SpanRelevance:
    """Is a retrieved text inside a query's annotated turns? Decided by text (see the module
    docstring): the turns are read as "speaker content", so a passage with or without its
    speaker label matches."""

    def __init__(self, meetings: Sequence[Meeting], size: int = 4, share: float = 0.5):
        self.size, self.share = size, share
        self.turn_words = {mt.doc_id: [words_of(f"{s} {c}") for s, c in mt.turns] for mt in meetings}
        self._inside: dict[tuple, set] = {}

    def _grams_inside(self, query: Query, n: int) -> set:
        key = (query.meeting, query.turns, n)
        if key not in self._inside:
            turns = self.turn_words[query.meeting]
            self._inside[key] = {g for t in sorted(query.turns) for g in shingles(turns[t], n)}
        return self._inside[key]

    def __call__(self, query: Query, doc_id: str, text: str) -> bool:
        if doc_id != query.meeting:
            return False
        words = words_of(text)
        if not words or is_formality(text):
            return False  # "Yeah .", "{vocalsound}", "Thank you.": inside every span of talk, evidence of none
        n = min(self.size, len(words))
        grams = shingles(words, n)
        inside = self._grams_inside(query, n)
        return sum(g in inside for g in grams) / len(grams) >= self.share


# -- retrieval systems: (question, document id or None) -> [(document id, text), ...] best first --


class RetrievalSystem(Protocol):
    name: str

    def __call__(self, question: str, doc: str | None) -> Retrieved: ...


class PipelineRetrieval:
    """minutes-rag's own retrieve stage (hybrid, speakers named in the question preferred)."""

    name = "minutes-rag"

    def __init__(self, pipeline, k: int):
        self.pipeline, self.k = pipeline, k

    def __call__(self, question: str, doc: str | None) -> Retrieved:
        passages = self.pipeline.retrieve(question, k=self.k, docs=[doc] if doc else None)
        return [(p.chunk.doc_id, p.chunk.text) for p in passages]


class TurnRetrieval:
    """Whole speaker turns ("Speaker: content"), ranked by a scoring function; a document filter
    masks the other meetings' turns (collection statistics stay those of all the meetings, as
    in minutes-rag's filtered retrieval)."""

    def __init__(self, meetings: Sequence[Meeting], k: int):
        self.k = k
        self.docs = np.array([mt.doc_id for mt in meetings for _ in mt.turns])
        self.texts = [f"{s}: {c}" for mt in meetings for s, c in mt.turns]

    def scores(self, question: str) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, question: str, doc: str | None) -> Retrieved:
        scores = np.asarray(self.scores(question), dtype=np.float64)
        if doc is not None:
            scores = np.where(self.docs == doc, scores, -np.inf)
        top = [int(i) for i in np.argsort(-scores, kind="stable")[: self.k] if np.isfinite(scores[i])]
        return [(str(self.docs[i]), self.texts[i]) for i in top]


_PLAIN_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def plain_words(text: str) -> list[str]:
    """Lower-case words, stop words out: none of the pipeline's readings of a text (stems, words
    spelt letter by letter), so the baseline stays plain BM25 whatever they become."""
    return [w for w in _PLAIN_WORD.findall(text.lower()) if w not in STOPWORDS]


class TurnBM25(TurnRetrieval):
    """Plain BM25 (bm25s, k1 1.5, b 0.75) over whole turns: lower-case words, stop words out, no
    stemming."""

    name = "bm25-turns"

    def __init__(self, meetings: Sequence[Meeting], k: int):
        import bm25s

        super().__init__(meetings, k)
        self.tokens = plain_words
        self.bm25 = bm25s.BM25()
        self.bm25.index([plain_words(t) or ["_"] for t in self.texts], show_progress=False)

    def scores(self, question: str) -> np.ndarray:
        terms = list(dict.fromkeys(self.tokens(question)))
        return self.bm25.get_scores(terms) if terms else np.zeros(len(self.texts))


class TurnDense(TurnRetrieval):
    """Cosine similarity of the question to each whole turn, with the pipeline's embedding model
    (a turn longer than the model reads is cut at its limit)."""

    name = "dense-turns"

    def __init__(self, meetings: Sequence[Meeting], k: int, embedder):
        super().__init__(meetings, k)
        self.embedder = embedder
        self.vectors = embedder.embed_texts(self.texts)

    def scores(self, question: str) -> np.ndarray:
        return self.vectors @ self.embedder.embed_query(question)


class LlamaIndexRetrieval:
    """The plain LlamaIndex pipeline's retriever (rag.evaluate.baseline) over the same files."""

    name = "llamaindex-baseline"

    def __init__(self, baseline):
        self.baseline = baseline

    def __call__(self, question: str, doc: str | None) -> Retrieved:
        return self.baseline.retrieve(question, doc)


# -- the benchmark ------------------------------------------------------------------------------


class QMSumBenchmark:
    """Every query of the meetings through every system, within its meeting and across all."""

    def __init__(
        self, meetings: Sequence[Meeting], systems: Sequence[RetrievalSystem], relevance: SpanRelevance, k: int
    ):
        self.meetings, self.systems, self.relevance, self.k = list(meetings), list(systems), relevance, k

    def run(self, progress: bool = False) -> dict:
        from tqdm import tqdm

        queries = [q for mt in self.meetings for q in mt.queries]
        rows: dict[str, dict] = {}
        records: dict[str, list[dict]] = {}
        for system in self.systems:
            records[system.name] = []
            for scope in SCOPES:
                for query in tqdm(queries, desc=f"{system.name} {scope}", disable=not progress):
                    started = time.perf_counter()
                    retrieved = system(query.text, query.meeting if scope == "within" else None)
                    ms = (time.perf_counter() - started) * 1000
                    flags = [self.relevance(query, doc, text) for doc, text in retrieved]
                    records[system.name].append(
                        {
                            "meeting": query.meeting,
                            "query": query.text,
                            "kind": query.kind,
                            "scope": scope,
                            "relevant": flags,
                            "retrieved": [doc for doc, _ in retrieved],
                            "ms": ms,
                            **m.ranking(flags, self.k),
                        }
                    )
            rows[system.name] = summarise(records[system.name])
        return {"rows": rows, "queries": records}


class FalseRefusals:
    """Every query asked through the whole pipeline (extractive: retrieval, every check, the
    answer), within its meeting and across all of them. Each is answerable (its annotated turns
    answer it), so each refusal is a false one: refusals measured on minutes nobody here wrote,
    which the gold set cannot give."""

    def __init__(self, pipeline, k: int):
        self.pipeline, self.k = pipeline, k

    def run(self, meetings: Sequence[Meeting], progress: bool = False) -> dict:
        """{scope: {queries, declined, rate, refusals: [{meeting, query, reason}]}}."""
        from tqdm import tqdm

        queries = [q for mt in meetings for q in mt.queries]
        out: dict = {}
        for scope in SCOPES:
            refusals = []
            for query in tqdm(queries, desc=f"refusals {scope}", disable=not progress):
                docs = [query.meeting] if scope == "within" else None
                answer = self.pipeline.ask(query.text, k=self.k, docs=docs, llm="extractive")
                if answer.refused:
                    reason = answer.diagnostics.refusal_reason or "nothing relevant enough found"
                    refusals.append({"meeting": query.meeting, "query": query.text, "reason": reason})
            out[scope] = {
                "queries": len(queries),
                "declined": len(refusals),
                "rate": len(refusals) / len(queries) if queries else None,
                "refusals": refusals,
            }
        return out


def least_alike(meetings: Sequence[Meeting]) -> dict[str, str]:
    """For each meeting, the other meeting whose words are least like its own: the cosine of their
    TF-IDF vectors (sublinear counts), so the choice follows the transcripts, not their names."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(meetings) < 2:
        return {}
    texts = [" ".join(content for _, content in mt.turns) for mt in meetings]
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    alike = (vectors @ vectors.T).toarray()
    np.fill_diagonal(alike, np.inf)
    return {mt.doc_id: meetings[int(np.argmin(alike[i]))].doc_id for i, mt in enumerate(meetings)}


class UnrelatedRefusals:
    """Every query asked through the whole pipeline (extractive, every check) within the meeting
    least like its own (`least_alike`): the minutes searched are real and were written by nobody
    here, and they do not hold the answer, so the pipeline should decline. The complement of
    `FalseRefusals`: refusal accuracy on real transcripts, next to the false refusals. A query so
    general that any meeting answers it would count against the pipeline; the answered ones are
    listed so that a reader can judge them."""

    def __init__(self, pipeline, k: int):
        self.pipeline, self.k = pipeline, k

    def run(self, meetings: Sequence[Meeting], progress: bool = False) -> dict:
        """{queries, declined, rate, answered: [{meeting, asked_in, query, answer}]}; empty with one meeting."""
        from tqdm import tqdm

        elsewhere = least_alike(meetings)
        if not elsewhere:
            return {}
        queries = [q for mt in meetings for q in mt.queries]
        answered = []
        for query in tqdm(queries, desc="refusals elsewhere", disable=not progress):
            asked_in = elsewhere[query.meeting]
            answer = self.pipeline.ask(query.text, k=self.k, docs=[asked_in], llm="extractive")
            if not answer.refused:
                first_line = answer.text.strip().splitlines()[0] if answer.text.strip() else ""
                answered.append(
                    {"meeting": query.meeting, "asked_in": asked_in, "query": query.text, "answer": first_line}
                )
        declined = len(queries) - len(answered)
        return {
            "queries": len(queries),
            "declined": declined,
            "rate": declined / len(queries) if queries else None,
            "answered": answered,
        }


def speaker_named(query: str, labels: Iterable[str]) -> str | None:
    """The one speaker label of the meeting the query writes as the transcript writes it (whole
    words, with its capitals: "What did Kirsty Williams AM say ...?", "What did Marketing think
    ...?"), else None (none, or several: a question about two people has no one speaker to
    attribute it to). Capitals, because talk-show and design-meeting labels are common words:
    "the group's marketing strategy" names nobody."""
    named = [label for label in set(labels) if re.search(r"(?<!\w)" + re.escape(label) + r"(?!\w)", query)]
    return named[0] if len(named) == 1 else None


class SpeakerAttribution:
    """Speaker attribution on real transcripts. Every query that names one speaker of its meeting
    by the transcript's own label (`speaker_named`: the labels are the transcript's metadata, not a
    list written here) is asked through the whole pipeline (extractive, every check) within its
    meeting; the answer is attributed right when its first quote is that speaker's. The answer may
    rightly quote someone else ("How did the WJEC tackle the concerns raised by Darren Millar?"),
    so this is a floor; the others are listed to be read."""

    def __init__(self, pipeline, k: int):
        self.pipeline, self.k = pipeline, k

    def run(self, meetings: Sequence[Meeting], progress: bool = False) -> dict:
        """{queries, theirs, declined, rate, others: [{meeting, query, speaker, quoted}]}."""
        from tqdm import tqdm

        asked = [
            (q, label)
            for mt in meetings
            for q in mt.queries
            if (label := speaker_named(q.text, {s for s, _ in mt.turns}))
        ]
        theirs, declined, others = 0, 0, []
        for query, label in tqdm(asked, desc="speaker attribution", disable=not progress):
            answer = self.pipeline.ask(query.text, k=self.k, docs=[query.meeting], llm="extractive")
            if answer.refused:
                declined += 1
                continue
            quoted = answer.cited[0].chunk.speaker if answer.cited else ""
            if quoted and self._same(quoted, label):
                theirs += 1
            else:
                others.append({"meeting": query.meeting, "query": query.text, "speaker": label, "quoted": quoted})
        return {
            "queries": len(asked),
            "theirs": theirs,
            "declined": declined,
            "rate": theirs / len(asked) if asked else None,
            "others": others,
        }

    def _same(self, speaker: str, label: str) -> bool:
        """The transcript's label ("Kirsty Williams AM") resolved to the index's canonical speaker."""
        from rag.errors import PipelineError

        try:
            return self.pipeline.speakers.resolve(label) == speaker
        except PipelineError:
            return False


def summarise(records: Sequence[dict]) -> dict:
    """{scope: {kind: {queries, hit@k, mrr, precision@k, ms_p50}}}."""
    out: dict = {}
    for scope in SCOPES:
        out[scope] = {}
        for kind in KINDS:
            group = [r for r in records if r["scope"] == scope and kind in ("all", r["kind"])]
            out[scope][kind] = {
                "queries": len(group),
                "hit@k": m.mean(r["hit"] for r in group),
                "mrr": m.mean(r["rr"] for r in group),
                "precision@k": m.mean(r["precision"] for r in group),
                "ms_p50": m.percentile([r["ms"] for r in group], 0.5),
            }
    return out


BASELINES = ("bm25-turns", "dense-turns", "llamaindex-baseline")


def run_qmsum(
    settings,
    folder: Path,
    k: int = 5,
    meetings: int | None = None,
    patterns: Sequence[str] = ("*.json",),
    baselines: Sequence[str] = BASELINES,
    progress: bool = True,
    embedder=None,
    refusals: bool = False,
    attribution: bool = False,
) -> dict:
    """Ingest the meetings into a temporary index and run the benchmark against the named
    `baselines` (with `refusals`, `FalseRefusals` and `UnrelatedRefusals`; with `attribution`,
    `SpeakerAttribution`); the report records the split it ran on
    (train: tuning, val: reporting)."""
    from rag.pipeline import Pipeline

    started = time.time()
    chosen = load_meetings(folder, meetings, patterns)
    with tempfile.TemporaryDirectory(prefix="minutes-rag-qmsum-") as tmp:
        pipeline = Pipeline(
            settings.replace(data_dir=Path(tmp) / "index", corpus_dir=Path(tmp) / "documents"), embedder=embedder
        )  # a caller that loaded the model already (tests) lends it
        paths = [mt.path for mt in chosen]  # read as they are, by rag.read's JSON transcript reader
        ingest = pipeline.ingest(paths, progress_bar=progress)
        if ingest.failed:
            raise QMSumError("ingest failed: " + "; ".join(reason for _, reason in ingest.failed[:3]))
        systems: list[RetrievalSystem] = [PipelineRetrieval(pipeline, k)]
        if "bm25-turns" in baselines:
            systems.append(TurnBM25(chosen, k))
        if "dense-turns" in baselines:
            systems.append(TurnDense(chosen, k, pipeline.embedder))
        if "llamaindex-baseline" in baselines:
            from rag.evaluate.baseline import Baseline

            systems.append(LlamaIndexRetrieval(Baseline(pipeline.settings, None, k, paths=paths)))
        result = QMSumBenchmark(chosen, systems, SpanRelevance(chosen), k).run(progress)
        if refusals:
            result["false_refusals"] = FalseRefusals(pipeline, k).run(chosen, progress)
            if unrelated := UnrelatedRefusals(pipeline, k).run(chosen, progress):
                result["unrelated_refusals"] = unrelated
        if attribution:
            result["speaker_attribution"] = SpeakerAttribution(pipeline, k).run(chosen, progress)
    split = Path(folder).resolve().name
    result["config"] = {
        "benchmark": "qmsum",
        "split": split,
        "purpose": PURPOSE.get(split, "unknown"),
        "folder": str(folder),
        "patterns": list(patterns),
        "meetings": [mt.doc_id for mt in chosen],
        "queries": sum(len(mt.queries) for mt in chosen),
        "k": k,
        "ingest_seconds": round(ingest.seconds, 1),
        "chunks": ingest.chunks,
        "windows": ingest.windows,
        "settings": settings.public(),
        "seconds": round(time.time() - started, 1),
    }
    return result
