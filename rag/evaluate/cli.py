"""`minutes-rag eval`: run a gold set (default: the report part, which nobody tunes on), or the QMSum
benchmark (`--qmsum DIR`: retrieval only); write reports, gate CI with --fail-under; `eval compare A B`."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def add_eval_command(sub) -> None:
    p = sub.add_parser("eval", help="score the pipeline on a gold question set (or: eval compare A B)")
    p.add_argument("--data-dir", type=Path)
    p.add_argument("compare", nargs="*", help="`compare A.json B.json`: deltas between two reports")
    p.add_argument(
        "--gold",
        type=Path,
        default=Path("eval/gold/report.jsonl"),
        help="gold questions (default: the report part; tune on eval/gold/tune.jsonl)",
    )
    p.add_argument(
        "--qmsum",
        type=Path,
        metavar="DIR",
        help="a QMSum split folder (tune on train/, report on val/): retrieval within and across meetings",
    )
    p.add_argument("--meetings", type=int, help="with --qmsum: only the first N meetings (file-name order)")
    p.add_argument(
        "--match",
        action="append",
        metavar="GLOB",
        help="with --qmsum: only meeting files matching this glob (repeatable; e.g. 'education_*')",
    )
    p.add_argument(
        "--refusals",
        action="store_true",
        help="with --qmsum: also ask every query through the whole pipeline (extractive) and count the "
        "refusals, all false (every query is answerable); and ask it within the meeting least like its own, "
        "where declining is right",
    )
    p.add_argument(
        "--attribution",
        action="store_true",
        help="with --qmsum: also ask every query that names one speaker of its meeting through the whole "
        "pipeline (extractive) and count the answers whose first quote is that speaker's",
    )
    p.add_argument(
        "--learn-reranker",
        type=Path,
        metavar="FILE",
        help="with --qmsum (a train split): learn the re-ranking of conversation passages from its "
        "queries and write the model to FILE (setting rerank_model)",
    )
    p.add_argument("--judge-pairs", type=Path, default=Path("eval/gold/judge_pairs.jsonl"))
    p.add_argument("--llm", help="answering backend (default: setting llm)")
    p.add_argument("--judge", choices=["lexical", "llm"], default="lexical")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--limit", type=int)
    p.add_argument("--out", type=Path, help="report folder (default eval/reports/latest, or eval/reports/qmsum-SPLIT)")
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE")
    p.add_argument("--json", action="store_true")


def cmd_eval(settings, args) -> int:
    from rag.evaluate.gold import check_quotes, load_gold
    from rag.evaluate.report import compare, write_report
    from rag.pipeline import PipelineError

    if args.compare:
        if len(args.compare) != 3 or args.compare[0] != "compare":
            raise PipelineError("usage: minutes-rag eval compare A/report.json B/report.json")
        a, b = (
            json.loads(Path(x if x.endswith(".json") else Path(x) / "report.json").read_text())
            for x in args.compare[1:]
        )
        print("\n".join(compare(a, b)))
        return 0
    thresholds = {}
    for spec in args.fail_under:
        metric, _sep, value = spec.partition("=")
        try:
            thresholds[metric] = float(value)
        except ValueError:
            raise PipelineError(f"--fail-under wants METRIC=VALUE, got {spec!r}") from None
    if args.qmsum:
        return _qmsum(settings, args, thresholds)
    try:
        gold = load_gold(args.gold)
    except ValueError as exc:
        raise PipelineError(str(exc)) from None
    problems = check_quotes(gold, settings.corpus_dir)
    if problems:
        print("warning: " + "\nwarning: ".join(problems[:10]), file=sys.stderr)
    from rag.evaluate.judges import LexicalJudge, LLMJudge
    from rag.evaluate.run import evaluate
    from rag.pipeline import Pipeline

    pipeline = Pipeline(settings)
    llm = args.llm or settings.llm
    judge = LLMJudge(pipeline.llm("local")) if args.judge == "llm" else LexicalJudge(pipeline.scorer)
    report = evaluate(
        pipeline, gold, llm, args.k, judge, args.judge_pairs, args.limit, not args.no_baseline, gold_file=str(args.gold)
    )
    files = write_report(report, args.out or Path("eval/reports/latest"))
    rows = report["rows"]
    print(
        json.dumps(rows, indent=2)
        if args.json
        else "\n".join(
            f"{name}: "
            + ", ".join(f"{k} {v:.3f}" for k, v in row.items() if isinstance(v, float) and not k.endswith("_ms_p95"))
            for name, row in rows.items()
        )
    )
    print(f"wrote {', '.join(str(f) for f in files)}")
    return _gate(rows["minutes-rag"], thresholds)


def _gate(row: dict, thresholds: dict[str, float]) -> int:
    failed = [
        f"{metric} {row.get(metric)} < {value}"
        for metric, value in thresholds.items()
        if row.get(metric) is None or row[metric] < value
    ]
    if failed:
        print("minutes-rag: error: below threshold: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


def _learn_reranker(settings, args) -> int:
    from rag.evaluate.learn_reranker import learn_from_qmsum
    from rag.evaluate.qmsum import QMSumError
    from rag.pipeline import PipelineError

    try:
        model = learn_from_qmsum(settings, args.qmsum, args.learn_reranker, args.meetings, args.match or ["*.json"])
    except (QMSumError, ValueError) as exc:
        raise PipelineError(str(exc)) from None
    print(f"learnt on {model.learnt_on}: {model.figures}")
    weights = ", ".join(f"{name} {w:+.3f}" for name, w in model.weights.items())
    print(f"weights: {weights}; intercept {model.intercept:+.3f}")
    print(f"wrote {args.learn_reranker}")
    return 0


def _qmsum(settings, args, thresholds: dict[str, float]) -> int:
    """The QMSum benchmark; --fail-under takes SCOPE.METRIC (e.g. within.hit@k=0.8), minutes-rag's
    figures over all queries."""
    from rag.evaluate.qmsum import BASELINES, QMSumError, run_qmsum
    from rag.evaluate.report import qmsum_table, write_qmsum_report
    from rag.pipeline import PipelineError

    if args.learn_reranker:
        return _learn_reranker(settings, args)
    try:
        report = run_qmsum(
            settings,
            args.qmsum,
            args.k,
            args.meetings,
            args.match or ["*.json"],
            () if args.no_baseline else BASELINES,
            refusals=args.refusals,
            attribution=args.attribution,
        )
    except QMSumError as exc:
        raise PipelineError(str(exc)) from None
    config = report["config"]
    files = write_qmsum_report(report, args.out or Path(f"eval/reports/qmsum-{config['split']}"))
    print(json.dumps(report["rows"], indent=2) if args.json else "\n".join(qmsum_table(report)))
    for scope, counted in report.get("false_refusals", {}).items():
        print(f"false refusals {scope}: {counted['declined']} of {counted['queries']}", file=sys.stderr)
    if unrelated := report.get("unrelated_refusals"):
        print(f"declined elsewhere: {unrelated['declined']} of {unrelated['queries']}", file=sys.stderr)
    if attributed := report.get("speaker_attribution"):
        print(f"first quote the named speaker's: {attributed['theirs']} of {attributed['queries']}", file=sys.stderr)
    if config["purpose"] != "reporting":
        print(
            f"note: ran on split '{config['split']}' ({config['purpose']}); report figures from val/", file=sys.stderr
        )
    print(f"wrote {', '.join(str(f) for f in files)}")
    ours = report["rows"]["minutes-rag"]
    return _gate(
        {f"{scope}.{metric}": value for scope, kinds in ours.items() for metric, value in kinds["all"].items()},
        thresholds,
    )
