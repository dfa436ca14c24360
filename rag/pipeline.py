"""The stages wired together. One `Pipeline` serves the CLI, the chat, the HTTP API and the
evaluation, so what is measured is what users get.

    ingest     rag/ingest.py     read -> segment -> chunk -> embed -> index
    analyse    rag/query/        clean, condense a follow-up, filters, named speakers, answerability, meetings
    retrieve   rag/retrieve/     dense + BM25 rankings, fused; a name spelt out also searched by its abbreviation
    evidence   rag/answer/evidence.py   refuse what the minutes cannot hold: an unsaid topic, no figure, date or name
    route      (below)           refuse / quote / ask the model
    generate   rag/answer/       RefusalGenerator, ExtractiveGenerator, LLMGenerator (streaming)
    verify     rag/verify/       markers renumbered, citations repaired, support checked
    fallback   rag/answer/fallback.py   a model's answer that cannot be used becomes quotes
    closest    rag/answer/closest.py    a model's answer that missed the closest sentence gets it quoted

`Pipeline` only wires and caches: heavy parts (embedding model, LLMs) load once, and the parts
built from the index's contents (word statistics, speaker names) are rebuilt after a write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from llama_index.core.llms import LLM

from rag.answer.closest import ClosestSentenceQuote
from rag.answer.context import ContextBuilder
from rag.answer.evidence import AnswerKindCheck, SpeakerEvidenceCheck
from rag.answer.extractive import ExtractiveGenerator
from rag.answer.fallback import FallbackToQuotes
from rag.answer.llm import LLMGenerator
from rag.answer.refusal import RefusalGenerator
from rag.answer.result import REFUSAL, Answer, Diagnostics, Draft
from rag.errors import PipelineError, QuestionError
from rag.index import MinutesIndex
from rag.ingest import Ingestor, IngestReport
from rag.llm import LLMError, UnknownBackendError, describe, make_llm
from rag.minutes import Passage
from rag.prompts import Prompts
from rag.query.analyse import Query, QueryAnalyser
from rag.query.answerable import AnswerabilityCheck, written_as_names
from rag.query.condense import Condenser, History
from rag.query.meetings import MeetingCheck
from rag.query.names import DocumentDirectory, SpeakerDirectory
from rag.retrieve import Abbreviations, HybridRetriever, Moment
from rag.retrieve.rerank import SHIPPED_MODEL, ConversationReranker, RerankModel
from rag.segment.surroundings import reads_as_conversation, spans
from rag.settings import Settings
from rag.text import SentenceScorer, is_formality
from rag.text.numbers import written_date
from rag.verify.support import SupportChecker
from rag.verify.verifier import Verifier

EXTRACTIVE = "extractive"  # the answering backend that runs no model
Generator = RefusalGenerator | ExtractiveGenerator | LLMGenerator

__all__ = ["EXTRACTIVE", "IngestReport", "Pipeline", "PipelineError", "QuestionError"]


class Pipeline:
    def __init__(self, settings: Settings, embedder=None, index: MinutesIndex | None = None):
        self.settings = settings
        self.index = index or MinutesIndex(settings)
        self._given_embedder = embedder
        self._llms: dict[str, LLM] = {}
        self._generation = self.index.generation  # what the parts built from the index's contents reflect

    # -- parts that load once ------------------------------------------------------------------
    @cached_property
    def embedder(self):
        if self._given_embedder is not None:
            return self._given_embedder
        from rag.embed import Embedder  # loads torch: only when something is embedded

        return Embedder(self.settings)

    @cached_property
    def prompts(self) -> Prompts:
        return Prompts.load(self.settings.prompts_dir)

    def llm(self, backend: str) -> LLM | None:
        """The model of a backend, loaded once per process; None for extractive answers."""
        if backend == EXTRACTIVE:
            return None
        if backend not in self._llms:
            self._llms[backend] = make_llm(self.settings, backend)
        return self._llms[backend]

    def model_or_reason(self, backend: str) -> tuple[LLM | None, str | None]:
        """The backend's model, or why it cannot be loaded (a damaged or missing model file, a package
        not installed): such a backend is down, so the question is answered with quotes that say why,
        as when a server stops answering. An unknown backend name stays the caller's error."""
        try:
            return self.llm(backend), None
        except UnknownBackendError:
            raise
        except LLMError as exc:
            return None, f"the {backend} model cannot be loaded: {str(exc).splitlines()[0]}"

    # -- parts built from the index's contents (rebuilt after a write) -------------------------
    @cached_property
    def scorer(self) -> SentenceScorer:
        keywords = self.index.keywords()  # counted with the BM25 terms, so never tokenized twice
        return SentenceScorer.from_chunk_counts(keywords.word_chunks(), len(keywords))

    @cached_property
    def documents(self) -> DocumentDirectory:
        return DocumentDirectory([d.doc_id for d in self.index.documents()])

    @cached_property
    def speakers(self) -> SpeakerDirectory:
        turns: dict[str, list[str]] = {}
        for chunk in self.index.chunks():
            if chunk.speaker:
                turns.setdefault(chunk.speaker, []).append(chunk.text)
        return SpeakerDirectory(self.index.speakers(), turns)

    @cached_property
    def abbreviations(self) -> Abbreviations:
        return Abbreviations.learn(chunk.text for chunk in self.index.chunks())

    @cached_property
    def moments(self) -> dict[str, Moment]:
        """Each chunk's place among the chunks searched with it (`rag/segment/surroundings.py`)."""
        found: dict[str, Moment] = {}
        for doc in self.index.documents():
            chunks = self.index.chunks(doc.doc_id)
            for i, (lo, hi) in enumerate(spans(chunks, self.settings.context_words)):
                found[chunks[i].id] = Moment(doc.doc_id, i, lo, hi)
        return found

    @cached_property
    def reranker(self) -> ConversationReranker | None:
        """The learned re-ordering of the top candidates from documents that read as conversations
        (`rag/retrieve/rerank.py`); None when `rerank_conversations` is off."""
        if not self.settings.rerank_conversations:
            return None
        model = RerankModel.load(Path(self.settings.rerank_model) if self.settings.rerank_model else SHIPPED_MODEL)
        conversations = {
            doc.doc_id for doc in self.index.documents() if reads_as_conversation(self.index.chunks(doc.doc_id))
        }
        return ConversationReranker(model, self.scorer, conversations)

    @cached_property
    def silent(self) -> frozenset[str]:
        """The chunks that say nothing (courtesies, fillers, marks of non-speech: `is_formality`):
        never passages."""
        return frozenset(chunk.id for chunk in self.index.chunks() if is_formality(chunk.text))

    @cached_property
    def answerability(self) -> AnswerabilityCheck:
        turns: dict[str, list[str]] = {}
        by_document: dict[str, list[str]] = {}
        chunks = self.index.chunks()
        # when and where a speaker spoke is part of their record: "What did Ian Martin say in 2015
        # ...?" about the 2015 meeting he spoke at is not a question about a year he never mentioned
        dates = {d.doc_id: f"{written_date(d.date)} {d.venue}" for d in self.index.documents()}
        for chunk in chunks:
            text = f"{chunk.context_line()} {dates.get(chunk.doc_id, '')}\n{chunk.text}"
            by_document.setdefault(chunk.doc_id, []).append(text)
            if chunk.speaker:
                turns.setdefault(chunk.speaker, []).append(text)
        answered: dict[str, list[str]] = {}
        for doc in self.index.documents():
            for before, chunk in pairwise(self.index.chunks(doc.doc_id)):
                if chunk.speaker and before.speaker != chunk.speaker:
                    answered.setdefault(chunk.speaker, []).append(before.text)
        names = written_as_names(chunk.context_line() + "\n" + chunk.text for chunk in chunks)
        return AnswerabilityCheck(
            self.scorer,
            turns,
            self.speakers.forms,
            self.settings.min_speaker_coverage,
            names=names,
            answered_texts=answered,
            document_texts=by_document,
        )

    @cached_property
    def meetings(self) -> MeetingCheck:
        documents = self.index.documents()
        texts = {d.doc_id: [p.text for p in self.index.paragraphs(d.doc_id)] for d in documents}
        speakers: dict[str, set[str]] = {}
        for name, info in self.index.speakers().items():
            for doc_id in info.get("docs", []):
                speakers.setdefault(doc_id, set()).add(name)
        return MeetingCheck(documents, texts, speakers)

    @cached_property
    def extractive(self) -> ExtractiveGenerator:
        return ExtractiveGenerator(
            self.scorer,
            self.settings.answer_sentences,
            self.settings.min_relevance,
            min_topic_coverage=self.settings.min_topic_coverage,
            short_forms=self.abbreviations.expand,
        )

    @cached_property
    def verifier(self) -> Verifier:
        return Verifier(SupportChecker(self.scorer, self.settings.support_threshold))

    def warm_up(self) -> None:
        """Load and build now what the first question would wait for: the embedding model, BM25,
        the answer scorer and the configured LLM (`serve` runs this beside its web server, so the
        first question after a restart is answered as fast as the next)."""
        self._follow_index()
        # the first call also initialises torch's kernels. (Not a dense search: an embedded Chroma
        # reading its graph in this thread held up the web server's start, 7.5 -> 12 s at 197 meetings.)
        self.embedder.embed_query("warm-up")
        self.index.keywords()
        self.extractive, self.verifier, self.answerability, self.meetings, self.moments, self.silent, self.documents  # noqa: B018
        self.reranker  # noqa: B018
        self.abbreviations  # noqa: B018
        self.llm(self.settings.llm)

    def _follow_index(self) -> None:
        """Another process (or an upload) changed the index: rebuild what was built from it."""
        generation = self.index.generation
        if generation != self._generation:
            self._index_changed()
            self._generation = generation

    def _index_changed(self) -> None:
        for name in (
            "scorer",
            "documents",
            "speakers",
            "abbreviations",
            "moments",
            "reranker",
            "silent",
            "answerability",
            "meetings",
            "extractive",
            "verifier",
        ):
            self.__dict__.pop(name, None)

    # -- ingest --------------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[Path] | None = None,
        progress: Callable[[str], None] | None = None,
        progress_bar: bool = False,
    ) -> IngestReport:
        ingestor = Ingestor(
            self.index,
            self.embedder,
            self.settings.chunk_min_words,
            self.settings.chunk_max_words,
            self.settings.context_words,
        )
        with self.index.writing():  # a second ingest waits for the whole run, not document by document
            report = ingestor.run(paths or [self.settings.corpus_dir], progress, progress_bar)
        self._follow_index()
        return report

    def remove(self, doc_id: str) -> bool:
        removed = self.index.remove(self.documents.resolve(doc_id))
        self._follow_index()
        return removed

    # -- ask -----------------------------------------------------------------------------------
    def analyser(self, model: LLM | None, answerability: bool = True) -> QueryAnalyser:
        condenser = Condenser(
            self.prompts if model else None,
            model,
            self.settings.max_question_chars,
            self.speakers.named_in,
            self.speakers.pronoun_of,
        )
        # retrieval alone (the QMSum benchmark, thousands of queries) needs no answerability check
        check = self.answerability if answerability and self.settings.refuse_unknown_terms else None
        meetings = self.meetings if answerability and self.settings.refuse_other_meetings else None
        return QueryAnalyser(
            self.documents, self.speakers, condenser, check, self.settings.max_question_chars, meetings
        )

    def retriever(self, query: Query, k: int | None = None) -> HybridRetriever:
        if self.index.is_empty():
            raise PipelineError("the index is empty: run `minutes-rag ingest` first")
        return HybridRetriever(
            self.index,
            self.embedder,
            k or self.settings.k,
            self.settings.candidates,
            self.settings.rrf_k,
            query.doc_ids,
            query.speakers,
            query.preferred,
            self.moments,
            self.settings.keyword_weight,
            self.settings.speaker_weight,
            asked=query.asked or None,
            asked_weight=self.settings.asked_weight,
            abbreviations=self.abbreviations,
            also_searched=query.also_searched,
            also_searched_weight=self.settings.also_searched_weight,
            silent=self.silent,
            reranker=self.reranker,
        )

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        docs: Sequence[str] | None = None,
        speakers: Sequence[str] | None = None,
    ) -> list[Passage]:
        """Top-k passages for a standalone question (what the evaluation of retrieval calls)."""
        self._follow_index()
        query = self.analyser(None, answerability=False).run(question, (), docs, speakers)
        return self.retriever(query, k).search(query.standalone)

    def check_evidence(self, query: Query, passages: list[Passage]) -> None:
        """Mark the query unanswerable when the minutes cannot hold what it asks for."""
        if not query.unanswerable:
            query.unanswerable = SpeakerEvidenceCheck(
                self.embedder, self.index, self.settings.min_speaker_similarity
            ).run(query)
        if not query.unanswerable and self.settings.answer_kinds:
            query.unanswerable = AnswerKindCheck(self.extractive, self.settings.answer_kinds).run(query, passages)

    def route(self, query: Query, passages: list[Passage], model: LLM | None) -> Generator:
        """Which generator answers: a refusal when the question names what the minutes never
        mention, quotes when there is no model or nothing relevant was found, else the model."""
        if query.unanswerable:
            return RefusalGenerator(self.prompts.refusal if model else REFUSAL)
        if model is None or not self.extractive.addresses(query.standalone, passages, query.preferred):
            return self.extractive
        builder = ContextBuilder(
            self.prompts, self.scorer, self.settings.llm_context_budget, self.settings.llm_sentences_per_passage
        )
        return LLMGenerator(model, builder, self.prompts.refusal, grammar=self.settings.llm_grammar)

    def ask(
        self,
        question: str,
        k: int | None = None,
        docs: Sequence[str] | None = None,
        speakers: Sequence[str] | None = None,
        history: History | None = None,
        llm: str | None = None,
    ) -> Answer:
        """Answer a question (stateless: a chat passes its own history)."""
        *_, (_, answer) = self.ask_stream(question, k, docs, speakers, history, llm)
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        k: int | None = None,
        docs: Sequence[str] | None = None,
        speakers: Sequence[str] | None = None,
        history: History | None = None,
        llm: str | None = None,
    ) -> Iterator[tuple[str, str | Answer]]:
        """Yield ("token", text) as the answer is generated, then ("answer", Answer) once checked."""
        model, unavailable = self.model_or_reason(llm or self.settings.llm)
        self._follow_index()
        self.embedder, self.extractive, self.answerability, self.meetings, self.abbreviations  # noqa: B018 - load before the clock starts
        clock = {"started": time.perf_counter()}
        query = self.analyser(model).run(question, history or (), docs, speakers)
        passages = self.retriever(query, k).search(query.standalone)
        clock["retrieved"] = time.perf_counter()
        self.check_evidence(query, passages)
        draft: Draft | None = None
        for item in self.route(query, passages, model).run(query, passages):
            if isinstance(item, Draft):
                draft = item
                continue
            clock.setdefault("first_token", time.perf_counter())
            yield "token", item
        assert draft is not None
        checked, fallback_reason = FallbackToQuotes(self.extractive, self.verifier).run(query, passages, draft)
        checked, closest_quote = ClosestSentenceQuote(
            self.extractive, self.verifier, self.settings.closest_quote_margin
        ).run(query, passages, checked)
        fallback_reason = fallback_reason or unavailable
        clock["done"] = time.perf_counter()
        diagnostics = Diagnostics(
            llm=describe(model) if model else {"backend": EXTRACTIVE, "model": ""},
            prompt_version=self.prompts.version if model else "",
            standalone_question=query.standalone,
            fallback=EXTRACTIVE if fallback_reason else None,
            fallback_reason=fallback_reason,
            refusal_reason=draft.refusal_reason,
            closest_quote=closest_quote,
            unsupported=checked.report.unsupported,
            repaired_citations=checked.repaired,
            passages_trimmed=draft.passages_trimmed,
            usage=draft.usage,
        )
        yield (
            "answer",
            Answer(
                query.question,
                checked.text,
                checked.draft.refused,
                checked.cited,
                passages,
                checked.quotes,
                timings(clock),
                diagnostics,
            ),
        )


def timings(clock: dict[str, float]) -> dict[str, float]:
    """Milliseconds of each stage from the clock's readings."""
    ms = {
        "retrieve": clock["retrieved"] - clock["started"],
        "generate": clock["done"] - clock["retrieved"],
        "total": clock["done"] - clock["started"],
    }
    if "first_token" in clock:
        ms["first_token"] = clock["first_token"] - clock["started"]
    return {name: seconds * 1000 for name, seconds in ms.items()}
