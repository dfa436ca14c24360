"""The stages wired together: ingest files into the index, answer questions from it.

One `Pipeline` serves the CLI, the chat UI and the evaluation harness, so what is measured is
what users get. Heavy things (embedding model, index, answerer statistics) load once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rag.answer.extractive import ExtractiveAnswerer, inverse_document_frequency
from rag.answer.result import Answer
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

    # -- loading -------------------------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from rag.embed import Embedder

            self._embedder = Embedder(self.settings)
        return self._embedder

    @property
    def extractive(self) -> ExtractiveAnswerer:
        if self._answerer is None:
            texts = [c.context_line() + "\n" + c.text for c in self.index.chunks()]
            self._answerer = ExtractiveAnswerer(
                sentences=self.settings.answer_sentences,
                min_relevance=self.settings.min_relevance,
                idf=inverse_document_frequency(texts),
            )
        return self._answerer

    # -- ingest --------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path] | None = None, progress: Callable[[str], None] | None = None) -> IngestReport:
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
                vectors = self.embedder.embed_texts(flat)
                self.index.upsert(minutes, chunks, windows, vectors)
                (report.replaced if existed else report.added).append(doc_id)
                report.chunks += len(chunks)
                report.windows += len(flat)
            except ReadError as exc:
                report.failed.append((str(path), str(exc)))
        if report.added or report.replaced:
            self._answerer = None  # word statistics changed
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, doc_id: str) -> bool:
        removed = self.index.remove(self.resolve_doc(doc_id))
        self._answerer = None
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

    # -- ask -----------------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None, docs: list[str] | None = None, speakers: list[str] | None = None):
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
        )
        return retriever.search(question)

    def ask(self, question: str, k: int | None = None, docs: list[str] | None = None, speakers: list[str] | None = None) -> Answer:
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        passages = self.retrieve(question, k, docs, speakers)
        retrieved_at = time.perf_counter()
        text, refused = self.extractive.run(question, passages)
        numbered = renumber(text, len(passages))
        done = time.perf_counter()
        return Answer(
            question=question,
            text=numbered.text,
            refused=refused,
            cited=[passages[n - 1] for n in numbered.order],
            retrieved=passages,
            timings_ms={
                "retrieve": (retrieved_at - started) * 1000,
                "generate": (done - retrieved_at) * 1000,
                "total": (done - started) * 1000,
            },
        )
