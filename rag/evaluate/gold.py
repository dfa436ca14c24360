"""Gold question files: one JSON object a line, checked completely before any question runs."""

from __future__ import annotations

import json
from pathlib import Path

TYPES = {"factoid", "attribution", "speaker_filter", "multi_hop", "numeric", "comparison", "unanswerable"}
FIELDS = {"id": str, "question": str, "type": str, "answer": str, "must_mention": list, "evidence": list}


class GoldError(ValueError):
    pass


def collapse(text: str) -> str:
    return " ".join(text.split())


def load_gold(path: Path) -> list[dict]:
    items, ids = [], set()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldError(f"{path}: cannot read ({exc.strerror})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{Path(path).name} line {number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise GoldError(f"{where}: not a JSON object")
        for field, kind in FIELDS.items():
            if field not in item:
                raise GoldError(f"{where}: missing field '{field}'")
            if not isinstance(item[field], kind):
                raise GoldError(f"{where}: field '{field}' must be {kind.__name__}")
        if item["type"] not in TYPES:
            raise GoldError(f"{where}: unknown type '{item['type']}' (known: {', '.join(sorted(TYPES))})")
        if item["id"] in ids:
            raise GoldError(f"{where}: duplicate id '{item['id']}'")
        for e in item["evidence"]:
            if not isinstance(e, dict) or not {"doc", "speaker", "quote"} <= set(e):
                raise GoldError(f"{where}: evidence needs doc, speaker and quote")
        if item["type"] != "unanswerable" and not item["evidence"]:
            raise GoldError(f"{where}: an answerable question needs evidence")
        ids.add(item["id"])
        items.append(item)
    if not items:
        raise GoldError(f"{path}: no questions")
    return items


def check_quotes(items: list[dict], corpus_dir: Path) -> list[str]:
    """Problems with evidence: a quote not verbatim (whitespace-collapsed) in its document."""
    texts: dict[str, str] = {}
    problems = []
    for item in items:
        for e in item["evidence"]:
            if e["doc"] not in texts:
                matches = list(Path(corpus_dir).glob(e["doc"] + ".*"))
                texts[e["doc"]] = collapse(matches[0].read_text(encoding="utf-8")) if matches else ""
            if collapse(e["quote"]) not in texts[e["doc"]]:
                problems.append(f"{item['id']}: quote not in {e['doc']}: {e['quote'][:60]}")
    return problems
