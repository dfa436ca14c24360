"""The query stage: what a question asks, before anything is retrieved.

The question is cleaned (printable, not empty, not too long), a follow-up is made standalone,
the filters are resolved to canonical documents and speakers, the speakers the question names
are found, and the question is checked for names and figures the minutes never mention and for
meetings the archive does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.errors import QuestionError
from rag.query.answerable import AnswerabilityCheck, Unsaid
from rag.query.condense import Condenser, History
from rag.query.meetings import MeetingCheck
from rag.query.names import DocumentDirectory, SpeakerDirectory


@dataclass
class Query:
    question: str  # as asked, cleaned
    standalone: str  # what retrieval and answering read: the follow-up made standalone
    doc_ids: list[str] | None = None  # document filter, canonical ids
    speakers: list[str] | None = None  # speaker filter, canonical names
    named_speakers: list[str] = field(default_factory=list)  # speakers the question names
    # speakers it describes by role, affiliation or nationality ("the German colonel"): they lead
    # retrieval, but a description is less certain than a name, so they never decide a refusal
    described_speakers: list[str] = field(default_factory=list)
    # of several named speakers, the one the question asks about as its subject ("Why did Marketing
    # disagree with Industrial Designer?")
    subject: str | None = None
    unanswerable: str | None = None  # why the minutes cannot answer it, when that is known before retrieval
    unsaid: Unsaid | None = None  # asked about a speaker in words they never used: for the evidence stage
    # a follow-up's other standalone forms, searched beside `standalone` (the heuristic's completion
    # of it when the model's rewrite is the one answered)
    also_searched: list[str] = field(default_factory=list)

    @property
    def preferred(self) -> list[str]:
        """The speakers retrieval favours: those named, then those described."""
        return self.named_speakers + [s for s in self.described_speakers if s not in self.named_speakers]

    @property
    def answered_by(self) -> list[str]:
        """The speakers whose words answer it first: the one it names, or of several the one it
        asks about as its subject."""
        return [self.subject] if self.subject else self.named_speakers

    @property
    def asked(self) -> str:
        """A follow-up's own words when the conversation completed it ("And to East Timor?"),
        else "": retrieval ranks by them and the answer chooses its sentences by them."""
        return self.question if self.standalone != self.question else ""

    @property
    def about(self) -> list[str]:
        """The speakers the question is about: the filter when there is one, else those it names."""
        return self.speakers or self.named_speakers


def clean_question(question: str | None, max_chars: int) -> str:
    """A question as the pipeline accepts it: non-empty, printable, not longer than max_chars."""
    text = "".join(ch if ch.isprintable() else " " for ch in (question or "")).strip()
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty")
    if len(text) > max_chars:
        raise QuestionError(f"the question is too long ({len(text)} characters; at most {max_chars})")
    return text


class QueryAnalyser:
    def __init__(
        self,
        documents: DocumentDirectory,
        speakers: SpeakerDirectory,
        condenser: Condenser,
        answerability: AnswerabilityCheck | None,
        max_chars: int,
        meetings: MeetingCheck | None = None,
    ):
        self.documents, self.speakers, self.condenser = documents, speakers, condenser
        self.answerability, self.max_chars, self.meetings = answerability, max_chars, meetings

    def run(
        self,
        question: str,
        history: History = (),
        docs: Sequence[str] | None = None,
        speakers: Sequence[str] | None = None,
    ) -> Query:
        asked = clean_question(question, self.max_chars)
        standalone, *also_searched = self.condenser.forms(asked, history)
        query = Query(
            question=asked,
            standalone=standalone,
            also_searched=also_searched,
            doc_ids=[self.documents.resolve(d) for d in docs] if docs else None,
            speakers=[self.speakers.resolve(s) for s in speakers] if speakers else None,
        )
        # a follow-up that names someone itself ("And what was Yoshizaki's take on that?") is about
        # them, in its own words: what its completion borrowed from the conversation (Klaffus's
        # point) is no word Yoshizaki must have said
        own = self.speakers.named_in(query.asked, query.doc_ids) if query.asked else []
        query.named_speakers = own or self.speakers.named_in(query.standalone, query.doc_ids)
        query.described_speakers = self.speakers.described_in(query.standalone)
        checked = query.asked if own else query.standalone
        if len(query.named_speakers) > 1:  # in the words that named them
            query.subject = self.speakers.subject_of(checked, query.named_speakers)
        if self.answerability is not None:
            query.unanswerable = self.answerability.run(checked, query.about, query.doc_ids)
            if query.unanswerable is None:  # already declined: no suspicion to weigh
                query.unsaid = self.answerability.unsaid(checked, query.about)
        if self.meetings is not None and query.unanswerable is None:
            query.unanswerable = self.meetings.run(query.standalone, query.about)
        return query
