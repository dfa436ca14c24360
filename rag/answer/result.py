"""The answer the pipeline returns: one shape for the CLI's --json, the chat UI and the evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REFUSAL = "The minutes do not address this."


def passage_record(passage, n: int | None = None) -> dict[str, Any]:
    """A passage as the JSON shows it: where it is, who said it, and its text exactly as printed."""
    chunk = passage.chunk
    record = {
        "id": chunk.id,
        **chunk.source(),
        "text": chunk.text,
        "score": round(float(passage.score), 6),
    }
    return record if n is None else {"n": n, **record}


@dataclass
class Answer:
    question: str
    text: str
    refused: bool
    cited: list = field(default_factory=list)  # passages in citation order: [n] is cited[n-1]
    retrieved: list = field(default_factory=list)  # every passage considered, best first
    timings_ms: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields later stages add (quotes, llm, ...)
    citation_extra: list[dict[str, Any]] = field(default_factory=list)  # per citation, e.g. "quote"

    def to_json(self) -> dict[str, Any]:
        citations = []
        for n, passage in enumerate(self.cited, 1):
            record = passage_record(passage, n)
            if n - 1 < len(self.citation_extra):
                record.update(self.citation_extra[n - 1])
            citations.append(record)
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": citations,
            "retrieved": [passage_record(p) for p in self.retrieved],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            **self.extra,
        }
