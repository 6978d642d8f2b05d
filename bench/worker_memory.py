"""Memory of `kb serve --workers N`: what each worker holds beyond what the processes share.

Starts ``kb serve --workers N --port 0`` over ``--data-dir``, sends ``--requests`` results pages
and API searches (the URLs of bench/web_bench.py, from the values the index holds) over two
keep-alive clients, then reads /proc/PID/smaps_rollup of the parent and of every worker. A
worker's own memory is ``Private_Clean + Private_Dirty``: pages no other process maps (its heap,
its decoded-postings cache, the copy-on-write copies it made). ``Rss`` also counts the pages it
shares with the parent and the other workers (the Swedish lexicon loaded before the fork, the
code, the memory-mapped snapshot arrays and the index files in the page cache). With
``--workers 1`` the server does not fork: its one process is the worker (and the parent).

    .venv/bin/python bench/worker_memory.py --data-dir /work/bench-data/100k/data --workers 2
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.web_bench import Tally, build_urls, client, start_server

FIELDS = ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty")


def rollup(pid: int) -> dict[str, float]:
    """The smaps_rollup figures of ``pid`` in MB, plus ``Private`` (clean + dirty)."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in FIELDS:
            out[name] = round(int(rest.split()[0]) / 1024, 1)
    out["Private"] = round(out["Private_Clean"] + out["Private_Dirty"], 1)
    return out


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def worker_pids(pid: int, workers: int) -> list[int]:
    """The processes that answer requests: the forked workers, or ``pid`` itself when one
    worker (``kb serve --workers 1`` serves in its own process)."""
    return children(pid) if workers > 1 else [pid]


def measure(data_dir: Path, workers: int, requests: int) -> dict[str, object]:
    proc, base = start_server(data_dir, threads=4, workers=workers)
    try:
        deadline = time.monotonic() + 30
        while len(worker_pids(proc.pid, workers)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        if len(worker_pids(proc.pid, workers)) < workers:
            raise SystemExit(f"kb serve started {len(children(proc.pid))} of {workers} workers")
        before = {pid: rollup(pid) for pid in worker_pids(proc.pid, workers)}
        urls = build_urls(base)
        urls += [u.replace("/search?", "/api/search?", 1) for u in urls]
        tally = Tally()
        budget = [requests]
        threads = [
            threading.Thread(target=client, args=(base, urls, i * 7, budget, tally))
            for i in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = {pid: rollup(pid) for pid in worker_pids(proc.pid, workers)}
        return {
            "data_dir": str(data_dir),
            "workers": workers,
            "requests": requests,
            "errors": tally.errors,
            "parent_mb": rollup(proc.pid),
            "workers_before_mb": list(before.values()),
            "workers_after_mb": list(after.values()),
            "max_worker_private_mb": max(v["Private"] for v in after.values()),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 65), metavar="1..64")
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    print(json.dumps(measure(args.data_dir, args.workers, args.requests), indent=2))


if __name__ == "__main__":
    main()
