"""Speed of the whole pipeline on this machine: ingest from scratch, warm extractive answers,
and warm LLM answers (first token, full answer, model load). Figures go in the README.

    .venv/bin/python bench/bench_pipeline.py [--llm local] [--model qwen2.5-1.5b] [--skip-llm]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag.pipeline import Pipeline  # noqa: E402
from rag.settings import Settings  # noqa: E402

QUESTIONS = [
    "How much of the UN peacekeeping budget does Japan pay?",
    "How many names are on the memorial wall in Bamako?",
    "What did Colonel Kawasaki recommend that Japan do?",
    "Which report did Ian Martin compare the panel's review with?",
    "What did Prof. Hasegawa propose about a UN police academy?",
    "Why did Colonel Klaffus think the mission in Afghanistan failed?",
    "What did Akiko Yuge say about conflict prevention?",
    "What did the audience member from the Embassy of Kenya ask about?",
    "Why did Mali ask MINUSMA to leave?",
    "What is the role of regional forces according to General Cammaert?",
]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--llm", default="local")
    parser.add_argument("--model", default="qwen2.5-1.5b")
    parser.add_argument("--skip-llm", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(
            {
                "data_dir": Path(tmp),
                "corpus_dir": ROOT / "corpus",
                "prompts_dir": ROOT / "prompts",
                "llm": "extractive",
                "llm_model": args.model,
            }
        )
        started = time.perf_counter()
        pipeline = Pipeline(settings)
        report = pipeline.ingest()
        print(
            f"ingest from scratch (model load included): {time.perf_counter() - started:.1f} s, "
            f"{report.chunks} chunks, {report.windows} windows"
        )
        pipeline.ask(QUESTIONS[0])  # warm
        times = []
        for _ in range(3):
            for q in QUESTIONS:
                t = time.perf_counter()
                pipeline.ask(q)
                times.append((time.perf_counter() - t) * 1000)
        print(
            f"warm extractive ask: mean {statistics.mean(times):.1f} ms, "
            f"p50 {pct(times, 0.5):.1f} ms, p95 {pct(times, 0.95):.1f} ms"
        )
        if args.skip_llm:
            return
        t = time.perf_counter()
        pipeline.llm(args.llm)
        print(f"{args.llm} model {args.model} load: {time.perf_counter() - t:.1f} s")
        pipeline.ask(QUESTIONS[-1], llm=args.llm)  # warm: the system prompt's prefix is now cached
        first, total, prompt_tps, gen_tps, prompt_tokens, fallbacks = [], [], [], [], [], 0
        for q in QUESTIONS:
            out = pipeline.ask(q, llm=args.llm).to_json()
            usage = out.get("usage", {})
            total.append(out["timings_ms"]["total"] / 1000)
            if "first_token" in out["timings_ms"]:
                first.append(out["timings_ms"]["first_token"] / 1000)
            if usage.get("prompt_tokens_per_s"):
                prompt_tps.append(usage["prompt_tokens_per_s"])
                gen_tps.append(usage.get("generation_tokens_per_s") or 0)
                prompt_tokens.append(usage.get("prompt_eval_tokens", usage["prompt_tokens"]))
            fallbacks += out["fallback"] is not None
            print(f"  {out['timings_ms']['total'] / 1000:5.1f} s  {q}\n        -> {out['answer'][:150]}")
        print(
            f"warm {args.llm} answers over {len(QUESTIONS)} questions: first token p50 {pct(first, 0.5):.1f} s "
            f"(p95 {pct(first, 0.95):.1f}), full answer p50 {pct(total, 0.5):.1f} s (p95 {pct(total, 0.95):.1f}); "
            f"prompt tokens evaluated p50 {pct(prompt_tokens, 0.5) if prompt_tokens else 0}, "
            f"prompt {statistics.mean(prompt_tps) if prompt_tps else 0:.0f} tok/s, "
            f"generation {statistics.mean(gen_tps) if gen_tps else 0:.0f} tok/s; fallbacks {fallbacks}"
        )


if __name__ == "__main__":
    main()
