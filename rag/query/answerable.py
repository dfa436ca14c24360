"""Decline before answering when the question hinges on something the minutes never mention.

Retrieval always returns *something*, and a tempting question ("What did Colonel Kawasaki say
about climate change in the Arctic?") retrieves passages that look relevant: similarity alone
cannot tell that the minutes are silent, and a small model, handed those passages, writes an
answer anyway. But when a name or a figure the question turns on ("Arctic", "2016") occurs nowhere
in the indexed minutes, no passage can answer it, whatever the wording. This check runs after
retrieval and before any model, so the refusal is instant and says which term was missing.

It only looks at the terms a question cannot be paraphrased around: capitalised names (not the
question's first word) and figures of three digits or more (years, large amounts). Common words
are left alone, since a trainee's plain wording rarely matches the minutes' word for word, and
a near spelling of a known word ("Cammert" for "Cammaert") counts as known. When the question is
about one speaker ("What did Ian Martin say about Ukraine?"), the names and figures must occur in
that speaker's own turns: the minutes mentioning Ukraine elsewhere does not make Ian Martin have
said anything about it. For such a question the plain words count too, weighed by how rare they are
in the minutes: when most of the question's weight is in words the speaker never used ("Where was
Colonel Klaffus born?"), the minutes may record nothing of theirs to answer it with. A paraphrase
("funding" for "financial contribution") looks the same, so that is only a suspicion (`unsaid`),
which the evidence stage confirms or drops by meaning (README, "Declining on evidence").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from rag.text import STOPWORDS, TITLE_WORDS, SentenceScorer, content_words, stem, without_possessive, word_tokens, words

_DEMONYM_SUFFIXES = ("ese", "ians", "ian", "ans", "an", "ish", "i", "n")
_RUN_TOGETHER = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "JustinTrudeau" -> "Justin", "Trudeau"
_QUOTATION_START = re.compile(r"(?:^|\s)[\"“‘'«]\s*([^\W_]+)")  # a word opening a quotation


class Vocabulary:
    """The stemmed words of some text, with a tolerance for misspellings.

    `names` are the words the text only ever writes with a capital (names, acronyms): a term
    asked with a capital is forgiven a misspelling only against those, so "Pearson" is not
    "person" and "SADC" is not "sad", while "Cammert" is still Cammaert. Without `names`, every
    word is a name."""

    def __init__(self, stems: Iterable[str], names: Iterable[str] | None = None):
        self.words = _with_parts(set(stems))
        self._sorted = sorted(self.words)
        self._by_length = _by_length(self.words)
        self._names_by_length = self._by_length if names is None else _by_length(_with_parts(set(names)))

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        texts = list(texts)
        return cls((stem(without_possessive(w)) for text in texts for w in words(text)), written_as_names(texts))

    def knows(self, term: str) -> bool:
        word = without_possessive(term.lower())
        if word.isdigit():
            return word in self.words  # a figure must match exactly: 2016 is not 2015
        if "-" in word and all(self.knows(part) for part in word.split("-") if part):
            return True  # "Ramos-Horta" written as "Ramos Horta"
        run_together = _RUN_TOGETHER.split(term)
        if len(run_together) > 1 and all(len(part) > 1 and self.knows(part) for part in run_together):
            return True  # "JustinTrudeau": two names typed without their space
        # the word, its stem, and the place behind an adjective ("Japanese" -> Japan, "Malian" -> Mali)
        spelt = [word, stem(word)]
        places = [word[: -len(s)] for s in _DEMONYM_SUFFIXES if word.endswith(s) and len(word) - len(s) >= 4]
        # a misspelling is forgiven in the word as written, not in a place cut from it: "Haiti" less
        # its "i" is one letter from "wait"
        return (
            any(form in self.words for form in spelt + places)
            or self._prefix(word)
            or any(self._near(form, capitalised=term[:1].isupper()) for form in spelt)
        )

    def _prefix(self, word: str) -> bool:
        """The start of a known word ("Afghan" of Afghanistan)."""
        if len(word) < 5:
            return False
        i = bisect.bisect_left(self._sorted, word)
        return i < len(self._sorted) and self._sorted[i].startswith(word)

    def _near(self, word: str, capitalised: bool = False) -> bool:
        """A spelling within one edit (two for long words) of a known word (of a name, when the
        word was written with a capital)."""
        if len(word) < 4 or any(ch.isdigit() for ch in word):
            return False
        limit = 1 if len(word) < 8 else 2
        known_words = self._names_by_length if capitalised else self._by_length
        for length in range(len(word) - limit, len(word) + limit + 1):
            if any(
                Levenshtein.distance(word, known, score_cutoff=limit) <= limit for known in known_words.get(length, ())
            ):
                return True
        return False


def written_as_names(texts: Iterable[str]) -> set[str]:
    """The stems of the words `texts` write with a capital and never in lower case."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for token in word_tokens(text):
            word = without_possessive(token)
            (capitalised if word[:1].isupper() else lower).add(word.lower())
    return {stem(w) for w in capitalised - lower} | (capitalised - lower)


def _with_parts(words: set[str]) -> set[str]:
    """The words and the parts of hyphenated ones: "Ramos Horta" and "Ramos-Horta" are the same name."""
    return words | {part for word in words if "-" in word for part in word.split("-") if part}


def _by_length(words: Iterable[str]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for word in words:
        out.setdefault(len(word), []).append(word)
    return out


@dataclass(frozen=True)
class Unsaid:
    """A question about `speaker` mostly in `words` they never used; `topic` is the question
    without their name."""

    speaker: str
    words: list[str]
    topic: str

    @property
    def reason(self) -> str:
        return f"They never record {self.speaker} mentioning {_quoted(self.words)}."


class AnswerabilityCheck:
    """`run(question, speakers)` returns the reason the minutes cannot answer it, or None.

    `scorer` knows the stemmed words of everything indexed and their IDF;
    `speaker_texts` maps each speaker to the texts of their turns (with their context lines),
    `answered_texts` to the turns they answered (the turn before each of theirs, someone else's:
    "What did Bill Blair respond to the seizure at Pearson airport?" names what the question he
    answered said, and a name it gave is no name he never heard) and
    `speaker_names` to the forms of their name, for questions about one speaker: "What did Ian
    Martin say about Ukraine?" cannot be answered when Ukraine comes up only in others' turns.
    `min_speaker_coverage` is the share of such a question's word weight (IDF) the speaker's turns
    must hold (0: names and figures only). `names` are the words the minutes only write with a
    capital (`written_as_names`), against which a name asked is forgiven a misspelling.
    `document_texts` maps each document to its texts (with their context lines): a question
    searched within some documents turns on names and figures those documents must hold, not
    merely the archive ("What did Huw Irranca-Davies think ...?" asked of a meeting he was not at).
    """

    def __init__(
        self,
        scorer: SentenceScorer,
        speaker_texts: Mapping[str, Iterable[str]] | None = None,
        speaker_names: Mapping[str, Iterable[str]] | None = None,
        min_speaker_coverage: float = 0.0,
        names: Iterable[str] | None = None,
        answered_texts: Mapping[str, Iterable[str]] | None = None,
        document_texts: Mapping[str, Iterable[str]] | None = None,
    ):
        self.scorer = scorer  # its IDF: the words of the minutes and how rare each is
        self.vocabulary = Vocabulary(scorer.idf, names)
        self.min_speaker_coverage = min_speaker_coverage
        self._speaker_texts = dict(speaker_texts or {})
        self._answered_texts = dict(answered_texts or {})
        self._speaker_names = dict(speaker_names or {})
        self._speakers: dict[str, tuple[Vocabulary, Vocabulary]] = {}
        self._answered: dict[str, Vocabulary] = {}
        self._document_texts = dict(document_texts or {})
        self._searched: dict[frozenset[str], Vocabulary] = {}

    def run(self, question: str, speakers: Sequence[str] = (), docs: Sequence[str] | None = None) -> str | None:
        terms = key_terms(question)
        if missing := _unknown(terms, self.vocabulary):
            return f"They never mention {_quoted(missing)}."
        searched = self._searched_vocabulary(docs)
        if searched is not None and (missing := _unknown(terms, searched)):
            return f"The minutes searched never mention {_quoted(missing)}."
        if len(speakers) == 1 and speakers[0] in self._speaker_texts:
            speaker = speakers[0]
            name, said = self._vocabularies_of(speaker)
            absent = [term for term in terms if not name.knows(term) and not said.knows(term)]
            if absent:
                answered = self._answered_vocabulary(speaker)
                absent = [term for term in absent if not answered.knows(term)]
            if absent:
                return f"They never record {speaker} mentioning {_quoted(absent)}."
        return None

    def unsaid(self, question: str, speakers: Sequence[str] = ()) -> Unsaid | None:
        """For a question about one speaker: the words of it they never used, when those carry more
        than 1 - min_speaker_coverage of its weight. Words are not names: a paraphrase ("funding"
        for "financial contribution") looks the same, so this is a suspicion for the evidence stage
        to confirm (`rag/answer/evidence.py`), not a refusal."""
        if len(speakers) != 1 or speakers[0] not in self._speaker_texts:
            return None
        speaker = speakers[0]
        name, said = self._vocabularies_of(speaker)
        words = self._unsaid(question, name, said)
        if not words:
            return None
        # what the question asks, without the speaker's name: the name alone makes every one of
        # their turns look similar to it
        topic = " ".join(w for w in word_tokens(question) if not name.knows(without_possessive(w)))
        return Unsaid(speaker, words, topic)

    def _unsaid(self, question: str, name: Vocabulary, said: Vocabulary) -> list[str]:
        """The question's words the speaker never used, rarest first, when they carry more than
        1 - min_speaker_coverage of its weight; else nothing. Words of the speaker's name do not count."""
        if not self.min_speaker_coverage:
            return []
        weights: dict[str, tuple[str, float]] = {}
        for word in content_words(question):
            bare = without_possessive(word)
            key = stem(bare)
            if key in weights or name.knows(bare) or any(ch.isdigit() for ch in bare):
                continue  # figures were checked exactly above
            weights[key] = (bare, self.scorer.weight(key))
        total = sum(weight for _, weight in weights.values())
        missing = sorted((w for w in weights.values() if not said.knows(w[0])), key=lambda w: -w[1])
        if total and sum(weight for _, weight in missing) > (1 - self.min_speaker_coverage) * total:
            return [word for word, _ in missing]
        return []

    def _searched_vocabulary(self, docs: Sequence[str] | None) -> Vocabulary | None:
        """The words of the documents a search is limited to, built once per set of documents;
        None when the search is not limited (the archive's vocabulary decides) or they are unknown."""
        chosen = frozenset(docs or ()).intersection(self._document_texts)
        if not chosen or len(chosen) == len(self._document_texts):
            return None
        if chosen not in self._searched:
            if len(self._searched) >= 32:  # a chat switches among a few filters; keep memory flat
                self._searched.clear()
            self._searched[chosen] = Vocabulary.of(text for doc in sorted(chosen) for text in self._document_texts[doc])
        return self._searched[chosen]

    def _answered_vocabulary(self, speaker: str) -> Vocabulary:
        if speaker not in self._answered:
            self._answered[speaker] = Vocabulary.of(self._answered_texts.get(speaker, []))
        return self._answered[speaker]

    def _vocabularies_of(self, speaker: str) -> tuple[Vocabulary, Vocabulary]:
        """The words of a speaker's name forms and of their turns, built once per speaker."""
        if speaker not in self._speakers:
            self._speakers[speaker] = (
                Vocabulary.of(self._speaker_names.get(speaker, [speaker])),
                Vocabulary.of(self._speaker_texts[speaker]),
            )
        return self._speakers[speaker]


def _unknown(terms: Sequence[str], vocabulary: Vocabulary) -> list[str]:
    """The terms the vocabulary does not know, at most three: a misspelling search costs ~10 ms a
    term, and three are reason enough."""
    missing: list[str] = []
    for term in terms:
        if len(missing) == 3:
            break
        if not vocabulary.knows(term):
            missing.append(term)
    return missing


def _quoted(terms: Sequence[str]) -> str:
    return " or ".join(f"“{term}”" for term in terms[:3])


def key_terms(question: str) -> list[str]:
    """The names and figures a question turns on, in order, each once.

    A name is a capitalised word that is not the question's first word; in a question written
    in Title Case every word is capitalised, so there only acronyms and figures count, and in one
    written in capitals only figures.
    A figure is a number of three digits or more (a year, an amount): small numbers are too often
    written out in minutes ("three battalions") to demand an exact match.
    """
    tokens = word_tokens(question)
    shouting = not any(ch.islower() for ch in question)  # ALL CAPS: capitals tell nothing
    # a quotation opens with a capital as a sentence does ('... to what extent was "Anyone accused
    # of ..." applied?'): its first word is no name
    quotation_starts = {m.group(1) for m in _QUOTATION_START.finditer(question)}
    # Title Case capitalises small words too ("What Did The Panel Say"); a question full of names does not
    title_case = shouting or any(t[0].isupper() and len(t) > 2 and t.lower() in STOPWORDS for t in tokens[1:])
    terms: list[str] = []
    for i, token in enumerate(tokens):
        bare = without_possessive(token)
        if not bare:
            continue
        if bare.isdigit():
            if len(bare) >= 3 and int(bare) >= 100:
                terms.append(bare)
            continue
        if len(bare) < 2 or any(ch.isdigit() for ch in bare) or bare.lower() in STOPWORDS | TITLE_WORDS or i == 0:
            continue  # "Q" of "Q&A" ("U.N." is read as "UN"), "21st", "What", "The", "Colonel"
        acronym = len(bare) >= 2 and bare.isupper() and not shouting
        if acronym or (not title_case and bare[0].isupper() and token not in quotation_starts):
            terms.append(bare)
    return list(dict.fromkeys(terms))
