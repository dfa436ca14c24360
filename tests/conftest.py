"""Shared fixtures: the real corpus, settings pointing at temporary folders, and one ingested
index for the whole session (the embedding model loads once: it is the slow part)."""

from pathlib import Path

import pytest

import rag  # noqa: F401  (offline switches)
from rag.read import load_manifest, read_document
from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
HIPPO = CORPUS / "2015-01-28-hippo-informal-meeting-tokyo.txt"
SYMPOSIUM = CORPUS / "2023-12-07-international-peace-security-symposium.txt"


def make_settings(data_dir: Path, **overrides) -> Settings:
    return Settings.load(
        {"data_dir": data_dir, "corpus_dir": CORPUS, "prompts_dir": ROOT / "prompts", "llm": "extractive", **overrides},
        env={},
        config_file=Path("/nonexistent/minutes-rag.toml"),
    )


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

    pipeline = Pipeline(make_settings(tmp_path_factory.mktemp("index")))
    pipeline._embedder = embedder
    report = pipeline.ingest()
    assert not report.failed and len(report.added) == 2
    return pipeline
