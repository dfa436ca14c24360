"""The text toolkit every stage shares: sentences, word tokens, stemming, stop words, forms of
address, figures, and the IDF-weighted sentence scorer. One definition each, so a sentence, a
word and a relevant sentence mean the same thing when segmenting, retrieving, answering,
verifying and evaluating."""

from rag.text.address import ABBREVIATED_TITLES, SUFFIXES, TITLE_WORDS, TITLES, title_pattern
from rag.text.numbers import NUMBER, counts_in, figure_values, figures_in, numbers_in
from rag.text.relevance import SentenceScorer, question_words, says_nothing_new
from rag.text.sentences import split_sentences
from rag.text.tokens import (
    FORMALITIES,
    STOPWORDS,
    content_words,
    is_formality,
    stem,
    without_possessive,
    word_tokens,
    words,
)

__all__ = [
    "ABBREVIATED_TITLES",
    "FORMALITIES",
    "NUMBER",
    "STOPWORDS",
    "SUFFIXES",
    "TITLES",
    "TITLE_WORDS",
    "SentenceScorer",
    "content_words",
    "counts_in",
    "figure_values",
    "figures_in",
    "is_formality",
    "numbers_in",
    "question_words",
    "says_nothing_new",
    "split_sentences",
    "stem",
    "title_pattern",
    "without_possessive",
    "word_tokens",
    "words",
]
