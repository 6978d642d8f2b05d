"""Searches over HTTP against a real `kb serve` (waitress, two worker processes) while `kb
reindex` rebuilds a few hundred documents: no request fails, every answer counts the same, and
the workers move to the new build without a restart."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from urllib.parse import quote

from tests.consistency import compare
from tests.reindex_support import fill, kb_process, leftovers, live_build
from tests.test_web_serve import _children, fetch, kb_serve

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
        stop = threading.Event()

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
                answers[0] += 1

        clients = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for c in clients:
            c.start()
        try:
            time.sleep(1.0)
            before = answers[0]
            # A checkpoint every 20 documents: many commits of the new build while the searches run.
            reindex = kb_process(data, "reindex", KB_REINDEX_CHECKPOINT_DOCS="20")
            out, err = reindex.communicate(timeout=600)
            during = answers[0] - before
            time.sleep(1.5)  # the workers' next requests open the new build
        finally:
            stop.set()
            for c in clients:
                c.join(timeout=60)
        assert reindex.returncode == 0, err
        assert "Indexet byggdes om: 300 dokument" in out
        assert failures == [], failures[:10]
        assert during > 20 and answers[0] > during
        new = live_build(data)
        assert new != old and leftovers(data) == []
        # Every worker that has index files open has the new build's, none the old one's.
        workers = _children(started[0].pid)
        opened = [_open_builds(pid, data / "index") for pid in workers]
        assert any(opened) and all(b <= {new} for b in opened), (opened, old, new)
    assert compare(data) == set()
