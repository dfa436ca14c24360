"""Calling any backend's LLM, with every failure turned into a one-line `LLMError`.

The backends fail in their own vocabularies (openai.APIConnectionError, httpx.ReadTimeout, the ollama
client's ConnectionError, json.JSONDecodeError for a body that is not JSON, ValueError from llama.cpp);
`explain` maps them to a sentence that names the backend and its address and says what went wrong,
with any secret of the backend blanked out.
"""

from __future__ import annotations

import contextlib
import errno
import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from rag.llm import LLMError
from rag.llm.base import ChatBackend, record_usage

MessageLike = ChatMessage | Mapping[str, str] | tuple[str, str]


def to_messages(messages: Iterable[MessageLike]) -> list[ChatMessage]:
    """ChatMessages from ChatMessages, {"role", "content"} dicts or (role, content) pairs."""
    out = []
    for m in messages:
        if isinstance(m, ChatMessage):
            out.append(m)
        elif isinstance(m, Mapping):
            out.append(ChatMessage(role=MessageRole(m.get("role", "user")), content=m.get("content", "")))
        else:
            role, content = m
            out.append(ChatMessage(role=MessageRole(role), content=content))
    return out


def chat(llm: LLM, messages: Iterable[MessageLike], **kwargs: Any) -> str:
    """The answer's text. Raises LLMError for any failure of the backend."""
    msgs = to_messages(messages)
    started = time.perf_counter()
    try:
        response = llm.chat(msgs, **kwargs)
        text = response.message.content
    except LLMError:
        raise
    except Exception as exc:
        raise LLMError(explain(exc, llm)) from None
    if not isinstance(text, str):
        raise LLMError(f"{_where(llm)} returned no text in its answer")
    _record(llm, response.raw, started, None, time.perf_counter())
    return text


def stream(llm: LLM, messages: Iterable[MessageLike], **kwargs: Any) -> Iterator[str]:
    """The answer's text pieces as the backend produces them. Raises LLMError for any failure,
    also one in the middle of the stream (pieces already yielded stay yielded)."""
    msgs = to_messages(messages)
    started = time.perf_counter()
    first_at = None
    raw = None
    responses = None
    try:
        responses = llm.stream_chat(msgs, **kwargs)
        for response in responses:
            raw = response.raw
            delta = response.delta
            if delta:
                if first_at is None:
                    first_at = time.perf_counter()
                yield delta
    except LLMError:
        raise
    except Exception as exc:
        raise LLMError(explain(exc, llm)) from None
    finally:
        # a caller that stops reading early closes the backend's stream now, not at garbage collection:
        # the local backend holds its model's lock and a remote one its HTTP connection until then
        close = getattr(responses, "close", None)
        if callable(close):
            close()
    _record(llm, raw, started, first_at, time.perf_counter())


def describe(llm: LLM) -> dict[str, str]:
    """{"backend": "local" | "openai" | "ollama" | class name, "model": the model's name}. No secrets."""
    backend = getattr(type(llm), "backend", None) or type(llm).__name__
    model = getattr(llm, "model_name", None) or getattr(llm, "model", None)
    if not isinstance(model, str):
        model = llm.metadata.model_name
    return {"backend": backend, "model": model}


def system_and_user(system: str, user: str) -> list[ChatMessage]:
    return [ChatMessage(role=MessageRole.SYSTEM, content=system), ChatMessage(role=MessageRole.USER, content=user)]


def _record(llm: LLM, raw: Any, started: float, first_at: float | None, ended: float) -> None:
    """The call's usage: its times, measured here for every backend, and the counts it reports."""
    usage: dict[str, Any] = {
        "time_to_first_token_s": round((first_at or ended) - started, 4),
        "total_s": round(ended - started, 4),
    }
    if isinstance(llm, ChatBackend):
        with contextlib.suppress(Exception):
            usage.update(llm.usage_from(raw))
    record_usage(llm, usage)


# --- turning exceptions into one line ------------------------------------------------------------


def _where(llm: LLM) -> str:
    where = getattr(llm, "where", None)
    return where() if callable(where) else f"the {describe(llm)['backend']} LLM"


def _timeout(llm: LLM) -> float | None:
    for name in ("timeout_s", "request_timeout", "timeout"):
        value = getattr(llm, name, None)
        if isinstance(value, (int, float)):
            return float(value)
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    seen, out = set(), []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def _is(exc: BaseException, module: str, *names: str) -> bool:
    """isinstance by name, so no optional client library has to be imported to recognise its errors."""
    return any(cls.__module__.split(".")[0] == module and cls.__name__ in names for cls in type(exc).__mro__)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _connect_reason(chain: list[BaseException]) -> str:
    for e in chain:
        if isinstance(e, OSError) and e.errno is not None:
            if e.errno == errno.ECONNREFUSED:
                return "connection refused"
            if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
                return "host unreachable"
            return (e.strerror or str(e)).lower()
        text = str(e)
        if "Connection refused" in text:
            return "connection refused"
        if "Name or service not known" in text or "nodename nor servname" in text:
            return "unknown host name"
    return "no connection"


def explain(exc: BaseException, llm: LLM) -> str:
    """One human line for a backend failure, with the backend's secrets blanked out."""
    where = _where(llm)
    chain = _chain(exc)
    timeout = _timeout(llm)
    within = f" within {timeout:g} s" if timeout else ""

    def any_is(module: str, *names: str) -> bool:
        return any(_is(e, module, *names) for e in chain)

    if (
        any_is("openai", "APITimeoutError")
        or any_is("httpx", "TimeoutException")
        or any(isinstance(e, TimeoutError) for e in chain)
    ):
        message = f"{where} did not answer{within}"
    elif (
        any_is("openai", "APIConnectionError")
        or any_is("httpx", "ConnectError")
        or any(isinstance(e, ConnectionError) for e in chain)
    ):
        if any_is("httpx", "RemoteProtocolError") or any(isinstance(e, ConnectionResetError) for e in chain):
            message = f"{where} closed the connection without a complete answer"
        else:
            message = f"cannot reach {where}: {_connect_reason(chain)}"
    elif any_is("httpx", "RemoteProtocolError"):
        message = f"{where} closed the connection without a complete answer"
    elif _is(exc, "openai", "AuthenticationError", "PermissionDeniedError"):
        message = f"{where} refused the API key (HTTP {getattr(exc, 'status_code', '401')}); check openai_api_key"
    elif _is(exc, "openai", "NotFoundError"):
        message = f"{where} answered 404: no model {getattr(llm, 'model', '?')!r} or no chat endpoint there"
    elif _is(exc, "openai", "APIStatusError"):
        message = f"{where} answered HTTP {getattr(exc, 'status_code', '?')}: {_short(exc)}"
    elif _is(exc, "ollama", "ResponseError"):
        status = getattr(exc, "status_code", -1)
        code = f"HTTP {status}: " if status and status > 0 else ""
        message = f"{where} answered {code}{getattr(exc, 'error', _short(exc))}"
    elif (
        _is(exc, "openai", "APIResponseValidationError")
        or any(isinstance(e, json.JSONDecodeError) for e in chain)
        or _is(exc, "pydantic_core", "ValidationError")
        or _is(exc, "pydantic", "ValidationError")
    ):
        message = f"{where} returned something that is not a chat answer ({type(exc).__name__})"
    elif isinstance(exc, (KeyError, IndexError, TypeError, AttributeError)):
        message = f"{where} returned an answer of an unexpected shape ({type(exc).__name__}: {_short(exc)})"
    else:
        message = f"{where} failed: {type(exc).__name__}: {_short(exc)}"
    return _redact(" ".join(message.split()), llm)


def _redact(text: str, llm: LLM) -> str:
    secrets = getattr(llm, "secrets", None)
    for secret in secrets() if callable(secrets) else []:
        if secret:
            text = text.replace(secret, "***")
    return text


__all__: Sequence[str] = ("chat", "describe", "explain", "stream", "system_and_user", "to_messages")
