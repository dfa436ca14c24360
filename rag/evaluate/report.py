"""Reports: report.json (everything), report.md (for people), PNG plots; and `compare`."""

from __future__ import annotations

import json
from pathlib import Path

from rag.evaluate.run import FOLLOWUP_KEYS, SUMMARY_KEYS

DEFINITIONS = {
    "recall@k": "share of gold evidence quotes found in a top-k retrieved passage "
    "(both normalised: case, whitespace, curly quotes, dashes, non-breaking spaces)",
    "mrr": "mean reciprocal rank of the first retrieved passage holding a gold quote",
    "citation_recall": "ALCE: share of answer sentences whose cited passages together entail them (judge)",
    "citation_precision": "ALCE: share of citations that support their sentence "
    "(irrelevant: alone it does not entail, and the rest still do; or the sentence is unsupported)",
    "faithfulness": "RAGAS-style: share of answer sentences entailed by the retrieved context (judge)",
    "must_mention": "share of the gold must-mention terms found in the answer",
    "refusal_accuracy": "share of unanswerable questions refused",
    "false_refusal_rate": "share of answerable questions refused",
    "fallback_rate": "share of questions whose model answer was replaced by the extractive one "
    "(no valid citation, unsupported, backend error)",
    "closest_quote_rate": "share of questions whose kept model answer was followed by the minutes' closest sentence, "
    "quoted (it drew on a weaker one)",
    "follow-up gap": "a metric on the follow-ups' standalone forms minus the same metric on the follow-ups "
    "asked in their conversation",
}
QMSUM_DEFINITIONS = {
    "hit@k": "share of queries with a top-k passage inside the query's annotated turns",
    "mrr": "mean reciprocal rank of the first top-k passage inside the annotated turns (0 when none is)",
    "precision@k": "share of the top-k passages (over k) inside the annotated turns",
    "inside": "a passage of the query's meeting at least half of whose word 4-grams (normalised) occur in the "
    "annotated turns; "
    "a passage under four words must occur whole in one; "
    "a passage that says nothing (courtesies, fillers, marks of non-speech) is inside no span",
    "false refusals": "with --refusals: queries the whole pipeline (extractive, every check) declines; "
    "every QMSum query is answerable, so each refusal is a false one",
    "declined elsewhere": "with --refusals: each query asked within the meeting least like its own (TF-IDF "
    "cosine of the transcripts); the answer is not there, so a refusal is the right outcome",
    "speaker attribution": "with --attribution: queries writing one speaker label of their meeting, asked within "
    "it; the share of answers whose first quote is that speaker's (declined ones count as not)",
    "within / across": "the query asked with its meeting as document filter / across all the meetings of the run",
}


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def write_report(report: dict, out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    plots = _plots(report, out_dir)
    rows = report["rows"]
    keys = [*SUMMARY_KEYS, "retrieve_ms_p50", "generate_ms_p50", "total_ms_p50", "total_ms_p95"]
    lines = [
        "# Evaluation report",
        "",
        f"Config: `{json.dumps({k: v for k, v in report['config'].items() if k != 'settings'})}`",
        "",
        "## Summary",
        "",
        "| metric | " + " | ".join(rows) + " |",
        "|---|" + "---|" * len(rows),
    ]
    lines += [f"| {key} | " + " | ".join(_fmt(rows[r].get(key)) for r in rows) + " |" for key in keys]
    cal = report["judge_calibration"]
    lines += [
        "",
        f"Judge: **{cal['judge']}**, agreement with {cal['n']} hand-labelled pairs: accuracy {_fmt(cal['accuracy'])}, "
        f"precision {_fmt(cal['precision'])}, recall {_fmt(cal['recall'])}.",
        "",
        "## Per question type",
        "",
    ]
    for name, types in report["per_type"].items():
        lines += [
            f"### {name}",
            "",
            "| type | n | recall@k | mrr | citation recall | citation precision | faithfulness | must mention "
            "| refusal acc. | false refusals | fallbacks |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for t, s in types.items():
            lines.append(f"| {t} | {s['questions']} | " + " | ".join(_fmt(s[k]) for k in SUMMARY_KEYS) + " |")
        lines.append("")
    lines += [*_followup_lines(report), "## Failures (minutes-rag)", ""]
    for r in report["questions"]["minutes-rag"]:
        why = []
        if r.get("refusal_correct") is False:
            why.append("answered an unanswerable question")
        if r.get("false_refusal"):
            why.append("refused an answerable question")
        if r.get("recall@k") == 0:
            why.append("gold passage not retrieved")
        if r.get("citation_recall") is not None and r["citation_recall"] < 1:
            why.append(f"citation recall {r['citation_recall']:.2f}")
        if r.get("must_mention") is not None and r["must_mention"] < 1:
            why.append(f"must-mention {r['must_mention']:.2f}")
        if why:
            lines += [
                f"- **{r['id']}** ({r['type']}) {r['question']}",
                f"  - answer: {r['answer'][:300]!r}",
                f"  - what went wrong: {'; '.join(why)}",
            ]
    lines += ["", "## Metric definitions", ""] + [f"- **{k}**: {v}" for k, v in DEFINITIONS.items()]
    lines += ["", "## Plots", ""] + [f"![{p.stem}]({p.name})" for p in plots]
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [out_dir / "report.json", out_dir / "report.md", *plots]


def _followup_lines(report: dict) -> list[str]:
    lines = []
    follow = {name: f for name, f in report.get("followups", {}).items() if f}
    if follow:
        lines += [
            "## Follow-ups: in their conversation vs asked standalone",
            "",
            "| system | conversations | metric | conversation | standalone | gap |",
            "|---|---|---|---|---|---|",
        ]
        for name, f in follow.items():
            lines += [
                f"| {name} | {f['conversations']} | {key} | {_fmt(f['conversation'][key])} "
                f"| {_fmt(f['standalone'][key])} "
                f"| {_fmt(f['gap'][key])} |"
                for key in FOLLOWUP_KEYS
            ]
        lines.append("")
    kinds = {name: k for name, k in report.get("unanswerable_kinds", {}).items() if k}
    if kinds:
        lines += [
            "## Unanswerable questions by kind",
            "",
            "| system | kind | n | refusal accuracy |",
            "|---|---|---|---|",
        ]
        for name, by_kind in kinds.items():
            lines += [
                f"| {name} | {kind} | {v['questions']} | {_fmt(v['refusal_accuracy'])} |" for kind, v in by_kind.items()
            ]
        lines.append("")
    return lines


def qmsum_table(report: dict) -> list[str]:
    """The QMSum table: one row per system and scope, hit@k / MRR / P@k by query kind."""
    k = report["config"]["k"]
    lines = [
        f"| system | scope | all: hit@{k} | MRR | P@{k} | Summarize: hit@{k} | MRR | P@{k} "
        f"| other: hit@{k} | MRR | P@{k} |",
        "|---|---|" + "---|" * 9,
    ]
    for name, scopes in report["rows"].items():
        for scope, kinds in scopes.items():
            cells = [
                _fmt(kinds[kind][metric])
                for kind in ("all", "summarize", "specific")
                for metric in ("hit@k", "mrr", "precision@k")
            ]
            lines.append(f"| {name} | {scope} | " + " | ".join(cells) + " |")
    return lines


def write_qmsum_report(report: dict, out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    c = report["config"]
    kinds = next(iter(report["rows"].values()))["within"]  # every system answered the same queries
    lines = [
        "# QMSum retrieval report",
        "",
        f"Split **{c['split']}** (for {c['purpose']}), {len(c['meetings'])} meetings, {c['queries']} queries "
        f"({kinds['summarize']['queries']} Summarize, {kinds['specific']['queries']} other), k = {c['k']}, "
        f"ingested as {c['chunks']} chunks, {c['windows']} windows "
        f"in {c['ingest_seconds']} s, "
        f"{c['seconds']} s in all.",
        "",
        *qmsum_table(report),
        "",
        "Retrieval latency p50 (ms): "
        + ", ".join(f"{name} {_fmt(s['across']['all']['ms_p50'])}" for name, s in report["rows"].items()),
        "",
        *_false_refusal_lines(report.get("false_refusals")),
        *_unrelated_refusal_lines(report.get("unrelated_refusals")),
        *_attribution_lines(report.get("speaker_attribution")),
        "## Definitions",
        "",
    ] + [f"- **{key}**: {value}" for key, value in QMSUM_DEFINITIONS.items()]
    lines += ["", "Meetings: " + ", ".join(c["meetings"])]
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [out_dir / "report.json", out_dir / "report.md"]


def _false_refusal_lines(found: dict | None) -> list[str]:
    """The queries minutes-rag declined (extractive, every check), all answerable: false refusals."""
    if not found:
        return []
    lines = ["## False refusals (every query is answerable; extractive, every check on)", ""]
    for scope, counted in found.items():
        lines.append(f"- {scope}: {counted['declined']} of {counted['queries']} declined ({_fmt(counted['rate'])})")
    lines.append("")
    for scope, counted in found.items():
        lines += [f"- {scope}, {r['meeting']}: {r['query']} — {r['reason']}" for r in counted["refusals"]]
    return [*lines, ""]


def _listed_section(title: str, summary: str, items: list[str]) -> list[str]:
    """A report section: its title, one line of counts, then the cases to be read."""
    return [f"## {title}", "", summary, "", *[f"- {item}" for item in items], ""]


def _unrelated_refusal_lines(found: dict | None) -> list[str]:
    """Queries asked of the meeting least like their own: declined is right; the answered ones are listed."""
    if not found:
        return []
    return _listed_section(
        "Declined elsewhere (each query asked within the meeting least like its own; extractive, every check on)",
        f"{found['declined']} of {found['queries']} declined ({_fmt(found['rate'])}); answered:",
        [f"{r['meeting']} asked in {r['asked_in']}: {r['query']} — {r['answer']}" for r in found["answered"]],
    )


def _attribution_lines(found: dict | None) -> list[str]:
    """Queries naming one speaker of their meeting: how many answers quote that speaker first."""
    if not found:
        return []
    return _listed_section(
        "Speaker attribution (queries naming one speaker of their meeting; extractive, within the meeting)",
        f"{found['theirs']} of {found['queries']} answers quote that speaker first ({_fmt(found['rate'])}); "
        f"{found['declined']} declined; the others:",
        [
            f"{r['meeting']}: {r['query']} — asked of {r['speaker']}, quoted {r['quoted'] or 'nobody'}"
            for r in found["others"]
        ],
    )


def _plots(report: dict, out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    types = report["per_type"]["minutes-rag"]
    names = [t for t in types if t != "unanswerable"]
    fig, ax = plt.subplots(figsize=(8, 4))
    for i, key in enumerate(["recall@k", "citation_recall", "must_mention"]):
        ax.bar([x + i * 0.27 for x in range(len(names))], [types[t][key] or 0 for t in names], width=0.27, label=key)
    ax.set_xticks([x + 0.27 for x in range(len(names))], names, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title("minutes-rag by question type")
    fig.tight_layout()
    paths.append(out_dir / "metrics_by_type.png")
    fig.savefig(paths[-1])
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 4))
    for name, records in report["questions"].items():
        ax.hist([r["timings_ms"].get("total", 0) / 1000 for r in records], bins=20, alpha=0.6, label=name)
    ax.set_xlabel("seconds per question (total)")
    ax.legend()
    fig.tight_layout()
    paths.append(out_dir / "latency.png")
    fig.savefig(paths[-1])
    plt.close(fig)
    return paths


def compare(a: dict, b: dict, row: str = "minutes-rag") -> list[str]:
    """Deltas b - a for every summary metric of one row."""
    lines = [f"{'metric':<22}{'A':>10}{'B':>10}{'B-A':>10}"]
    ra, rb = a["rows"][row], b["rows"][row]
    for key in [*SUMMARY_KEYS, "total_ms_p50", "total_ms_p95"]:
        va, vb = ra.get(key), rb.get(key)
        delta = vb - va if va is not None and vb is not None else None
        lines.append(f"{key:<22}{_fmt(va):>10}{_fmt(vb):>10}{(f'{delta:+.3f}') if delta is not None else '–':>10}")
    return lines
