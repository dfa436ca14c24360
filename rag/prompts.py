"""Prompt templates, loaded from the `prompts/` folder at run time (edit the files, not the code).

Each file starts with a `<!-- version: N -->` line. The prompt version stamped into every answer
is the files' versions plus a short hash of their contents, so an edit that forgets to bump the
version still shows up in reports.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_VERSION = re.compile(r"^\s*<!--\s*version:\s*([\w.-]+)\s*-->\s*\n?")
FILES = {
    "system": "system.md",
    "answer": "answer.md",
    "condense": "condense.md",
    "refusal": "refusal.txt",
    "passage": "passage.md",
}


class PromptError(Exception):
    pass


@dataclass(frozen=True)
class Prompts:
    system: str
    answer: str
    condense: str
    refusal: str
    passage: str
    version: str

    @classmethod
    def load(cls, folder: Path) -> Prompts:
        texts, versions, digest = {}, [], hashlib.sha256()
        for name, file in FILES.items():
            path = Path(folder) / file
            try:
                raw = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise PromptError(f"{path}: cannot read prompt template ({exc.strerror})") from None
            m = _VERSION.match(raw)
            if not m:
                raise PromptError(f"{path}: first line must be <!-- version: N -->")
            texts[name] = raw[m.end() :].strip()
            versions.append(f"{name}@{m.group(1)}")
            digest.update(raw.encode())
        return cls(**texts, version=" ".join(versions) + f" #{digest.hexdigest()[:8]}")
