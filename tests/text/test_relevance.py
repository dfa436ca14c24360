from rag.text.relevance import SentenceScorer


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
