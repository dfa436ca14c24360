"""Fixtures for the LLM layer: the small packaged model, a real llama.cpp OpenAI-compatible server, and a
small real HTTP server that speaks the part of Ollama's API that llama-index's Ollama client calls."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rag.llm.model_file import ensure_model
from rag.settings import Settings
from tests.helpers import MODEL_DIR

SMALL = "qwen2.5-0.5b"
SERVER_KEY = "sk-test-9f8e7d6c5b4a-never-show-me"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on: connecting to it is refused."""
    return free_port()


@pytest.fixture(scope="session")
def server_key() -> str:
    return SERVER_KEY


@pytest.fixture(scope="session")
def data_dir(request, tmp_path_factory) -> Path:
    """A data folder kept between test runs (pytest's cache), so the model is assembled only once."""
    cache = getattr(request.config, "cache", None)
    return Path(cache.mkdir("minutes-rag-llm")) if cache is not None else tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def small_gguf(data_dir) -> Path:
    return ensure_model(SMALL, MODEL_DIR)


@pytest.fixture(scope="session")
def local_settings(data_dir, small_gguf) -> Settings:
    return Settings(
        data_dir=data_dir,
        model_dir=str(MODEL_DIR),
        llm="local",
        llm_model=SMALL,
        llm_max_tokens=48,
        llm_context=4096,
        llm_timeout_s=120.0,
    )


# --- a real OpenAI-compatible server: llama-cpp-python's, serving the small model --------------------


@pytest.fixture(scope="module")
def openai_server(small_gguf, tmp_path_factory):
    """`python -m llama_cpp.server` on 127.0.0.1:<free port>, requiring SERVER_KEY. Yields its /v1 URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    cmd = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(small_gguf), "--model_alias", "local",
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "2048", "--n_threads", "2", "--n_batch", "256",
        "--api_key", SERVER_KEY, "--verbose", "False",
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                req = urllib.request.Request(base + "/models", headers={"Authorization": f"Bearer {SERVER_KEY}"})
                with urllib.request.urlopen(req, timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not come up in 180 s: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# --- a small real Ollama-speaking server ----------------------------------------------------------


class FakeOllama:
    """Answers POST /api/chat (JSON, or NDJSON when streaming) and /api/show like Ollama does, deterministically:
    the answer is "You said: <last user message>". `mode` switches to failures: "sleep" (answers after
    `sleep_s`), "garbage" (200 with a body that is not JSON), "missing" (404 model not found)."""

    def __init__(self):
        self.mode = "ok"
        self.sleep_s = 0.0
        self.requests: list[tuple[str, dict]] = []
        self._wake = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/api/version":
                    return self._send(200, b'{"version": "0.0.0-fake"}')
                if self.path == "/api/tags":
                    return self._send(200, json.dumps({"models": [{"name": "fake:1b", "model": "fake:1b"}]}).encode())
                return self._send(404, b'{"error": "not found"}')

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append((self.path, body))
                if fake.mode == "sleep":
                    fake._wake.wait(fake.sleep_s)
                if fake.mode == "garbage":
                    return self._send(200, b"<html>this is not ollama</html>", "text/html")
                if self.path == "/api/show":
                    return self._send(200, json.dumps({"model_info": {"qwen2.context_length": 4096}}).encode())
                if self.path != "/api/chat":
                    return self._send(404, b'{"error": "not found"}')
                if fake.mode == "missing":
                    return self._send(404, json.dumps({"error": f"model '{body.get('model')}' not found"}).encode())
                user = [m["content"] for m in body.get("messages", []) if m.get("role") == "user"]
                answer = f"You said: {user[-1] if user else ''}"
                words = answer.split(" ")
                pieces = [w if i == 0 else " " + w for i, w in enumerate(words)]
                final = {
                    "model": body.get("model"), "created_at": "2024-01-01T00:00:00Z",
                    "done": True, "done_reason": "stop",
                    "total_duration": 2_000_000, "load_duration": 1000,
                    "prompt_eval_count": 11, "prompt_eval_duration": 1_000_000,
                    "eval_count": len(pieces), "eval_duration": 1_000_000,
                }  # fmt: skip
                if not body.get("stream", True):
                    msg = {**final, "message": {"role": "assistant", "content": answer}}
                    return self._send(200, json.dumps(msg).encode())
                lines = [
                    {"model": body.get("model"), "created_at": "2024-01-01T00:00:00Z",
                     "message": {"role": "assistant", "content": p}, "done": False}
                    for p in pieces
                ]  # fmt: skip
                lines.append({**final, "message": {"role": "assistant", "content": ""}})
                data = b"".join(json.dumps(x).encode() + b"\n" for x in lines)
                return self._send(200, data, "application/x-ndjson")

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request, client_address):
                pass  # a client that gave up (the timeout tests) leaves a broken pipe: expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOllama:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._wake.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_ollama():
    with FakeOllama() as server:
        yield server
