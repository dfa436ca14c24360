"""A class at once: concurrent clients asking through `POST /api/ask` and through the chat's
Gradio endpoint, against `minutes-rag serve` on loopback. Figures go in the README.

    .venv/bin/python bench/load_api.py [--llm extractive|local] [--clients 8] [--questions 10]
                                       [--distinct N] [--url http://127.0.0.1:PORT] [--data-dir DIR]
                                       [--max-seconds 900]

Without --url it starts `serve` itself on 127.0.0.1 and a free port (over --data-dir, or the
default index) and stops it afterwards; a given URL must be a loopback one. Each endpoint is run
twice with the same questions: one at a time (the reference), then by every client at once (each
client asks its questions one after another). It reports errors, throughput, latency p50/p95,
and how many concurrent answers differ from the one-at-a-time answer to the same question (the
bar: none). Everything is bounded: requests time out, and the run stops at --max-seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.auth import LOOPBACK  # noqa: E402
from ui.serve import ServeError, serve_process  # noqa: E402

QUESTIONS_FILE = ROOT / "eval" / "gold" / "report.jsonl"
REQUEST_TIMEOUT_S = 300  # one answer; a model question may wait behind seven others of about 5 s each


@dataclass
class Result:
    question: str
    seconds: float
    answer: str = ""  # what identity is judged on: the answer and its citations, or the chat's answer HTML
    error: str = ""


@dataclass
class Phase:
    name: str
    results: list[Result] = field(default_factory=list)
    wall_s: float = 0.0

    def summary(self, reference: dict[str, str] | None = None) -> dict:
        ok = [r for r in self.results if not r.error]
        times = sorted(r.seconds for r in ok)
        differing = [r.question for r in ok if reference is not None and reference.get(r.question) != r.answer]
        return {
            "phase": self.name,
            "requests": len(self.results),
            "errors": len(self.results) - len(ok),
            "first_error": next((r.error for r in self.results if r.error), ""),
            "wall_s": round(self.wall_s, 2),
            "throughput_per_s": round(len(ok) / self.wall_s, 2) if self.wall_s else 0,
            "p50_s": round(percentile(times, 0.5), 3),
            "p95_s": round(percentile(times, 0.95), 3),
            "mean_s": round(statistics.fmean(times), 3) if times else 0.0,
            "differ_from_one_at_a_time": None if reference is None else len(differing),
            "differing": [
                {"question": r.question, "alone": reference.get(r.question, ""), "together": r.answer}
                for r in ok
                if reference is not None and r.question in differing
            ][:3],
        }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


@contextmanager
def served(llm: str, data_dir: str | None) -> Iterator[str]:
    """`minutes-rag serve` on loopback and a free port, stopped afterwards."""
    env = {**os.environ, "MINUTES_RAG_LLM": llm, **({"MINUTES_RAG_DATA_DIR": data_dir} if data_dir else {})}
    try:
        with serve_process(env, ["--host", "127.0.0.1"], ROOT, start_s=180) as url:
            yield url
    except ServeError as exc:
        raise SystemExit(str(exc)) from None


class ApiClient:
    """One caller of `POST /api/ask`."""

    def __init__(self, url: str, llm: str):
        self.url, self.llm = url, llm

    def run(self, question: str) -> str:
        body = json.dumps({"question": question, "llm": self.llm}).encode()
        request = urllib.request.Request(self.url + "/api/ask", data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
                out = json.loads(response.read())
        except urllib.error.HTTPError as err:
            raise RuntimeError(f"HTTP {err.code}: {err.read()[:200]!r}") from None
        return json.dumps([out["answer"], out["refused"], [c["id"] for c in out["citations"]]])


class ChatClient:
    """One browser's worth of the chat: gradio_client on the `/ask` endpoint (a session of its own)."""

    def __init__(self, url: str, llm: str):
        from gradio_client import Client

        self.client, self.llm = Client(url + "/", verbose=False), llm

    def run(self, question: str) -> str:
        self.client.reset_session()  # a new conversation: the chat keeps each session's earlier turns as history
        chat, _sources, _question = self.client.predict(question, [], [], [], 5, self.llm, api_name="/ask")
        content = chat[-1]["content"]
        return content[0]["text"] if isinstance(content, list) else content


def ask_all(make_client: Callable[[], ApiClient | ChatClient], work: list[list[str]], deadline: float) -> Phase:
    """Each list of questions asked in order by its own client; the lists run at once."""
    phase = Phase("")

    def client_run(questions: list[str]) -> list[Result]:
        client, results = make_client(), []
        for question in questions:
            if time.time() > deadline:
                results.append(Result(question, 0.0, error="stopped: --max-seconds reached"))
                continue
            started = time.perf_counter()
            try:
                answer = client.run(question)
                results.append(Result(question, time.perf_counter() - started, answer))
            except Exception as exc:  # a failed request is a figure of the benchmark, not its end
                results.append(Result(question, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}"))
        return results

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        for results in pool.map(client_run, work):
            phase.results += results
    phase.wall_s = time.perf_counter() - started
    return phase


def load_questions(path: Path, count: int, distinct: int | None = None) -> list[str]:
    """`count` questions of the file in order, the first `distinct` of them repeated when given."""
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            question = json.loads(line).get("question")
            if question and question not in questions:
                questions.append(question)
    if not questions:
        raise SystemExit(f"{path}: no questions")
    questions = questions[:distinct] if distinct else questions
    return [questions[i % len(questions)] for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--llm", default="extractive", help="answering backend asked for (extractive or local)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--questions", type=int, default=10, help="questions per client")
    parser.add_argument("--questions-file", type=Path, default=QUESTIONS_FILE, help="JSON lines with a question field")
    parser.add_argument(
        "--distinct",
        type=int,
        help="ask only the first N questions of the file, repeated (a model run's one-at-a-time phase asks each once)",
    )
    parser.add_argument("--data-dir", help="index folder for the server this script starts")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop asking after this long")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    if args.url and urlparse(args.url).hostname not in LOOPBACK:
        raise SystemExit("--url must be a loopback address: this benchmark never loads another machine")
    questions = load_questions(args.questions_file, args.clients * args.questions, args.distinct)
    work = [questions[c * args.questions : (c + 1) * args.questions] for c in range(args.clients)]
    deadline = time.time() + args.max_seconds
    summaries = []
    with served(args.llm, args.data_dir) if not args.url else nullcontext(args.url) as url:
        for label, make in (("api", lambda: ApiClient(url, args.llm)), ("chat", lambda: ChatClient(url, args.llm))):
            distinct = list(dict.fromkeys(questions))
            ask_all(make, [distinct[:1]], deadline)  # warm-up: models load, caches fill
            alone = ask_all(make, [distinct], deadline)
            alone.name = f"{label} one at a time"
            reference = {r.question: r.answer for r in alone.results if not r.error}
            together = ask_all(make, work, deadline)
            together.name = f"{label} {args.clients} clients x {args.questions}"
            summaries += [alone.summary(), together.summary(reference)]
    print(
        json.dumps(
            {
                "llm": args.llm,
                "clients": args.clients,
                "questions_per_client": args.questions,
                "cores": os.cpu_count(),
                "phases": summaries,
            },
            indent=1,
        )
    )
    print("\n| phase | requests | errors | throughput (q/s) | p50 (s) | p95 (s) | differ from one at a time |")
    print("|---|---|---|---|---|---|---|")
    for s in summaries:
        differ = "" if s["differ_from_one_at_a_time"] is None else s["differ_from_one_at_a_time"]
        print(
            f"| {s['phase']} | {s['requests']} | {s['errors']} | {s['throughput_per_s']} | {s['p50_s']} | "
            f"{s['p95_s']} | {differ} |"
        )
    if args.out:
        args.out.write_text(json.dumps(summaries, indent=1), encoding="utf-8")
    failed = any(s["errors"] or s["differ_from_one_at_a_time"] for s in summaries)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
