"""`kb serve`: waitress (not Flask's dev server) on 127.0.0.1, demo ingest on an empty index."""

from __future__ import annotations

import http.client
import json
import logging
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.index.builds import IndexStore
from kb.index.schema import VERSION_FILE
from kbcli.main import cli
from tests.web_corpus import build_corpus, http_get
from web import create_app
from web.context import EXTENSION_KEY

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = "import sys; from kbcli.main import cli; cli(sys.argv[1:])"


@contextmanager
def kb_serve(
    data_dir: Path,
    *,
    demo: bool,
    timeout: float,
    args: tuple[str, ...] = (),
    started: list[subprocess.Popen[str]] | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """Run ``kb serve --port 0`` and yield its base URL and the lines it printed."""
    env = dict(os.environ, KB_INGEST_DEMO_ON_START="true" if demo else "false")
    env.pop("KB_DATA_DIR", None)
    cmd = [sys.executable, "-c", LAUNCHER, "serve", "--data-dir", str(data_dir), "--port", "0"]
    cmd += ["--contact-email", "tillganglighet@kommun.example", *args]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT
    )
    if started is not None:
        started.append(proc)
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
    with kb_serve(corpus.settings.data_dir, demo=False, timeout=60) as (hostport, lines):
        status, headers, body = fetch(hostport, "/search?q=e-arkiv")
        assert status == 200, (status, body[:500], lines)
        assert headers["server"] == "Kunskapsbanken", headers  # waitress's ident, not Werkzeug
        assert "e-arkiv" in body.decode()
        status, headers, body = fetch(hostport, "/api/search?q=e-arkiv&page_size=1")
        assert status == 200, (status, body[:500])
        assert json.loads(body)["total"] > 20, body[:500]
        status, _headers, body = fetch(hostport, "/search?page=abc")
        assert status == 400, (status, body[:500])
        assert b"Traceback" not in body
        status, _headers, body = fetch(hostport, "/tillganglighet")
        assert b'href="mailto:tillganglighet@kommun.example"' in body


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def _workers_up(pid: int, count: int = 2, *, besides: Collection[int] = ()) -> set[int]:
    """The worker processes of ``pid`` once ``count`` of them (not in ``besides``) run, or what
    runs after 20 s (the caller's assertion then says what is missing)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(_children(pid) - set(besides)) < count:
        threading.Event().wait(0.05)
    return _children(pid)


@pytest.mark.slow
def test_serve_with_two_worker_processes_answers_in_parallel(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "data")
    started: list[subprocess.Popen[str]] = []
    with kb_serve(
        corpus.settings.data_dir, demo=False, timeout=60, args=("--workers", "2"), started=started
    ) as (hostport, lines):
        assert "2 processer" in "".join(lines)
        workers = _workers_up(started[0].pid)
        assert len(workers) == 2, workers
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _: fetch(hostport, "/search?q=e-arkiv"), range(24)))
        assert all(status == 200 for status, _h, _b in answers)
        totals = {
            json.loads(fetch(hostport, "/api/search?q=e-arkiv")[2])["total"] for _ in range(6)
        }
        assert len(totals) == 1 and totals.pop() > 20  # every worker reads the same index
        # A worker that dies is replaced; the service keeps answering.
        os.kill(next(iter(workers)), signal.SIGKILL)
        assert len(_workers_up(started[0].pid, 1, besides=workers)) == 2
        assert fetch(hostport, "/search?q=bygglov")[0] == 200
    assert started[0].returncode is not None
    assert not _children(started[0].pid)


def _sockets(pid: int) -> int:
    fds = Path(f"/proc/{pid}/fd")
    return sum(1 for fd in fds.iterdir() if os.readlink(fd).startswith("socket:"))


@pytest.mark.slow
def test_two_workers_share_keep_alive_connections_evenly(tmp_path: Path) -> None:
    # A keep-alive connection stays with the worker that accepted it: ten clients taken mostly
    # by one worker left the other core idle (kbcli/balance.py).
    corpus = build_corpus(tmp_path / "data")
    started: list[subprocess.Popen[str]] = []
    with kb_serve(
        corpus.settings.data_dir, demo=False, timeout=60, args=("--workers", "2"), started=started
    ) as (hostport, _lines):
        workers = _workers_up(started[0].pid)
        assert len(workers) == 2, workers
        port = int(hostport.rsplit(":", 1)[1])
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(8)]
        try:
            for conn in connections:
                conn.request("GET", "/search?q=e-arkiv")
                response = conn.getresponse()
                assert response.status == 200
                response.read()
            held = sorted(_sockets(pid) - 1 for pid in workers)  # less the listening socket
            assert sum(held) == 8 and held[1] - held[0] <= 1, held
        finally:
            for conn in connections:
                conn.close()


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
        assert status == 200 and "Nytt i kunskapsbanken" in body.decode()


def make_outdated(data_dir: Path) -> None:
    """Mark the index as built by an older schema, as after an analyzer upgrade."""
    version_file = IndexStore(data_dir / "index").current_dir() / VERSION_FILE
    version = json.loads(version_file.read_text(encoding="utf-8"))
    version["schema_version"] = -1
    version_file.write_text(json.dumps(version), encoding="utf-8")


def test_outdated_index_gives_503_pages_not_500(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "data")
    make_outdated(corpus.settings.data_dir)
    app = create_app(corpus.settings, {"TESTING": True})
    try:
        client = app.test_client()
        page = client.get("/search?q=e-arkiv")
        assert page.status_code == 503
        assert "Försök igen om en stund" in page.data.decode()
        assert str(tmp_path) not in page.data.decode()  # no server paths shown to users
        api = client.get("/api/search?q=e-arkiv")
        assert api.status_code == 503
        assert api.json["error"]["status"] == 503
    finally:
        app.extensions[EXTENSION_KEY].close()


def test_serve_refuses_to_start_on_an_outdated_index(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "data")
    make_outdated(corpus.settings.data_dir)
    env = dict(os.environ, KB_INGEST_DEMO_ON_START="false")
    cmd = [sys.executable, "-c", LAUNCHER, "serve", "--data-dir", str(corpus.settings.data_dir)]
    done = subprocess.run(
        [*cmd, "--port", "0"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert done.returncode == 1
    assert "kb reindex" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use_is_one_clear_line(tmp_path: Path, workers: str) -> None:
    corpus = build_corpus(tmp_path / "data")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = dict(os.environ, KB_INGEST_DEMO_ON_START="false")
        env.pop("KB_DATA_DIR", None)
        cmd = [sys.executable, "-c", LAUNCHER, "serve", "--data-dir"]
        cmd += [str(corpus.settings.data_dir), "--port", port, "--workers", workers]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    # Was a Python traceback ending in "OSError: [Errno 98] Address already in use".
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_waitress_queue_warnings_come_once_a_minute_with_a_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kbcli import serve_command

    clock = [1000.0]
    monkeypatch.setattr(serve_command.time, "monotonic", lambda: clock[0])
    logger = logging.getLogger("test.waitress.queue")
    logger.propagate = False
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.addFilter(serve_command.OncePerInterval(60.0))
    for depth in range(1, 6):
        logger.warning("Task queue depth is %d", depth)
    clock[0] += 61
    logger.warning("Task queue depth is %d", 9)
    assert seen == [
        "Task queue depth is 1",
        "Task queue depth is 9 (och 4 gånger till / and 4 more)",
    ]
