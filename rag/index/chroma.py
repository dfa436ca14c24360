"""Where the index lives: an embedded Chroma (`PersistentClient` under `<data_dir>/chroma`, the
default on one machine) or a Chroma server (`chroma_host` set: every app process pointed at it
shares one index), and the few helpers every collection of the index needs.

Chroma is only ever handed our own vectors. chromadb 1.x keeps its default embedding function
(ONNX all-MiniLM-L6-v2, downloaded on first use) in a collection's schema even when it is
created with `embedding_function=None`, and falls back to it for any call that hands it text
without vectors; so each collection's `_embed` hook is replaced by one that refuses: a stray
`query_texts=` fails at once instead of trying the network. Collections that hold records, not
vectors (the catalogue), get a one-number placeholder vector.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rag.settings import Settings

PAGE = 2000  # records per read: one unbounded get over 100,000 windows overflowed SQLite's variable limit
PLACEHOLDER = [1.0]  # the vector of a record that is not searched by meaning
REBUILD_HINT = "rebuild it with `minutes-rag ingest --rebuild`"


class EmbeddingRefusedError(RuntimeError):
    """Chroma was asked to embed text itself: this project only hands it vectors."""


class IndexUnavailableError(RuntimeError):
    """The index cannot be opened or read: a corrupt data folder, an old format, an unreachable server."""


def _refuse_to_embed(*_args: Any, **_kwargs: Any) -> None:
    raise EmbeddingRefusedError(
        "Chroma was asked to embed text itself; minutes-rag passes its own vectors "
        "(add with embeddings=, query with query_embeddings=)"
    )


def is_server(settings: Settings) -> bool:
    return bool(settings.chroma_host)


def where(settings: Settings) -> str:
    """The index's location, for messages."""
    if is_server(settings):
        return f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
    return str(Path(settings.data_dir) / "chroma")


def connect(settings: Settings):
    """A Chroma client: HTTP to the configured server, else embedded under the data folder."""
    import chromadb

    options = chromadb.Settings(anonymized_telemetry=False)
    try:
        if is_server(settings):
            headers = {"Authorization": f"Bearer {settings.chroma_token}"} if settings.chroma_token else None
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, headers=headers, settings=options
            )
        path = Path(settings.data_dir) / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=options)
    except Exception as exc:  # whatever Chroma raises, the user gets one line
        if not is_server(settings):
            forget(settings)
        raise unavailable(settings, exc) from exc


def forget(settings: Settings) -> None:
    """Drop chromadb's per-process client of the embedded folder. chromadb keeps one per folder
    for the life of the process (the folder is its key), so a folder found corrupt or deleted by
    `clear` would otherwise be served from the old one when it is next opened."""
    from chromadb.api.shared_system_client import SharedSystemClient

    key = str(Path(settings.data_dir) / "chroma")
    system = SharedSystemClient._identifier_to_system.pop(key, None)
    SharedSystemClient._identifier_to_refcount.pop(key, None)
    if system is not None:
        with contextlib.suppress(Exception):  # a system that failed to start may fail to stop
            system.stop()


def unavailable(settings: Settings, exc: BaseException) -> IndexUnavailableError:
    reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
    if is_server(settings):
        return IndexUnavailableError(f"cannot use {where(settings)} ({reason})")
    return IndexUnavailableError(f"the index in {where(settings)} cannot be read ({reason}); {REBUILD_HINT}")


def collection(client, name: str, configuration: dict | None = None):
    """A collection that never embeds text itself (see the module docstring)."""
    got = client.get_or_create_collection(name, embedding_function=None, configuration=configuration)
    # an instance attribute, so an upgrade that renames the hook costs the guard, not the store
    got._embed = _refuse_to_embed
    return got


def pages(coll, include: list[str], where: dict | None = None) -> Iterator[dict]:
    """Every matching record, PAGE at a time (each page a `get` result)."""
    offset = 0
    while True:
        got = coll.get(where=where, include=include, limit=PAGE, offset=offset)
        if not got["ids"]:
            return
        yield got
        if len(got["ids"]) < PAGE:
            return
        offset += PAGE


def ids_matching(coll, where: dict) -> list[str]:
    return [i for page in pages(coll, [], where) for i in page["ids"]]
