"""What every LLM backend declares beyond llama-index's `LLM` interface, and the usage record all
backends share.

A backend is a llama-index `LLM` that also satisfies `ChatBackend`: it names itself and where it
runs (for one-line errors), lists its secrets (blanked out of every message), and reads token
counts from its responses. Timing and per-thread storage of usage are written once, here.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar, Protocol, runtime_checkable


@runtime_checkable
class ChatBackend(Protocol):
    backend: ClassVar[str]  # "local", "openai", "ollama": the name settings use

    def where(self) -> str:
        """Where the model runs, for messages: "the Ollama server at http://..."."""
        ...

    def secrets(self) -> list[str]:
        """Values that must never appear in a message or a log (API keys)."""
        ...

    def usage_from(self, raw: Any) -> dict[str, Any]:
        """Token counts (and speeds, when known) of the call whose last raw response is `raw`."""
        ...


# per thread: with several users at once, each request reads the usage of its own call
_usage = threading.local()


def record_usage(llm: object, usage: dict[str, Any]) -> None:
    if not hasattr(_usage, "by_llm"):
        _usage.by_llm = {}
    _usage.by_llm[id(llm)] = dict(usage)


def last_usage(llm: object) -> dict[str, Any]:
    """Tokens, speeds and times of the last completed call on `llm` in this thread ({} before the first).

    The local backend fills prompt_tokens, cached_prompt_tokens, completion_tokens, prompt_tokens_per_s,
    generation_tokens_per_s, time_to_first_token_s, total_s; the others what their server reports.
    """
    return dict(getattr(_usage, "by_llm", {}).get(id(llm), {}))


def rate(tokens: Any, seconds: Any) -> float | None:
    """Tokens per second, or None when either is unknown."""
    try:
        return round(tokens / seconds, 2) if tokens and seconds else None
    except TypeError:
        return None
