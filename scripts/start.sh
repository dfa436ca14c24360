#!/usr/bin/env bash
# Install minutes-rag into .venv, index corpus/ (a no-op when nothing changed) and start the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh local
.venv/bin/minutes-rag ingest
exec .venv/bin/minutes-rag ask "$@"
