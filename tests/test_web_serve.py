"""`kb serve`: waitress (not Flask's dev server) on 127.0.0.1, demo ingest on an empty index."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbcli.main import cli
from tests.web_corpus import build_corpus, http_get

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = "import sys; from kbcli.main import cli; cli(sys.argv[1:])"


@contextmanager
def kb_serve(data_dir: Path, *, demo: bool, timeout: float) -> Iterator[tuple[str, list[str]]]:
    """Run ``kb serve --port 0`` and yield its base URL and the lines it printed."""
    env = dict(os.environ, KB_INGEST_DEMO_ON_START="true" if demo else "false")
    env.pop("KB_DATA_DIR", None)
    cmd = [sys.executable, "-c", LAUNCHER, "serve", "--data-dir", str(data_dir), "--port", "0"]
    cmd += ["--contact-email", "tillganglighet@kommun.example"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        while True:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"kb serve did not listen within {timeout}s: {seen}")
            if line is None:
                pytest.fail(f"kb serve exited ({proc.wait()}): {''.join(seen)}")
            seen.append(line)
            match = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
            if match:
                yield match.group(1), seen
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        reader.join(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def fetch(hostport: str, path: str) -> tuple[int, dict[str, str], bytes]:
    return http_get(int(hostport.rsplit(":", 1)[1]), path)


def test_serve_help_lists_host_port_and_debug_off_by_default() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--threads", "--debug", "--data-dir", "--contact-email"):
        assert option in result.output
    assert "127.0.0.1" in result.output


def test_serve_runs_waitress_over_an_index(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "data")
    with kb_serve(corpus.settings.data_dir, demo=False, timeout=60) as (hostport, _lines):
        status, headers, body = fetch(hostport, "/search?q=e-arkiv")
        assert status == 200
        assert headers["server"] == "Kunskapsbanken"  # waitress's ident, not Werkzeug
        assert "Werkzeug" not in headers.get("server", "")
        assert "e-arkiv" in body.decode()
        status, headers, body = fetch(hostport, "/api/search?q=e-arkiv&page_size=1")
        assert status == 200 and json.loads(body)["total"] > 20
        status, _headers, body = fetch(hostport, "/search?page=abc")
        assert status == 400 and b"Traceback" not in body
        status, _headers, body = fetch(hostport, "/tillganglighet")
        assert b'href="mailto:tillganglighet@kommun.example"' in body


@pytest.mark.slow
def test_serve_ingests_the_demo_corpus_into_an_empty_index(tmp_path: Path) -> None:
    manifest = ROOT / "corpus" / "demo" / "manifest.jsonl"
    if not manifest.is_file():
        pytest.skip("corpus/demo/manifest.jsonl is not there yet")
    rows = [line for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    with kb_serve(tmp_path / "data", demo=True, timeout=600) as (hostport, lines):
        assert any("demodokument" in line.lower() for line in lines)
        status, _headers, body = fetch(hostport, "/api/search?page_size=1")
        total = json.loads(body)["total"]
        assert status == 200 and 0 < total <= len(rows)
        status, _headers, body = fetch(hostport, "/")
        assert status == 200 and "Nyaste dokumenten" in body.decode()
