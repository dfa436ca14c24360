"""The `openai` backend: any OpenAI-compatible chat endpoint (llama.cpp server, vLLM, LM Studio, a hosted API).

Built on llama-index's `OpenAILike`, with two changes: the API key is kept out of the object's repr and
serialisation (llama-index puts an LLM's dict into its instrumentation events), and retries are off so a
call never takes longer than `llm_timeout_s` (the openai client retries timeouts too, which would double
the wait).
"""

from __future__ import annotations

from typing import Any, ClassVar

from llama_index.core.bridge.pydantic import Field
from llama_index.llms.openai_like import OpenAILike

from rag.settings import Settings

# Sent when no key is configured: local servers ignore it, and the openai client would otherwise
# fall back to the OPENAI_API_KEY environment variable, which this project does not read.
NO_KEY = "no-key"


class OpenAICompatibleLLM(OpenAILike):
    """OpenAILike whose API key never shows in repr(), str() or model_dump()."""

    backend: ClassVar[str] = "openai"

    api_key: str | None = Field(default=None, repr=False, exclude=True, description="The API key; never shown.")

    @classmethod
    def class_name(cls) -> str:
        return "minutes_rag_openai_compatible_llm"

    def where(self) -> str:
        return f"the OpenAI-compatible server at {self.api_base}"

    def secrets(self) -> list[str]:
        return [self.api_key] if self.api_key and self.api_key != NO_KEY else []

    def usage_from(self, raw: Any) -> dict[str, Any]:
        usage = getattr(raw, "usage", None) or (raw.get("usage") if isinstance(raw, dict) else None)
        if usage is None:
            return {}
        get = usage.get if isinstance(usage, dict) else lambda k: getattr(usage, k, None)
        return {k: get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens")}


def build(settings: Settings) -> OpenAICompatibleLLM:
    return OpenAICompatibleLLM(
        model=settings.openai_model,
        api_base=settings.openai_base_url.rstrip("/"),
        api_key=settings.openai_api_key or NO_KEY,
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=settings.llm_context,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout_s,
        max_retries=0,
    )
