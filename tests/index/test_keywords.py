from rag.index import keywords
from rag.index.keywords import KeywordCache, KeywordIndex, terms
from tests.index.handmade import OTHER, V1, doc


def _index():
    return KeywordIndex(doc(V1)[1] + doc(OTHER, "other")[1])


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
    assert KeywordIndex([]).search("peace", 5) == []


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
