"""Choosing a backend by name."""

from __future__ import annotations

import pytest

from rag.llm import BACKENDS, LLMError, describe, make_llm
from rag.settings import Settings


@pytest.mark.parametrize("name", ["gpt5", "extractive", "Nonsense"])
def test_unknown_backend_lists_the_known_ones(name):
    with pytest.raises(LLMError) as exc:
        make_llm(Settings(llm=name))
    text = str(exc.value)
    assert "\n" not in text
    assert "known: local, ollama, openai" in text


def test_name_argument_overrides_the_setting():
    llm = make_llm(Settings(llm="extractive", ollama_model="m:1b", ollama_url="http://127.0.0.1:9"), "ollama")
    assert describe(llm) == {"backend": "ollama", "model": "m:1b"}


def test_every_registered_backend_is_a_module_and_function():
    import importlib

    for name, target in BACKENDS.items():
        module, func = target.split(":")
        assert callable(getattr(importlib.import_module(module), func)), name


def test_a_new_backend_is_one_registry_line(monkeypatch):
    from llama_index.core.llms.mock import MockLLM

    monkeypatch.setitem(BACKENDS, "mock", "llama_index.core.llms.mock:MockLLM")
    # MockLLM(settings) is not how a real module's build() looks, but the factory only needs a callable
    monkeypatch.setattr("llama_index.core.llms.mock.MockLLM", lambda settings: MockLLM(max_tokens=4))
    assert isinstance(make_llm(Settings(llm="mock")), MockLLM)
