import itertools
import json
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 as onnx
import numpy as np
import pytest

from rag.index import IndexUnavailableError, IndexWriteError, MinutesIndex, keywords
from rag.index.chroma import EmbeddingRefusedError
from rag.index.lock import WriteLock
from tests.helpers import ROOT, make_settings
from tests.index.handmade import OTHER, V1, V2, doc, ingest


def _state(index):
    """Everything an upsert may change: every stored window (id and text), every catalogue record."""
    windows = index.vectors.collection.get(include=["documents"])
    records = []
    for store in (index.catalog.documents_store, index.catalog.contents_store):
        got = store.get(include=["metadatas"])
        records.append(sorted(zip(got["ids"], (json.dumps(m, sort_keys=True) for m in got["metadatas"]), strict=True)))
    return sorted(zip(windows["ids"], windows["documents"], strict=True)), records


def _windows(index, doc_id):
    return index.vectors.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])


def _prepared(embedder, rows, doc_id="doc"):
    minutes, chunks = doc(rows, doc_id)
    windows = [embedder.windows(c) for c in chunks]
    return minutes, chunks, windows, embedder.embed_texts([w for ws in windows for w in ws])


def test_upsert_stores_one_record_per_window_and_the_catalogue(index, embedder):
    minutes, chunks = doc(V1)
    n = ingest(index, embedder, minutes, chunks)
    assert index.count() == n == len(chunks)  # short chunks: one window each
    assert index.has("doc") and index.has("doc", minutes.sha256) and not index.has("doc", "0" * 64)
    assert not index.has("other") and not index.is_empty()
    got = _windows(index, "doc")
    version = index.catalog.version("doc")
    assert sorted(got["ids"]) == sorted(f"{c.id}~{version}~w0" for c in chunks)
    meta = dict(zip(got["ids"], got["metadatas"], strict=True))[f"doc#p3~{version}~w0"]
    assert meta == {
        "chunk_id": "doc#p3",
        "doc_id": "doc",
        "speaker": "Jane Doe",
        "kind": "speech",
        "window": 0,
        "version": version,
    }
    assert (
        dict(zip(got["ids"], got["documents"], strict=True))[f"doc#p3~{version}~w0"]
        == chunks[2].context_line() + "\n" + chunks[2].text
    )
    assert [c.id for c in index.chunks("doc")] == [c.id for c in chunks]
    assert index.chunk("doc#p2").speaker == "Ian Martin" and index.chunk("nope") is None
    assert [p.id for p in index.paragraphs("doc")] == [f"doc#p{i}" for i in range(1, 6)]
    assert index.document("doc").title == "Minutes doc" and index.document("nope") is None
    assert index.layout("doc") == "handmade"


def test_reupserting_the_same_document_leaves_no_duplicates(index, embedder):
    minutes, chunks = doc(V1)
    ingest(index, embedder, minutes, chunks)
    ingest(index, embedder, minutes, chunks)
    ids = index.vectors.collection.get()["ids"]
    assert len(ids) == len(set(ids)) == len(chunks)
    assert len(index.catalog.contents_store.get()["ids"]) == 1 and len(index.chunks()) == len(chunks)


def test_changed_document_replaces_its_old_chunks_completely(index, embedder):
    ingest(index, embedder, *doc(V1))
    minutes, chunks = doc(V2)
    ingest(index, embedder, minutes, chunks)
    assert index.has("doc", minutes.sha256)
    assert [c.text for c in index.chunks()] == [c.text for c in chunks]
    assert index.paragraph("doc#p4") is None and index.chunk("doc#p5") is None
    got = _windows(index, "doc")
    assert sorted(m["chunk_id"] for m in got["metadatas"]) == ["doc#p1", "doc#p2", "doc#p3"]
    assert not any("analysis are critical" in d or "prevention of conflict" in d for d in got["documents"])
    assert index.keyword_search("analysis critical prevention", 5) == []
    assert index.speakers()["Jane Doe"]["turns"] == 1


def test_a_long_chunk_has_several_windows_and_all_go_on_replace(index, embedder):
    long_text = " ".join(
        f"Sentence {i} says the mission in Mali needs more helicopters and engineers." for i in range(60)
    )
    minutes, chunks = doc([("Intro.", "", "", ""), (long_text, "Ian Martin", "Member", "Discussion")])
    n = ingest(index, embedder, minutes, chunks)
    assert n > 3 and index.count() == n
    assert sorted(m["window"] for m in _windows(index, "doc")["metadatas"] if m["chunk_id"] == "doc#p2") == list(
        range(n - 1)
    )
    # a chunk's score is its best window's, and it is listed once
    hits = index.dense_search(embedder.embed_query("helicopters for Mali"), 5)
    assert [c for c, _ in hits] == ["doc#p2", "doc#p1"]
    ingest(index, embedder, *doc(V2))
    assert index.count() == 3 and index.vectors.collection.count() == 3


def test_documents_do_not_touch_each_other(index, embedder):
    ingest(index, embedder, *doc(V1))
    ingest(index, embedder, *doc(OTHER, "other", date="2019-05-01"))
    other_windows = sorted(_windows(index, "other")["ids"])
    ingest(index, embedder, *doc(V2))
    assert sorted(_windows(index, "other")["ids"]) == other_windows
    assert [d.doc_id for d in index.documents()] == ["other", "doc"]  # by date
    assert index.remove("doc")
    assert sorted(_windows(index, "other")["ids"]) == other_windows and index.count() == len(OTHER)
    assert [c.doc_id for c in index.chunks()] == ["other", "other"]


def test_remove(index, embedder):
    ingest(index, embedder, *doc(V1))
    assert index.remove("doc")
    assert not index.remove("doc")
    assert index.is_empty() and index.count() == 0 and index.chunks() == [] and index.speakers() == {}
    assert not index.has("doc") and index.paragraph("doc#p1") is None
    assert index.keyword_search("Ian Martin review", 5) == []
    assert index.vectors.collection.count() == 0 and index.catalog.contents_store.count() == 0


BAD_CASES = [
    "too few embeddings",
    "embeddings not 2-D",
    "windows for fewer chunks",
    "a chunk without windows",
    "a chunk of another document",
    "a chunk naming an unknown paragraph",
    "duplicate chunk ids",
    "not normalised",
    "NaN",
    "another dimension",
    "no chunks",
]


def _bad_upserts(minutes, chunks, windows, vectors):
    other_chunks = doc(OTHER, "other")[1]
    return {
        "too few embeddings": (minutes, chunks, windows, vectors[:-1]),
        "embeddings not 2-D": (minutes, chunks, windows, vectors.ravel()),
        "windows for fewer chunks": (minutes, chunks, windows[:-1], vectors[:-1]),
        "a chunk without windows": (minutes, chunks, [*windows[:-1], []], vectors[:-1]),
        "a chunk of another document": (minutes, chunks[:-1] + other_chunks[:1], windows, vectors),
        "a chunk naming an unknown paragraph": (
            minutes,
            [*chunks[:-1], type(chunks[0])(**{**chunks[-1].to_dict(), "paragraph_ids": ["doc#p99"]})],
            windows,
            vectors,
        ),
        "duplicate chunk ids": (minutes, chunks[:-1] + chunks[:1], windows, vectors),
        "not normalised": (minutes, chunks, windows, vectors * 2),
        "NaN": (minutes, chunks, windows, np.where(np.arange(vectors.shape[1]) == 0, np.nan, vectors)),
        "another dimension": (minutes, chunks, windows, np.full((len(vectors), 8), 8**-0.5, np.float32)),
        "no chunks": (minutes, [], [], vectors[:0]),
    }


@pytest.mark.parametrize("case", BAD_CASES)
def test_failing_upsert_leaves_the_index_unchanged(tmp_path, embedder, case):
    index = MinutesIndex(make_settings(tmp_path))
    ingest(index, embedder, *doc(V1))
    before = _state(index)
    with pytest.raises(IndexWriteError, match="nothing was changed"):
        index.upsert(*_bad_upserts(*_prepared(embedder, V2))[case])
    assert _state(index) == before
    assert MinutesIndex(index.settings).chunks() == index.chunks() == doc(V1)[1]  # and as stored


@pytest.mark.parametrize("failing", ["the second window batch", "the contents", "the commit"])
def test_write_failing_midway_leaves_the_old_version(index, embedder, monkeypatch, failing):
    ingest(index, embedder, *doc(V1))
    before = _state(index)
    monkeypatch.setattr("rag.index.vectors.BATCH", 2)  # several window batches
    target, name = {
        "the second window batch": (index.vectors.collection, "add"),
        "the contents": (index.catalog, "write_contents"),
        "the commit": (index.catalog.documents_store, "upsert"),
    }[failing]
    real, calls = getattr(target, name), []

    def fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == (2 if failing == "the second window batch" else 1):
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, fails)
    with pytest.raises(RuntimeError, match="disk full"):
        index.upsert(*_prepared(embedder, V2))
    assert _state(index) == before and index.has("doc", doc(V1)[0].sha256)
    assert index.dense_search(embedder.embed_query("quality information and analysis"), 3)[0][0] == "doc#p4"


def test_catalogue_survives_reopening(mode_settings, tmp_path, embedder):
    index = MinutesIndex(mode_settings(tmp_path / "a"))
    minutes, chunks = doc(V1, aliases={"Ian Martin": {"Mr. Martin", "Ian"}})
    ingest(index, embedder, minutes, chunks)
    # embedded: the same folder; server: another process's empty folder on the same server
    reopened = MinutesIndex(mode_settings(tmp_path / ("a" if index.settings.chroma_host == "" else "b")))
    assert reopened.has("doc", minutes.sha256) and reopened.count() == len(chunks)
    assert reopened.chunks() == chunks and reopened.paragraphs("doc") == minutes.paragraphs
    assert reopened.document("doc") == minutes.info
    assert reopened.speakers()["Ian Martin"] == {
        "role": "Member of the Panel",
        "affiliation": "",
        "aliases": ["Ian", "Mr. Martin"],
        "turns": 2,
        "docs": ["doc"],
    }
    assert reopened.keyword_search("quality analysis", 3) == index.keyword_search("quality analysis", 3) != []
    assert reopened.dense_search(embedder.embed_query("quality information and analysis"), 3)[0][0] == "doc#p4"


def test_a_written_document_is_searched_by_keyword_without_tokenizing_it_again(index, embedder, monkeypatch):
    minutes, chunks = doc(V1)
    ingest(index, embedder, minutes, chunks)
    ingest(index, embedder, *doc(OTHER, "other"))
    expected = index.keyword_search("quality analysis Doe", 5)
    folder = Path(index.settings.data_dir) / "keywords"
    assert expected and len(list(folder.glob("*.npz"))) == 2  # counted as written, one file per version
    tokenized = []
    monkeypatch.setattr(keywords, "chunk_terms", lambda c: tokenized.append(c.id) or [])
    reopened = MinutesIndex(index.settings)  # a server started after the ingest
    assert reopened.keyword_search("quality analysis Doe", 5) == expected and tokenized == []
    monkeypatch.undo()
    ingest(index, embedder, *doc(V2))  # a new version replaces the old one's file; removing drops its own
    assert len(list(folder.glob("*.npz"))) == 2
    index.remove("other")
    assert len(list(folder.glob("*.npz"))) == 1
    assert index.keyword_search("Hitachi mine-clearing machines", 5) == []


def test_neighbours_in_document_order(index, embedder):
    ingest(index, embedder, *doc(V1))

    def ids(ps):
        return [p.id for p in ps]

    assert ids(index.neighbours("doc#p3")) == ["doc#p2", "doc#p3", "doc#p4"]
    assert ids(index.neighbours("doc#p1")) == ["doc#p1", "doc#p2"]
    assert ids(index.neighbours("doc#p5", 2)) == ["doc#p3", "doc#p4", "doc#p5"]
    assert ids(index.neighbours("doc#p3", 0)) == ["doc#p3"]
    assert index.neighbours("doc#p42") == []


def test_speakers_merge_across_documents(index, embedder):
    ingest(index, embedder, *doc(V1, aliases={"Jane Doe": {"Ms. Doe"}}))
    ingest(index, embedder, *doc(OTHER, "other", aliases={"Jane Doe": {"Prof. Doe"}}))
    speakers = index.speakers()
    assert set(speakers) == {"Ian Martin", "Jane Doe", "Ken Sato"}
    assert speakers["Jane Doe"]["turns"] == 3 and sorted(speakers["Jane Doe"]["docs"]) == ["doc", "other"]
    assert speakers["Jane Doe"]["aliases"] == ["Ms. Doe", "Prof. Doe"]
    assert speakers["Ken Sato"] == {
        "role": "Colonel, JGSDF",
        "affiliation": "",
        "aliases": [],
        "turns": 1,
        "docs": ["other"],
    }


@pytest.mark.parametrize("exact_below", [0, 20000], ids=["hnsw", "exact"])
def test_dense_search_filters_by_document_and_speaker(mode_settings, tmp_path, embedder, exact_below):
    index = MinutesIndex(mode_settings(tmp_path, exact_search_below=exact_below))
    ingest(index, embedder, *doc(V1))
    ingest(index, embedder, *doc(OTHER, "other"))
    q = embedder.embed_query("Which machines clear mines?")
    hits = index.dense_search(q, 50)
    assert len(hits) == len({c for c, _ in hits}) == index.count()
    assert hits[0][0] == "other#p2" and all(a[1] >= b[1] for a, b in itertools.pairwise(hits))
    assert {c.split("#")[0] for c, _ in index.dense_search(q, 50, doc_ids=["doc"])} == {"doc"}
    assert {c for c, _ in index.dense_search(q, 50, speakers=["Jane Doe"])} == {"doc#p3", "doc#p5", "other#p1"}
    assert [c for c, _ in index.dense_search(q, 50, doc_ids=["other"], speakers=["Jane Doe"])] == ["other#p1"]
    assert index.dense_search(q, 50, speakers=["Nobody"]) == [] and index.dense_search(q, 0) == []
    assert len(index.dense_search(q, 2)) == 2


def test_similarity_of_chunks_is_their_best_window(index, embedder):
    ingest(index, embedder, *doc(V1))
    q = embedder.embed_query("quality information and analysis")
    dense = dict(index.dense_search(q, 10))
    got = index.similarity(q, ["doc#p4", "doc#p2", "nope"])
    assert set(got) == {"doc#p4", "doc#p2"} and got["doc#p4"] == pytest.approx(dense["doc#p4"], abs=1e-5)
    assert index.similarity(q, []) == {}


def test_keyword_search_filters_and_follows_changes(mode_settings, tmp_path, embedder):
    index = MinutesIndex(mode_settings(tmp_path, context_words=0))  # each chunk's own words only
    ingest(index, embedder, *doc(V1))
    assert [c for c, _ in index.keyword_search("Hitachi machines", 5)] == []
    ingest(index, embedder, *doc(OTHER, "other"))
    assert [c for c, _ in index.keyword_search("Hitachi machines", 5)] == ["other#p2"]
    assert {c for c, _ in index.keyword_search("Doe", 10, doc_ids=["other"])} == {"other#p1"}
    assert {c for c, _ in index.keyword_search("Doe", 10, speakers=["Jane Doe"])} == {"doc#p3", "doc#p5", "other#p1"}
    index.remove("other")
    assert index.keyword_search("Hitachi machines", 5) == []


def test_exact_search_matches_brute_force_and_every_reopening(corpus_pipeline):
    # on a small archive the search is exact: the n nearest windows, whichever process asks
    index, embedder = corpus_pipeline.index, corpus_pipeline.embedder
    reopened = MinutesIndex(index.settings)
    got = index.vectors.collection.get(include=["embeddings", "metadatas"])
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    for question in (
        "What did the people of Bamako write on a UN vehicle?",
        "How much does Japan pay?",
        "women peacekeepers",
    ):
        q = embedder.embed_query(question)
        sims = vectors @ q
        nearest = {}
        for i in np.argsort(-sims)[:90]:
            nearest.setdefault(got["metadatas"][i]["chunk_id"], float(sims[i]))
        truth = sorted(nearest.values(), reverse=True)[:30]
        hits = index.dense_search(q, 30)
        assert np.allclose([s for _, s in hits], truth, atol=1e-6)
        assert reopened.dense_search(q, 30) == hits


def test_search_sees_writes(index, embedder):
    ingest(index, embedder, *doc(V1))
    q = embedder.embed_query("Which machines clear mines?")
    assert all(c.startswith("doc#") for c, _ in index.dense_search(q, 50))
    ingest(index, embedder, *doc(OTHER, "other"))
    assert index.dense_search(q, 50)[0][0] == "other#p2"
    index.remove("other")
    assert all(c.startswith("doc#") for c, _ in index.dense_search(q, 50))


def test_chroma_never_embeds_text_itself(index, embedder, monkeypatch):
    # Chroma's default embedding function downloads a model: ours hands Chroma vectors for every
    # write and query, so it must never run (it fails the test if it does)
    stores = [
        index.vectors.collection,
        index.catalog.documents_store,
        index.catalog.contents_store,
        index.catalog.state_store,
    ]

    def no_download(*_args, **_kwargs):
        raise AssertionError("Chroma's default embedding function was used")

    monkeypatch.setattr(onnx.ONNXMiniLM_L6_V2, "__call__", no_download)
    ingest(index, embedder, *doc(V1))
    q = embedder.embed_query("analysis")
    assert index.dense_search(q, 3, doc_ids=["doc"]) and index.similarity(q, ["doc#p2"])
    assert index.remove("doc")
    for store in stores:  # a stray text query fails at once instead of falling back to the default model
        with pytest.raises(EmbeddingRefusedError):
            store.query(query_texts=["analysis"], n_results=1)


def test_vectors_lost_outside_the_index_make_the_document_ingest_again(index, embedder):
    minutes, chunks = doc(V1)
    ingest(index, embedder, minutes, chunks)
    index.vectors.collection.delete(where={"chunk_id": "doc#p2"})
    assert index.has("doc") and not index.has("doc", minutes.sha256)
    ingest(index, embedder, minutes, chunks)
    assert index.has("doc", minutes.sha256) and index.count() == index.vectors.collection.count() == len(chunks)


# -- interrupted writes ------------------------------------------------------------------------
@pytest.mark.parametrize("step", ["first window batch", "contents", "commit"])
def test_a_write_killed_midway_shows_one_whole_version_and_a_rerun_leaves_no_duplicates(
    mode_settings, tmp_path, embedder, monkeypatch, step
):
    monkeypatch.setattr("rag.index.vectors.BATCH", 2)  # several window batches: the kill falls between two
    settings = mode_settings(tmp_path / "data", exact_search_below=0)  # search through Chroma's own graph
    index = MinutesIndex(settings)
    ingest(index, embedder, *doc(V1))
    job = tmp_path / "job.pickle"
    job.write_bytes(pickle.dumps(_prepared(embedder, V2)))
    killed = subprocess.run(
        [sys.executable, "-m", "tests.index.crashing_writer", settings.model_dump_json(), str(job), step],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    survivor = doc(V2) if step == "commit" else doc(V1)  # the commit is the one write that switches versions
    reopened = MinutesIndex(settings)
    assert reopened.chunks() == survivor[1] and reopened.has("doc", survivor[0].sha256)
    q = embedder.embed_query("budgets for peacekeeping")
    found = {c: reopened.chunk(c).text for c, _ in reopened.dense_search(q, 10)}
    assert sorted(found.values()) == sorted(c.text for c in survivor[1])  # every chunk once, none of the other version

    ingest(reopened, embedder, *doc(V2))  # the rerun
    windows = reopened.vectors.collection.get(include=["metadatas"])["metadatas"]
    assert len(windows) == len(V2) and {m["version"] for m in windows} == {reopened.catalog.version("doc")}
    assert len(reopened.catalog.contents_store.get()["ids"]) == 1


def test_leftovers_of_a_killed_write_are_dropped_when_the_embedded_index_opens(tmp_path, embedder):
    settings = make_settings(tmp_path)
    index = MinutesIndex(settings)
    ingest(index, embedder, *doc(V1))
    job = tmp_path / "job.pickle"
    job.write_bytes(pickle.dumps(_prepared(embedder, OTHER, "other")))
    subprocess.run(
        [sys.executable, "-m", "tests.index.crashing_writer", settings.model_dump_json(), str(job), "contents"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert index.vectors.collection.count() == len(V1) + len(OTHER)  # written, never committed
    reopened = MinutesIndex(settings)
    assert reopened.vectors.collection.count() == len(V1) and reopened.catalog.contents_store.count() == 1
    assert not reopened.has("other") and reopened.count() == len(V1)


# -- two writers, two app processes ------------------------------------------------------------
HOLD_THE_LOCK = """import sys
from rag.index.lock import WriteLock
with WriteLock(sys.argv[1]).held():
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_second_writer_waits_for_the_first_and_says_why(tmp_path, embedder):
    index_settings = make_settings(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HOLD_THE_LOCK,
            str(tmp_path / "write.lock"),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(BlockingIOError, match=f"pid {holder.pid}"),
            WriteLock(tmp_path / "write.lock").held(wait=False),
        ):
            pass
        said = []

        def release_the_holder(message):  # called just before waiting: the holder finishes its write
            said.append(message)
            holder.stdin.write("done\n")
            holder.stdin.flush()

        index = MinutesIndex(index_settings, on_wait=release_the_holder)
        ingest(index, embedder, *doc(V1))
        assert said == [f"another process (pid {holder.pid}) is writing the index: waiting for it"]
        assert index.has("doc", doc(V1)[0].sha256)
    finally:
        holder.kill()
        holder.wait()


def test_two_app_processes_share_one_server(server_settings, tmp_path, embedder, monkeypatch):
    a = MinutesIndex(server_settings(tmp_path / "a"))
    b = MinutesIndex(server_settings(tmp_path / "b"))  # another data folder: nothing shared but the server
    seen = b.generation
    ingest(a, embedder, *doc(V1))
    b.refresh()
    assert b.generation != seen and not b.refresh()  # a change, then nothing more to load
    q = embedder.embed_query("quality information and analysis")
    assert b.chunks() == a.chunks() and b.speakers() == a.speakers() and b.documents() == a.documents()
    assert b.dense_search(q, 5) == a.dense_search(q, 5) and b.keyword_search("analysis", 5) == a.keyword_search(
        "analysis", 5
    )
    monkeypatch.setattr("rag.index.REFRESH_SECONDS", 0.0)  # every read checks: no explicit refresh below
    ingest(b, embedder, *doc(OTHER, "other"))
    assert a.dense_search(embedder.embed_query("Hitachi machines"), 1)[0][0] == "other#p2"
    assert "Ken Sato" in a.speakers() and a.has("other")
    b.remove("doc")
    assert [d.doc_id for d in a.documents()] == ["other"] and a.chunk("doc#p1") is None
    assert all(c.startswith("other#") for c, _ in a.dense_search(q, 10))


# -- a data folder that cannot be used ---------------------------------------------------------
def test_a_corrupt_data_folder_says_how_to_rebuild_and_rebuild_keeps_the_models(tmp_path, embedder):
    settings = make_settings(tmp_path)
    ingest(MinutesIndex(settings), embedder, *doc(V1))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "model.gguf").write_bytes(b"weights")
    (tmp_path / "chroma" / "chroma.sqlite3").write_bytes(b"not a database")
    with pytest.raises(IndexUnavailableError) as raised:
        MinutesIndex(settings)
    message = str(raised.value)
    assert "\n" not in message and message.endswith("rebuild it with `minutes-rag ingest --rebuild`")
    MinutesIndex.clear(settings)
    rebuilt = MinutesIndex(settings)
    assert rebuilt.is_empty() and (tmp_path / "models" / "model.gguf").read_bytes() == b"weights"
    ingest(rebuilt, embedder, *doc(V1))
    assert rebuilt.has("doc", doc(V1)[0].sha256)


def test_a_damaged_catalogue_record_or_an_old_index_says_how_to_rebuild(mode_settings, tmp_path, embedder):
    settings = mode_settings(tmp_path)
    index = MinutesIndex(settings)
    ingest(index, embedder, *doc(V1))
    contents = index.catalog.contents_store
    record = contents.get(include=["metadatas"])
    contents.upsert(
        ids=record["ids"], embeddings=[[1.0]], metadatas=[{**record["metadatas"][0], "data": "bm90IHpsaWI="}]
    )
    with pytest.raises(IndexUnavailableError, match=r"record of 'doc' cannot be read .*minutes-rag ingest --rebuild"):
        MinutesIndex(settings)
    assert list((tmp_path / "keywords").glob("*.npz"))
    MinutesIndex.clear(settings)
    assert MinutesIndex(settings).is_empty() and not (tmp_path / "keywords").exists()
    (tmp_path / "catalog.json").write_text("{}")  # the catalogue file of minutes-rag before the index lived in Chroma
    with pytest.raises(
        IndexUnavailableError, match="older minutes-rag; rebuild it with `minutes-rag ingest --rebuild`"
    ):
        MinutesIndex(settings)
    MinutesIndex.clear(settings)
    assert MinutesIndex(settings).is_empty()


def test_an_unreachable_server_is_one_line():
    from rag.index.server import free_port

    port = free_port()
    with pytest.raises(IndexUnavailableError, match=f"^cannot use the Chroma server at 127.0.0.1:{port} "):
        MinutesIndex(make_settings(Path("/nonexistent"), chroma_host="127.0.0.1", chroma_port=port))


def test_bulk_reads_go_page_by_page(mode_settings, tmp_path, embedder, monkeypatch):
    # one unbounded read of every window overflowed SQLite's variable limit at 100,000 windows
    index = MinutesIndex(mode_settings(tmp_path))
    for rows, doc_id in ((V1, "doc"), (OTHER, "other"), (V2, "third")):
        ingest(index, embedder, *doc(rows, doc_id))
    q = embedder.embed_query("peacekeeping budgets")
    expected = index.dense_search(q, 20)
    monkeypatch.setattr("rag.index.chroma.PAGE", 2)
    paged = MinutesIndex(index.settings)
    assert paged.chunks() == index.chunks() and paged.dense_search(q, 20) == expected
    assert paged.has("doc", doc(V1)[0].sha256) and len(paged.similarity(q, [c.id for c in paged.chunks()])) == 10


def test_a_document_replaced_while_another_process_loads_it_is_read_again(server_settings, tmp_path, embedder):
    a = MinutesIndex(server_settings(tmp_path / "a"))
    b = MinutesIndex(server_settings(tmp_path / "b"))
    ingest(a, embedder, *doc(V1))
    contents = b.catalog.contents_store
    real_get, calls = contents.get, []

    def replaced_meanwhile(*args, **kwargs):  # b read the record naming V1, then a replaced V1 by V2
        calls.append(1)
        if len(calls) == 1:
            ingest(a, embedder, *doc(V2))
        return real_get(*args, **kwargs)

    contents.get = replaced_meanwhile
    b.refresh()
    assert b.chunks() == doc(V2)[1] and len(calls) == 2
