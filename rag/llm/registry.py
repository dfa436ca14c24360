"""Backend name -> the function that builds its LLM from the settings.

Entries are "module:function" strings imported on first use, so a missing optional dependency (say
llama-cpp-python for `local`) only matters when that backend is chosen. Adding a provider is one new
module with a `build(settings) -> LLM` and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from rag.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

BACKENDS: dict[str, str] = {
    "local": "rag.llm.local:build",
    "openai": "rag.llm.openai_compat:build",
    "ollama": "rag.llm.ollama_backend:build",
}


def make_llm(settings: Settings, name: str | None = None) -> LLM:
    """The LLM of backend `name` (default: `settings.llm`), configured from `settings`."""
    from rag.llm import LLMError, UnknownBackendError

    name = (name or settings.llm or "").strip().lower()
    target = BACKENDS.get(name)
    if target is None:
        raise UnknownBackendError(f"unknown LLM backend {name!r} (known: {', '.join(sorted(BACKENDS))})")
    module_name, func_name = target.split(":")
    try:
        build: Callable[[Settings], LLM] = getattr(importlib.import_module(module_name), func_name)
    except ImportError as exc:
        hint = " (pip install 'minutes-rag[local]')" if name == "local" else ""
        raise LLMError(f"the {name} LLM backend cannot load: module {exc.name or exc} is not installed{hint}") from None
    return build(settings)
