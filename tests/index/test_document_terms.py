from rag.index.keywords import DocumentTerms, KeywordIndex, document_terms
from rag.minutes import Chunk


def _chunk(i, text):
    return Chunk(
        id=f"t#p{i}",
        doc_id="t",
        paragraph_ids=[f"t#p{i}"],
        text=text,
        kind="speech",
        speaker=f"S{i}",
        role="",
        section="",
        doc_title="T",
        date="",
        seq=i,
    )


def test_among_chunks_sharing_their_surroundings_the_one_that_says_it_ranks_first():
    chunks = [
        _chunk(1, "Welcome everyone."),
        _chunk(2, "The budget for ferries rose by a third."),
        _chunk(3, "Thank you, next item."),
        _chunk(4, "We will review the school meals."),
    ]
    table = document_terms(chunks, context_words=60)  # every chunk is short: each is searched with all the others
    assert table["t#p2"].count("budget") == 2 and "budget" in table["t#p1"]
    index = KeywordIndex([DocumentTerms.count(chunks, context_words=60)])
    ranked = index.search("ferries budget", 4)
    assert ranked[0][0] == "t#p2" and ranked[0][1] > ranked[1][1]
    assert index.search("school meals", 1)[0][0] == "t#p4"
