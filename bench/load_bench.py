"""Reliability benchmark: expensive wildcard queries, and searches over HTTP while an ingest runs.

``wildcards``: the time of a 32-prefix OR of wildcards in this process, with the query limits
of kb.search.budget off and on (the settings' defaults):

    .venv/bin/python bench/load_bench.py wildcards --data-dir bench/out/100k/data

``load``: starts ``kb serve`` over ``--data-dir`` (request limits off: every client is
127.0.0.1), starts ``kb ingest`` of ``--ingest-docs`` generated text files into the same data
folder, and runs ``--clients`` keep-alive HTTP clients on results pages and /api/search (one of
them sending the 32-prefix wildcard query) until ``--requests`` answers are in. Prints failed
requests, median, p95 and max, and what the ingest reported. The ingest adds its documents to
``--data-dir`` for good, so it runs only with ``--write-data-dir`` (a copy made for the run, never
a shared index); ``--ingest-docs 0`` measures the same load without it and writes nothing:

    cp -a bench/out/100k/data /tmp/load-100k
    .venv/bin/python bench/load_bench.py load --data-dir /tmp/load-100k --write-data-dir
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stats import floor_rank
from bench.web_bench import ROOT, Tally, build_urls, client, start_server

# 32 two-letter prefixes (a wildcard needs two letters), common starts of Swedish words.
PREFIXES = [a + b for a in "kbdfghlm" for b in "aeio"]
WILDCARDS = " OR ".join(f"{p}*" for p in PREFIXES)


def wildcards(data_dir: Path, repeat: int) -> dict[str, object]:
    from kb.config import Settings
    from kb.search.request import SearchRequest
    from kb.service import KnowledgeBase

    figures: dict[str, object] = {"query": f"{len(PREFIXES)} prefixes: {WILDCARDS[:40]}..."}
    # None keeps the configured value (Settings.from_env skips None overrides).
    for name, budget, expansions in (("unlimited", 0.0, 10**6), ("limited", None, None)):
        settings = Settings.from_env(
            data_dir=data_dir, query_time_budget=budget, max_wildcard_expansions=expansions
        )
        with KnowledgeBase.open(settings) as kb:
            kb.search(SearchRequest(q="kommun"))  # the snapshot, built once per index
            times, total, error = [], 0, ""
            for _ in range(repeat):
                began = time.perf_counter()
                try:
                    total = kb.search(SearchRequest(q=WILDCARDS)).total
                except Exception as err:  # the budget's error is a result here
                    error = type(err).__name__
                times.append(time.perf_counter() - began)
        figures[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
            "total": total,
            "error": error or "-",
        }
    return figures


def _write_docs(folder: Path, n: int) -> None:
    words = ["kommun", "digitalisering", "e-arkiv", "bygglov", "e-tjänst", "bredband"]
    for i in range(n):
        body = " ".join(words[(i + k) % len(words)] for k in range(400))
        text = f"Lastdokument {i}\n{body} nummer{i}"
        (folder / f"last{i:05d}.txt").write_text(text, encoding="utf-8")


def _summary(lat: list[float]) -> dict[str, float]:
    lat = sorted(lat)
    if not lat:
        return {}
    return {
        "median_ms": round(statistics.median(lat) * 1000, 1),
        "p95_ms": round(floor_rank(lat, 0.95) * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1),
    }


def load(data_dir: Path, clients: int, requests: int, ingest_docs: int) -> dict[str, object]:
    proc, base = start_server(data_dir, threads=max(8, clients))
    tmp = Path(tempfile.mkdtemp(prefix="kb-load-"))
    try:
        urls = build_urls(base)
        urls += ["/api/search?" + urlencode({"q": q}) for q in ("e-arkiv", "bygglov", "kommun")]
        hostile = ["/api/search?" + urlencode({"q": WILDCARDS})]
        folder = tmp / "docs"
        folder.mkdir()
        _write_docs(folder, ingest_docs)
        env = dict(os.environ, PYTHONPATH=str(ROOT), KB_WRITER_TIMEOUT="120")
        began = time.perf_counter()
        ingest = subprocess.Popen(
            [sys.executable, "-m", "kbcli.main", "ingest", str(folder), "--delay", "0",
             "--batch-size", "50", "--data-dir", str(data_dir)],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        tally, bad = Tally(), Tally()
        budget, bad_budget = [requests], [max(requests // 20, 5)]
        threads = [
            threading.Thread(target=client, args=(base, urls, k * 7, budget, tally))
            for k in range(clients - 1)
        ]
        threads.append(threading.Thread(target=client, args=(base, hostile, 0, bad_budget, bad)))
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        running = ingest.poll() is None
        out, err = ingest.communicate(timeout=3600)
        ingest_s = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()
    lines = out.strip().splitlines()
    return {
        "clients": clients,
        "requests": len(tally.latencies) + sum(tally.errors.values()),
        "failed": sum(tally.errors.values()),
        "failed_statuses": tally.errors or "-",
        **_summary(tally.latencies),
        "rps": round(len(tally.latencies) / wall, 1),
        "wildcard_client": {
            "answered_200": len(bad.latencies),
            "refused": bad.errors or "-",
            **_summary(bad.latencies),
        },
        "ingest_still_running_when_clients_ended": running,
        "ingest_exit": ingest.returncode,
        "ingest_s": round(ingest_s, 1),
        "ingest_summary": lines[-1] if lines else err.strip()[-200:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("wildcards")
    w.add_argument("--data-dir", type=Path, required=True)
    w.add_argument("--repeat", type=int, default=3)
    ld = sub.add_parser("load")
    ld.add_argument("--data-dir", type=Path, required=True)
    ld.add_argument("--clients", type=int, default=16)
    ld.add_argument("--requests", type=int, default=2000)
    ld.add_argument("--ingest-docs", type=int, default=300)
    ld.add_argument(
        "--write-data-dir",
        action="store_true",
        help="let the ingest add its documents to --data-dir (a copy for this run)",
    )
    args = parser.parse_args(argv)
    if args.command == "load" and args.ingest_docs and not args.write_data_dir:
        parser.error(
            f"load would ingest {args.ingest_docs} documents into {args.data_dir} for good: "
            "copy it first and pass --write-data-dir, or measure without it (--ingest-docs 0)"
        )
    if args.command == "wildcards":
        figures = wildcards(args.data_dir, args.repeat)
    else:
        figures = load(args.data_dir, args.clients, args.requests, args.ingest_docs)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
