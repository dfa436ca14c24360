"""Helpers the tests share (paths of the real corpus, settings in temporary folders). Fixtures
live in conftest files; anything a test imports lives here."""

from pathlib import Path

from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
HIPPO = CORPUS / "2015-01-28-hippo-informal-meeting-tokyo.txt"
SYMPOSIUM = CORPUS / "2023-12-07-international-peace-security-symposium.txt"
# the packaged models, assembled once for every test and run (1.6 GB): a model in each test's data
# folder filled the CI machine's disk
MODEL_DIR = ROOT / ".pytest_cache" / "models"


def make_settings(data_dir: Path, **overrides) -> Settings:
    """Settings for a test: its own index folder, the real corpus and prompts, no LLM, and
    neither the environment nor a config file in the working directory."""
    return Settings.load(
        {
            "data_dir": data_dir,
            "corpus_dir": CORPUS,
            "prompts_dir": ROOT / "prompts",
            "model_dir": str(MODEL_DIR),
            "llm": "extractive",
            **overrides,
        },
        env={},
        config_file=Path("/nonexistent/minutes-rag.toml"),
    )
