"""An empty index per test, embedded or on a real Chroma server (`chroma run`, one per session,
each test in collections of its own)."""

import uuid

import pytest

from rag.index import MinutesIndex
from rag.index.server import ChromaServer
from tests.helpers import make_settings


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    with ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data") as server:
        yield server


@pytest.fixture
def server_settings(chroma_server):
    """Settings for a fresh index on the session's server, given a data folder."""
    collection = f"t{uuid.uuid4().hex[:12]}"
    return lambda data_dir, **overrides: make_settings(
        data_dir, chroma_host=chroma_server.host, chroma_port=chroma_server.port, collection=collection, **overrides
    )


@pytest.fixture(params=["embedded", "server"])
def mode_settings(request, tmp_path):
    """Settings for a fresh index, given a data folder: embedded, then on the server."""
    if request.param == "embedded":
        return lambda data_dir, **overrides: make_settings(data_dir, **overrides)
    return request.getfixturevalue("server_settings")


@pytest.fixture
def index(mode_settings, tmp_path):
    return MinutesIndex(mode_settings(tmp_path / "data"))
