"""Does Chroma honour the HNSW `ef_search` a collection is created with, embedded and in a `chroma run`
server, and does a server's graph answer the same right after a bulk write as after a restart?

Random unit vectors (the hardest case for a graph: no clusters), exact top-k as the truth, the share
of it each search returns. Written to tell apart explanations of the server's lower agreement at 197
meetings (README, *Archive scale*).

    .venv/bin/python bench/probe_ef_search.py [--vectors 30000] [--dimension 64] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import rag  # noqa: F401, E402  (offline switches)
from rag.index.server import ChromaServer  # noqa: E402

K = 30
QUERIES = 40
EF_SEARCH = (10, 1600)


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def recall(collection, queries: np.ndarray, truth: np.ndarray) -> float:
    got = collection.query(query_embeddings=queries, n_results=K, include=[])
    shares = [len({int(i) for i in ids} & set(true.tolist())) / K for ids, true in zip(got["ids"], truth, strict=True)]
    return round(float(np.mean(shares)), 3)


def fill(client, ef: int, vectors: np.ndarray):
    name = f"probe-ef{ef}"
    hnsw = {"space": "cosine", "ef_search": ef, "ef_construction": 100, "max_neighbors": 16}
    collection = client.create_collection(name, configuration={"hnsw": hnsw}, embedding_function=None)
    for start in range(0, len(vectors), 2000):
        stop = min(len(vectors), start + 2000)
        collection.add(ids=[str(i) for i in range(start, stop)], embeddings=vectors[start:stop])
    return collection


def main() -> None:
    import chromadb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=30_000)
    parser.add_argument("--dimension", type=int, default=64)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    vectors = unit(rng.standard_normal((args.vectors, args.dimension)))
    queries = unit(rng.standard_normal((QUERIES, args.dimension)))
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :K]
    result: dict = {"vectors": args.vectors, "dimension": args.dimension, "k": K, "queries": QUERIES}
    with tempfile.TemporaryDirectory(prefix="probe-ef-") as tmp:
        embedded = chromadb.PersistentClient(path=f"{tmp}/embedded")
        result["embedded"] = {str(ef): recall(fill(embedded, ef, vectors), queries, truth) for ef in EF_SEARCH}
        server = ChromaServer(Path(tmp) / "server").start()
        try:
            client = chromadb.HttpClient(host=server.host, port=server.port)
            result["server, at once"] = {str(ef): recall(fill(client, ef, vectors), queries, truth) for ef in EF_SEARCH}
        finally:
            server.stop()
        with ChromaServer(Path(tmp) / "server", port=server.port) as again:
            client = chromadb.HttpClient(host=again.host, port=again.port)
            result["server, restarted"] = {
                str(ef): recall(client.get_collection(f"probe-ef{ef}"), queries, truth) for ef in EF_SEARCH
            }
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
