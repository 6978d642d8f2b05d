#!/usr/bin/env bash
# Set up the Python environment (.venv) with the project and, with --test, its test tools and the
# Debian packages the tests drive (Chromium for the browser tests, Tesseract for OCR, poppler).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

need_apt=()
if (( want_test )); then
  for pkg in chromium tesseract-ocr tesseract-ocr-swe poppler-utils fonts-dejavu-core; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
else
  # The service OCRs scanned PDFs when Tesseract is there; it runs without it.
  for pkg in tesseract-ocr tesseract-ocr-swe; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
fi
if (( ${#need_apt[@]} )); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  elif (( want_test )); then
    echo "error: the tests need Debian packages: ${need_apt[*]} (run as root or install them)" >&2
    exit 1
  else
    echo "note: ${need_apt[*]} not installed; scanned PDFs will be reported as needing OCR" >&2
  fi
fi

PY=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if (( want_test )); then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
# Build the Swedish lexicon cache from hunspell-sv now (about 10 s once), not on a first request.
.venv/bin/python -c "from kb.analysis.analyzer import warm_up; warm_up()"
# Exactly one distribution may provide the `whoosh` package (docs/decisions.md).
count=$(.venv/bin/python -m pip list 2>/dev/null | grep -ciE '^whoosh' || true)
if [[ "$count" != "1" ]]; then
  echo "error: expected exactly one Whoosh distribution, found $count" >&2
  exit 1
fi
