"""`minutes-rag serve`: check the binding, load the pipeline once, print the URL, serve."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from rag.pipeline import Pipeline, PipelineError
from rag.settings import Settings
from ui.auth import AuthError, users_for
from ui.examples import ExamplesError, example_questions

log = logging.getLogger(__name__)


def backends_for(settings: Settings) -> list[str]:
    """The configured backend first, then the no-LLM mode."""
    return list(dict.fromkeys([settings.llm, "extractive"]))


def serve(settings: Settings) -> int:
    import uvicorn

    from ui.app import create_app

    try:
        users = users_for(settings.host, settings.auth_users, settings.auth_file)
        examples = example_questions(settings.corpus_dir)
    except (AuthError, ExamplesError) as exc:
        raise PipelineError(str(exc)) from None
    pipeline = Pipeline(settings)
    if pipeline.index.is_empty():
        raise PipelineError("the index is empty: run `minutes-rag ingest` first")
    app = create_app(pipeline, backends_for(settings), users, examples)
    threading.Thread(target=warm_up, args=(pipeline,), name="warm-up", daemon=True).start()
    print(f"minutes-rag is serving at http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0


def warm_up(pipeline: Pipeline) -> None:
    """Build the pipeline's parts while the web server starts. A failure here is only logged: the
    first question meets it again and reports it to whoever asked."""
    started = time.perf_counter()
    try:
        pipeline.warm_up()
    except Exception as exc:
        first_line = (str(exc) or type(exc).__name__).splitlines()[0]
        log.warning("warming up failed (the first question will say why): %s", first_line)
        return
    log.info("ready to answer after %.1f s", time.perf_counter() - started)


class ServeError(Exception):
    """`serve` stopped or did not answer in time; the message holds what it printed."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_process(env: Mapping[str, str], args: list[str], cwd: Path, start_s: float = 120) -> Iterator[str]:
    """`minutes-rag serve` as a child process on a free port, for the scripts that drive a server
    (the load benchmark, the tests): yields its loopback URL once it answers, stops it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "rag.cli", "serve", "--port", str(port), *args]
    with tempfile.TemporaryFile(mode="w+") as log:  # a pipe nobody reads could fill and stall the server
        process = subprocess.Popen(command, cwd=cwd, env=dict(env), stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.time() + start_s
            while True:
                try:
                    urllib.request.urlopen(url + "/docs", timeout=2)
                    break
                except OSError:
                    if process.poll() is not None or time.time() > deadline:
                        log.seek(0)
                        raise ServeError("serve did not start: " + log.read()) from None
                    time.sleep(0.5)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(serve(Settings.load()))
