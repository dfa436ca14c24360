import numpy as np

from rag.minutes import Chunk
from rag.sentences import split_sentences
from tests.conftest import SYMPOSIUM


def _long_chunk():
    paragraph = max(SYMPOSIUM.read_text(encoding="utf-8").split("\n\n"), key=len)
    return Chunk("d#p1", "d", ["d#p1"], paragraph, "speech", "Werner Klaffus", "Colonel", "Panel Discussion", "Symposium", "2023-12-07", 1)


def test_long_paragraph_becomes_overlapping_windows_covering_every_sentence(embedder):
    chunk = _long_chunk()
    windows = embedder.windows(chunk)
    assert len(windows) > 1
    assert all(w.startswith(chunk.context_line() + "\n") for w in windows)
    assert all(embedder.count(w) <= 254 for w in windows)
    for sentence in split_sentences(chunk.text):
        assert any(sentence in w for w in windows), sentence[:60]
    last_of_first = split_sentences(windows[0].split("\n", 1)[1])[-1]
    assert last_of_first in windows[1]  # consecutive windows overlap


def test_embeddings_are_normalised(embedder):
    vectors = embedder.embed_texts(["Japan pays 10.8 % of the budget.", "A memorial wall with 309 names."])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
