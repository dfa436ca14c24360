import logging
from dataclasses import replace

import bm25s
import numpy as np
import pytest

from rag.index import keywords
from rag.index.keywords import DocumentTerms, KeywordCache, KeywordIndex, chunk_terms, terms
from rag.text.relevance import SentenceScorer
from tests.index.handmade import OTHER, V1, V2, doc


def _index():
    return KeywordIndex.of(doc(V1)[1] + doc(OTHER, "other")[1])


def _chunks():
    return doc(V1)[1] + doc(OTHER, "other")[1] + doc(V2, "third")[1]


@pytest.mark.parametrize(
    "query", ["Doe peacekeeping", "training of engineers in Africa", "Hitachi mine-clearing machines", "closing"]
)
def test_scores_are_lucene_bm25_as_bm25s_computes_them(query):
    chunks = [replace(c, doc_id="doc") for c in _chunks()]  # one document: its mean chunk length is the archive's
    oracle = bm25s.BM25(k1=1.5, b=0.75)
    oracle.index([chunk_terms(c) for c in chunks], show_progress=False)
    q = list(dict.fromkeys(terms(query)))
    expected = np.asarray(oracle.get_scores(q), dtype=np.float32)
    got = KeywordIndex.of(chunks).scores(query)
    assert expected.max() > 0 and np.allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_a_chunk_is_long_or_short_for_its_own_document():
    """Another document's chunk lengths do not move a document's scores (the words asked for
    keep their document frequencies): committee turns are not long because a transcript of
    five-word turns was added."""
    mine = [replace(c, doc_id="doc") for c in _chunks()]
    query = "training of engineers in Africa"

    def other(padding: int):
        return [
            replace(c, doc_id="other", id=f"other#{i}", text=" ".join(["zebra"] * padding)) for i, c in enumerate(mine)
        ]

    short, long = KeywordIndex.of(mine + other(2)), KeywordIndex.of(mine + other(200))
    n = len(mine)
    assert np.allclose(short.scores(query)[:n], long.scores(query)[:n]) and short.scores(query)[:n].max() > 0


def test_terms_are_content_words_stemmed():
    assert terms("What did the Colonels say about the training of engineers?") == ["colonel", "train", "engineer"]
    assert terms("10.8 % of the budget") == ["10", "8", "budget"]


def test_best_match_first_and_only_matching_chunks():
    hits = _index().search("Hitachi mine-clearing machines", 10)
    assert hits[0][0] == "other#p2" and len(hits) == 1 and hits[0][1] > 0


def test_speaker_name_in_the_context_line_matches_chunks_that_do_not_name_them():
    # "other#p1" says "Ms. Jane Doe"; doc#p5 too; but doc#p3 as well: all found through the context line
    hits = dict(_index().search("Doe", 10))
    assert {"doc#p3", "doc#p5", "other#p1"} <= set(hits)
    section_hits = [c for c, _ in _index().search("closing", 10)]  # the section is in the context line too
    assert section_hits == ["doc#p5"]


def test_a_search_among_given_chunks_scores_only_those():
    index = _index()
    everything = index.search("Doe", 10)
    among = {c for c, _ in everything[1:]} | {"no-such-chunk"}
    assert index.search("Doe", 10, among=among) == everything[1:]
    assert index.search("Doe", 10, among=set()) == []


def test_inflections_match():
    assert _index().search("prevented conflicts", 3)[0][0] == "doc#p3"


def test_filter_limits_results_and_n_caps_them():
    index = _index()
    everything = [c for c, _ in index.search("Doe", 10)]
    assert len(everything) >= 2 and len(index.search("Doe", 1)) == 1
    only_other = index.search("Doe", 10, doc_ids=["other"])
    assert [c for c, _ in only_other] == [c for c in everything if c.startswith("other")]
    assert [c for c, _ in index.search("Doe", 10, speakers=["Ken Sato"])] == []
    assert {c for c, _ in index.search("Doe", 10, doc_ids=["doc", "other"], speakers=["Jane Doe"])} == {
        "doc#p3",
        "doc#p5",
        "other#p1",
    }


def test_no_match_stop_words_only_and_empty_index():
    assert _index().search("zebra quantum", 5) == []
    assert _index().search("what did they say about it", 5) == []
    assert KeywordIndex.of([]).search("peace", 5) == []


def test_cache_tokenizes_each_document_version_once_and_ranks_as_a_fresh_index(monkeypatch):
    chunks = {"doc": doc(V1)[1], "other": doc(OTHER, "other")[1]}
    tokenized = []
    real = keywords.chunk_terms

    def counting(chunk):
        tokenized.append(chunk.doc_id)
        return real(chunk)

    monkeypatch.setattr(keywords, "chunk_terms", counting)
    cache = KeywordCache()
    cache.index({"doc": "v1"}, chunks.get)
    both = cache.index({"doc": "v1", "other": "v1"}, chunks.get)
    assert both.search("Doe peacekeeping", 10) == _index().search("Doe peacekeeping", 10)
    assert tokenized == ["doc"] * len(V1) + ["other"] * len(OTHER)  # doc once, though indexed twice
    tokenized.clear()
    only_doc = cache.index({"doc": "v2"}, chunks.get)  # a new version is tokenized again; other is gone
    assert tokenized == ["doc"] * len(V1) and len(only_doc) == len(V1)


def _counting(monkeypatch) -> list[str]:
    tokenized: list[str] = []
    real = keywords.chunk_terms

    def counting(chunk):
        tokenized.append(chunk.doc_id)
        return real(chunk)

    monkeypatch.setattr(keywords, "chunk_terms", counting)
    return tokenized


def test_a_second_process_reads_the_counted_documents_instead_of_tokenizing(tmp_path, monkeypatch):
    chunks = {"doc": doc(V1)[1], "other": doc(OTHER, "other")[1]}
    versions = {"doc": "v1", "other": "v1"}
    tokenized = _counting(monkeypatch)
    first = KeywordCache(context_words=40, folder=tmp_path).index(versions, chunks.get)
    assert sorted(set(tokenized)) == ["doc", "other"] and len(list(tmp_path.glob("*.npz"))) == 2
    tokenized.clear()
    second = KeywordCache(context_words=40, folder=tmp_path).index(versions, chunks.get)
    assert tokenized == []
    for query in ("Doe peacekeeping", "Hitachi mine-clearing machines", "closing"):
        assert second.search(query, 10) == first.search(query, 10) != []
    # another context width counts its own terms: a file is only read by settings that made it
    KeywordCache(context_words=0, folder=tmp_path).index(versions, chunks.get)
    assert sorted(set(tokenized)) == ["doc", "other"]


def test_a_damaged_or_stale_file_is_counted_again_and_rewritten(tmp_path, monkeypatch, caplog):
    chunks = {"doc": doc(V1)[1]}
    cache = KeywordCache(folder=tmp_path)
    fresh = cache.index({"doc": "v1"}, chunks.get).search("Doe peacekeeping", 10)
    (path,) = tmp_path.glob("*.npz")
    path.write_bytes(b"not a numpy file")
    tokenized = _counting(monkeypatch)
    with caplog.at_level(logging.WARNING):
        again = KeywordCache(folder=tmp_path).index({"doc": "v1"}, chunks.get)
    assert again.search("Doe peacekeeping", 10) == fresh and tokenized and "counting again" in caplog.text
    tokenized.clear()
    KeywordCache(folder=tmp_path).index({"doc": "v1"}, chunks.get)
    assert tokenized == []  # rewritten whole
    # a file whose chunks are not the catalogue's (another document under a colliding key) is not used
    DocumentTerms.count(doc(OTHER, "doc")[1]).save(path)
    assert KeywordCache(folder=tmp_path).index({"doc": "v1"}, chunks.get).search("Doe peacekeeping", 10) == fresh


def test_a_replaced_version_loses_its_file(tmp_path):
    chunks = {"doc": doc(V1)[1]}
    cache = KeywordCache(folder=tmp_path)
    cache.index({"doc": "v1"}, chunks.get)
    (old,) = tmp_path.glob("*.npz")
    cache.index({"doc": "v2"}, chunks.get)
    (new,) = tmp_path.glob("*.npz")
    assert new != old and not old.exists()


def test_the_answer_scorer_weights_come_from_the_counts_as_from_the_texts():
    chunks = _chunks()
    index = KeywordIndex.of(chunks)
    counted = SentenceScorer.from_chunk_counts(index.word_chunks(), len(index))
    tokenized = SentenceScorer.from_texts([c.context_line() + "\n" + c.text for c in chunks])
    assert counted.idf == pytest.approx(tokenized.idf) and len(counted.idf) > 20
