"""The model's answer: it reads the question and the passages' relevant sentences (`context.py`)
and writes a short answer citing them as [n], streamed as it is written.

Whether the answer can be used is decided here only as far as the model's own output tells (it
declined, it cited nothing, it handed the question back, the backend failed); the verifier checks
what it cites, and the pipeline's fallback step replaces an unusable answer with quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from llama_index.core.llms import LLM

from rag.answer.context import Context, ContextBuilder
from rag.answer.grammar import citation_grammar
from rag.answer.result import FROM_MODEL, Draft
from rag.llm import LLMError, last_usage, stream
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.settings import GrammarMode
from rag.text import question_words, says_nothing_new
from rag.verify.citations import MARKER, renumber

# A small model sometimes goes on to invent the next question: stop at the line that starts it.
RUNAWAY_MARKERS = ("\nQuestion:", "\nPassages:")


class LLMGenerator:
    """`grammar` says when generation follows the answer contract's grammar (`grammar.py`), for
    backends that run the model themselves (`accepts_grammar`; the others are asked by the prompt
    alone): "always"; "retry", only to write again an answer that broke the contract (cited
    nothing), the answer written under the grammar replacing it; or "off"."""

    def __init__(self, llm: LLM, context_builder: ContextBuilder, refusal: str, grammar: GrammarMode):
        self.llm, self.context_builder, self.refusal = llm, context_builder, refusal
        self.grammar = grammar if getattr(llm, "accepts_grammar", False) else "off"

    def run(self, query: Query, passages: list[Passage]) -> Iterator[str | Draft]:
        context = self.context_builder.build(query.standalone, passages, query.asked)
        constrain = self.grammar != "off" and bool(context.shown)
        grammar = {"grammar": citation_grammar(len(context.shown), self.refusal)} if constrain else {}
        pieces: list[str] = []
        try:
            first = grammar if self.grammar == "always" else {}
            for token in until_runaway(stream(self.llm, context.messages, **first)):
                pieces.append(token)
                yield token
        except LLMError as exc:
            yield Draft(
                "", False, context.shown, FROM_MODEL, fallback_reason=str(exc), passages_trimmed=context.trimmed
            )
            return
        draft = self.draft("".join(pieces), context, query)
        if draft.fallback_reason and constrain and self.grammar == "retry":
            draft = self.retry_under_grammar(draft, context, grammar, query)
        yield draft

    def retry_under_grammar(self, draft: Draft, context: Context, grammar: dict[str, str], query: Query) -> Draft:
        """The same prompt again (llama.cpp reuses its evaluated prefix: only the answer is paid
        for), written under the grammar; the first draft stays when this one fails too."""
        try:
            text = "".join(until_runaway(stream(self.llm, context.messages, **grammar)))
        except LLMError:
            return draft
        retried = self.draft(text, context, query)
        return draft if retried.fallback_reason else retried

    def draft(self, text: str, context: Context, query: Query) -> Draft:
        """The model's answer as a Draft, with why it cannot be used when its own output says so."""
        text = context.without_echoed_headers(text.strip())
        draft = Draft(
            text, False, context.shown, FROM_MODEL, usage=last_usage(self.llm), passages_trimmed=context.trimmed
        )
        if is_refusal(text, self.refusal):
            draft.text, draft.refused = self.refusal, True
        elif not renumber(text, len(context.shown)).order:  # markers pointing past the passages count as none
            draft.fallback_reason = "the model's answer cited no passage"
        elif restates(text, query):
            draft.fallback_reason = RESTATES
        return draft


RESTATES = "the model's answer only restates the question"


def restates(answer: str, query: Query) -> bool:
    """The answer says nothing the question did not: every content word of it is one of the
    question's (as asked or as rewritten to stand alone). A small model sometimes hands the
    question back ("The first questioner: why did he say ...? [1]"), which the support check
    passes, since the passages hold the question's words too. A yes-no question ("Did Oshima
    agree?") is answered by restating it ("Oshima agreed [1]"), so it is left alone."""
    return says_nothing_new(MARKER.sub(" ", answer), question_words(query.standalone, [query.question]))


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
