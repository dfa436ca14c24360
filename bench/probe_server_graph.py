"""A Chroma server's HNSW graph over a large archive, against exact search, by `ef_search`.

Reads the window vectors of an embedded index (`bench_archive.py --keep DIR` leaves one at
`DIR/embedded/data`, with the benchmark's 40 embedded QMSum questions in `DIR/embedded/queries.npy`),
writes them into a fresh `chroma run` collection with the configured graph (`hnsw_max_neighbors`,
`hnsw_ef_construction`) in the index's own batches, and measures, for each `ef_search` after a server
restart (a graph keeps the `ef_search` it was loaded with): the share of the exact top 30 the graph's
top 30 holds (a window tying with the 30th counts), mean and worst question.

    .venv/bin/python bench/probe_server_graph.py --archive DIR/embedded [--ef-search 1600 4000 8000] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import rag  # noqa: F401, E402  (offline switches)
from rag.index.chroma import pages  # noqa: E402
from rag.index.server import ChromaServer  # noqa: E402
from rag.index.vectors import BATCH  # noqa: E402
from rag.settings import Settings  # noqa: E402

TOP = 30


def agreement(vectors: np.ndarray, query: np.ndarray, found: list[int]) -> float:
    sims = vectors @ query
    kth = np.partition(-sims, TOP - 1)[TOP - 1]
    true = set(np.flatnonzero(-sims <= kth + 1e-6).tolist())
    return min(1.0, sum(1 for i in found if i in true) / TOP)


def main() -> None:
    import chromadb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True, help="DIR/embedded of bench_archive.py --keep DIR")
    parser.add_argument("--ef-search", type=int, nargs="+", default=[1600, 4000, 8000])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    settings = Settings.load({}, env={}, config_file=Path("/nonexistent"))
    source = chromadb.PersistentClient(path=str(args.archive / "data" / "chroma")).get_collection(
        f"{settings.collection}-windows"
    )
    vectors = np.concatenate([np.asarray(p["embeddings"], dtype=np.float32) for p in pages(source, ["embeddings"])])
    queries = np.load(args.archive / "queries.npy").astype(np.float32)
    hnsw = {
        "space": "cosine",
        "max_neighbors": settings.hnsw_max_neighbors,
        "ef_construction": settings.hnsw_ef_construction,
        "ef_search": args.ef_search[0],
    }
    result: dict = {"windows": len(vectors), "questions": len(queries), "hnsw": hnsw, "ef_search": {}}
    with tempfile.TemporaryDirectory(prefix="probe-graph-") as tmp:
        server = ChromaServer(Path(tmp) / "server").start()
        try:
            client = chromadb.HttpClient(host=server.host, port=server.port)
            target = client.create_collection("windows", configuration={"hnsw": hnsw}, embedding_function=None)
            started = time.perf_counter()
            for start in range(0, len(vectors), BATCH):
                stop = min(len(vectors), start + BATCH)
                target.add(ids=[str(i) for i in range(start, stop)], embeddings=vectors[start:stop])
            result["write_s"] = round(time.perf_counter() - started, 1)
            for ef in args.ef_search:
                client.get_collection("windows").modify(configuration={"hnsw": {"ef_search": ef}})
                server.stop()
                server.start()
                client = chromadb.HttpClient(host=server.host, port=server.port)
                collection = client.get_collection("windows")
                shares = []
                for query in queries:
                    got = collection.query(query_embeddings=[query], n_results=TOP, include=[])
                    shares.append(agreement(vectors, query, [int(i) for i in got["ids"][0]]))
                measured = {"mean": round(float(np.mean(shares)), 4), "worst": round(min(shares), 3)}
                result["ef_search"][str(ef)] = measured
                print(json.dumps({"ef_search": ef, **result["ef_search"][str(ef)]}), flush=True)
        finally:
            server.stop()
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
