"""The `ollama` backend against a small real HTTP server that speaks Ollama's /api/chat."""

from __future__ import annotations

import time

import pytest

from rag.llm import LLMError, chat, describe, last_usage, make_llm, stream
from rag.settings import Settings

QUESTION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "who chaired the meeting"},
]


def settings_for(url: str, timeout: float = 10.0) -> Settings:
    return Settings(llm="ollama", ollama_url=url, ollama_model="fake:1b", llm_timeout_s=timeout, llm_max_tokens=33)


def test_chat(fake_ollama):
    llm = make_llm(settings_for(fake_ollama.url))
    assert describe(llm) == {"backend": "ollama", "model": "fake:1b"}
    assert chat(llm, QUESTION) == "You said: who chaired the meeting"
    path, body = fake_ollama.requests[-1]
    assert path == "/api/chat" and body["stream"] is False and body["model"] == "fake:1b"
    assert body["messages"] == QUESTION
    assert body["options"]["num_predict"] == 33 and body["options"]["num_ctx"] == 4096
    assert last_usage(llm)["prompt_tokens"] == 11


def test_stream(fake_ollama):
    llm = make_llm(settings_for(fake_ollama.url))
    pieces = list(stream(llm, QUESTION))
    assert pieces == ["You", " said:", " who", " chaired", " the", " meeting"]
    assert fake_ollama.requests[-1][1]["stream"] is True
    assert last_usage(llm)["completion_tokens"] == 6
    assert chat(llm, [{"role": "user", "content": "Reply with OK."}], max_tokens=8).startswith("You said:")
    assert [p for p, _ in fake_ollama.requests] == ["/api/chat"] * 2  # no /api/show round trip


def test_server_down(closed_port):
    url = f"http://127.0.0.1:{closed_port}"
    llm = make_llm(settings_for(url))
    started = time.monotonic()
    for call in (lambda: chat(llm, QUESTION), lambda: list(stream(llm, QUESTION))):
        with pytest.raises(LLMError) as exc:
            call()
        assert str(exc.value) == f"cannot reach the Ollama server at {url}: connection refused"
    assert time.monotonic() - started < 5


def test_server_slower_than_the_timeout(fake_ollama):
    fake_ollama.mode, fake_ollama.sleep_s = "sleep", 10
    llm = make_llm(settings_for(fake_ollama.url, timeout=1.0))
    for call in (lambda: chat(llm, QUESTION), lambda: list(stream(llm, QUESTION))):
        started = time.monotonic()
        with pytest.raises(LLMError) as exc:
            call()
        assert time.monotonic() - started < 2.5
        assert str(exc.value) == f"the Ollama server at {fake_ollama.url} did not answer within 1 s"


def test_garbage_answer(fake_ollama):
    fake_ollama.mode = "garbage"
    llm = make_llm(settings_for(fake_ollama.url))
    for call in (lambda: chat(llm, QUESTION), lambda: list(stream(llm, QUESTION))):
        with pytest.raises(LLMError) as exc:
            call()
        assert str(exc.value).startswith(f"the Ollama server at {fake_ollama.url} returned something that is not")


def test_model_not_pulled(fake_ollama):
    fake_ollama.mode = "missing"
    llm = make_llm(settings_for(fake_ollama.url))
    with pytest.raises(LLMError) as exc:
        chat(llm, QUESTION)
    assert str(exc.value) == f"the Ollama server at {fake_ollama.url} answered HTTP 404: model 'fake:1b' not found"
