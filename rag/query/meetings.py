"""Decline a question about a meeting the archive does not hold: "Who moderated the 2019
International Peace and Security Symposium?" when the minutes are those of the 2023 one.

The answerability check (`rag/query/answerable.py`) lets "2019" through when the minutes mention
2019 anywhere ("between 2019 and 2023"), and retrieval then finds the 2023 symposium's moderator:
a right answer to another meeting. What a question says of *its meeting* is checked against what
the archive knows of its meetings, learnt from each document rather than from any list:

- a meeting is named by the content words of a document's title ("informal HIPPO meeting" shares
  "informal" and "HIPPO" with "Informal Meeting with Members of the High-level Independent Panel
  on Peace Operations (HIPPO)"); at least `MIN_NAME_TERMS` of them, so one topic word is not a name;
- the question places it in time with a year or an edition written against the name: before it
  ("the 2019 ...", "the 11th ..."), right after it ("... Symposium 2023") or in a clause "held ...
  in 2019". A year elsewhere ("what did he say about peace operations in 2019?") dates the topic,
  not the meeting, and is left alone;
- the archive holds a meeting at a time when a document of that name is dated that year, or when
  any document writes that year or edition against that name ("This symposium is the 12th
  International Peace and Security Symposium", "the 2022 UN Peacekeeping Ministerial Meeting").

When the named meeting is held at that time in one or more documents and the question names a
speaker none of whom speaks in them ("What did Prof. Shinoda say when he chaired the 2015 informal
HIPPO meeting?"), the question is declined too: the minutes of that meeting have nothing of theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import takewhile

from rag.minutes import DocumentInfo
from rag.text import STOPWORDS, SentenceScorer
from rag.text.numbers import MONTHS, ORDINAL, ORDINAL_WORDS, YEAR, ordinal_value

MIN_NAME_TERMS = 2  # content words a phrase shares with a title to name that meeting
MAX_RUN = 10  # words a meeting's name runs to
MAX_HELD_GAP = 5  # words between "held" and the year ("held in Tokyo in 2019")

_TOKEN = re.compile(r"[^\W_]+(?:[-'’&][^\W_]+)*|&|[^\w\s]")
_MONTHS = frozenset(month.lower() for month in MONTHS)
# words a meeting's name may hold between its content words ("Peace and Security", "Panel on ...")
_CONNECTORS = frozenset({"and", "&", "of", "on", "for", "the", "in"})
# texts with no year or edition at all are not tokenized
_QUALIFIER_HINT = re.compile(rf"\b{YEAR.pattern}\b|{ORDINAL.pattern}|\b(?:{'|'.join(ORDINAL_WORDS)})\b", re.I)


def qualifier(token: str) -> str | None:
    """ "2019" -> "2019"; "11th" and "eleventh" -> "#11"; anything else -> None."""
    if YEAR.fullmatch(token):
        return token
    n = ordinal_value(token)
    return f"#{n}" if n else None


def _is_name_word(token: str) -> bool:
    word = token.lower()
    return token[:1].isalnum() and word not in STOPWORDS and word not in _MONTHS and qualifier(token) is None


def _run(tokens: Sequence[str], start: int, step: int) -> list[int]:
    """Positions of the name words from tokens[start] on, walking by step (1: after, -1: before),
    nearest first; connectors may stand between them ("Peace and Security"), not at either end."""
    run: list[int] = []
    i = start
    while 0 <= i < len(tokens) and abs(i - start) < MAX_RUN:
        if _is_name_word(tokens[i]):
            run.append(i)
        elif tokens[i].lower() not in _CONNECTORS or not run:
            break
        i += step
    return run


def _held_clause(tokens: Sequence[str], year_at: int) -> int | None:
    """Where the name before "held" ends when the year closes a clause "<name> (meeting) (was) held
    (in Tokyo) (in January) <year>"."""
    for i in range(year_at - 1, max(-1, year_at - 1 - MAX_HELD_GAP), -1):
        word = tokens[i].lower()
        if word == "held":
            j = i - 1
            while j >= 0 and i - j <= 3 and tokens[j].lower() in STOPWORDS:
                j -= 1  # "meeting", "was"
            return j if j >= 0 and _is_name_word(tokens[j]) else None
        if not (tokens[i][:1].isupper() or word in STOPWORDS or word in _MONTHS):
            return None
    return None


@dataclass(frozen=True)
class QualifiedName:
    """A year or an edition written against a name: "the 12th International Peace and Security
    Symposium", "Symposium 2023", "the informal meeting held in Tokyo in 2019"."""

    qualifier: str  # "2019", "#12"
    at: int  # its token position
    name: list[int]  # token positions of the name's words, nearest the qualifier first


def qualified_names(tokens: Sequence[str]) -> Iterator[QualifiedName]:
    for i, token in enumerate(tokens):
        found = qualifier(token)
        if found is None:
            continue
        after = _run(tokens, i + 1, 1)
        if after:
            yield QualifiedName(found, i, after)
        if not found.isdigit():
            continue  # an edition stands before its name only
        held = _held_clause(tokens, i)
        before = _run(tokens, i - 1, -1) if held is None else _run(tokens, held, -1)
        if before:
            yield QualifiedName(found, i, before)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text) if _QUALIFIER_HINT.search(text) else []


@dataclass(frozen=True)
class Meeting:
    """A meeting as the archive holds it: the document, the terms of its name and when."""

    doc_id: str
    title: str
    date: str
    terms: frozenset[str]


class MeetingCheck:
    """`run(question, speakers)` returns why the archive cannot answer a question about a meeting
    at a time it does not hold (or one where the speakers asked about did not speak), or None."""

    def __init__(
        self,
        documents: Iterable[DocumentInfo],
        texts: Mapping[str, Iterable[str]],
        speakers_by_doc: Mapping[str, set[str]],
    ):
        self.meetings = [
            Meeting(d.doc_id, d.title, d.date, frozenset(SentenceScorer.terms(d.title))) for d in documents
        ]
        self.title_terms = frozenset().union(*(m.terms for m in self.meetings))
        self.speakers_by_doc = speakers_by_doc
        # (qualifier, name terms, the document dated then or None) for every year or edition the
        # archive gives a name: its documents' dates and titles, and what their minutes write
        self.held: list[tuple[str, frozenset[str], str | None]] = []
        for meeting in self.meetings:
            if YEAR.match(meeting.date):
                self.held.append((meeting.date[:4], meeting.terms, meeting.doc_id))
            tokens = tokenize(meeting.title)
            for found in qualified_names(tokens):
                self.held.append((found.qualifier, _terms(tokens, found.name), meeting.doc_id))
        for paragraphs in texts.values():
            for text in paragraphs:
                tokens = tokenize(text)
                for found in qualified_names(tokens):
                    self.held.append((found.qualifier, _terms(tokens, found.name), None))

    def named(self, terms: frozenset[str]) -> list[Meeting]:
        return [m for m in self.meetings if len(m.terms & terms) >= MIN_NAME_TERMS]

    def run(self, question: str, speakers: Sequence[str] = ()) -> str | None:
        tokens = tokenize(question)
        for found in qualified_names(tokens):
            # the name is the title words next to the year or edition: "the first questioner asked
            # the Water Forum" puts "first" against a person, not against the forum
            name = list(takewhile(lambda i: bool(SentenceScorer.terms(tokens[i]) & self.title_terms), found.name))
            terms = _terms(tokens, name)
            named = self.named(terms)
            if not named:
                continue
            held = [doc for q, known, doc in self.held if q == found.qualifier and len(known & terms) >= MIN_NAME_TERMS]
            if not held:
                span = [found.at, *name]
                phrase = " ".join(tokens[min(span) : max(span) + 1])
                return f"The archive holds no minutes of “{phrase}”; of that name it holds {_listed(named)}."
            docs = {doc for doc in held if doc is not None}
            if speakers and docs and None not in held:
                present = set().union(*(self.speakers_by_doc.get(doc, set()) for doc in docs))
                if not present.intersection(speakers):
                    meetings = [m for m in self.meetings if m.doc_id in docs]
                    return f"{' and '.join(speakers)} did not speak at {_listed(meetings)}."
        return None


def _terms(tokens: Sequence[str], positions: Iterable[int]) -> frozenset[str]:
    return frozenset(SentenceScorer.terms(" ".join(tokens[i] for i in positions)))


def _listed(meetings: Sequence[Meeting]) -> str:
    return "; ".join(f"{m.title} ({m.date})" if m.date else m.title for m in meetings)
