"""What a user gets from LlamaIndex's defaults over the same corpus, embedding model and LLM:
`SentenceSplitter` chunks, dense retrieval only, the default query engine. It has no citations of
its own, so its citation scores are reported as absent (0). In extractive mode (no LLM) its
answer is the first two sentences of its top chunk."""

from __future__ import annotations

import time
from pathlib import Path

from rag.embed import model_folder
from rag.read import find_documents, load_manifest, read_document
from rag.text import split_sentences


class Baseline:
    """Over the corpus folder, or over the files `paths` (the QMSum benchmark's meetings)."""

    def __init__(self, settings, llm=None, k: int = 5, paths: list[Path] | None = None):
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core import Settings as LISettings
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        files = list(paths) if paths is not None else find_documents([Path(settings.corpus_dir)])
        manifests = {folder: load_manifest(folder) for folder in {p.parent for p in files}}
        documents = [Document(text=read_document(p, manifests[p.parent]).text, metadata={"doc": p.stem}) for p in files]
        embed = HuggingFaceEmbedding(model_name=str(model_folder(settings.embed_model)), device="cpu")
        LISettings.llm = None  # never the library's default OpenAI client
        nodes = SentenceSplitter().get_nodes_from_documents(documents)
        self.index = VectorStoreIndex(nodes, embed_model=embed)
        self.k, self.llm = k, llm
        self.retriever = self.index.as_retriever(similarity_top_k=k)
        self.engine = self.index.as_query_engine(llm=llm, similarity_top_k=k) if llm is not None else None

    def retrieve(self, question: str, doc: str | None = None) -> list[tuple[str, str]]:
        """(document id, text) of the top-k chunks, optionally of one document only."""
        from llama_index.core.vector_stores import ExactMatchFilter, MetadataFilters

        retriever = self.retriever
        if doc is not None:
            only = MetadataFilters(filters=[ExactMatchFilter(key="doc", value=doc)])
            retriever = self.index.as_retriever(similarity_top_k=self.k, filters=only)
        return [(n.node.metadata["doc"], n.node.get_content()) for n in retriever.retrieve(question)]

    def ask(self, question: str) -> dict:
        started = time.perf_counter()
        if self.engine is not None:
            response = self.engine.query(question)
            nodes, answer = response.source_nodes, str(response)
            retrieved_at = started  # the engine retrieves and generates in one call
        else:
            nodes = self.retriever.retrieve(question)
            retrieved_at = time.perf_counter()
            answer = " ".join(split_sentences(nodes[0].node.get_content())[:2]) if nodes else ""
        done = time.perf_counter()
        return {
            "question": question,
            "answer": answer,
            "refused": False,
            "citations": [],
            "retrieved": [{"text": n.node.get_content(), "id": n.node.node_id} for n in nodes],
            "timings_ms": {
                "retrieve": (retrieved_at - started) * 1000,
                "generate": (done - retrieved_at) * 1000,
                "total": (done - started) * 1000,
            },
        }
