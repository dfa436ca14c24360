"""`minutes-rag`: ingest minutes, ask them questions, inspect what was indexed.

Every command's failures end in one line on stderr (`minutes-rag: error: ...`) and exit code 1
(2 for bad usage); no stack trace reaches a user.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

import rag  # noqa: F401  (sets the offline switches before any model library loads)
from rag.settings import Settings, SettingsError

EXIT_ERROR = 1


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="index folder (default .minutes-rag, env MINUTES_RAG_DATA_DIR)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minutes-rag", description="Ask meeting minutes questions; every answer cited."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index minutes (default: everything in corpus/)")
    _common(p)
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (.txt .md .pdf .docx .vtt .srt .json .html)")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="delete the index (a damaged or old one too; assembled models stay) and ingest everything again",
    )

    p = sub.add_parser("ask", help="answer a question from the minutes")
    _common(p)
    p.add_argument("question", nargs="?", help="the question, in plain language")
    p.add_argument("--k", type=int, help="passages to retrieve (default 5)")
    p.add_argument("--doc", action="append", help="only this document (repeatable)")
    p.add_argument("--speaker", action="append", help="only this speaker (repeatable; any name form)")
    p.add_argument("--batch", type=Path, help="file of questions, one a line or JSON lines with 'question'")
    p.add_argument("--llm", help="answering backend: local, openai, ollama or extractive (default: setting llm)")

    p = sub.add_parser("chunks", help="every chunk with its metadata")
    _common(p)
    p.add_argument("--doc", help="only this document")

    p = sub.add_parser("speakers", help="canonical speakers, roles, aliases, turns")
    _common(p)

    p = sub.add_parser("show", help="one paragraph with its speaker, document and neighbours")
    _common(p)
    p.add_argument("id", help="paragraph id, <document id>#p<n> as citations show it")

    p = sub.add_parser("serve", help="the chat in the browser, with the minutes viewer")
    _common(p)
    p.add_argument("--host", help="address to bind (default 127.0.0.1; anything else needs users configured)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--llm", help="answering backend shown first in the chat")

    from rag.evaluate.cli import add_eval_command

    add_eval_command(sub)

    p = sub.add_parser("remove", help="take a document out of the index")
    _common(p)
    p.add_argument("doc", help="document id or file name")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load(
            {
                "data_dir": args.data_dir,
                "k": getattr(args, "k", None),
                "llm": getattr(args, "llm", None),
                "host": getattr(args, "host", None),
                "port": getattr(args, "port", None),
            }
        )
        return COMMANDS[args.command](settings, args)
    except SettingsError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as exc:  # the last line of defence: one line, never a trace
        from rag.index import IndexUnavailableError
        from rag.pipeline import PipelineError
        from rag.read import ReadError

        if isinstance(exc, (PipelineError, ReadError, IndexUnavailableError)):
            return _fail(str(exc))
        return _fail(f"{type(exc).__name__}: {exc}".splitlines()[0])


def _fail(message: str) -> int:
    print(f"minutes-rag: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _pipeline(settings: Settings):
    from rag.pipeline import Pipeline

    return Pipeline(settings)


def cmd_ingest(settings: Settings, args) -> int:
    if args.rebuild:
        from rag.index import MinutesIndex

        MinutesIndex.clear(settings)
    pipeline = _pipeline(settings)
    report = pipeline.ingest(
        args.paths or None, progress=lambda m: print(m, file=sys.stderr), progress_bar=sys.stderr.isatty()
    )
    if args.json:
        print(json.dumps(report.__dict__, indent=2))
    else:
        for label, docs in (("added    ", report.added), ("replaced ", report.replaced)):
            for doc in docs:
                how = report.segmentation.get(doc)
                print(f"{label} {doc}" + (f": {how}" if how else ""))
        for doc in report.unchanged:
            print(f"unchanged {doc}")
        print(f"{report.chunks} chunks, {report.windows} embedding windows in {report.seconds:.1f} s")
    for warning in report.warnings:
        print(f"minutes-rag: warning: {warning}", file=sys.stderr)
    for _path, reason in report.failed:
        print(f"minutes-rag: error: {reason}", file=sys.stderr)
    return EXIT_ERROR if report.failed else 0


def _read_batch(path: Path) -> list[tuple[str, list]]:
    """(question, history) per line: a plain line is a question; a JSON line holds "question" and
    optionally "history", earlier turns of the conversation as questions or [question, answer] pairs."""
    items: list[tuple[str, list]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                record = json.loads(line)
                items.append((str(record["question"]), list(record.get("history") or [])))
                continue
            except (json.JSONDecodeError, KeyError, TypeError):
                pass
        items.append((line, []))
    return items


def _conversation(pipeline, history: list, args) -> list[tuple[str, str]]:
    """(question, answer) pairs for a batch line's history; an earlier question given without its
    answer is asked first, in order, as the user would have asked it."""
    pairs: list[tuple[str, str]] = []
    for turn in history:
        if isinstance(turn, (list, tuple)) and len(turn) == 2:
            pairs.append((str(turn[0]), str(turn[1])))
        else:
            answer = pipeline.ask(str(turn), args.k, args.doc, args.speaker, history=pairs)
            pairs.append((str(turn), answer.text))
    return pairs


def cmd_ask(settings: Settings, args) -> int:
    from rag.pipeline import PipelineError

    pipeline = _pipeline(settings)
    if args.batch:
        # the model and index load once; one JSON object a line, errors included, order kept
        for question, history in _read_batch(args.batch):
            try:
                pairs = _conversation(pipeline, history, args)
                record = pipeline.ask(question, args.k, args.doc, args.speaker, history=pairs).to_json()
            except PipelineError as exc:
                record = {"question": question, "error": str(exc)}
            print(json.dumps(record, ensure_ascii=False), flush=True)
        return 0
    if args.question is None:
        if not sys.stdin.isatty():
            return _fail("give a question, or --batch FILE")
        return _interactive(pipeline, args)
    if args.json:
        _print_answer(pipeline.ask(args.question, args.k, args.doc, args.speaker), True)
        return 0
    _stream_answer(pipeline, args.question, args)
    return 0


def _stream_answer(pipeline, question, args) -> None:
    """Print the model's words as they come, then the checked answer and its sources."""
    streamed = ""
    for event, value in pipeline.ask_stream(question, args.k, args.doc, args.speaker):
        if event == "token":
            streamed += value
            print(value, end="", flush=True)
        else:
            if streamed:
                print("\n")
                if value.text.strip() == streamed.strip():
                    value.text = ""  # already on screen
                else:
                    print(
                        "Checked answer:"
                        if not value.diagnostics.fallback
                        else "The model's answer could not be used "
                        f"({value.diagnostics.fallback_reason}); from the minutes:"
                    )
            _print_answer(value, False)


def _interactive(pipeline, args) -> int:
    """The terminal Q&A: one question a line until an empty line or end of input."""
    from rag.pipeline import PipelineError

    print("Ask the minutes a question (empty line to quit).")
    while True:
        try:
            question = input("\n? ").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        try:
            if args.json:
                _print_answer(pipeline.ask(question, args.k, args.doc, args.speaker), True)
            else:
                _stream_answer(pipeline, question, args)
        except PipelineError as exc:
            print(f"minutes-rag: error: {exc}", file=sys.stderr)


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    if answer.text:
        print(answer.text)
    for item in answer.diagnostics.unsupported:
        print(f"  ⚠ not supported by its citation: {item['sentence']}")
    if answer.cited:
        print()
    for n, passage in enumerate(answer.cited, 1):
        c = passage.chunk
        print(f"[{n}] {c.label} — {c.doc_title}, {c.date} — {c.id}")


def cmd_chunks(settings: Settings, args) -> int:
    pipeline = _pipeline(settings)
    doc = pipeline.documents.resolve(args.doc) if args.doc else None
    chunks = pipeline.index.chunks(doc)
    if args.json:
        print(json.dumps([c.to_dict() for c in chunks], ensure_ascii=False, indent=2))
        return 0
    for c in chunks:
        head = f"{c.id}  [{c.kind}]  {c.label}  | {c.section}"
        print(head)
        print(textwrap.indent(textwrap.shorten(c.text, 300), "    "))
    return 0


def cmd_speakers(settings: Settings, args) -> int:
    speakers = _pipeline(settings).index.speakers()
    if args.json:
        print(json.dumps(speakers, ensure_ascii=False, indent=2))
        return 0
    for name, info in sorted(speakers.items()):
        affiliation = f" — {info['affiliation']}" if info.get("affiliation") else ""
        print(f"{name} — {info.get('role') or 'role unknown'}{affiliation} — {info.get('turns', 0)} turns")
        aliases = sorted(set(info.get("aliases", [])) - {name})
        if aliases:
            print(f"    also: {'; '.join(aliases)}")
    return 0


def cmd_show(settings: Settings, args) -> int:
    from rag.pipeline import PipelineError

    index = _pipeline(settings).index
    paragraph = index.paragraph(args.id)
    if paragraph is None:
        raise PipelineError(f"no paragraph with id {args.id!r}")
    neighbours = index.neighbours(args.id, 1)
    if args.json:
        print(
            json.dumps(
                {"paragraph": paragraph.to_dict(), "neighbours": [p.to_dict() for p in neighbours]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    doc = index.document(paragraph.doc_id)
    print(f"{paragraph.id} ({paragraph.label}) — {doc.title}, {doc.date}")
    print(f"{paragraph.speaker_label} | {paragraph.section} | {paragraph.kind}")
    print()
    for p in neighbours:
        mark = ">>" if p.id == paragraph.id else "  "
        print(textwrap.indent(textwrap.fill(p.text, 96), mark + " "))
        print()
    return 0


def cmd_remove(settings: Settings, args) -> int:
    pipeline = _pipeline(settings)
    doc = pipeline.documents.resolve(args.doc)
    pipeline.remove(doc)
    print(f"removed {doc}")
    return 0


def cmd_serve(settings: Settings, args) -> int:
    from ui.serve import serve

    return serve(settings)


def cmd_eval(settings: Settings, args) -> int:
    from rag.evaluate.cli import cmd_eval as run_eval

    return run_eval(settings, args)


COMMANDS = {
    "eval": cmd_eval,
    "serve": cmd_serve,
    "ingest": cmd_ingest,
    "ask": cmd_ask,
    "chunks": cmd_chunks,
    "speakers": cmd_speakers,
    "show": cmd_show,
    "remove": cmd_remove,
}

if __name__ == "__main__":
    sys.exit(main())
