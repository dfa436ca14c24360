"""Run a gold set through the pipeline (the one the chat uses) and the baseline, and score both."""

from __future__ import annotations

import time
from collections import defaultdict

from rag.evaluate import metrics as m
from rag.evaluate.judges import calibrate

SUMMARY_KEYS = ["recall@k", "mrr", "citation_recall", "citation_precision", "faithfulness", "must_mention",
                "refusal_accuracy", "false_refusal_rate", "fallback_rate"]


def premise(passage: dict) -> str:
    """A passage as the judge reads it: who said it and where, then the text (as ALCE's judge reads
    a passage's title before its text), so "Col. Klaffus said ..." can be supported by his own words."""
    who = ", ".join(x for x in (passage.get("speaker"), passage.get("role")) if x)
    where = ", ".join(x for x in (passage.get("section"), passage.get("doc_title"), passage.get("date")) if x)
    header = " | ".join(x for x in (who, where) if x)
    return f"{header}:\n{passage['text']}" if header else passage["text"]


def score_record(item: dict, out: dict, k: int, entails) -> dict:
    quotes = [e["quote"] for e in item["evidence"]]
    retrieved = [r["text"] for r in out.get("retrieved", [])]  # recall: the quotes are in the text
    record = {"id": item["id"], "type": item["type"], "question": item["question"], "answer": out.get("answer", ""),
              "refused": out.get("refused", False), "citations": [c["id"] for c in out.get("citations", [])],
              "retrieved_ids": [r["id"] for r in out.get("retrieved", [])], "timings_ms": out.get("timings_ms", {}),
              "fallback": out.get("fallback")}
    record.update({"recall@k": None, "rr": None, "citation_recall": None, "citation_precision": None,
                   "faithfulness": None, "must_mention": None})
    if item["type"] == "unanswerable":
        record["refusal_correct"] = bool(out.get("refused"))
        return record
    record["false_refusal"] = bool(out.get("refused"))
    r = m.retrieval(retrieved, quotes, k)
    record["recall@k"], record["rr"] = r["recall"], r["rr"]
    record["must_mention"] = m.must_mention(out.get("answer", ""), item["must_mention"])
    if not out.get("refused"):
        cited = [premise(c) for c in out.get("citations", [])]
        c = m.citation_scores(out["answer"], cited, entails)
        record["citation_recall"] = c["citation_recall"] or 0.0
        record["citation_precision"] = c["citation_precision"] or 0.0
        record["faithfulness"] = m.faithfulness(out["answer"], "\n\n".join(premise(r) for r in out.get("retrieved", [])), entails)
    return record


def summarise(records: list[dict]) -> dict:
    answerable = [r for r in records if r["type"] != "unanswerable"]
    unanswerable = [r for r in records if r["type"] == "unanswerable"]
    summary = {
        "questions": len(records),
        "recall@k": m.mean(r["recall@k"] for r in answerable),
        "mrr": m.mean(r["rr"] for r in answerable),
        "citation_recall": m.mean(r["citation_recall"] for r in answerable),
        "citation_precision": m.mean(r["citation_precision"] for r in answerable),
        "faithfulness": m.mean(r["faithfulness"] for r in answerable),
        "must_mention": m.mean(r["must_mention"] for r in answerable),
        "refusal_accuracy": m.mean(float(r["refusal_correct"]) for r in unanswerable),
        "false_refusal_rate": m.mean(float(r["false_refusal"]) for r in answerable),
        "fallback_rate": m.mean(float(bool(r.get("fallback"))) for r in records),
    }
    for stage in ("retrieve", "generate", "total"):
        values = [r["timings_ms"].get(stage) for r in records if r["timings_ms"].get(stage) is not None]
        summary[f"{stage}_ms_p50"] = m.percentile(values, 0.5)
        summary[f"{stage}_ms_p95"] = m.percentile(values, 0.95)
    return summary


def per_type(records: list[dict]) -> dict:
    groups = defaultdict(list)
    for r in records:
        groups[r["type"]].append(r)
    return {t: summarise(rs) for t, rs in sorted(groups.items())}


def evaluate(pipeline, gold: list[dict], llm: str, k: int, judge, judge_pairs, limit: int | None = None,
             baseline: bool = True, progress: bool = True) -> dict:
    from tqdm import tqdm

    items = gold[:limit] if limit else gold
    ours = []
    started = time.time()
    for item in tqdm(items, desc="minutes-rag", disable=not progress):
        out = pipeline.ask(item["question"], k=k, llm=llm).to_json()
        ours.append(score_record(item, out, k, judge.entails))
    report = {
        "config": {"llm": llm, "k": k, "judge": judge.name, "gold_questions": len(items),
                   "settings": pipeline.settings.public(),
                   "prompt_version": out.get("prompt_version", "") if items else ""},
        "judge_calibration": calibrate(judge, judge_pairs),
        "rows": {"minutes-rag": summarise(ours)},
        "per_type": {"minutes-rag": per_type(ours)},
        "questions": {"minutes-rag": ours},
    }
    if baseline:
        from rag.evaluate.baseline import Baseline

        model = None if llm == "extractive" else pipeline.llm(llm)
        base = Baseline(pipeline.settings, model, k)
        theirs = [score_record(item, base.ask(item["question"]), k, judge.entails)
                  for item in tqdm(items, desc="baseline", disable=not progress)]
        report["rows"]["llamaindex-baseline"] = summarise(theirs)
        report["per_type"]["llamaindex-baseline"] = per_type(theirs)
        report["questions"]["llamaindex-baseline"] = theirs
    report["config"]["seconds"] = round(time.time() - started, 1)
    return report
