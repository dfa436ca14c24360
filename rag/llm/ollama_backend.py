"""The `ollama` backend: a model served by Ollama (`POST /api/chat`), through llama-index's `Ollama`.

The context window is passed explicitly: left unset, llama-index asks the server (`POST /api/show`)
before every call. The answer length goes in Ollama's `num_predict` option.
"""

from __future__ import annotations

from typing import Any, ClassVar

from llama_index.llms.ollama import Ollama

from rag.llm.base import rate
from rag.settings import Settings


class OllamaLLM(Ollama):
    """llama-index's Ollama, plus the small interface the rest of `rag.llm` expects of a backend."""

    backend: ClassVar[str] = "ollama"

    @classmethod
    def class_name(cls) -> str:
        return "minutes_rag_ollama_llm"

    def where(self) -> str:
        return f"the Ollama server at {self.base_url}"

    def secrets(self) -> list[str]:
        return []

    def usage_from(self, raw: Any) -> dict[str, Any]:
        """Ollama's final message carries counts and durations in nanoseconds."""
        raw = dict(raw) if raw is not None and not isinstance(raw, dict) else (raw or {})
        prompt, completion = raw.get("prompt_eval_count"), raw.get("eval_count")
        if prompt is None and completion is None:
            return {}
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": (prompt or 0) + (completion or 0),
            "prompt_tokens_per_s": rate(prompt, (raw.get("prompt_eval_duration") or 0) / 1e9),
            "generation_tokens_per_s": rate(completion, (raw.get("eval_duration") or 0) / 1e9),
        }


def build(settings: Settings) -> OllamaLLM:
    return OllamaLLM(
        model=settings.ollama_model,
        base_url=settings.ollama_url.rstrip("/"),
        request_timeout=settings.llm_timeout_s,
        context_window=settings.llm_context,
        temperature=settings.llm_temperature,
        additional_kwargs={"num_predict": settings.llm_max_tokens},
    )
