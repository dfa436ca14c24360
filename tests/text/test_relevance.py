import pytest

from rag.text.relevance import SentenceScorer, question_words, says_nothing_new


def test_a_possessive_counts_as_its_noun():
    scorer = SentenceScorer.from_texts(
        ["Japan's financial contribution is 10.8 %.", "The panel met in Tokyo.", "Peace."]
    )
    terms = scorer.terms("What does Japan contribute?")
    assert "japan" in terms and "japan" in scorer.tokens("Japan’s contribution")
    assert scorer.coverage(scorer.terms("Japan"), scorer.tokens("Japan's share")) == 1.0
    assert "japan" in scorer.idf and "japan's" not in scorer.idf


def test_rarer_words_weigh_more_and_long_sentences_are_discounted():
    scorer = SentenceScorer.from_texts(["peace talks", "peace operations", "peace in Mali", "MINUSMA left Mali"])
    assert scorer.weight("minusma") > scorer.weight("peace")
    terms = scorer.terms("Why did MINUSMA leave?")
    short, long = "MINUSMA left.", "MINUSMA left " + "and then many other things happened " * 10 + "."
    assert scorer.score(terms, short) > scorer.score(terms, long) > 0


@pytest.mark.parametrize(
    "text, question, other_forms, handed_back",
    [
        # a heading of the question's own words answers nothing
        ("Triangular Partnership Programme", "When was the Triangular Partnership Programme launched?", [], True),
        # its short form is news unless a form of the question holds it
        (
            "Triangular Partnership Programme (TPP)",
            "When was the Triangular Partnership Programme launched?",
            [],
            False,
        ),
        (
            "Triangular Partnership Programme (TPP)",
            "When was the Triangular Partnership Programme launched?",
            ["When was the Triangular Partnership Programme (TPP) launched?"],
            True,
        ),
        ("TPP was launched in 2015.", "When was the Triangular Partnership Programme launched?", [], False),
        # a yes-no question is answered by restating it
        ("Oshima agreed with the panel.", "Did Oshima agree with the panel?", [], False),
        ("Oshima agreed with the panel.", "Who agreed with the panel?", ["Did Oshima agree?"], True),
        # words of the follow-up as asked count as the question's
        ("The second observation.", "What was the observation?", ["And his second?"], True),
        ("And so it was.", "What was said?", [], False),  # no content word: nothing to hand back
    ],
)
def test_a_text_says_nothing_new_when_its_words_are_all_the_questions(text, question, other_forms, handed_back):
    assert says_nothing_new(text, question_words(question, other_forms)) is handed_back
