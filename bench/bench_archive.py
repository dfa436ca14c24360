"""How the index grows: QMSum meetings (../shared/benchmarks/qmsum, read in place, never copied
into the repo) ingested through the real pipeline in embedded and server modes, in stages
(`--meetings 2 35 50`: the first 2, then up to 35, ...; val meetings first, then train).

At each size it reports ingest throughput of the stage (words and chunks per second; the second
mode reuses the window vectors the first computed, so its figures are those of reading,
segmenting and indexing; `index_write_s` is the index's own share in both), index size on disk,
peak RSS (this process; the Chroma server's too in server mode), the time to open the index in a
fresh object and build BM25 (what `serve` does at start-up), and retrieval p50/p95 (dense + BM25
search and the similarity of keyword-only candidates, the question already embedded) over
QMSum's own queries. `--recall` also measures HNSW against exact search from 10 meetings on:
top-30 neighbour overlap per `ef_search`, with and without document / speaker filters, and
whether a reopened index (a new process; in server mode a restarted server) returns the same
neighbours.

Writes `<out>/archive.json` and `<out>/archive.png` (growth curves) after every stage.

    .venv/bin/python bench/bench_archive.py --meetings 2 35 50 --modes embedded server --recall
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import rag  # noqa: F401, E402  (offline switches)
from rag.index import MinutesIndex  # noqa: E402
from rag.index.chroma import pages  # noqa: E402
from rag.index.server import ChromaServer  # noqa: E402
from rag.settings import Settings  # noqa: E402

QMSUM = ROOT.parent / "shared" / "benchmarks" / "qmsum"
TOP = 30
EF_SEARCH = (100, 400, 800, 1600)


def meetings(n: int) -> list[Path]:
    files = sorted((QMSUM / "val").glob("*.json")) + sorted((QMSUM / "train").glob("*.json"))
    return files[:n]


def write_transcript(meeting: Path, folder: Path) -> tuple[Path, int]:
    """A meeting as a plain transcript (`Speaker: words`, one turn a paragraph); its word count."""
    data = json.loads(meeting.read_text(encoding="utf-8"))
    turns = [f"{t['speaker']}: {t['content']}" for t in data["meeting_transcripts"] if t["content"].strip()]
    path = folder / f"qmsum-{meeting.parent.name}-{meeting.stem}.txt"
    path.write_text("\n\n".join(turns) + "\n", encoding="utf-8")
    return path, sum(len(t["content"].split()) for t in data["meeting_transcripts"])


def questions(files: list[Path], limit: int) -> list[str]:
    qs = [q["query"] for f in files for q in json.loads(f.read_text(encoding="utf-8"))["specific_query_list"]]
    step = max(1, len(qs) // limit)
    return qs[::step][:limit]


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def peak_rss_mb(pid: int | None = None) -> float:
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1e3
    return 0.0


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def retrieval_ms(index: MinutesIndex, vectors: np.ndarray, qs: list[str], candidates: int = 30) -> list[float]:
    """What the retriever asks of the index for one question (already embedded: that costs the
    same at any size), timed per question."""
    out = []
    for q, vector in zip(qs, vectors, strict=True):
        start = time.perf_counter()
        dense = dict(index.dense_search(vector, candidates))
        keyword = index.keyword_search(q, candidates)
        index.similarity(vector, [c for c, _ in keyword if c not in dense][:10])
        out.append((time.perf_counter() - start) * 1e3)
    return out


class CachedEmbeddings:
    """The embedder, remembering the window vectors it computed: the second mode ingests the same
    meetings, and embedding them again would measure the model twice, not the index."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.vectors: dict[str, np.ndarray] = {}
        self.computed = 0  # windows the model embedded (not found in the memory)

    def __getattr__(self, name):
        return getattr(self.embedder, name)

    def embed_texts(self, texts: list[str], progress: bool = False) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.embedder.embed_texts(missing), strict=True))
        self.computed += len(missing)
        if not texts:
            return self.embedder.embed_texts([])
        return np.stack([self.vectors[t] for t in texts])


class TimedWrites:
    """Seconds the index spends writing (upsert), apart from reading, segmenting and embedding."""

    def __init__(self, index: MinutesIndex):
        self.seconds = 0.0
        real = index.upsert

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        index.upsert = timed  # type: ignore[method-assign]


def run_mode(
    mode: str, sizes: list[int], embedder: CachedEmbeddings, work: Path, args, rows: list[dict], recalls: dict
) -> None:
    from rag.pipeline import Pipeline

    data = work / mode / "data"
    server = ChromaServer(work / mode / "server").start() if mode == "server" else None
    overrides: dict = {"data_dir": data, "llm": "extractive"}
    if server:
        overrides |= {"chroma_host": server.host, "chroma_port": server.port}
    settings = Settings.load(overrides, env={}, config_file=Path("/nonexistent"))
    pipeline = Pipeline(settings, embedder=embedder)
    writes = TimedWrites(pipeline.index)
    done = 0
    for size in sizes:
        stage = work / mode / f"stage-{size}"
        stage.mkdir(parents=True)
        words = sum(write_transcript(m, stage)[1] for m in meetings(size)[done:])
        embedder.computed, writes.seconds = 0, 0.0
        start = time.perf_counter()
        report = pipeline.ingest([stage])
        seconds = time.perf_counter() - start
        assert not report.failed, report.failed
        done = size
        opened = time.perf_counter()
        fresh = MinutesIndex(settings)
        fresh.keyword_search("warm up", 1)  # BM25 is built on the first search
        open_s = time.perf_counter() - opened
        qs = questions(meetings(size), args.questions)
        vectors = np.stack([embedder.embed_query(q) for q in qs])
        retrieval_ms(fresh, vectors[:2], qs[:2])  # warm-up
        times = retrieval_ms(fresh, vectors, qs)
        row = {
            "mode": mode,
            "meetings": size,
            "chunks": len(fresh.chunks()),
            "windows": fresh.count(),
            "stage_words": words,
            "stage_seconds": round(seconds, 1),
            "windows_embedded": embedder.computed,
            "index_write_s": round(writes.seconds, 1),
            "words_per_s": round(words / seconds, 1),
            "chunks_per_s": round(report.chunks / seconds, 1),
            "disk_mb": round(disk_mb(server.path if server else data / "chroma"), 1),
            "peak_rss_mb": round(peak_rss_mb(), 0),
            "server_peak_rss_mb": round(peak_rss_mb(server.process.pid), 0) if server and server.process else None,
            "open_s": round(open_s, 2),
            "retrieval_p50_ms": round(percentile(times, 50), 1),
            "retrieval_p95_ms": round(percentile(times, 95), 1),
            "questions": len(times),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
        if args.recall and size >= 10:
            recalls[f"{mode} {size}"] = recall(settings, vectors, server, work / mode)
        save(rows, recalls, args.out)
    if server:
        server.stop()


# -- HNSW recall against exact search -----------------------------------------------------------
def hnsw_hits(collection, q: np.ndarray, where: dict | None = None) -> tuple[list[str], list[float]]:
    got = collection.query(query_embeddings=[q], n_results=TOP, where=where, include=["distances"])
    return got["ids"][0], [1.0 - d for d in got["distances"][0]]


def recall(settings: Settings, qv: np.ndarray, server: ChromaServer | None, work: Path) -> dict:
    """HNSW against exact search, each `ef_search` in a fresh process: a process that has loaded the
    graph keeps the `ef_search` it loaded it with."""
    index = MinutesIndex(settings)
    store = index.vectors.collection
    vectors, metas = [], []
    for page in pages(store, ["embeddings", "metadatas"]):
        vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
        metas += page["metadatas"]
    matrix = np.concatenate(vectors)
    docs = np.asarray([m["doc_id"] for m in metas], dtype=object)
    speakers = np.asarray([m["speaker"] for m in metas], dtype=object)
    rng = np.random.default_rng(0)
    named = sorted({s for s in speakers if s})
    filters = [[None, {"doc_id": str(rng.choice(sorted(set(docs))))}, {"speaker": str(rng.choice(named))}] for _ in qv]
    np.save(work / "queries.npy", qv)
    (work / "filters.json").write_text(json.dumps(filters), encoding="utf-8")
    result: dict = {"windows": len(matrix), "ef_search": {}}
    tops = {}
    for ef in EF_SEARCH:
        store.modify(configuration={"hnsw": {"ef_search": ef}})
        if server:  # the server loaded the graph with the old value: a restart loads it again
            server.stop()
            server.start()
        hits, timing = probe_process(settings, work)
        tops[ef] = [h[0][0] for h in hits]
        shares: dict[str, list[float]] = {"none": [], "document": [], "speaker": []}
        for q, wheres, found in zip(qv, filters, hits, strict=True):
            for kind, where, (_, sims) in zip(shares, wheres, found, strict=True):
                allowed = (
                    None if where is None else (docs if "doc_id" in where else speakers) == next(iter(where.values()))
                )
                shares[kind].append(agreement(matrix, q, allowed, sims))
        result["ef_search"][ef] = {k: round(statistics.mean(v), 4) for k, v in shares.items()} | {
            "min_none": round(min(shares["none"]), 3),
            "query_p50_ms": round(timing, 1),
        }
        print(json.dumps({"windows": len(matrix), "ef_search": ef, **result["ef_search"][ef]}), flush=True)
    store.modify(configuration={"hnsw": {"ef_search": settings.hnsw_ef_search}})
    if server:
        server.stop()
        server.start()
    first, again = ([h[0][0] for h in probe_process(settings, work)[0]] for _ in range(2))
    result["same_after_reopening"] = first == again == tops.get(settings.hnsw_ef_search, first)
    print(json.dumps({"windows": len(matrix), "same_after_reopening": result["same_after_reopening"]}), flush=True)
    return result


def agreement(vectors: np.ndarray, q: np.ndarray, allowed: np.ndarray | None, found: list[float]) -> float:
    """Share of the true top 30 HNSW found. A window tying with the 30th true neighbour counts as
    one: QMSum repeats short turns ("Yeah ."), whose identical windows tie."""
    sims = vectors @ q
    if allowed is not None:
        sims = np.where(allowed, sims, -np.inf)
    n = min(TOP, int(np.isfinite(sims).sum()))
    if n == 0:
        return 1.0
    kth = float(np.sort(sims)[::-1][n - 1])
    return sum(s >= kth - 1e-5 for s in found[:n]) / n


def probe_process(settings: Settings, work: Path) -> tuple[list, float]:
    probed = subprocess.run(
        [sys.executable, __file__, "--probe", settings.model_dump_json(), str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    got = json.loads(probed.stdout)
    return got["hits"], got["p50_ms"]


def probe(settings_json: str, work: str) -> None:
    """(In a new process) the HNSW top 30 (ids, similarities) of each saved query, plain and with
    its two filters, and the p50 time of a plain query."""
    index = MinutesIndex(Settings.model_validate_json(settings_json))
    store = index.vectors.collection
    queries = np.load(Path(work) / "queries.npy")
    filters = json.loads((Path(work) / "filters.json").read_text(encoding="utf-8"))
    hits, timing = [], []
    for q, wheres in zip(queries, filters, strict=True):
        start = time.perf_counter()
        hnsw_hits(store, q)
        timing.append((time.perf_counter() - start) * 1e3)
        hits.append([hnsw_hits(store, q, where) for where in wheres])
    print(json.dumps({"hits": hits, "p50_ms": percentile(timing, 50)}))


def save(rows: list[dict], recalls: dict, out: Path) -> None:
    """After every stage: a run cut short keeps what it measured."""
    (out / "archive.json").write_text(json.dumps({"rows": rows, "recall": recalls}, indent=1), encoding="utf-8")
    plot(rows, out / "archive.png")


# -- output --------------------------------------------------------------------------------------
def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("retrieval_p50_ms", "retrieval p50 (ms)"),
        ("disk_mb", "index on disk (MB)"),
        ("rss_mb", "peak RSS (MB): bench process / Chroma server"),
        ("write_s_per_10k_words", "index writes (s per 10,000 words)"),
    ]
    rows = [
        r
        | {
            "rss_mb": r["server_peak_rss_mb"] or r["peak_rss_mb"],
            "write_s_per_10k_words": r["index_write_s"] / r["stage_words"] * 1e4,
        }
        for r in rows
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(16, 3.6))
    for ax, (key, label) in zip(axes, panels, strict=True):
        for mode in sorted({r["mode"] for r in rows}):
            mine = [r for r in rows if r["mode"] == mode]
            ax.plot([r["meetings"] for r in mine], [r[key] for r in mine], marker="o", label=mode)
        ax.set_xlabel("QMSum meetings")
        ax.set_title(label)
        ax.grid(alpha=0.3)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[2, 35])
    parser.add_argument("--modes", nargs="+", default=["embedded", "server"], choices=["embedded", "server"])
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--recall", action="store_true", help="HNSW neighbour recall against exact search")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--keep",
        type=Path,
        help="work in this (new) folder and keep it: its <mode>/data is a full index for bench_serve.py",
    )
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--plot", type=Path, help="only draw the plot of an archive.json")
    args = parser.parse_args()
    if args.probe:
        probe(*args.probe)
        return
    if args.plot:
        plot(json.loads(args.plot.read_text(encoding="utf-8"))["rows"], args.plot.with_suffix(".png"))
        return
    from rag.embed import Embedder

    embedder = CachedEmbeddings(Embedder(Settings.load({}, env={}, config_file=Path("/nonexistent"))))
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-archive-"))
    work.mkdir(parents=True, exist_ok=False)
    rows: list[dict] = []
    recalls: dict = {}
    try:
        for mode in args.modes:
            run_mode(mode, sorted(set(args.meetings)), embedder, work, args, rows, recalls)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out / 'archive.json'} and {args.out / 'archive.png'}")


if __name__ == "__main__":
    main()
