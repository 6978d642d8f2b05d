"""Web benchmark: results pages with facets under concurrent clients, against waitress on 127.0.0.1.

Starts ``kb serve --workers 2`` (waitress; as README and scripts/run.sh deploy it: one process per
core) in a subprocess on a free port over ``--data-dir``, builds a set of
realistic results-page URLs from the index itself (queries x facet filters taken from
/api/search), warms up, then runs ``--clients`` threads with keep-alive http.client connections
until ``--requests`` responses are in. Prints median / p95 / p99 latency, requests per second and
the load average before and after, and the CPU the clients themselves spent (they share the
machine's cores with the server) beside each server worker's (Linux /proc). ``--workers 1``
measures one process (the figures before 2026-12-06 evening); ``--code DIR`` serves another
checkout (a ``git archive`` copy) with this client, to compare servers with the same load.

    .venv/bin/python bench/web_bench.py --data-dir data --clients 10 --requests 1000
    .venv/bin/python bench/web_bench.py --data-dir data --distinct     # no page asked twice
    .venv/bin/python bench/web_bench.py --data-dir data --distinct --warm-distinct 200  # ... on a
        # server that has already answered other never-asked pages (steady state, not a fresh start)
    .venv/bin/python bench/web_bench.py --url http://127.0.0.1:8000   # an already running server

The usual run cycles through ~48 pages, so once the server keeps results (the result cache,
``KB_RESULT_CACHE_ENTRIES``) most answers come from it: ``--distinct`` measures the search itself,
``KB_RESULT_CACHE_ENTRIES=0`` in the environment turns the cache off for the server started.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stats import floor_rank

ROOT = Path(__file__).resolve().parent.parent
QUERIES = (
    "e-arkiv",
    "bygglov",
    "informationssäkerhet",
    "digital kompetens",
    "välfärdsteknik",
    "bredband",
    "e-tjänst",
    "",
)
# The environment of every benchmarked server or app (bench/page_cpu.py, page_compare.py,
# markup_cache_memory.py run the app in their own process). Every bench client comes from
# 127.0.0.1: one "client" to the request limits, so they are off. The benchmark index is shared
# and read only: no query statistics written into it. An empty folder gets no demo corpus.
BENCH_ENV = {
    "KB_RATE_LIMIT_PAGES": "",
    "KB_RATE_LIMIT_API": "",
    "KB_QUERY_STATS_DAYS": "0",
    "KB_INGEST_DEMO_ON_START": "false",
}
LOG_FILE = Path(os.environ.get("TMPDIR", "/tmp")) / f"kb-web-bench-server-{os.getpid()}.log"
LAUNCHER = "import sys; from kbcli.serve_command import serve; serve(sys.argv[1:])"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def start_server(
    data_dir: Path, threads: int, workers: int = 1, code: Path = ROOT
) -> tuple[subprocess.Popen[str], str]:
    """``kb serve --port 0 --workers N`` of the checkout ``code`` in a subprocess; returns it and
    its base URL."""
    env = dict(os.environ, **BENCH_ENV, PYTHONPATH=str(code))
    cmd = [sys.executable, "-c", LAUNCHER, "--data-dir", str(data_dir), "--port", "0"]
    cmd += ["--threads", str(threads), "--workers", str(workers)]
    # The server's log (waitress warns on every queued request under load) goes to a file.
    log = open(LOG_FILE, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=env, cwd=code)
    log.close()
    assert proc.stdout is not None
    for line in proc.stdout:
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if match:
            return proc, match.group(1)
    proc.wait()
    raise SystemExit(f"kb serve stopped before it listened (exit {proc.returncode})")


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": "text/html"})
    response = conn.getresponse()
    return response.status, response.read()


def search_urls(q: str, facets: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The results pages of one query: alone, with one focus area, region or type, two
    municipalities sorted newest, and page 2 from its earliest year (``facets`` as /api/search)."""
    top = {name: [v["value"] for v in values if v["count"]][:2] for name, values in facets.items()}
    base_params = [("q", q)] if q else []
    urls = ["/search?" + urlencode(base_params)]
    for name in ("focus_area", "region", "doc_type"):
        if top.get(name):
            urls.append("/search?" + urlencode([*base_params, (name, top[name][0])]))
    munis = top.get("municipality", [])
    if len(munis) == 2:
        two = [("municipality", munis[0]), ("municipality", munis[1])]
        urls.append("/search?" + urlencode([*base_params, *two, ("sort", "newest")]))
    years = sorted(top.get("year", []))
    if years:
        urls.append("/search?" + urlencode([*base_params, ("year_from", years[0]), ("page", "2")]))
    return urls


def build_urls(base: str) -> list[str]:
    """Results pages with facets, from the values the index actually has."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    urls: list[str] = []
    for q in QUERIES:
        status, body = get(conn, "/api/search?" + urlencode({"q": q, "page_size": 1}))
        if status != 200:
            continue
        urls += search_urls(q, json.loads(body)["facets"])
    # Keep only pages that answer 200 directly (a page past the end redirects, which is not
    # what this benchmark measures).
    checked = []
    for url in urls:
        status, _body = get(conn, url)
        if status == 200:
            checked.append(url)
    conn.close()
    return checked


def distinct_urls(base: str, count: int) -> list[str]:
    """``count`` different results pages (none asked twice, so no cache can answer them): the
    benchmark queries crossed with focus areas, regions, document types and both sorts, in a
    fixed shuffled order."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    combos = distinct_pages(lambda path: get(conn, path))
    conn.close()
    random.Random(7).shuffle(combos)
    if len(combos) < count:
        raise SystemExit(f"only {len(combos)} distinct pages for {count} requests")
    return combos[:count]


def distinct_pages(fetch: Callable[[str], tuple[int, bytes]]) -> list[str]:
    """The pages of ``distinct_urls`` in their unshuffled order; ``fetch(path)`` gives the
    status and body of an API request (HTTP here, Flask's test client in bench/page_cpu.py)."""
    combos: list[str] = []
    for q in QUERIES:
        status, body = fetch("/api/search?" + urlencode({"q": q, "page_size": 1}))
        if status != 200:
            continue
        facets = json.loads(body)["facets"]
        top = {n: [v["value"] for v in vals if v["count"]] for n, vals in facets.items()}
        options = {"focus_area": 5, "region": 5, "doc_type": 4}
        choices = [[None, *top.get(name, [])[:k]] for name, k in options.items()]
        for focus, region, doc_type in itertools.product(*choices):
            for sort in ("relevance", "newest"):
                params = [("q", q)] if q else []
                for name, value in zip(options, (focus, region, doc_type), strict=True):
                    if value is not None:
                        params.append((name, value))
                if sort != "relevance":
                    params.append(("sort", sort))
                combos.append("/search?" + urlencode(params))
    return combos


def client(base: str, urls: list[str], start: int, budget: list[int], tally: Tally) -> None:
    """Request ``urls`` in turn from ``start`` until the (shared) budget is spent."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    i = start
    while True:
        with tally.lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        path = urls[i % len(urls)]
        i += 1
        began = time.perf_counter()
        try:
            status, body = get(conn, path)
        except (OSError, http.client.HTTPException) as err:
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
            status, body = -1, str(err).encode()
        elapsed = time.perf_counter() - began
        with tally.lock:
            if status == 200:
                tally.latencies.append(elapsed)
                tally.bytes += len(body)
            else:
                key = str(status)
                tally.errors[key] = tally.errors.get(key, 0) + 1
    conn.close()


def worker_pids(server_pid: int) -> list[int]:
    """The processes serving under ``server_pid`` (its forked workers, or itself with one)."""
    try:
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children] or [server_pid]


def cpu_ms(pid: int) -> float:
    """User + system CPU of ``pid`` so far, in ms (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def run(
    base: str,
    clients: int,
    requests: int,
    warmup: int,
    distinct: bool = False,
    server_pid: int | None = None,
    warm_distinct: int = 0,
) -> dict[str, float | int | str]:
    urls = build_urls(base)
    if not urls:
        raise SystemExit("no results pages to request (is the index empty?)")
    # Warm up as the run itself connects (``clients`` connections, so that every server process
    # gets some): each process opens its readers and compiles its templates before the clock
    # starts, and a process that keeps results has seen each page a few times, as in steady use.
    warm = Tally()
    warm_budget = [max(warmup, 4 * len(urls))]
    warmers = [
        threading.Thread(target=client, args=(base, urls, k * 7, warm_budget, warm))
        for k in range(clients)
    ]
    for t in warmers:
        t.start()
    for t in warmers:
        t.join()
    tally = Tally()
    if distinct:
        # Warmed on the usual pages above; the measured pages were never asked before. Each
        # client asks its own share of them once.
        warmed = set(urls)
        pool = distinct_urls(base, requests + len(urls) + warm_distinct)
        pool = [u for u in pool if u not in warmed]
        urls, steady = pool[:requests], pool[requests : requests + warm_distinct]
        if steady:
            # Other pages never asked, not measured: a server that has run a while has met the
            # filter values of the measured pages on other pages (the engine keeps per-value
            # masks and postings); a fresh one makes them during the first ~30 measured pages.
            parts = [steady[k::clients] for k in range(clients)]
            warmers = [
                threading.Thread(target=client, args=(base, part, 0, [len(part)], warm))
                for part in parts
                if part
            ]
            for t in warmers:
                t.start()
            for t in warmers:
                t.join()
        shares = [urls[k::clients] for k in range(clients)]
        threads = [
            threading.Thread(target=client, args=(base, share, 0, [len(share)], tally))
            for share in shares
            if share
        ]
    else:
        budget = [requests]
        threads = [
            threading.Thread(target=client, args=(base, urls, k * 7, budget, tally))
            for k in range(clients)
        ]
    workers = worker_pids(server_pid) if server_pid is not None else []
    server_before = [cpu_ms(pid) for pid in workers]
    began = time.perf_counter()
    client_began = time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    # The clients' own CPU (every thread of this process): on a small machine it is taken from
    # the server's cores, so it is part of what a run measures.
    client_cpu = (time.process_time() - client_began) * 1000
    server_cpu = [round(cpu_ms(pid) - b) for pid, b in zip(workers, server_before, strict=True)]
    lat = sorted(tally.latencies)
    if not lat:
        raise SystemExit(f"every request failed: {tally.errors}")
    return {
        "urls": len(urls),
        "distinct": distinct,
        "clients": clients,
        "requests": len(lat),
        "errors": sum(tally.errors.values()),
        "error_statuses": ",".join(f"{k}x{v}" for k, v in sorted(tally.errors.items())) or "-",
        "median_ms": round(statistics.median(lat) * 1000, 1),
        "p95_ms": round(floor_rank(lat, 0.95) * 1000, 1),
        "p99_ms": round(floor_rank(lat, 0.99) * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1),
        "rps": round(len(lat) / wall, 1),
        "warm_distinct": warm_distinct if distinct else 0,
        "mean_kb": round(tally.bytes / len(lat) / 1024, 1),
        "client_cpu_ms_per_page": round(client_cpu / len(lat), 2),
        "client_cores": round(client_cpu / 1000 / wall, 2),
        "server_cpu_ms_per_page": round(sum(server_cpu) / len(lat), 2) if server_cpu else "-",
        "server_cpu_ms_by_worker": "/".join(map(str, server_cpu)) or "-",
        "server_cores": round(sum(server_cpu) / 1000 / wall, 2) if server_cpu else "-",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", type=Path, help="serve this data folder with `kb serve`")
    where.add_argument("--url", help="benchmark a server that is already running")
    parser.add_argument("--clients", type=int, default=10, help="concurrent client threads")
    parser.add_argument("--requests", type=int, default=500, help="measured requests in all")
    parser.add_argument(
        "--warmup", type=int, default=50, help="requests before measuring (at least 4 a page)"
    )
    parser.add_argument("--server-threads", type=int, default=8, help="waitress threads")
    parser.add_argument(
        "--workers", type=int, default=2, help="server processes (kb serve --workers; deployed: 2)"
    )
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="every measured request a page not asked before (no cache can answer it)",
    )
    parser.add_argument(
        "--warm-distinct",
        type=int,
        default=0,
        help="with --distinct: first ask N other never-asked pages, unmeasured (a server that has "
        "run a while; 0: measure from a fresh start, as before 2026-12-07)",
    )
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="serve this checkout (a `git archive` copy of another commit) with this client",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    proc = None
    base = args.url
    if args.data_dir is not None:
        proc, base = start_server(args.data_dir, args.server_threads, args.workers, args.code)
    load_before = os.getloadavg()[0]
    try:
        figures = run(
            base.rstrip("/"),
            args.clients,
            args.requests,
            args.warmup,
            args.distinct,
            server_pid=proc.pid if proc is not None else None,
            warm_distinct=args.warm_distinct,
        )
        figures["load"] = f"{load_before:.2f} -> {os.getloadavg()[0]:.2f}"
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
            if proc.stdout:
                proc.stdout.close()
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>10}: {value}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
