"""Word tokens, stop words, stemming and courtesy sentences: what every stage that compares
words (keyword retrieval, sentence scoring, answerability, the citation check, the judges) shares."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves said say says
    tell told think thought according minutes meeting did does""".split()
)


def word_tokens(text: str) -> list[str]:
    """Word tokens as written ("Mensa-Bonsu" stays one token, "10.8" becomes "10", "8")."""
    return _WORD.findall(text)


def words(text: str) -> list[str]:
    """Lower-case word tokens."""
    return [w.lower() for w in word_tokens(text)]


def content_words(text: str) -> list[str]:
    """Word tokens without stop words: what a question is about."""
    return [w for w in words(text) if w not in STOPWORDS]


def stem(word: str) -> str:
    """A crude suffix stripper, enough to match "contributions" with "contribution" and
    "deployed" with "deploy" when scoring sentences; no model or download needed."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


# Words of courtesy and floor management: a sentence made only of these ("Thank you very much.",
# "Good morning, ladies and gentlemen.") says nothing a question could be answered with.
FORMALITIES = frozenset(
    """thank thanks thankful much very good morning afternoon evening everyone everybody ladies gentlemen
    distinguished guests colleagues excellency excellencies pleasure honour honor honoured honored floor
    welcome great dear friends hello okay ok yes please sir madam let start begin like allow first again
    indeed well now go ahead kind kindly attention give giving given chair chairman chairperson moderator
    mr mrs ms dr prof""".split()
)


def is_formality(sentence: str) -> bool:
    """A sentence of courtesy only: no content word outside FORMALITIES."""
    return all(w in FORMALITIES for w in content_words(sentence))


_POSSESSIVE = re.compile(r"['’]s$")


def without_possessive(word: str) -> str:
    """ "japan's" -> "japan": a claim about Japan is supported by "Japan's contribution". (Sentence
    scoring uses this; BM25 retrieval keeps the tokens as they are, as measured: see the README.)"""
    return _POSSESSIVE.sub("", word)
