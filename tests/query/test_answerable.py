import pytest

from rag.query.answerable import AnswerabilityCheck, Vocabulary, key_terms
from rag.text.relevance import SentenceScorer

MINUTES = [
    "Gen. Cammaert said UNMISS protected civilians in South Sudan in 2015.",
    "Dr. Ramos-Horta spoke about Haiti and the budget of 7,800 million dollars.",
    "Afghanistan was discussed by Col. Klaffus.",
]


@pytest.fixture
def check():
    return AnswerabilityCheck(SentenceScorer.from_texts(MINUTES).idf)


@pytest.mark.parametrize(
    "question, terms",
    [
        ("What did Cammaert say about Haiti?", ["Cammaert", "Haiti"]),
        ("Haiti: what did they say?", []),  # the first word is capitalised anyway
        ("How much did Japan pay in 2016?", ["Japan", "2016"]),
        ("How many of the 15 battalions were deployed?", []),  # small numbers are often written out
        ("What Did The Panel Say About UNMISS Training?", ["UNMISS"]),  # Title Case: acronyms only
        ("what did klaffus say about afghanistan's population?", []),
        ("What did Afghanistan's delegate say?", ["Afghanistan"]),
        ("In the 21st century, who spoke?", []),
        ("Who spoke in the Q&A about U.N. reform?", []),  # single letters are not names
        ("Did Merkel or Macron visit Ukraine?", ["Merkel", "Macron", "Ukraine"]),  # names, not Title Case
        ("WHAT DID THE UNMISS CHIEF SAY IN 2016?", ["2016"]),  # capitals: only figures tell
    ],
)
def test_key_terms(question, terms):
    assert key_terms(question) == terms


@pytest.mark.parametrize(
    "question, missing",
    [
        ("What did Gen. Cammaert say about civilians?", None),
        ("What did Cammert say about civilians?", None),  # one letter off a known name
        ("What did Ramos Horta say about Haiti?", None),
        ("What did Ramos-Horta say about Haiti's budget?", None),
        ("What did Klaffus say about Afghanistan's army?", None),
        ("What did Klaffus say about the Arctic?", "“Arctic”"),
        ("What did the Afghan and Sudanese delegates say?", None),  # adjectives of known places
        ("What happened in South Sudan in 2016?", "“2016”"),  # a figure must match exactly
        ("What happened in South Sudan in 2015?", None),
        ("Did Merkel or Macron visit Ukraine?", "“Merkel” or “Macron” or “Ukraine”"),
    ],
)
def test_run_names_what_the_minutes_never_mention(check, question, missing):
    reason = check.run(question)
    if missing is None:
        assert reason is None
    else:
        assert reason == f"They never mention {missing}."


@pytest.mark.parametrize(
    "term, known",
    [("Cammert", True), ("Cammaertt", True), ("Zammerx", False), ("Cam", False), ("2016", False)],
)
def test_vocabulary_tolerates_misspellings_of_one_or_two_letters(term, known):
    vocabulary = Vocabulary.of(["General Cammaert spoke in 2015 about peacekeeping"])
    assert vocabulary.knows(term) is known
