"""A local Chroma server, started with the `chroma run` command the chromadb package installs:
what the tests and the archive benchmark run the server mode against, on 127.0.0.1 and a free
port. A deployment runs `chroma run --path DIR --host HOST --port PORT` itself (README,
"Deployment")."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Self


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """`with ChromaServer(path) as server:` runs `chroma run` until the block ends."""

    def __init__(self, path: Path, port: int | None = None, startup_seconds: float = 60.0):
        self.path = Path(path)
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.startup_seconds = startup_seconds
        self.process: subprocess.Popen | None = None
        self.log = self.path.parent / f"{self.path.name}.chroma.log"

    def start(self) -> Self:
        chroma = Path(sys.executable).with_name("chroma")
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(chroma), "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.process.returncode}: see {self.log}")
            try:
                with urllib.request.urlopen(f"http://{self.host}:{self.port}/api/v2/heartbeat", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"chroma run did not answer within {self.startup_seconds:.0f} s: see {self.log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
