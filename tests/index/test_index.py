import numpy as np
import pytest

from rag.index import MinutesIndex
from rag.segment import make_chunks, segment_minutes
from tests.conftest import make_settings
from tests.segment.conftest import source_from_text

V1 = "1. Mr. Ian Martin said the review covers peace operations.\n\n2. Ms. Jane Doe said prevention matters most.\n\n3. Mr. Ian Martin added that analysis is critical."
V2 = "1. Mr. Ian Martin said the review covers peace operations.\n\n2. Ms. Jane Doe said budgets are shrinking fast."


def _ingest(index, embedder, text):
    minutes = segment_minutes(source_from_text(text, "doc"))
    chunks = make_chunks(minutes)
    windows = [embedder.windows(c) for c in chunks]
    index.upsert(minutes, chunks, windows, embedder.embed_texts([w for ws in windows for w in ws]))
    return minutes, chunks


@pytest.fixture
def index(tmp_path):
    return MinutesIndex(make_settings(tmp_path))


def test_upsert_twice_leaves_no_duplicates(index, embedder):
    _ingest(index, embedder, V1)
    count = index.vectors.count()
    _ingest(index, embedder, V1)
    assert index.vectors.count() == count and len(index.chunks("doc")) == 3


def test_changed_document_replaced_completely(index, embedder):
    _ingest(index, embedder, V1)
    _ingest(index, embedder, V2)
    texts = [c.text for c in index.chunks()]
    assert len(texts) == 2 and not any("analysis is critical" in t for t in texts)
    got = index.vectors.collection.get(include=["documents"])
    assert not any("analysis is critical" in d for d in got["documents"])


def test_failing_upsert_leaves_index_unchanged(index, embedder):
    _ingest(index, embedder, V1)
    before = (index.vectors.count(), index.catalog.path.read_text())
    minutes = segment_minutes(source_from_text(V2, "doc"))
    chunks = make_chunks(minutes)
    with pytest.raises(ValueError):
        index.upsert(minutes, chunks, [["w"]] * len(chunks), np.zeros((1, 384), dtype=np.float32))
    assert (index.vectors.count(), index.catalog.path.read_text()) == before


def test_remove_and_reopen(tmp_path, embedder):
    index = MinutesIndex(make_settings(tmp_path))
    _ingest(index, embedder, V1)
    reopened = MinutesIndex(make_settings(tmp_path))
    assert reopened.has("doc") and reopened.paragraph("doc#p3").speaker == "Ian Martin"
    assert [p.id for p in reopened.neighbours("doc#p2")] == ["doc#p1", "doc#p2", "doc#p3"]
    assert reopened.remove("doc") and reopened.is_empty() and reopened.vectors.count() == 0


def test_collection_has_no_default_embedding_function(index):
    # Chroma's default would download a model; ours is handed vectors only
    assert index.vectors.collection._embedding_function is None
