"""Gold question files: one JSON object a line, checked completely before any question runs.

A question may carry a `history` (the earlier questions of a conversation, oldest first; the
question itself is the follow-up) with `standalone`, the same follow-up written to stand alone,
so a conversation can be scored against the question asked on its own. An unanswerable question
may say which `kind` of trap it is (see UNANSWERABLE_KINDS).

`split_gold` cuts a set into a tuning part and a report part, stratified by type and
deterministic (it depends only on the ids), so figures are reported on questions nobody tuned on.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

TYPES = {"factoid", "attribution", "speaker_filter", "multi_hop", "numeric", "comparison", "unanswerable"}
FIELDS = {"id": str, "question": str, "type": str, "answer": str, "must_mention": list, "evidence": list}
UNANSWERABLE_KINDS = {
    "absent_name": "a name the minutes never mention",
    "absent_fact": "a name the minutes mention, with a fact they never give",
    "wrong_speaker": "a real statement attributed to someone who did not make it",
    "wrong_time": "a real statement placed in the wrong year or meeting",
    "absent_number": "a plausible figure the minutes never give",
}

# Typographic forms a quote may be written with, and the plain form the minutes' text is compared in.
PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
    }
)


class GoldError(ValueError):
    pass


def collapse(text: str) -> str:
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Text as quotes are matched: compatibility forms folded (NFKC: non-breaking and thin spaces
    become spaces, ligatures letters), curly quotes straight, every dash a hyphen, soft hyphens and
    zero-width characters dropped, whitespace collapsed, lower case. So a quote typed with curly
    quotes, or across a page break the segmenter joined, still matches the printed text."""
    text = unicodedata.normalize("NFKC", text).translate(PUNCTUATION)
    return collapse(text).lower()


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
        _check(item, where)
        if item["id"] in ids:
            raise GoldError(f"{where}: duplicate id '{item['id']}'")
        ids.add(item["id"])
        items.append(item)
    if not items:
        raise GoldError(f"{path}: no questions")
    return items


def _check(item: dict, where: str) -> None:
    for field, kind in FIELDS.items():
        if field not in item:
            raise GoldError(f"{where}: missing field '{field}'")
        if not isinstance(item[field], kind):
            raise GoldError(f"{where}: field '{field}' must be {kind.__name__}")
    if item["type"] not in TYPES:
        raise GoldError(f"{where}: unknown type '{item['type']}' (known: {', '.join(sorted(TYPES))})")
    for e in item["evidence"]:
        if not isinstance(e, dict) or not {"doc", "speaker", "quote"} <= set(e):
            raise GoldError(f"{where}: evidence needs doc, speaker and quote")
    if item["type"] != "unanswerable" and not item["evidence"]:
        raise GoldError(f"{where}: an answerable question needs evidence")
    if "history" in item:
        history = item["history"]
        if not isinstance(history, list) or not history or not all(isinstance(q, str) and q.strip() for q in history):
            raise GoldError(f"{where}: history must be a non-empty list of earlier questions")
        if not isinstance(item.get("standalone"), str) or not item["standalone"].strip():
            raise GoldError(f"{where}: a follow-up (with history) needs 'standalone', the question asked on its own")
    elif "standalone" in item:
        raise GoldError(f"{where}: 'standalone' is only for follow-ups (questions with history)")
    if "kind" in item and (item["type"] != "unanswerable" or item["kind"] not in UNANSWERABLE_KINDS):
        raise GoldError(f"{where}: 'kind' is for unanswerable questions, one of {', '.join(UNANSWERABLE_KINDS)}")


def check_quotes(items: list[dict], corpus_dir: Path) -> list[str]:
    """Problems with evidence: a quote not verbatim (normalised as above) in its document."""
    texts: dict[str, str] = {}
    problems = []
    for item in items:
        for e in item["evidence"]:
            if e["doc"] not in texts:
                matches = list(Path(corpus_dir).glob(e["doc"] + ".*"))
                texts[e["doc"]] = normalise(matches[0].read_text(encoding="utf-8")) if matches else ""
            if normalise(e["quote"]) not in texts[e["doc"]]:
                problems.append(f"{item['id']}: quote not in {e['doc']}: {e['quote'][:60]}")
    return problems


def split_gold(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """(tune, report): within each type, questions ordered by a hash of their id go alternately to
    the report part and the tuning part (the report part takes the odd one out). The order of the
    input does not matter, and adding a type leaves the other types' split unchanged."""
    tune, report = [], []
    by_type: dict[str, list[dict]] = {}
    for item in items:
        by_type.setdefault(item["type"], []).append(item)
    for group in by_type.values():
        ordered = sorted(group, key=lambda item: hashlib.sha256(item["id"].encode()).hexdigest())
        report += ordered[0::2]
        tune += ordered[1::2]
    order = {item["id"]: n for n, item in enumerate(items)}
    return sorted(tune, key=lambda i: order[i["id"]]), sorted(report, key=lambda i: order[i["id"]])
