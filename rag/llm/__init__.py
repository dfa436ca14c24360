"""The pluggable LLM layer: every backend is a llama-index `LLM`, picked by name from the settings.

    llm = make_llm(settings)               # settings.llm names the backend: local, openai, ollama
    text = chat(llm, [{"role": "user", "content": "..."}])
    for piece in stream(llm, messages): ...
    last_usage(llm)                        # tokens and speeds of the last call

Every backend is a llama-index `LLM` that also satisfies `rag.llm.base.ChatBackend`; a new provider
is one module with a `build(settings)` and one line in `registry.BACKENDS`.

`chat` and `stream` turn every failure of a backend (unreachable, timing out, answering
garbage) into `LLMError` with a one-line human reason, so callers print it instead of a traceback.
"""

from __future__ import annotations


class LLMError(RuntimeError):
    """A backend failed; str() is one line saying which backend, where, and why. Never holds a secret."""


class UnknownBackendError(LLMError):
    """No backend has that name: the caller's mistake, not a backend that is down."""


from rag.llm.api import chat, describe, stream, system_and_user, to_messages  # noqa: E402
from rag.llm.base import ChatBackend, last_usage  # noqa: E402
from rag.llm.model_file import ModelFileError  # noqa: E402
from rag.llm.registry import BACKENDS, make_llm  # noqa: E402

__all__ = [
    "BACKENDS",
    "ChatBackend",
    "LLMError",
    "ModelFileError",
    "UnknownBackendError",
    "chat",
    "describe",
    "last_usage",
    "make_llm",
    "stream",
    "system_and_user",
    "to_messages",
]
