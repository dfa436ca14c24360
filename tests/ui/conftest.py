import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(corpus_pipeline):
    """`minutes-rag serve` as a user starts it, on a free port, over the session's index."""
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "MINUTES_RAG_LLM": "extractive",
           "MINUTES_RAG_DATA_DIR": str(corpus_pipeline.settings.data_dir)}
    process = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read())
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("server did not start")
    yield url
    process.terminate()
    process.wait(timeout=20)
