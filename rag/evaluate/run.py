"""Run a gold set through the pipeline (the one the chat uses) and the baseline, and score both.

A follow-up (a gold question with `history`) is asked as a conversation: its earlier questions
go first through the same pipeline, each with the answers before it, and the follow-up gets
those (question, answer) pairs as history; it is asked again standalone (`standalone`), and the
report gives the gap between the two."""

from __future__ import annotations

import time
from collections import defaultdict

from rag.evaluate import metrics as m
from rag.evaluate.judges import calibrate

SUMMARY_KEYS = [
    "recall@k",
    "mrr",
    "citation_recall",
    "citation_precision",
    "faithfulness",
    "must_mention",
    "refusal_accuracy",
    "false_refusal_rate",
    "fallback_rate",
    "closest_quote_rate",
]


SCORES = ("recall@k", "rr", "citation_recall", "citation_precision", "faithfulness", "must_mention")


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
    record = {
        "id": item["id"],
        "type": item["type"],
        "question": item["question"],
        "answer": out.get("answer", ""),
        "refused": out.get("refused", False),
        "citations": [c["id"] for c in out.get("citations", [])],
        "retrieved_ids": [r["id"] for r in out.get("retrieved", [])],
        "timings_ms": out.get("timings_ms", {}),
        "fallback": out.get("fallback"),
        "fallback_reason": out.get("fallback_reason"),
        "closest_quote": out.get("closest_quote"),
        "searched_for": out.get("standalone_question"),
        "prompt_version": out.get("prompt_version", ""),
    }
    record.update(dict.fromkeys(SCORES))  # None: not applicable (unanswerable, refused)
    if item["type"] == "unanswerable":
        record["refusal_correct"] = bool(out.get("refused"))
        record["kind"] = item.get("kind")
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
        record["faithfulness"] = m.faithfulness(
            out["answer"], "\n\n".join(premise(r) for r in out.get("retrieved", [])), entails
        )
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
        "closest_quote_rate": m.mean(float(bool(r.get("closest_quote"))) for r in records),
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


FOLLOWUP_KEYS = ["recall@k", "mrr", "must_mention", "citation_recall", "false_refusal_rate"]


def followups(records: list[dict]) -> dict | None:
    """Follow-ups asked in their conversation against the same questions asked standalone; gap =
    standalone - conversation (0: the conversation costs nothing)."""
    asked = [r for r in records if r.get("standalone")]
    if not asked:
        return None
    conversation, standalone = summarise(asked), summarise([r["standalone"] for r in asked])
    gap = {
        key: standalone[key] - conversation[key] if None not in (standalone[key], conversation[key]) else None
        for key in FOLLOWUP_KEYS
    }
    return {
        "conversations": len(asked),
        "conversation": {key: conversation[key] for key in FOLLOWUP_KEYS},
        "standalone": {key: standalone[key] for key in FOLLOWUP_KEYS},
        "gap": gap,
    }


def refusals_by_kind(records: list[dict]) -> dict:
    """Refusal accuracy per kind of unanswerable question (`kind` in the gold set)."""
    groups = defaultdict(list)
    for r in records:
        if r["type"] == "unanswerable":
            groups[r.get("kind") or "unspecified"].append(float(r["refusal_correct"]))
    return {kind: {"questions": len(v), "refusal_accuracy": m.mean(v)} for kind, v in sorted(groups.items())}


class PipelineAsker:
    """Asks the pipeline a question, a follow-up with its conversation: the earlier questions are
    asked first through the same pipeline (each with the answers before it), once per conversation."""

    def __init__(self, pipeline, llm: str, k: int):
        self.pipeline, self.llm, self.k = pipeline, llm, k
        self.conversations: dict[tuple[str, ...], list[tuple[str, str]]] = {}

    def history(self, questions: tuple[str, ...]) -> list[tuple[str, str]]:
        if questions not in self.conversations:
            earlier = self.history(questions[:-1]) if len(questions) > 1 else []
            answer = self.pipeline.ask(questions[-1], k=self.k, llm=self.llm, history=earlier or None)
            self.conversations[questions] = [*earlier, (questions[-1], answer.text)]
        return self.conversations[questions]

    def __call__(self, question: str, history: list[str] | None = None) -> dict:
        pairs = self.history(tuple(history)) if history else None
        return self.pipeline.ask(question, k=self.k, llm=self.llm, history=pairs).to_json()


def run_items(ask, items: list[dict], k: int, entails, desc: str, progress: bool) -> list[dict]:
    """Score every item; a follow-up also standalone (record["standalone"])."""
    from tqdm import tqdm

    records = []
    for item in tqdm(items, desc=desc, disable=not progress):
        record = score_record(item, ask(item["question"], item.get("history")), k, entails)
        if item.get("history"):
            record["history"] = item["history"]
            alone = {**item, "question": item["standalone"]}
            record["standalone"] = score_record(alone, ask(item["standalone"], None), k, entails)
        records.append(record)
    return records


def evaluate(
    pipeline,
    gold: list[dict],
    llm: str,
    k: int,
    judge,
    judge_pairs,
    limit: int | None = None,
    baseline: bool = True,
    progress: bool = True,
    gold_file: str = "",
) -> dict:
    items = gold[:limit] if limit else gold
    started = time.time()
    ours = run_items(PipelineAsker(pipeline, llm, k), items, k, judge.entails, "minutes-rag", progress)
    report = {
        "config": {
            "llm": llm,
            "k": k,
            "judge": judge.name,
            "gold": gold_file,
            "gold_questions": len(items),
            "settings": pipeline.settings.public(),
            "prompt_version": ours[-1]["prompt_version"] if ours else "",
        },
        "judge_calibration": calibrate(judge, judge_pairs),
        "rows": {"minutes-rag": summarise(ours)},
        "per_type": {"minutes-rag": per_type(ours)},
        "followups": {"minutes-rag": followups(ours)},
        "unanswerable_kinds": {"minutes-rag": refusals_by_kind(ours)},
        "questions": {"minutes-rag": ours},
    }
    if baseline:
        from rag.evaluate.baseline import Baseline

        model = None if llm == "extractive" else pipeline.llm(llm)
        base = Baseline(pipeline.settings, model, k)
        theirs = run_items(lambda question, history: base.ask(question), items, k, judge.entails, "baseline", progress)
        name = "llamaindex-baseline"  # it keeps no conversation: a follow-up is asked as typed
        report["rows"][name], report["per_type"][name] = summarise(theirs), per_type(theirs)
        report["followups"][name], report["unanswerable_kinds"][name] = followups(theirs), refusals_by_kind(theirs)
        report["questions"][name] = theirs
    report["config"]["seconds"] = round(time.time() - started, 1)
    return report
