"""Declining after retrieval, on what the minutes hold: a question asking for a count, a time or a
name is not answered by sentences that give none, nor a question set in a year by sentences from
passages of other years (`AnswerKindCheck`), and a question about one speaker in words they never
used is declined only when none of their turns comes close to it in meaning either
(`SpeakerEvidenceCheck`).

The answerability check before retrieval (`rag/query/answerable.py`) catches names and figures the
minutes never mention; it cannot catch "How many staff officers has Japan sent to South Sudan?"
when the minutes say Japan sent staff officers but never how many, nor "In which three provinces
did the revolt break out?" when they say only "a revolt in three provinces". Here the sentences
that answer the question best (the ones the extractive answer would quote) are read: when none of
them gives what the question asks for (a count beyond those the question gives: a year or an
ordinal, "in 2023", "the 8th course", answers "when" or "which", not "how many"; a time; a name
the question, the speaker and the minutes' own setting do not already give; for a question set in
"2015", a passage writing 2015 or minutes dated 2015), the minutes do not hold it, and quoting
them, or handing them to a model that will write one anyway, would mislead.
The question forms are those of English wh-questions, not of any set of minutes; each kind was
measured on the tune part and on questions written after it (README, "Declining on evidence").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rag.answer.extractive import ExtractiveGenerator
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.text import (
    STOPWORDS,
    TITLE_WORDS,
    SentenceScorer,
    counts_in,
    figures_in,
    split_sentences,
    stem,
    without_possessive,
    word_tokens,
)
from rag.text.numbers import YEAR, times_in

# What a question asks for, by the forms of English wh-questions (not of any set of minutes):
# a count ("how many", "what share"), a time ("when", "in which years", "on what date": at the
# question's start or opening a clause, so "What did she say when she chaired ...?" is not one), or
# a name ("what was the title of", "what were their names", "which three provinces").
QUANTITY_QUESTION = re.compile(
    r"\bhow\s+(?:many|much)\b|\bwhat\s+(?:percentage|proportion|fraction|share|number|amount)\b", re.IGNORECASE
)
TIME_QUESTION = re.compile(
    r"(?:^|[,;:]\s*)(?:and\s+)?when\b|\b(?:in|during)\s+(?:which|what)\s+(?:years?|months?)\b"
    r"|\bwhat\s+(?:year|date|month)s?\b|\bon\s+what\s+(?:date|day)\b|\bsince\s+when\b",
    re.IGNORECASE,
)
NAME_QUESTION = re.compile(
    r"\b(?:what|which)\s+(?:is|was|were|are)\s+(?:the|their|his|her|its)\s+(?:names?|titles?)\b"
    r"|\bwhich\s+(?:\w+\s+){0,2}?(?:countries|country|provinces|province|cities|city|regions|nations|towns)\b",
    re.IGNORECASE,
)
# A capitalised word in more than a quarter of the passages (IDF below log 4: "UN", the host
# country, the keynote speaker) is the setting of the minutes, not the name a question asks for.
COMMON_NAME_IDF = math.log(4)


@dataclass(frozen=True)
class AnswerKind:
    """A kind of answer: the questions that ask for it (`asks(question)`), what a sentence of a
    passage gives of it (`given(sentence, passage, question, scorer)`: of counts and names, beyond
    the question's own), and whether a passage can show it at all (`shown_in(passage)`: a
    transcript in lower case shows no name, so it is no evidence either way)."""

    name: str
    asks: Callable[[str], object]
    reason: str
    given: Callable[[str, Passage, str, SentenceScorer], set[str]]
    shown_in: Callable[[Passage], bool] = lambda passage: True


# "How many staff officers ...?" counts the words after "how many" (up to COUNTED_WORDS of them,
# until a small word): a count answers it when one of the words after the count, within its clause,
# is one of them ("Japan sent 40 staff officers"), not a count of something else ("thousands of
# casualties, including UN staff"). A table row puts what it counts in its header, so its counts
# stand as they are.
COUNTED_WORDS = 4
_HOW_MANY = re.compile(r"\bhow\s+many\s+(.*)", re.IGNORECASE)
# a clause ends at a comma that is not inside a figure ("16,000"), a semicolon, a colon or a bracket
_CLAUSE_END = re.compile(r"(?<!\d),|,(?!\d)|[;:()]")


def counted_words(question: str) -> list[str]:
    """What a how-many question counts: "How many Japanese staff officers are ...?" -> japanese,
    staff, officers ([] for other questions)."""
    match = _HOW_MANY.search(question)
    if not match:
        return []
    words = []
    for token in word_tokens(match.group(1))[:COUNTED_WORDS]:
        if token.lower() in STOPWORDS:
            break
        words.append(token.lower())
    return words


def _counts_given(sentence: str, passage: Passage, question: str, scorer: SentenceScorer) -> set[str]:
    counts = counts_in(sentence) - figures_in(question)
    counted = counted_words(question)
    if not counts or not counted or "\t" in sentence:
        return counts
    return {count for clause in _CLAUSE_END.split(sentence) for count in _counts_of(clause, counts, counted)}


def _counts_of(clause: str, counts: set[str], counted: list[str]) -> set[str]:
    """The counts of a clause followed, within COUNTED_WORDS content words, by a word counted."""
    found = set()
    lower = clause.lower()
    for count in counts:
        for match in re.finditer(rf"(?<![\w.,]){re.escape(count)}(?![\w.,]\d)", lower):
            after = [w for w in word_tokens(lower[match.end() :]) if w not in STOPWORDS][:COUNTED_WORDS]
            if any(_same_word(word, c) for word in after for c in counted):
                found.add(count)
    return found


def _times_given(sentence: str, passage: Passage, question: str, scorer: SentenceScorer) -> set[str]:
    # not less the question's own: "In 2015 the panel met; when did its report come out?" - 2015
    return times_in(sentence)


def _names_given(sentence: str, passage: Passage, question: str, scorer: SentenceScorer) -> set[str]:
    return names_in(sentence, f"{question} {passage.chunk.speaker}", scorer)


# A year the question sets its subject in ("How many missions were under way in 2015?", "the 2023
# budget"), not one that bounds a span ("since 2015", "by July 2023", "from 2015 to 2019"): an
# answer from other years ("Currently, there are 12 missions", in minutes of 2023) answers another
# question. The nearest of these words within BOUND_REACH words before the year says which it is:
_BOUND_WORDS = frozenset("since after before until till by from between through prior".split())
_PLACING_WORDS = frozenset("in during of at for on".split())
BOUND_REACH = 4
# times in words that may place a statement in a year other than its minutes' ("last year", "two
# decades ago"): a passage that writes one might be of the year asked, so it is no evidence
_ELSEWHEN = re.compile(r"\bago\b|\bdecades?\b|\b(?:last|next|previous|following|that)\s+year\b", re.IGNORECASE)


def years_asked(question: str) -> set[str]:
    """The years a question sets its subject in: years not bounding a span."""
    tokens = [token.lower() for token in word_tokens(question)]
    return {token for i, token in enumerate(tokens) if YEAR.fullmatch(token) and not _bounds(tokens[:i])}


def _bounds(before: list[str]) -> bool:
    for word in reversed(before[-BOUND_REACH:]):
        if word in _BOUND_WORDS:
            return True
        if word in _PLACING_WORDS:
            return False
    return False


def _years_given(sentence: str, passage: Passage, question: str, scorer: SentenceScorer) -> set[str]:
    """The question's years the sentence's passage may speak of: years it writes, the year of its
    minutes, or any when it places things in other years in words."""
    text = passage.chunk.text
    if _ELSEWHEN.search(text):
        return years_asked(question)
    return years_asked(question) & (set(YEAR.findall(text)) | {passage.chunk.date[:4]})


def _dated(passage: Passage) -> bool:
    """A passage of dated minutes, or one that writes a year: undated transcripts are no evidence."""
    return bool(YEAR.fullmatch(passage.chunk.date[:4]) or YEAR.search(passage.chunk.text))


def names_in(sentence: str, known: str, scorer: SentenceScorer) -> set[str]:
    """The names a sentence gives that `known` (the question, the speaker) does not: capitalised
    words, not the sentence's first, not titles or small words, not a form of a known word
    ("Cambodia" of "Cambodian") and not common in the minutes (COMMON_NAME_IDF). A name of several
    words gives nothing when most of its words are known, its last (the head of an English name)
    among them: "this Force Intervention Brigade" is no new name to a question about "the
    intervention brigade", but "Japanese Minister Kishida" names Kishida to "Which Japanese
    minister spoke?"."""
    known_words = {without_possessive(w).lower() for w in word_tokens(known)}
    opening = re.search(r"\w", sentence)
    found: set[str] = set()
    for run in _CAPITALISED_RUN.finditer(sentence):
        words = [without_possessive(w) for w in word_tokens(run.group(0))]
        if opening is not None and run.start() == opening.start():
            words = words[1:]  # a sentence's first word is capitalised whatever it is
        words = [w for w in words if len(w) >= 2 and w.lower() not in STOPWORDS | TITLE_WORDS]
        new = [w for w in words if not any(_same_word(w.lower(), k) for k in known_words)]
        if words and 2 * len(new) < len(words) and words[-1] not in new:
            continue
        found.update(w for w in new if scorer.weight(stem(w.lower())) >= COMMON_NAME_IDF)
    return found


# capitalised words in a row, as minutes write a name of several words ("Trust Fund for Victims",
# "Ground Self-Defense Force"); "and" and "the" are not inside a name ("Kampot, Takeo and Kandal")
_CAPITAL = "A-ZÀ-ÖØ-Þ"
_CAPITALISED_RUN = re.compile(rf"[{_CAPITAL}][\w'’-]*(?:\s+(?:(?:of|for|de|du|la)\s+)?[{_CAPITAL}][\w'’-]*)*")


def _same_word(a: str, b: str) -> bool:
    """One word in two forms: equal, or sharing their first five letters (four for a four-letter word)."""
    n = min(5, len(a), len(b))
    return a == b or (n >= 4 and a[:n] == b[:n])


def writes_capitals(text: str) -> bool:
    """The text writes some word inside a sentence with a capital (not "I"), as minutes write
    names; a speech recogniser's lower-case transcript does not."""
    tokens = (token for sentence in split_sentences(text) for token in word_tokens(sentence)[1:])
    return any(token[:1].isupper() and token != "I" for token in tokens)


ANSWER_KINDS = {
    kind.name: kind
    for kind in (
        AnswerKind("count", QUANTITY_QUESTION.search, "The passages that come closest give no figure.", _counts_given),
        AnswerKind("time", TIME_QUESTION.search, "The passages that come closest give no date or time.", _times_given),
        AnswerKind(
            "name",
            NAME_QUESTION.search,
            "The passages that come closest name no one and nothing of the kind asked.",
            _names_given,
            shown_in=lambda passage: writes_capitals(passage.chunk.text),
        ),
        AnswerKind(
            "year",
            years_asked,
            "The passages that come closest are of other years.",
            _years_given,
            shown_in=_dated,
        ),
    )
}


class AnswerKindCheck:
    """`run(query, passages)` returns why the passages cannot answer a question asking for a count,
    a time or a name (`kinds`), or None: the sentences that answer it best give none."""

    def __init__(self, extractive: ExtractiveGenerator, kinds: Iterable[str] = tuple(ANSWER_KINDS), sentences: int = 3):
        self.extractive = extractive
        self.kinds = [ANSWER_KINDS[name] for name in kinds]
        self.sentences = sentences

    def run(self, query: Query, passages: list[Passage]) -> str | None:
        asked = [kind for kind in self.kinds if kind.asks(query.standalone)]
        if not asked:
            return None
        chosen = self.extractive.select(
            query.standalone, passages, self.sentences, query.named_speakers, query.asked, query.answered_by
        )
        if chosen is None:
            return None  # nothing relevant at all: the answer step refuses on its own
        scorer = self.extractive.scorer
        for kind in asked:  # "when and where": each kind asked must be given
            shown = [(sentence, p) for sentence, p in chosen if kind.shown_in(p)]
            if shown and not any(kind.given(sentence, p, query.standalone, scorer) for sentence, p in shown):
                return kind.reason
        return None


class SpeakerEvidenceCheck:
    """Confirms or drops the analysis stage's suspicion (`Query.unsaid`) that a question about one
    speaker asks what they never said. Their words do not hold most of the question's weight;
    if their closest turn is also below `min_similarity` (cosine of the question without their
    name), nothing of theirs answers it ("Where was Werner Klaffus born?"); if a turn is close,
    the question is a paraphrase ("What did Oshima say about funding peacekeeping?") and is answered."""

    def __init__(self, embedder, index, min_similarity: float):
        self.embedder, self.index, self.min_similarity = embedder, index, min_similarity

    def run(self, query: Query) -> str | None:
        unsaid = query.unsaid
        if unsaid is None:
            return None
        vector = self.embedder.embed_query(unsaid.topic)
        closest = self.index.dense_search(vector, 1, query.doc_ids, [unsaid.speaker])
        if closest and closest[0][1] >= self.min_similarity:
            return None
        return unsaid.reason
