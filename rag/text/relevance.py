"""How well a sentence answers a question, by the weight of the question's words it contains.

One scorer serves the extractive answer (which sentences to quote), the LLM context (which
sentences of a long passage the model needs to read) and the citation check (which sentence of a
passage supports a claim), so "relevant" means the same thing in all three.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

from rag.text.tokens import content_words, stem, without_possessive, words

# A long sentence covers more of a question's words by chance: its coverage is divided by
# 1 + LENGTH_PENALTY * log(1 + words / TYPICAL_SENTENCE_WORDS). Tuned on the dev set's tuning
# questions so a 25-word answer beats a 120-word paragraph-sentence covering one more word.
LENGTH_PENALTY = 0.15
TYPICAL_SENTENCE_WORDS = 25

# a question opening with an auxiliary verb asks yes or no (English word order, not a list of phrasings)
POLAR_QUESTION = re.compile(
    r"\W*(?:(?:and|so|but|then)\W+)?(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|should|may|might)\b",
    re.IGNORECASE,
)


def question_words(question: str, other_forms: Iterable[str] = ()) -> frozenset[str] | None:
    """The content words an answer must go beyond: the question's and its other forms' (as asked
    before it was made standalone, with the short forms of the names it spells out). None for a
    yes-no question ("Did Oshima agree?"), which is answered by restating it ("Oshima agreed")."""
    if POLAR_QUESTION.match(question):
        return None
    return frozenset(SentenceScorer.terms(" ".join([question, *other_forms])))


def says_nothing_new(text: str, known: frozenset[str] | None) -> bool:
    """Every content word of the text is one of `known` (`question_words`), so as an answer it
    hands the question back: "Triangular Partnership Programme (TPP)" to "When was the Triangular
    Partnership Programme launched?". Never for a yes-no question (`known` None)."""
    if known is None:
        return False
    said = SentenceScorer.terms(text)
    return bool(said) and not said - known


class SentenceScorer:
    """IDF-weighted word coverage. `idf` maps stemmed words to their inverse document frequency
    over the index's chunks; words it has never seen count as the rarest."""

    def __init__(self, idf: Mapping[str, float] | None = None):
        self.idf = dict(idf or {})
        self._unknown = max(self.idf.values(), default=1.0)

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> SentenceScorer:
        df: dict[str, int] = {}
        for text in texts:
            for w in cls.tokens(text):
                df[w] = df.get(w, 0) + 1
        return cls.from_chunk_counts(df, len(texts))

    @classmethod
    def from_chunk_counts(cls, df: Mapping[str, int], n: int) -> SentenceScorer:
        """From the number of texts (of n) each word occurs in."""
        return cls({w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()})

    def weight(self, word: str) -> float:
        return self.idf.get(word, self._unknown)

    @staticmethod
    def terms(text: str) -> set[str]:
        """The stemmed content words of a question or claim."""
        return {stem(without_possessive(w)) for w in content_words(text)}

    @staticmethod
    def tokens(text: str) -> set[str]:
        """Every stemmed word of a passage sentence."""
        return {stem(without_possessive(w)) for w in words(text)}

    def coverage(self, terms: Iterable[str], tokens: set[str]) -> float:
        """Share of the terms' weight found among the tokens, 0..1."""
        terms = set(terms)
        total = sum(self.weight(w) for w in terms)
        if not total:
            return 0.0
        return sum(self.weight(w) for w in terms & tokens) / total

    def score(self, terms: set[str], sentence: str, context: frozenset[str] | set[str] = frozenset()) -> float:
        """Coverage, discounted a little for long sentences (they cover more words by chance).
        `context` holds words that hold for the sentence without being in it (its speaker)."""
        tokens = self.tokens(sentence)
        return self.coverage(terms, tokens | context) / (
            1 + LENGTH_PENALTY * math.log1p(len(tokens) / TYPICAL_SENTENCE_WORDS)
        )
