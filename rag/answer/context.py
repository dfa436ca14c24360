"""What the model reads: the question and, per passage, its speaker line and relevant sentences.

Prompt reading dominates latency on a CPU (about 45 tokens/s for a 1.5B model on 2 cores), so the
model is shown only what it needs: for each passage its speaker line and the few sentences most
relevant to the question (in their original order, "…" where sentences were left out), within
a token budget filled by rank. The system prompt comes first and never changes, so llama.cpp
reuses its evaluated prefix from one question to the next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from llama_index.core.llms import ChatMessage, MessageRole

from rag.answer.extractive import ASKED_WEIGHT
from rag.minutes import Passage
from rag.prompts import Prompts
from rag.text import TITLE_WORDS, SentenceScorer, is_formality, split_sentences


@dataclass
class Context:
    messages: list[ChatMessage]
    shown: list[Passage]  # the passages the model saw, numbered 1..len(shown) in the prompt
    trimmed: int  # passages left out because the budget was spent
    headers: list[str]  # the line above each shown passage, without "[n] "

    def without_echoed_headers(self, answer: str) -> str:
        """A small model often copies a passage's header line into its answer ("Ana Berg
        (Director, …), Discussion, Example minutes (2001-01-01): 450 officers …"). A sentence that
        is nothing but the copy answers nothing and is dropped (with every sentence gone, the answer
        cites nothing, and is written again or replaced by quotes); elsewhere the copy becomes the
        speaker's name, or goes when the passage has no speaker."""
        for header, passage in zip(self.headers, self.shown, strict=True):
            copy = re.escape(header)
            answer = re.sub(rf"(?:^|(?<=[.!?]\s)){copy}\s*(?:\[[\d,\s]+\]\s*)*(?:\.(?=\s|$)|$)", "", answer)
            name = passage.chunk.speaker
            answer = re.sub(
                rf"{copy}(:?)\s*",
                lambda m: f"{name}{m.group(1)} " if name else "",  # noqa: B023 - used at once
                answer,
            )
        return answer.strip()


def short_title(title: str, words: int = 6) -> str:
    """A document's title cut to a few words: enough to tell documents apart, cheap to read."""
    parts = title.split(":")[0].split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def approx_tokens(text: str) -> int:
    """A cheap token estimate (about 4 characters a token for English under Qwen's tokenizer)."""
    return len(text) // 4 + 1


class ContextBuilder:
    def __init__(self, prompts: Prompts, scorer: SentenceScorer, budget_tokens: int, sentences_per_passage: int):
        self.prompts = prompts
        self.scorer = scorer
        self.budget = budget_tokens
        self.sentences_per_passage = sentences_per_passage

    def scored(self, question: str, text: str, asked: str = "") -> tuple[list[str], list[float]]:
        """A text's sentences and how well each covers the question's words (-1: a courtesy), a
        follow-up's own words (`asked`) counting `ASKED_WEIGHT` more, as in the extractive answer."""
        terms = self.scorer.terms(question)
        focus = self.scorer.terms(asked) & terms
        sentences = split_sentences(text)
        return sentences, [
            -1.0
            if is_formality(s, TITLE_WORDS)
            else self.scorer.score(terms, s) + ASKED_WEIGHT * self.scorer.score(focus, s)
            for s in sentences
        ]

    def excerpt(self, question: str, text: str) -> str:
        """The passage's most relevant sentences in document order; "…" marks each gap."""
        return self._excerpt(*self.scored(question, text))

    def _excerpt(self, sentences: list[str], scores: list[float]) -> str:
        if len(sentences) <= self.sentences_per_passage:
            return " ".join(sentences)
        ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
        # sentences that share no word with the question are left out, but never all of them
        keep = sorted(i for i in ranked[: self.sentences_per_passage] if scores[i] > 0 or i == ranked[0])
        parts, previous = [], -1
        for i in keep:
            if i != previous + 1:
                parts.append("…")
            parts.append(sentences[i])
            previous = i
        if previous != len(sentences) - 1:
            parts.append("…")
        return " ".join(parts)

    def passage_block(self, n: int, passage: Passage, excerpt: str) -> str:
        chunk = passage.chunk
        speaker = chunk.label
        if chunk.kind not in ("speech", "front_matter", "annex"):
            speaker += f" [{chunk.kind}]"
        return self.prompts.passage.format(
            n=n,
            speaker=speaker,
            section=chunk.section or "-",
            date=chunk.date or "undated",
            document=short_title(chunk.doc_title),
            text=excerpt,
        )

    def build(self, question: str, passages: Sequence[Passage], asked: str = "") -> Context:
        blocks: list[str] = []
        shown: list[Passage] = []
        headers: list[str] = []
        used = 0
        # each passage's sentences scored once: for its excerpt and for its place
        scored = [self.scored(question, passage.chunk.text, asked) for passage in passages]
        # the passage holding the best sentence first, as the extractive answer quotes them: the
        # model reads the first passages most, and what does not fit the budget is the least relevant
        order = sorted(range(len(passages)), key=lambda i: -max([0.0, *scored[i][1]]))
        for i in order:
            passage = passages[i]
            block = self.passage_block(len(shown) + 1, passage, self._excerpt(*scored[i]))
            cost = approx_tokens(block)
            if shown and used + cost > self.budget:
                break
            blocks.append(block)
            shown.append(passage)
            headers.append(block.split("\n", 1)[0].removeprefix(f"[{len(shown)}] ").removesuffix(":"))
            used += cost
        user = self.prompts.answer.format(passages="\n\n".join(blocks), question=question)
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=self.prompts.system),
            ChatMessage(role=MessageRole.USER, content=user),
        ]
        return Context(messages, shown, len(passages) - len(shown), headers)
