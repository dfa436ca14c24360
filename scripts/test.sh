#!/usr/bin/env bash
# Install everything (project, test tools, the browser for the UI tests), check lint, format and types,
# and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh local,test
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will be skipped" >&2
  fi
fi
# lint, format and types first: a new warning fails the run like a failing test
.venv/bin/ruff check rag ui tests bench eval
.venv/bin/ruff format --check rag ui tests bench eval
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
