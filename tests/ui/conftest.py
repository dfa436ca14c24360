import shutil
from contextlib import contextmanager

import pytest

from tests.helpers import MODEL_DIR, ROOT
from tests.helpers.users import INSTRUCTOR, TRAINEE
from ui.serve import ServeError, serve_process


@contextmanager
def running_server(env: dict[str, str], *args: str):
    """`minutes-rag serve` as a user starts it, on a free port; yields its loopback URL."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(ROOT),
        "MINUTES_RAG_LLM": "extractive",
        "MINUTES_RAG_MODEL_DIR": str(MODEL_DIR),
        **env,
    }
    try:
        with serve_process(env, list(args), ROOT) as url:
            yield url
    except ServeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def server(corpus_pipeline):
    """The open desktop app: loopback, no users, over the session's index."""
    with running_server({"MINUTES_RAG_DATA_DIR": str(corpus_pipeline.settings.data_dir)}) as url:
        yield url


@pytest.fixture(scope="session")
def class_server(corpus_pipeline, tmp_path_factory):
    """A class's server: bound to every interface, an instructor and a trainee, its own copy of the
    index and an empty corpus folder of its own (uploads land there, not in the real corpus)."""
    root = tmp_path_factory.mktemp("class")
    shutil.copytree(corpus_pipeline.settings.data_dir, root / "data")
    (root / "corpus").mkdir()
    users = f"{INSTRUCTOR[0]}:{INSTRUCTOR[1]}:instructor,{TRAINEE[0]}:{TRAINEE[1]}"
    env = {
        "MINUTES_RAG_DATA_DIR": str(root / "data"),
        "MINUTES_RAG_CORPUS_DIR": str(root / "corpus"),
        "MINUTES_RAG_AUTH_USERS": users,
    }
    with running_server(env, "--host", "0.0.0.0") as url:
        yield url, root
