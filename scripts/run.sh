#!/usr/bin/env bash
# Set up and start Kunskapsbanken on the demo corpus: http://127.0.0.1:8080/
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/kb serve --data-dir "${KB_DATA_DIR:-data}" --host "${KB_HOST:-127.0.0.1}" \
  --port "${KB_PORT:-8080}" --workers "${KB_WORKERS:-2}"
