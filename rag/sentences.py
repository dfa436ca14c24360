"""Sentence splitting and word tokens, shared by the stages that need them (embed windows,
extractive answers, citation checks): one definition, so a sentence means the same thing everywhere."""

from __future__ import annotations

import re

# Titles and abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "cdr", "sgt", "st", "no", "nos",
    "vs", "etc", "e.g", "i.e", "u.s", "u.n", "u.k", "ret", "jr", "sr", "fig", "vol", "art", "para", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co",
}

# A candidate boundary: terminal punctuation, optional closing quote/bracket, whitespace.
_BOUNDARY = re.compile(r"""([.!?]["'”’)\]]*)(\s+)""")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping each sentence's own characters (no rewriting).

    A boundary needs terminal punctuation followed by whitespace and then something that can
    start a sentence (upper case, digit, quote, bracket, bullet). Full stops after known titles
    ("Mr.", "Gen."), single initials ("David M. Malone") and inside numbers ("10.8") are not
    boundaries. Line breaks inside a paragraph (tables, bullet lists) also end a sentence.
    """
    sentences: list[str] = []
    for block in re.split(r"\n+", text):
        start = 0
        for m in _BOUNDARY.finditer(block):
            end = m.end(1)
            rest = block[m.end():]
            if not rest or not _can_start(rest[0]):
                continue
            word = re.search(r"([\w.]+)[.!?][\"'”’)\]]*$", block[start:end])
            if m.group(1).startswith(".") and word:
                token = word.group(1).lower()
                if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
            piece = block[start:end].strip()
            if _LIST_NUMBER.match(piece):
                continue  # "1." or "- 4." opening a numbered paragraph belongs to its first sentence
            if piece:
                sentences.append(piece)
            start = m.end()
        tail = block[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


_LIST_NUMBER = re.compile(r"^[-–•*]?\s*\(?\d{1,3}[.)]$")


def _can_start(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in "\"'“‘([-•*➤■–—"


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
    """"japan's" -> "japan": a claim about Japan is supported by "Japan's contribution". (Sentence
    scoring uses this; BM25 retrieval keeps the tokens as they are, as measured: see the README.)"""
    return _POSSESSIVE.sub("", word)
