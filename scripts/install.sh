#!/usr/bin/env bash
# Install minutes-rag and everything it needs into .venv in the repo root (idempotent).
# Usage: scripts/install.sh [EXTRAS]   e.g. scripts/install.sh local,test
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-local}"
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
# llama-cpp-python has no binary wheel: it compiles once (about 8 minutes on 2 cores); LLaVA is not needed.
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}"
.venv/bin/python -m pip install --quiet --progress-bar off -e ".[${extras}]"
