"""The `ollama` backend: a model served by Ollama (`POST /api/chat`), through llama-index's `Ollama`.

The context window is passed explicitly: left unset, llama-index asks the server (`POST /api/show`)
before every call. The answer length goes in Ollama's `num_predict` option.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.llms.ollama import Ollama

from rag.settings import Settings


class OllamaLLM(Ollama):
    """llama-index's Ollama, plus the small interface the rest of `rag.llm` expects of a backend."""

    backend: ClassVar[str] = "ollama"

    # per thread: with several users at once, each request reads the usage of its own call
    _usage: threading.local = PrivateAttr(default_factory=threading.local)

    @classmethod
    def class_name(cls) -> str:
        return "minutes_rag_ollama_llm"

    def where(self) -> str:
        return f"the Ollama server at {self.base_url}"

    def secrets(self) -> list[str]:
        return []

    def last_usage(self) -> dict:
        return dict(getattr(self._usage, "value", {}))

    def record_usage(self, raw: Any, started: float, first_token_at: float | None, ended: float) -> None:
        """Ollama's final message carries counts and durations in nanoseconds."""
        raw = dict(raw) if raw is not None and not isinstance(raw, dict) else (raw or {})
        out: dict[str, Any] = {
            "time_to_first_token_s": round((first_token_at or ended) - started, 4),
            "total_s": round(ended - started, 4),
        }
        prompt, completion = raw.get("prompt_eval_count"), raw.get("eval_count")
        if prompt is not None or completion is not None:
            out.update(
                {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": (prompt or 0) + (completion or 0),
                    "prompt_tokens_per_s": _rate(prompt, raw.get("prompt_eval_duration")),
                    "generation_tokens_per_s": _rate(completion, raw.get("eval_duration")),
                }
            )
        self._usage.value = out


def _rate(tokens: Any, ns: Any) -> float | None:
    try:
        return round(tokens / (ns / 1e9), 2) if tokens and ns else None
    except TypeError:
        return None


def build(settings: Settings) -> OllamaLLM:
    return OllamaLLM(
        model=settings.ollama_model,
        base_url=settings.ollama_url.rstrip("/"),
        request_timeout=settings.llm_timeout_s,
        context_window=settings.llm_context,
        temperature=settings.llm_temperature,
        additional_kwargs={"num_predict": settings.llm_max_tokens},
    )
