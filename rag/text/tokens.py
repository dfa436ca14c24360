"""Word tokens, stop words, stemming and courtesy sentences: what every stage that compares
words (keyword retrieval, sentence scoring, answerability, the citation check, the judges) shares."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A word spelt letter by letter: speech transcripts write acronyms so ("L_C_D_", "D_V_D_"), minutes
# some abbreviations ("U.N."). Read as the word ("LCD", "UN"), so a question's "LCD" finds them.
_SPELT = re.compile(r"(?<![^\W_])(?:[A-Za-z][._]){2,}")

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
    """Word tokens as written ("Mensa-Bonsu" stays one token, "10.8" becomes "10", "8", "L_C_D_"
    and "U.N." become "LCD" and "UN")."""
    return _WORD.findall(_SPELT.sub(_joined, text))


def _joined(spelt: re.Match) -> str:
    return spelt.group(0).replace(".", "").replace("_", "")


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


# The sounds of speech that carry no content ("uh", "mm-hmm", "yeah"): a transcribed turn made only of
# these says nothing a question could be answered with, though it lies inside every passage of talk.
FILLERS = frozenset("uh um umm er erm ah oh hmm hm mm mhm mm-hmm uh-huh huh yeah yep yup alright right".split())

# Marks of non-speech a transcriber writes in braces or brackets: "{vocalsound}", "{disfmarker}",
# "[laughter]", "[Translation]".
NON_SPEECH = re.compile(r"\{[^{}\s]*\}|\[[A-Za-z][A-Za-z ]*\]")


def is_formality(sentence: str, addressed: frozenset[str] = frozenset()) -> bool:
    """A sentence of courtesy or filler only: no content word outside FORMALITIES and FILLERS once
    the marks of non-speech are left out ("Thank you very much.", "Yeah .", "{vocalsound}"), nor
    outside `addressed`, the words a courtesy may address someone by ("Thank you very much,
    General.": `TITLE_WORDS`, which the answer step passes)."""
    return all(w in FORMALITIES or w in FILLERS or w in addressed for w in content_words(NON_SPEECH.sub(" ", sentence)))


_POSSESSIVE = re.compile(r"['’]s$")


def without_possessive(word: str) -> str:
    """ "japan's" -> "japan": a claim about Japan is supported by "Japan's contribution". (Sentence
    scoring uses this; BM25 retrieval keeps the tokens as they are, as measured: see the README.)"""
    return _POSSESSIVE.sub("", word)
