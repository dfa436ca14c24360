"""The model's answer: it reads the question and the passages' relevant sentences (`context.py`)
and writes a short answer citing them as [n], streamed as it is written.

Whether the answer can be used is decided here only as far as the model's own output tells
(it declined, it cited nothing, the backend failed); the verifier checks what it cites, and the
pipeline's fallback step replaces an unusable answer with quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from llama_index.core.llms import LLM

from rag.answer.context import ContextBuilder
from rag.answer.grammar import citation_grammar
from rag.answer.result import FROM_MODEL, Draft
from rag.llm import LLMError, last_usage, stream
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.verify.citations import MARKER, renumber

# A small model sometimes goes on to invent the next question: stop at the line that starts it.
RUNAWAY_MARKERS = ("\nQuestion:", "\nPassages:")


class LLMGenerator:
    """`constrain`: when the backend runs the model itself (`accepts_grammar`), generation follows
    the answer contract's grammar (`grammar.py`); other backends are asked by the prompt alone."""

    def __init__(self, llm: LLM, context_builder: ContextBuilder, refusal: str, constrain: bool = True):
        self.llm, self.context_builder, self.refusal = llm, context_builder, refusal
        self.constrain = constrain and getattr(llm, "accepts_grammar", False)

    def run(self, query: Query, passages: list[Passage]) -> Iterator[str | Draft]:
        context = self.context_builder.build(query.standalone, passages)
        pieces: list[str] = []
        constrained = self.constrain and bool(context.shown)
        options = {"grammar": citation_grammar(len(context.shown), self.refusal)} if constrained else {}
        try:
            for token in until_runaway(stream(self.llm, context.messages, **options)):
                pieces.append(token)
                yield token
        except LLMError as exc:
            yield Draft(
                "", False, context.shown, FROM_MODEL, fallback_reason=str(exc), passages_trimmed=context.trimmed
            )
            return
        text = "".join(pieces).strip()
        draft = Draft(
            text, False, context.shown, FROM_MODEL, usage=last_usage(self.llm), passages_trimmed=context.trimmed
        )
        if is_refusal(text, self.refusal):
            draft.text, draft.refused = self.refusal, True
        elif not renumber(text, len(context.shown)).order:  # markers pointing past the passages count as none
            draft.fallback_reason = "the model's answer cited no passage"
        yield draft


def until_runaway(tokens: Iterator[str]) -> Iterator[str]:
    """Pass tokens through, stopping at a line that starts a new question the model invented."""
    text = ""
    for token in tokens:
        text += token
        if any(marker in text for marker in RUNAWAY_MARKERS):
            return
        yield token


def is_refusal(text: str, refusal: str) -> bool:
    """The model declined: its answer is the refusal sentence (give or take case and punctuation)
    and cites nothing."""

    def norm(t: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", t.lower()).split())

    return norm(refusal) in norm(text) and not MARKER.search(text)
