"""Server configurations compared in the same minutes: pages never asked, in interleaved bursts.

On a shared machine the load changes from one 30-second run to the next by more than the
difference between two ``kb serve`` configurations. This starts one server per configuration
(``--config 2x1 --config 2x8 ...``: workers x threads, or ``NAME=WORKERSxTHREADS@CHECKOUT`` to
serve another checkout), warms each on the cycled pages of bench/web_bench.py, then runs
``--rounds`` rounds; in each round every server in turn gets a burst of ``--burst`` pages never
asked before (each server sees each page once; all servers the same pages) from ``--clients``
keep-alive clients. The latencies of all bursts are pooled per configuration: median / p95 /
p99, pages per second of the bursts, and the CPU per page of the server's workers and of the
clients.

    .venv/bin/python bench/web_configs.py --data-dir /work/bench-data/100k/data \\
        --config 2x1 --config 2x2 --config 2x8 --rounds 5 --burst 200
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stats import floor_rank
from bench.web_bench import (
    ROOT,
    Tally,
    build_urls,
    client,
    cpu_ms,
    distinct_pages,
    get,
    start_server,
    worker_pids,
)


def parse_config(text: str) -> tuple[str, int, int, Path]:
    """``2x8``, ``name=2x8`` or ``name=2x8@/tmp/checkout`` -> (name, workers, threads, code)."""
    match = re.fullmatch(r"(?:([\w.-]+)=)?(\d+)x(\d+)(?:@(.+))?", text)
    if not match:
        raise SystemExit(f"--config {text!r}: WORKERSxTHREADS, NAME=WORKERSxTHREADS[@CHECKOUT]")
    name, workers, threads, code = match.groups()
    return name or f"{workers}x{threads}", int(workers), int(threads), Path(code or ROOT)


def burst(base: str, pages: list[str], clients: int, tally: Tally) -> float:
    """Each of ``clients`` keep-alive clients asks its share of ``pages`` once; the wall time."""
    shares = [pages[k::clients] for k in range(clients)]
    threads = [
        threading.Thread(target=client, args=(base, share, 0, [len(share)], tally))
        for share in shares
        if share
    ]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--config", action="append", required=True, help="e.g. 2x8 or new=2x8@DIR")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--burst", type=int, default=200, help="pages per server per round")
    parser.add_argument(
        "--warm-distinct", type=int, default=0, help="other never-asked pages first, unmeasured"
    )
    args = parser.parse_args(argv)
    configs = [parse_config(c) for c in args.config]
    servers = []
    try:
        for name, workers, threads, code in configs:
            proc, base = start_server(args.data_dir, threads, workers, code)
            servers.append((name, proc, base))
        first = urlsplit(servers[0][2])
        conn = http.client.HTTPConnection(first.hostname or "127.0.0.1", first.port, timeout=60)
        pool = distinct_pages(lambda path: get(conn, path))
        conn.close()
        random.Random(7).shuffle(pool)
        warm_pages: set[str] = set()
        for _name, _proc, base in servers:
            urls = build_urls(base)
            warm_pages.update(urls)
            burst(base, urls * 4, args.clients, Tally())  # readers, templates, cycled pages
        pool = [p for p in pool if p not in warm_pages]
        needed = args.rounds * args.burst
        if len(pool) < needed + args.warm_distinct:
            raise SystemExit(f"only {len(pool)} pages never asked for {needed}")
        steady = pool[needed : needed + args.warm_distinct]
        for _name, _proc, base in servers:  # other never-asked pages, unmeasured (web_bench.py)
            burst(base, steady, args.clients, Tally())
        tallies = {name: Tally() for name, _p, _b in servers}
        walls = dict.fromkeys(tallies, 0.0)
        client_cpu = dict.fromkeys(tallies, 0.0)
        server_cpu = dict.fromkeys(tallies, 0.0)
        by_worker: dict[str, list[float]] = {name: [] for name in tallies}
        load_before = os.getloadavg()[0]
        for r in range(args.rounds):
            pages = pool[r * args.burst : (r + 1) * args.burst]
            order = servers if r % 2 == 0 else servers[::-1]  # neither always goes first
            for name, proc, base in order:
                pids = worker_pids(proc.pid)
                before = [cpu_ms(pid) for pid in pids]
                cpu_began = time.process_time()
                walls[name] += burst(base, pages, args.clients, tallies[name])
                client_cpu[name] += (time.process_time() - cpu_began) * 1000
                spent = [cpu_ms(pid) - b for pid, b in zip(pids, before, strict=True)]
                server_cpu[name] += sum(spent)
                # How evenly the workers shared the burst: the busiest worker's share.
                by_worker[name].append(max(spent) / max(sum(spent), 1e-9))
        print(f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}")
        print(
            "config     pages errors median    p95     p99  pages/s server-CPU client-CPU"
            "  busiest worker's share"
        )
        for name, tally in tallies.items():
            lat = sorted(tally.latencies)
            n = len(lat)
            print(
                f"{name:<10} {n:>5} {sum(tally.errors.values()):>6} "
                f"{statistics.median(lat) * 1e3:6.1f} {floor_rank(lat, 0.95) * 1e3:7.1f} "
                f"{floor_rank(lat, 0.99) * 1e3:7.1f} {n / walls[name]:8.1f} "
                f"{server_cpu[name] / n:8.2f} ms {client_cpu[name] / n:7.2f} ms  "
                + " ".join(f"{share:.0%}" for share in by_worker[name])
            )
    finally:
        for _name, proc, _base in servers:
            proc.terminate()
            proc.wait(timeout=30)
            if proc.stdout:
                proc.stdout.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
