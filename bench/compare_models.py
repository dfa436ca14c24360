"""Compare the packaged local models on this machine: load time, prompt and generation speed, time to first token.

    .venv/bin/python bench/compare_models.py                        # both models, built-in RAG-like prompts
    .venv/bin/python bench/compare_models.py --models qwen2.5-0.5b --json out.json

From code (e.g. with the real RAG prompts):

    from bench.compare_models import compare
    rows = compare([[{"role": "system", ...}, {"role": "user", ...}], ...], models=["qwen2.5-1.5b"])

Each prompt is run twice per model: "cold", with llama.cpp's KV cache emptied first, so the whole prompt is
evaluated (the first question after start-up); and "warm", right after the previous prompt, so a shared
prefix (the system prompt) is reused as it is when questions follow one another in a running app.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rag.llm import chat, last_usage, make_llm  # noqa: E402
from rag.llm.local import unload_models  # noqa: E402
from rag.llm.model_file import MODELS, model_path  # noqa: E402
from rag.settings import Settings  # noqa: E402

Messages = Sequence[dict[str, str]]

FALLBACK_SYSTEM = (
    "You answer questions about meeting minutes, using only the numbered passages you are given. "
    "Cite each passage you use by its number in brackets, like [2]. If the passages do not answer the "
    "question, reply: The minutes do not address this. Answer in one to three short sentences."
)
QUESTIONS = [
    "Who chaired the meeting?",
    "What did the panel say about the protection of civilians?",
    "Which decisions were taken about future consultations?",
    "What concerns were raised about peacekeeping mandates?",
]


def default_prompts(passages_per_prompt: Sequence[int] = (2, 5, 8, 5)) -> list[list[dict[str, str]]]:
    """RAG-shaped prompts from the repo's own system prompt and corpus: the same system prompt, then
    numbered passages (~100 words each) and a question."""
    system_file = ROOT / "prompts" / "system.md"
    system = FALLBACK_SYSTEM
    if system_file.is_file():
        system = re.sub(r"<!--.*?-->", "", system_file.read_text(encoding="utf-8"), flags=re.S).strip()
    paragraphs: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            words = para.split()
            if len(words) >= 60:
                paragraphs.append(" ".join(words[:110]))
    if not paragraphs:
        paragraphs = ["The committee discussed the budget and agreed to postpone the vote to the next session. " * 6]
    prompts, start = [], 0
    for n, question in zip(passages_per_prompt, QUESTIONS * 4, strict=False):
        chosen = [paragraphs[(start + i) % len(paragraphs)] for i in range(n)]
        start += n
        passages = "\n\n".join(f"[{i}] {text}" for i, text in enumerate(chosen, 1))
        prompts.append(
            [
                {"role": "system", "content": system},
                {"role": "user", "content": f"Passages:\n{passages}\n\nQuestion: {question}"},
            ]
        )
    return prompts


def compare(
    prompts: Sequence[Messages] | None = None,
    models: Sequence[str] = ("qwen2.5-1.5b", "qwen2.5-0.5b"),
    settings: Settings | None = None,
    max_tokens: int = 128,
) -> list[dict[str, Any]]:
    """One row per model: load figures, and per prompt the cold and warm usage of the local backend."""
    prompts = list(prompts or default_prompts())
    base = (settings or Settings()).replace(llm="local", llm_model_path="", llm_max_tokens=max_tokens)
    rows = []
    for name in models:
        unload_models()
        s = base.replace(llm_model=name)
        started = time.perf_counter()
        model_path(s)  # assemble and verify (a warm start only checks the sidecar)
        prepare_s = time.perf_counter() - started
        started = time.perf_counter()
        llm = make_llm(s)
        load_s = time.perf_counter() - started
        runs = []
        for mode in ("cold", "warm"):
            for i, messages in enumerate(prompts):
                if mode == "cold":
                    llm.forget_prompt_cache()
                text = chat(llm, messages)
                runs.append({"prompt": i, "mode": mode, **last_usage(llm), "answer": text})
        rows.append(
            {
                "model": name,
                "description": MODELS[name].description,
                "file_mb": round(MODELS[name].size / 2**20),
                "prepare_s": round(prepare_s, 3),
                "load_s": round(load_s, 3),
                "threads": llm.n_threads,
                "n_batch": llm.n_batch,
                "runs": runs,
            }
        )
    unload_models()
    return rows


def summary(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        lines.append(
            f"{row['model']} ({row['description']}, {row['file_mb']} MiB): verify {row['prepare_s']:.2f} s, "
            f"load {row['load_s']:.2f} s, {row['threads']} threads, n_batch {row['n_batch']}"
        )
        lines.append("  prompt mode  prompt_tok cached  prompt_tok/s  gen_tok  gen_tok/s  first_token_s  total_s")
        for r in row["runs"]:
            lines.append(
                f"  {r['prompt']:>6} {r['mode']:<5} {r['prompt_tokens']:>10} {r.get('cached_prompt_tokens', 0):>6}"
                f"  {_fmt(r.get('prompt_tokens_per_s')):>12}  {r['completion_tokens']:>7}"
                f"  {_fmt(r.get('generation_tokens_per_s')):>9}"
                f"  {r['time_to_first_token_s']:>13.2f}  {r['total_s']:>7.2f}"
            )
        for mode in ("cold", "warm"):
            runs = [r for r in row["runs"] if r["mode"] == mode]
            pp = [
                r["prompt_tokens_per_s"] for r in runs if r.get("prompt_tokens_per_s") and r["prompt_eval_tokens"] > 50
            ]
            tg = [r["generation_tokens_per_s"] for r in runs if r.get("generation_tokens_per_s")]
            ttft = [r["time_to_first_token_s"] for r in runs]
            lines.append(
                f"  {mode}: median prompt {_fmt(statistics.median(pp) if pp else None)} tok/s, "
                f"generation {_fmt(statistics.median(tg) if tg else None)} tok/s, "
                f"first token {statistics.median(ttft):.2f} s (median)"
            )
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="qwen2.5-1.5b,qwen2.5-0.5b")
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--data-dir", type=Path, default=None, help="where models/ is (default: the settings')")
    parser.add_argument("--json", type=Path, default=None, help="also write the full rows here")
    args = parser.parse_args(argv)
    settings = Settings.load()
    if args.data_dir:
        settings = settings.replace(data_dir=args.data_dir)
    rows = compare(
        models=[m.strip() for m in args.models.split(",") if m.strip()], settings=settings, max_tokens=args.max_tokens
    )
    print(summary(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
