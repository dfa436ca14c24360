"""Example questions for the chat come from the corpus manifest (`minutes.toml` beside the minutes),
never from code: an `examples` list in its `[chat]` table, then those of each document's table.
With none configured the chat shows none."""

from __future__ import annotations

import tomllib
from pathlib import Path

MANIFEST = "minutes.toml"
CHAT_TABLE = "chat"


class ExamplesError(ValueError):
    pass


def example_questions(corpus_dir: Path) -> list[str]:
    path = Path(corpus_dir) / MANIFEST
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ExamplesError(f"{path}: not a valid manifest ({str(exc).splitlines()[0]})") from None
    tables = [data.get(CHAT_TABLE, {})] + [v for k, v in data.items() if k != CHAT_TABLE]
    questions: list[str] = []
    for table in tables:
        examples = table.get("examples", []) if isinstance(table, dict) else []
        if not isinstance(examples, list) or not all(isinstance(q, str) for q in examples):
            raise ExamplesError(f"{path}: `examples` must be a list of questions in quotes")
        questions += [q.strip() for q in examples if q.strip() and q.strip() not in questions]
    return questions
