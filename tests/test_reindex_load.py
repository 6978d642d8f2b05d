"""Searches over HTTP against a real `kb serve` (waitress, two worker processes) while `kb
reindex` rebuilds a few hundred documents: no request fails, every answer counts the same, and
the workers move to the new build without a restart. The test waits on what it needs (answers,
the workers' open files), never for a fixed time."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from tests.consistency import compare
from tests.reindex_support import fill, kb_process, leftovers, live_build
from tests.test_web_serve import _workers_up, fetch, kb_serve

QUERIES = ("bredband", "skola omsorg", "informationssäkerhet", "digitalisering", "e-tjänst")


def _open_builds(pid: int, index: Path) -> set[str]:
    """The build folders whose files the process ``pid`` has open."""
    builds = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if target.parent.parent == index:
            builds.add(target.parent.name)
    return builds


def _until(done: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Wait until ``done()`` holds (state outside this process: polled), or fail naming it."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        time.sleep(0.05)


def _moved_on(opened: list[set[str]], new: str) -> bool:
    """Whether the workers' open builds (``opened``) are the ``new`` one only, in one at least."""
    return any(opened) and all(b <= {new} for b in opened)


def test_searches_keep_working_during_a_reindex_under_load(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(data, 300)
    old = live_build(data)
    started: list = []
    with kb_serve(
        data, demo=False, timeout=60, args=("--workers", "2", "--threads", "4"), started=started
    ) as (hostport, _lines):
        expected = {
            q: json.loads(fetch(hostport, f"/api/search?q={quote(q)}")[2])["total"] for q in QUERIES
        }
        assert expected["digitalisering"] == 300, expected
        failures: list[str] = []
        answers = [0]
        answered = threading.Condition()
        stop = threading.Event()

        def reach(n: int) -> None:
            with answered:
                assert answered.wait_for(lambda: answers[0] >= n, timeout=60), (answers, n)

        def client(n: int) -> None:
            i = n
            while not stop.is_set():
                q = QUERIES[i % len(QUERIES)]
                i += 1
                try:
                    status, _h, body = fetch(hostport, f"/api/search?q={quote(q)}&page_size=3")
                    got = json.loads(body)["total"] if status == 200 else None
                except Exception as err:  # a refused or broken connection is a failure too
                    failures.append(f"{q}: {err!r}")
                    continue
                if status != 200 or got != expected[q]:
                    failures.append(f"{q}: {status} {got} != {expected[q]}")
                with answered:
                    answers[0] += 1
                    answered.notify_all()

        clients = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for c in clients:
            c.start()
        workers = _workers_up(started[0].pid)
        try:
            reach(len(clients))  # every client is answered: the load is on
            before = answers[0]
            # A checkpoint every 20 documents: many commits of the new build while the searches run.
            reindex = kb_process(data, "reindex", KB_REINDEX_CHECKPOINT_DOCS="20")
            out, err = reindex.communicate(timeout=600)
            during = answers[0] - before
            reach(answers[0] + 1)  # searches go on after the reindex
            new = live_build(data)
            # A worker's next request opens the new build and lets the old one go: wait for it.
            _until(
                lambda: _moved_on([_open_builds(pid, data / "index") for pid in workers], new),
                f"the workers on the new build {new}",
            )
        finally:
            stop.set()
            for c in clients:
                c.join(timeout=60)
        assert reindex.returncode == 0, err
        assert "Indexet byggdes om: 300 dokument" in out
        assert failures == [], failures[:10]
        assert during > 20
        assert new != old and leftovers(data) == []
        # Every worker that has index files open has the new build's, none the old one's.
        opened = [_open_builds(pid, data / "index") for pid in workers]
        assert len(workers) == 2 and _moved_on(opened, new), (opened, old, new)
    assert compare(data) == set()
