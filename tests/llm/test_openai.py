"""The `openai` backend against a real OpenAI-compatible server: llama-cpp-python's, on a free local port."""

from __future__ import annotations

import logging
import time

import pytest

from rag.llm import LLMError, chat, describe, last_usage, make_llm, stream
from rag.settings import Settings

SERVER_KEY = "sk-test-9f8e7d6c5b4a-never-show-me"  # the key conftest's server requires

QUESTION = [
    {"role": "system", "content": "Answer in one short sentence."},
    {"role": "user", "content": "What is the capital of France?"},
]
LONGER = [
    {"role": "system", "content": "Answer in one short sentence."},
    {"role": "user", "content": "Why do committees keep minutes of their meetings?"},
]


def settings_for(base_url: str, key: str = SERVER_KEY, timeout: float = 60.0) -> Settings:
    return Settings(
        llm="openai", openai_base_url=base_url, openai_model="local", openai_api_key=key,
        llm_timeout_s=timeout, llm_max_tokens=48,
    )  # fmt: skip


@pytest.mark.slow
def test_chat_stream_and_usage(openai_server, server_key, caplog):
    assert server_key == SERVER_KEY
    caplog.set_level(logging.DEBUG)
    llm = make_llm(settings_for(openai_server))
    assert describe(llm) == {"backend": "openai", "model": "local"}
    text = chat(llm, QUESTION)
    assert "Paris" in text
    assert last_usage(llm)["prompt_tokens"] > 0
    pieces = list(stream(llm, LONGER))
    assert len(pieces) >= 5
    assert "".join(pieces) == chat(llm, LONGER)
    assert chat(llm, [{"role": "user", "content": "Reply with the single word OK."}], max_tokens=8).strip()
    assert SERVER_KEY not in caplog.text


@pytest.mark.slow
def test_wrong_key_is_refused_without_showing_it(openai_server, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "sk-wrong-0123456789abcdef"
    llm = make_llm(settings_for(openai_server, key=wrong))
    with pytest.raises(LLMError) as exc:
        chat(llm, QUESTION)
    text = str(exc.value)
    assert "refused the API key" in text and "\n" not in text
    assert wrong not in text and wrong not in caplog.text
    with pytest.raises(LLMError) as exc:
        list(stream(llm, QUESTION))
    assert wrong not in str(exc.value)


def test_wrong_port_fails_fast_with_one_line(caplog, closed_port):
    caplog.set_level(logging.DEBUG)
    url = f"http://127.0.0.1:{closed_port}/v1"
    llm = make_llm(settings_for(url))
    started = time.monotonic()
    with pytest.raises(LLMError) as exc:
        chat(llm, QUESTION)
    assert time.monotonic() - started < 5
    assert str(exc.value) == f"cannot reach the OpenAI-compatible server at {url}: connection refused"
    with pytest.raises(LLMError) as exc:
        list(stream(llm, QUESTION))
    assert str(exc.value) == f"cannot reach the OpenAI-compatible server at {url}: connection refused"
    assert SERVER_KEY not in caplog.text


def test_key_never_in_repr_or_dumps():
    llm = make_llm(settings_for("http://127.0.0.1:9/v1"))
    for shown in (repr(llm), str(llm), llm.to_json(), str(llm.to_dict()), str(llm.model_dump()), str(describe(llm))):
        assert SERVER_KEY not in shown


def test_key_never_in_an_error_that_quotes_it():
    """Even a server that echoes the key in its error body does not get it into the message."""
    from rag.llm.api import explain

    llm = make_llm(settings_for("http://127.0.0.1:9/v1"))
    assert SERVER_KEY not in explain(RuntimeError(f"bad header: Bearer {SERVER_KEY}"), llm)


def test_garbage_answer_is_one_line(fake_ollama):
    """A server that answers 200 with HTML instead of JSON."""
    fake_ollama.mode = "garbage"
    llm = make_llm(settings_for(fake_ollama.url + "/v1", timeout=10))
    with pytest.raises(LLMError) as exc:
        chat(llm, QUESTION)
    assert str(exc.value).startswith(f"the OpenAI-compatible server at {fake_ollama.url}/v1 ")
    assert "\n" not in str(exc.value)


def test_timeout_is_honoured(fake_ollama):
    fake_ollama.mode, fake_ollama.sleep_s = "sleep", 10
    llm = make_llm(settings_for(fake_ollama.url + "/v1", timeout=1.0))
    started = time.monotonic()
    with pytest.raises(LLMError) as exc:
        chat(llm, QUESTION)
    assert time.monotonic() - started < 3
    assert str(exc.value) == f"the OpenAI-compatible server at {fake_ollama.url}/v1 did not answer within 1 s"
