#!/usr/bin/env bash
# Install minutes-rag into .venv, index corpus/ (a no-op when nothing changed) and start the chat UI.
# Extra arguments go to `minutes-rag serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh local
.venv/bin/minutes-rag ingest
exec .venv/bin/minutes-rag serve "$@"
