"""The stages wired together: ingest files into the index, answer questions from it.

One `Pipeline` serves the CLI, the chat UI and the evaluation harness, so what is measured is
what users get. Heavy things (embedding model, index, answerer statistics) load once.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from rag.answer.answerable import AnswerabilityCheck
from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.relevance import SentenceScorer
from rag.answer.generate import ContextBuilder, stream_answer
from rag.answer.prompts import Prompts
from rag.answer.result import REFUSAL, Answer
from rag.llm import LLMError, describe, last_usage, make_llm
from rag.llm import chat as llm_chat
from rag.llm import stream as llm_stream
from rag.sentences import content_words
from rag.verify.support import SupportChecker
from rag.index import IndexWriteError
from rag.read import ReadError, find_documents, load_manifest, read_document
from rag.segment import make_chunks, segment_minutes
from rag.settings import Settings
from rag.verify.citations import renumber


class PipelineError(Exception):
    """A one-line, user-facing reason why something cannot be done."""


class QuestionError(PipelineError):
    pass


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line reason)
    chunks: int = 0
    windows: int = 0
    seconds: float = 0.0


def clean_question(question: str | None, max_chars: int) -> str:
    """A question as the pipeline accepts it: non-empty, printable, not longer than max_chars."""
    text = "".join(ch if ch.isprintable() else " " for ch in (question or "")).strip()
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty")
    if len(text) > max_chars:
        raise QuestionError(f"the question is too long ({len(text)} characters; at most {max_chars})")
    return text


class Pipeline:
    def __init__(self, settings: Settings):
        from rag.index import MinutesIndex

        self.settings = settings
        self.index = MinutesIndex(settings)
        self._embedder = None
        self._answerer: ExtractiveAnswerer | None = None
        self._answerability: AnswerabilityCheck | None = None
        self._scorer: SentenceScorer | None = None
        self._prompts: Prompts | None = None
        self._speaker_patterns: list | None = None
        self._llms: dict = {}

    # -- loading -------------------------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from rag.embed import Embedder

            self._embedder = Embedder(self.settings)
        return self._embedder

    @property
    def scorer(self) -> SentenceScorer:
        if self._scorer is None:
            self._scorer = SentenceScorer.from_texts([c.context_line() + "\n" + c.text for c in self.index.chunks()])
        return self._scorer

    @property
    def extractive(self) -> ExtractiveAnswerer:
        if self._answerer is None:
            self._answerer = ExtractiveAnswerer(
                self.scorer, sentences=self.settings.answer_sentences, min_relevance=self.settings.min_relevance
            )
        return self._answerer

    @property
    def answerability(self) -> AnswerabilityCheck:
        if self._answerability is None:
            turns: dict[str, list[str]] = {}
            for chunk in self.index.chunks():
                if chunk.speaker:
                    turns.setdefault(chunk.speaker, []).append(chunk.context_line() + "\n" + chunk.text)
            names = {name: [name, *info.get("aliases", [])] for name, info in self.index.speakers().items()}
            self._answerability = AnswerabilityCheck(self.scorer.idf, turns, names)
        return self._answerability

    # -- ingest --------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path] | None = None, progress: Callable[[str], None] | None = None,
               progress_bar: bool = False) -> IngestReport:
        """Read, segment, chunk, embed and index each document; skip unchanged ones.

        A document that fails (unreadable, unknown format, empty) is reported with a one-line
        reason and leaves the index as it was; the other documents are still ingested.
        """
        started = time.perf_counter()
        report = IngestReport()
        paths = list(paths or [self.settings.corpus_dir])
        try:
            files = find_documents(paths)
        except ReadError as exc:
            report.failed.append((str(paths[0]), str(exc)))
            return report
        manifests: dict[Path, object] = {}
        for path in files:
            try:
                folder = path.parent
                if folder not in manifests:
                    manifests[folder] = load_manifest(folder)
                source = read_document(path, manifests[folder])
                doc_id = source.info.doc_id
                if self.index.has(doc_id, source.sha256):
                    report.unchanged.append(doc_id)
                    continue
                existed = self.index.has(doc_id)
                if progress:
                    progress(f"{path.name}: segmenting and embedding")
                minutes = segment_minutes(source)
                chunks = make_chunks(minutes, self.settings.chunk_min_words, self.settings.chunk_max_words)
                if not chunks:
                    raise ReadError(f"{path.name}: no text to index")
                windows = [self.embedder.windows(chunk) for chunk in chunks]
                flat = [w for ws in windows for w in ws]
                vectors = self.embedder.embed_texts(flat, progress=progress_bar)
                self.index.upsert(minutes, chunks, windows, vectors)
                (report.replaced if existed else report.added).append(doc_id)
                report.chunks += len(chunks)
                report.windows += len(flat)
            except ReadError as exc:
                report.failed.append((str(path), str(exc)))
            except IndexWriteError as exc:  # the index refused the write and is as it was
                report.failed.append((str(path), f"{path.name}: {exc}".splitlines()[0]))
        if report.added or report.replaced:
            self._answerer = self._answerability = self._scorer = self._speaker_patterns = None  # statistics and speakers changed
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, doc_id: str) -> bool:
        removed = self.index.remove(self.resolve_doc(doc_id))
        self._answerer = self._answerability = self._scorer = self._speaker_patterns = None
        return removed

    # -- filters -------------------------------------------------------------------------------
    def resolve_doc(self, name: str) -> str:
        """A document id from its id, file name, or a unique part of either."""
        docs = [d.doc_id for d in self.index.documents()]
        key = Path(name).stem.lower()
        exact = [d for d in docs if d.lower() == key]
        if exact:
            return exact[0]
        partial = [d for d in docs if key in d.lower()]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise PipelineError(f"no document matches {name!r} (known: {', '.join(docs) or 'none'})")
        raise PipelineError(f"{name!r} matches several documents: {', '.join(partial)}")

    def resolve_speaker(self, name: str) -> str:
        """A canonical speaker from a canonical name, an alias the minutes use, or a unique part."""
        key = " ".join(name.lower().replace(".", " ").split())
        speakers = self.index.speakers()
        for canonical, info in speakers.items():
            forms = {canonical, *info.get("aliases", [])}
            if key in {" ".join(f.lower().replace(".", " ").split()) for f in forms}:
                return canonical
        partial = [c for c in speakers if all(part in c.lower() for part in key.split())]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise PipelineError(f"no speaker matches {name!r} (see `minutes-rag speakers`)")
        raise PipelineError(f"{name!r} matches several speakers: {', '.join(sorted(partial))}")

    def mentioned_speakers(self, question: str) -> list[str]:
        """Speakers a question names by family name or alias ("What did Kawasaki recommend?"), then
        audience members it points at by order ("the second questioner", "question 5", "the last
        questioner"; the segmenter names them "Audience member (Question N)")."""
        if self._speaker_patterns is None:  # built once per index state, not per question
            patterns, audience = [], {}
            for name, info in self.index.speakers().items():
                m = AUDIENCE_MEMBER.fullmatch(name)
                if m:
                    audience[int(m.group(1))] = name
                if name.startswith(("Audience member", "Announcer")):
                    continue
                forms = {name.split()[-1], *(a.split()[-1] for a in info.get("aliases", []))}
                forms = {f for f in forms if len(f) > 2}
                patterns.append((name, re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", re.I)))
            self._speaker_patterns = (patterns, audience)
        patterns, audience = self._speaker_patterns
        found = [name for name, pattern in patterns if pattern.search(question)]
        for m in ORDINAL_QUESTIONER.finditer(question) if audience else ():
            word = (m.group(1) or m.group(2) or "").lower()
            n = max(audience) if word in ("last", "final") else ORDINALS.get(word) or int(re.sub(r"\D", "", word) or 0)
            if n in audience and audience[n] not in found:
                found.append(audience[n])
        return found

    # -- ask -----------------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None, docs: list[str] | None = None, speakers: list[str] | None = None,
                 mentioned: list[str] | None = None):
        """Top-k passages; `mentioned` are the speakers the question names, when already known."""
        from rag.retrieve import HybridRetriever

        if self.index.is_empty():
            raise PipelineError("the index is empty: run `minutes-rag ingest` first")
        retriever = HybridRetriever(
            self.index,
            self.embedder,
            k=k or self.settings.k,
            candidates=self.settings.candidates,
            rrf_k=self.settings.rrf_k,
            doc_ids=[self.resolve_doc(d) for d in docs] if docs else None,
            speakers=[self.resolve_speaker(s) for s in speakers] if speakers else None,
            prefer_speakers=self.mentioned_speakers(question) if mentioned is None else mentioned,
        )
        return retriever.search(question)

    def ask(self, question: str, k: int | None = None, docs: list[str] | None = None, speakers: list[str] | None = None,
            history: Sequence[tuple[str, str]] | None = None, llm: str | None = None) -> Answer:
        """Answer a question (stateless: a chat passes its own history)."""
        answer = None
        for event, value in self.ask_stream(question, k, docs, speakers, history, llm):
            if event == "answer":
                answer = value
        return answer

    def ask_stream(self, question: str, k: int | None = None, docs: list[str] | None = None, speakers: list[str] | None = None,
                   history: Sequence[tuple[str, str]] | None = None, llm: str | None = None) -> Iterator[tuple[str, object]]:
        """Yield ("token", text) as the answer is generated, then ("answer", Answer) once checked."""
        question = clean_question(question, self.settings.max_question_chars)
        backend = llm or self.settings.llm
        extra: dict = {"llm": {"backend": backend, "model": ""}, "prompt_version": "", "fallback": None, "repaired_citations": []}
        model = None if backend == EXTRACTIVE else self.llm(backend)
        self.embedder, self.extractive, self.answerability  # noqa: B018  (load before the clock starts)
        started = time.perf_counter()
        if model is not None:
            extra["llm"] = describe(model)
            extra["prompt_version"] = self.prompts.version
        standalone = self.condense(question, history or [], model)
        extra["standalone_question"] = standalone
        mentioned = self.mentioned_speakers(standalone)
        passages = self.retrieve(standalone, k, docs, speakers, mentioned)
        retrieved_at = time.perf_counter()
        first_token_at = None
        shown = passages
        about = [self.resolve_speaker(s) for s in speakers] if speakers else mentioned
        missing = self.answerability.run(standalone, about) if self.settings.refuse_unknown_terms else None
        if missing:
            text, refused = f"{self.prompts.refusal if model is not None else REFUSAL} {missing}", True
            extra["refusal_reason"] = missing
        elif model is None or not passages or max(p.dense for p in passages) < self.settings.min_relevance:
            text, refused = self.extractive.run(standalone, passages)
        else:
            context = self.context_builder.build(standalone, passages)
            shown, pieces = context.shown, []
            extra["passages_trimmed"] = context.trimmed
            try:
                for token in stream_answer(llm_stream(model, context.messages)):
                    first_token_at = first_token_at or time.perf_counter()
                    pieces.append(token)
                    yield "token", token
                text = "".join(pieces).strip()
                extra["usage"] = last_usage(model)
                refused = is_refusal(text, self.prompts.refusal)
                if refused:
                    text = self.prompts.refusal
                elif not renumber(text, len(shown)).order:
                    extra["fallback_reason"] = "the model's answer cited no passage"
                else:
                    text, extra["repaired_citations"] = self.support.repair(text, shown)
            except LLMError as exc:
                extra["fallback_reason"] = str(exc)
            if "fallback_reason" in extra:
                extra["fallback"] = EXTRACTIVE
                shown = passages
                text, refused = self.extractive.run(standalone, passages)
        numbered = renumber(text, len(shown))
        cited = [] if refused else [shown[n - 1] for n in numbered.order]
        report = self.support.check(numbered.text, cited)
        if extra["fallback"] is None and model is not None and cited and report.verdicts and not any(v.supported for v in report.verdicts):
            # nothing the model wrote is backed by what it cites: show the minutes' own words instead
            extra["fallback"], extra["fallback_reason"] = EXTRACTIVE, "the model's answer is not supported by the passages it cites"
            text, refused = self.extractive.run(standalone, passages)
            numbered = renumber(text, len(passages))
            cited = [] if refused else [passages[n - 1] for n in numbered.order]
            report = self.support.check(numbered.text, cited)
        done = time.perf_counter()
        timings = {"retrieve": (retrieved_at - started) * 1000, "generate": (done - retrieved_at) * 1000, "total": (done - started) * 1000}
        if first_token_at:
            timings["first_token"] = (first_token_at - started) * 1000
        extra["unsupported"] = report.unsupported
        yield "answer", Answer(
            question=question,
            text=numbered.text,
            refused=refused,
            cited=cited,
            retrieved=passages,
            timings_ms=timings,
            extra=extra,
            citation_extra=[{"quote": report.quotes.get(n, "")} for n in range(1, len(cited) + 1)],
        )

    # -- LLM parts -----------------------------------------------------------------------------
    def llm(self, backend: str):
        if backend not in self._llms:
            self._llms[backend] = make_llm(self.settings, backend)
        return self._llms[backend]

    @property
    def prompts(self) -> Prompts:
        if self._prompts is None:
            self._prompts = Prompts.load(self.settings.prompts_dir)
        return self._prompts

    @property
    def context_builder(self) -> ContextBuilder:
        return ContextBuilder(self.prompts, self.scorer, self.settings.llm_context_budget, self.settings.llm_sentences_per_passage)

    @property
    def support(self) -> SupportChecker:
        return SupportChecker(self.scorer, self.settings.support_threshold)

    def condense(self, question: str, history: Sequence[tuple[str, str]], model=None) -> str:
        """A follow-up made standalone. With an LLM the model rewrites it; without one, a question
        that leans on the conversation ("what did he say about it?") borrows the previous
        question's content words."""
        if not history:
            return question
        if model is not None:
            try:
                rewritten = llm_chat(model, self.context_builder.condense_messages(question, history)).strip()
                rewritten = rewritten.splitlines()[0].strip().strip('"') if rewritten else ""
                if 3 <= len(rewritten) <= self.settings.max_question_chars:
                    return rewritten
            except LLMError:
                pass  # the answer step reports the backend's state; retrieval goes on with the raw question
        words = question.lower().split()
        if len(content_words(question)) < 4 or REFERRING & set(w.strip("?,.!") for w in words):
            previous = history[-1][0]
            return f"{question} ({' '.join(content_words(previous))})"
        return question


EXTRACTIVE = "extractive"
ORDINALS = {w: n for n, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
AUDIENCE_MEMBER = re.compile(r"Audience member \(Question (\d+)\)")
ORDINAL_QUESTIONER = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|\d+(?:st|nd|rd|th))\s+"
    r"(?:audience\s+)?(?:questioner|question|participant|member of the audience|audience member)s?\b"
    r"|\bquestion\s+(?:no\.?\s*)?(\d+)\b",
    re.I,
)
REFERRING = {"he", "she", "they", "him", "her", "them", "his", "their", "it", "its", "this", "that", "these", "those"}


def is_refusal(text: str, refusal: str) -> bool:
    """The model declined: its answer is the refusal sentence (give or take case and punctuation)
    and cites nothing."""
    norm = lambda t: " ".join(re.sub(r"[^\w\s]", " ", t.lower()).split())
    return norm(refusal) in norm(text) and not renumber(text, 1000).order
