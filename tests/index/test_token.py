"""`chroma_token`: every request to the Chroma server carries `Authorization: Bearer <token>`.
Tested through a real proxy in front of a real `chroma run` that forwards only requests with the
right token (how a Chroma server is put behind authentication), as a deployment would run it."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rag.index import IndexUnavailableError, MinutesIndex
from tests.helpers import make_settings
from tests.index.handmade import V1, doc, ingest

TOKEN = "chroma-token-5e4d3c2b1a-never-show-me"


class TokenProxy(ThreadingHTTPServer):
    """Forwards requests bearing `Bearer TOKEN` to the Chroma server; answers 401 to the rest."""

    def __init__(self, target_port: int):
        self.target_port, self.seen = target_port, []
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(BaseHTTPRequestHandler):
    server: TokenProxy

    def forward(self) -> None:
        auth = self.headers.get("Authorization", "")
        self.server.seen.append(auth)
        if auth != f"Bearer {TOKEN}":
            body = b'{"error": "Unauthorized"}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        length = int(self.headers.get("Content-Length") or 0)
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.target_port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization")}
        upstream.request(self.command, self.path, self.rfile.read(length) if length else None, headers)
        response = upstream.getresponse()
        body = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = forward  # noqa: N815 (http.server names its handlers so)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxy(chroma_server):
    server = TokenProxy(chroma_server.port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_the_token_goes_with_every_request(proxy, tmp_path, embedder):
    settings = make_settings(
        tmp_path / "data",
        chroma_host="127.0.0.1",
        chroma_port=proxy.server_address[1],
        chroma_token=TOKEN,
        collection="token",
    )
    index = MinutesIndex(settings)
    ingest(index, embedder, *doc(V1, "doc"))
    assert [c.doc_id for c in index.chunks()] and {c.doc_id for c in index.chunks()} == {"doc"}
    assert proxy.seen and set(proxy.seen) == {f"Bearer {TOKEN}"}


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_a_missing_or_wrong_token_is_one_line_that_never_shows_the_token(proxy, tmp_path, token):
    port = proxy.server_address[1]
    settings = make_settings(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port, chroma_token=token)
    with pytest.raises(IndexUnavailableError) as raised:
        MinutesIndex(settings)
    message = str(raised.value)
    assert message.startswith(f"cannot use the Chroma server at 127.0.0.1:{port} ") and "\n" not in message
    assert not token or token not in message
