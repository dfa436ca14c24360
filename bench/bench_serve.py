"""The app over a large archive: `minutes-rag serve` started on an index `bench_archive.py --keep`
left (or any data folder), measured as a class would meet it.

    .venv/bin/python bench/bench_serve.py --data-dir /tmp/archive/embedded/data [--llm local]
                                          [--questions 30] [--model-questions 10] [--out FILE] [--cold]

It reports
- start-up: seconds from starting the process to its first HTTP answer, and to the first answered
  question (what a user waits for after a restart: the index opened, BM25 built from the counts
  ingest saved, the embedding model loaded; with `--cold`, the counts made first, as over an
  index an older minutes-rag wrote);
- answer latency through `POST /api/ask`, warm: extractive over QMSum's own specific queries of the
  meetings in the index (asked across the whole archive, no filter), and with the configured model
  (`--llm`, default the local 1.5B) over the first `--model-questions` of them, the pipeline's own
  stage timings (retrieve, first token, total) beside the wall time of the request;
- the server's memory: resident set now and at its peak (VmRSS, VmHWM of the process and its
  children), read at the first answer and after the model has answered.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.serve import serve_process  # noqa: E402

QMSUM = ROOT.parent / "shared" / "benchmarks" / "qmsum"


def qmsum_questions(count: int) -> list[str]:
    """Specific queries of the val meetings then train ones, spread over them (the archive bench
    ingests val first)."""
    files = sorted((QMSUM / "val").glob("*.json")) + sorted((QMSUM / "train").glob("*.json"))
    qs = [q["query"] for f in files for q in json.loads(f.read_text(encoding="utf-8"))["specific_query_list"]]
    step = max(1, len(qs) // count)
    return qs[::step][:count]


def ask(url: str, question: str, llm: str) -> tuple[float, dict]:
    body = json.dumps({"question": question, "llm": llm}).encode()
    request = urllib.request.Request(url + "/api/ask", data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        out = json.loads(response.read())
    return time.perf_counter() - started, out


def server_pids(port: int) -> list[int]:
    """The `serve` process listening on this port and its children (a model server, if any)."""
    root = None
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in cmd and str(port).encode() in cmd:
                root = int(proc.name)
    if root is None:
        return []
    pids, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == parent:
                    pids.append(int(proc.name))
                    frontier.append(int(proc.name))
    return pids


def memory_mb(pids: list[int]) -> dict[str, float]:
    total = {"rss_mb": 0.0, "peak_rss_mb": 0.0}
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = {"VmRSS:": "rss_mb", "VmHWM:": "peak_rss_mb"}.get(line.split(":")[0] + ":")
            if key:
                total[key] += int(line.split()[1]) / 1e3
    return {k: round(v) for k, v in total.items()}


def stats(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(values, 50)), 3),
        "p95": round(float(np.percentile(values, 95)), 3),
        "n": len(values),
    }


def run_backend(url: str, questions: list[str], llm: str) -> dict:
    ask(url, questions[0], llm)  # warm-up: the model loads, caches fill
    walls, stages, refused, fallbacks = [], {}, 0, 0
    for question in questions:
        seconds, out = ask(url, question, llm)
        walls.append(seconds)
        refused += out["refused"]
        fallbacks += out["fallback"] is not None
        for stage, ms in out["timings_ms"].items():
            stages.setdefault(stage, []).append(ms / 1000)
    # a refusal before the model (nothing relevant found) costs no generation: say how many
    counts = {"refused": refused, "fallback_to_quotes": fallbacks}
    return counts | {"request_s": stats(walls)} | {f"{stage}_s": stats(v) for stage, v in stages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--llm", default="local", help="the model backend measured beside extractive")
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--model-questions", type=int, default=10)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="delete <data-dir>/keywords first: start-up over an index whose BM25 counts were never made",
    )
    args = parser.parse_args()
    if args.cold:
        shutil.rmtree(args.data_dir / "keywords", ignore_errors=True)
    questions = qmsum_questions(args.questions)
    env = {**os.environ, "MINUTES_RAG_DATA_DIR": str(args.data_dir), "MINUTES_RAG_LLM": args.llm}
    result: dict = {"data_dir": str(args.data_dir), "cores": os.cpu_count(), "cold": args.cold}
    started = time.perf_counter()
    with serve_process(env, ["--host", "127.0.0.1"], ROOT, start_s=600) as url:
        result["startup_http_s"] = round(time.perf_counter() - started, 2)
        ask(url, questions[0], "extractive")
        result["startup_first_answer_s"] = round(time.perf_counter() - started, 2)
        port = int(url.rsplit(":", 1)[1])
        # serve warms up in the background (the configured model last): this may or may not include it
        result["memory_at_first_answer"] = memory_mb(server_pids(port))
        result["extractive"] = run_backend(url, questions, "extractive")
        result[args.llm] = run_backend(url, questions[: args.model_questions], args.llm)
        result["memory_with_model"] = memory_mb(server_pids(port))
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
