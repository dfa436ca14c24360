import pytest

from rag.index import MinutesIndex
from rag.retrieve import Abbreviations, HybridRetriever
from tests.helpers import make_settings
from tests.index.handmade import build_minutes, ingest


# -- learning the definitions from the documents ------------------------------------------------
@pytest.mark.parametrize(
    "text, short, long",
    [
        ("It runs the Triangular Partnership Programme (TPP) with the UN.", "TPP", "Triangular Partnership Programme"),
        ("on the protection of civilians (POC) in missions", "POC", "protection of civilians"),
        (
            "the Office for the Coordination of Humanitarian Affairs (OCHA) said",
            "OCHA",
            "Office for the Coordination of Humanitarian Affairs",
        ),
        ("we call them troop contributing countries (TCCs).", "TCCs", "troop contributing countries"),
        ("the Emerging & Disruptive Technologies (EDT) panel", "EDT", "Emerging & Disruptive Technologies"),
        ("a Civil-Military Cooperation (CIMIC) cell", "CIMIC", "Civil-Military Cooperation"),
    ],
    ids=["title-case", "lower-case", "stop-words", "plural", "ampersand", "hyphen"],
)
def test_a_defined_abbreviation_is_learned_with_its_long_form(text, short, long):
    assert Abbreviations.learn([text]).definitions == {short: [long]}


@pytest.mark.parametrize(
    "text",
    [
        "The mission in Mali, the DRC, MONUSCO, the Central African Republic (MINUSCA) and South Sudan.",
        "He spoke at the opening (AM) session.",  # one capital: a time or a word, not a short form
        "The following meeting (TPP) was short.",  # no run of words spells it
        "Several of them (2015) were there.",
    ],
    ids=["across-commas", "one-capital", "not-spelled", "a-year"],
)
def test_a_parenthesis_that_defines_nothing_is_ignored(text):
    assert Abbreviations.learn([text]).definitions == {}


def test_two_spellings_are_kept_most_used_first_and_case_variants_once():
    learned = Abbreviations.learn(
        [
            "the Triangle Partnership Programme (TPP)",
            "the Triangular Partnership Programme (TPP)",
            "the triangular partnership programme (TPP)",
        ]
    )
    assert learned.definitions == {"TPP": ["Triangular Partnership Programme", "Triangle Partnership Programme"]}


# -- a question spelling a name out gains its short form ----------------------------------------------------
ABBREVIATIONS = Abbreviations({"TPP": ["Triangular Partnership Programme", "Triangle Partnership Programme"]})


@pytest.mark.parametrize(
    "question, searched",
    [
        (
            "When was the Triangular Partnership Programme launched?",
            "When was the Triangular Partnership Programme (TPP) launched?",
        ),
        (
            "When was the triangle partnership programme launched?",
            "When was the triangle partnership programme (TPP) launched?",
        ),
        ("What does TPP train?", "What does TPP train?"),  # its long form would outweigh the question
        (
            "What does the Triangular Partnership Programme (TPP) train?",
            "What does the Triangular Partnership Programme (TPP) train?",
        ),
        ("What do TPPs train?", "What do TPPs train?"),  # another word, not the short form
        ("What was said about partnerships?", "What was said about partnerships?"),
    ],
    ids=["long-form", "other-spelling-any-case", "short-form-alone", "both-already", "word-boundary", "neither"],
)
def test_expand_adds_the_short_form_to_a_long_one(question, searched):
    assert ABBREVIATIONS.expand(question) == searched


# -- retrieval finds the paragraph that uses only the other form ----------------------------------
DOE = ("Jane Doe", "Director, Example Institute")
ROWS = [
    ("Ms. Doe introduced the Nordic Demining Initiative (NDI) to the committee.", *DOE, "Opening"),
    ("NDI was launched in 2011 and has trained 900 deminers since.", *DOE, "Discussion"),
    ("Other Nordic initiatives were launched by the regional forum.", *DOE, "Discussion"),
    ("A demining initiative in Angola was launched with partners.", *DOE, "Discussion"),
    ("The committee asked when the next initiative would be launched.", *DOE, "Discussion"),
    ("Mine clearance in the Nordic countries ended long ago.", *DOE, "Discussion"),
]


@pytest.fixture(scope="module")
def demining_index(tmp_path_factory, embedder):
    index = MinutesIndex(make_settings(tmp_path_factory.mktemp("abbreviations")))
    ingest(index, embedder, *build_minutes("demining", ROWS))
    return index


@pytest.mark.parametrize("learned, found", [(True, True), (False, False)], ids=["with", "without"])
def test_a_question_spelling_the_name_out_finds_the_paragraph_using_the_short_form(
    demining_index, embedder, learned, found
):
    """Without the learned definition the answer ranks last of six: every other paragraph shares
    more of the question's words."""
    abbreviations = Abbreviations.learn(c.text for c in demining_index.chunks()) if learned else None
    passages = HybridRetriever(demining_index, embedder, 3, 30, 60, abbreviations=abbreviations).search(
        "When was the Nordic Demining Initiative launched?"
    )
    assert any("NDI was launched in 2011" in p.chunk.text for p in passages) is found
