#!/usr/bin/env bash
# Set up and run every check: lint, format, import contracts, types, and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test

echo "== ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import contracts"
.venv/bin/lint-imports
echo "== mypy (kb, ingest, web, kbcli, bench)"
.venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [[ $status == 5 ]]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit $status
