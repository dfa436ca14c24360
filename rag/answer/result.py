"""What the answer stages hand on: a `Draft` from a generator, and the checked `Answer` the
pipeline returns (one shape for the CLI's --json, the chat UI, the HTTP API and the evaluation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.minutes import Passage

REFUSAL = "The minutes do not address this."

# Where a draft's text came from.
FROM_MODEL = "llm"
FROM_QUOTES = "extractive"
FROM_REFUSAL = "refusal"


@dataclass
class Draft:
    """An answer as a generator wrote it: `[n]` markers point into `shown` (1-based)."""

    text: str
    refused: bool
    shown: list[Passage]
    origin: str  # FROM_MODEL, FROM_QUOTES or FROM_REFUSAL
    fallback_reason: str | None = None  # set by the model's generator when its answer cannot be used
    refusal_reason: str | None = None
    usage: dict[str, Any] | None = None
    passages_trimmed: int | None = None  # passages the model did not read (token budget)


@dataclass
class Diagnostics:
    """How an answer was made: which model, which prompts, what was rewritten, repaired or replaced."""

    llm: dict[str, str] = field(default_factory=lambda: {"backend": FROM_QUOTES, "model": ""})
    prompt_version: str = ""
    standalone_question: str = ""
    fallback: str | None = None  # "extractive" when the model's answer was replaced by quotes
    fallback_reason: str | None = None
    refusal_reason: str | None = None
    closest_quote: str | None = None  # the minutes' sentence quoted after the model's answer (rag/answer/closest.py)
    unsupported: list[dict[str, Any]] = field(default_factory=list)
    repaired_citations: list[dict[str, Any]] = field(default_factory=list)
    passages_trimmed: int | None = None
    usage: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "llm": self.llm,
            "prompt_version": self.prompt_version,
            "fallback": self.fallback,
            "repaired_citations": self.repaired_citations,
            "standalone_question": self.standalone_question,
            "unsupported": self.unsupported,
        }
        # present only when they say something, as `ask --json` has always printed them
        optional = {
            "fallback_reason": self.fallback_reason,
            "refusal_reason": self.refusal_reason,
            "closest_quote": self.closest_quote,
            "passages_trimmed": self.passages_trimmed,
            "usage": self.usage,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


@dataclass
class Answer:
    question: str
    text: str
    refused: bool
    cited: list[Passage] = field(default_factory=list)  # in citation order: [n] is cited[n-1]
    retrieved: list[Passage] = field(default_factory=list)  # every passage considered, best first
    quotes: list[str] = field(default_factory=list)  # per citation, the sentence that supports it
    timings_ms: dict[str, float] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def to_json(self) -> dict[str, Any]:
        citations = [
            {**passage.record(n), "quote": self.quotes[n - 1] if n - 1 < len(self.quotes) else ""}
            for n, passage in enumerate(self.cited, 1)
        ]
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": citations,
            "retrieved": [p.record() for p in self.retrieved],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            **self.diagnostics.to_json(),
        }
