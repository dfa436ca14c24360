"""Shared fixtures: the real corpus, settings pointing at temporary folders, and one ingested
index for the whole session (the embedding model loads once: it is the slow part)."""

from pathlib import Path

import pytest

import rag  # noqa: F401  (offline switches)
from rag.read import load_manifest, read_document
from tests.helpers import CORPUS, HIPPO, SYMPOSIUM, make_settings


@pytest.fixture(scope="session")
def hippo_source():
    return read_document(HIPPO, load_manifest(CORPUS))


@pytest.fixture(scope="session")
def symposium_source():
    return read_document(SYMPOSIUM, load_manifest(CORPUS))


@pytest.fixture(scope="session")
def embedder():
    from rag.embed import Embedder

    return Embedder(make_settings(Path("/unused")))


@pytest.fixture(scope="session")
def corpus_pipeline(tmp_path_factory, embedder):
    """A pipeline over both minutes, ingested once; tests must not change it."""
    from rag.pipeline import Pipeline

    pipeline = Pipeline(make_settings(tmp_path_factory.mktemp("index")), embedder=embedder)
    report = pipeline.ingest()
    assert not report.failed and len(report.added) == 2
    return pipeline
