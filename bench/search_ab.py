"""Two versions of the code timed over the same searches, interleaved query by query, in one run.

    python bench/search_ab.py --data /work/bench-data/100k-final/data \\
        --code before=/tmp/code-before --code after=.

On a shared machine the load changes from minute to minute, so timing one checkout after the
other compares the machine more than the code. Here each version runs in its own worker process
(started in its checkout, so it imports that checkout's ``kb``), both open the same index and
warm up on the same queries as ``bench/search_bench.py run``, and then every query of every mode
goes to one worker and at once to the other (the order alternating), so both meet the same load.
Each worker reports wall-clock and CPU time of ``KnowledgeBase.search`` only. The script prints
medians and p95 per version and mode, the load average before and after, and checks that both
versions found the same number of documents for every query.

A checkout of an older commit: ``git archive COMMIT | tar -x -C /tmp/code-before``. An index
of another format (the same documents built by another checkout) is compared with
``--data-for NAME=DATA``: that version searches DATA instead of ``--data``. The worker
uses only ``bench.search_bench`` helpers that older checkouts have too.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

# These timings are of the search itself: results kept for a search asked again
# (kb.search.result_cache) would answer the repeated benchmark queries from memory.
os.environ["KB_RESULT_CACHE_ENTRIES"] = "0"


MODES = ("search_facets", "top10", "browse_facets", "search_facets_cold_cache")


def _worker(data: Path, queries: int, warm_up: int = 100) -> None:
    """Answer one JSON request a line on stdin: {"mode": ..., "i": query index}."""
    import gc
    import time

    sys.path.insert(0, os.getcwd())  # this checkout's kb and bench, not the driver's
    from bench.search_bench import FAVOURED_REGIONS, _generator, _request
    from kb.config import Settings
    from kb.search.request import SearchRequest
    from kb.service import KnowledgeBase

    gen = _generator()
    fixed = gen.queries(queries, regions=FAVOURED_REGIONS)
    warm = gen.queries(warm_up, seed_offset=7, regions=FAVOURED_REGIONS)
    kb = KnowledgeBase.open(Settings.from_env(data_dir=data))
    kb.search(SearchRequest())
    for q in warm:
        kb.search(_request(q))

    modes = {
        "search_facets": lambda q: kb.search(_request(q)),
        "top10": lambda q: kb.search(_request(q), facets=False),
        "browse_facets": lambda q: kb.search(_request(q, text=False)),
    }
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        q = fixed[ask["i"]]
        fn = modes[ask["mode"].removesuffix("_cold_cache")]
        if ask["mode"].endswith("_cold_cache"):
            # Drop the decoded-postings cache: every term is read from the index files again.
            for snap in list(kb._snapshots.values()):
                snap.cache.clear()
        gc.collect(0)
        t, c = time.perf_counter(), time.process_time()
        r = fn(q)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(json.dumps({"wall": wall, "cpu": cpu, "total": r.total}), flush=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def _summary(rows: list[dict[str, float]]) -> dict[str, float]:
    wall = [r["wall"] * 1000 for r in rows]
    cpu = [r["cpu"] * 1000 for r in rows]
    return {
        "n": len(rows),
        "median_ms": round(statistics.median(wall), 1),
        "p95_ms": round(_p95(wall), 1),
        "median_cpu_ms": round(statistics.median(cpu), 1),
        "p95_cpu_ms": round(_p95(cpu), 1),
        "mean_cpu_ms": round(statistics.mean(cpu), 2),
        "max_cpu_ms": round(max(cpu), 1),
    }


class _Worker:
    def __init__(self, name: str, code: Path, data: Path, queries: int, warm_up: int) -> None:
        self.name = name
        env = dict(os.environ, PYTHONPATH=str(code))
        script = str(Path(__file__).resolve())
        self.proc = subprocess.Popen(
            [
                sys.executable,
                script,
                "worker",
                "--data",
                str(data),
                "--queries",
                str(queries),
                "--warm-up",
                str(warm_up),
            ],
            cwd=code,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return answer

    def wait_ready(self) -> None:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise click.ClickException(f"worker {self.name} failed to start")

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


@click.group()
def cli() -> None:
    pass


@cli.command()
@click.option("--data", type=click.Path(path_type=Path), required=True)
@click.option("--queries", type=int, default=240)
@click.option("--warm-up", type=int, default=100)
def worker(data: Path, queries: int, warm_up: int) -> None:
    """(Internal) one version's searching process."""
    _worker(data, queries, warm_up)


@cli.command()
@click.option("--data", type=click.Path(path_type=Path), required=True, help="The data folder.")
@click.option(
    "--code", "codes", multiple=True, required=True, help="NAME=CHECKOUT, given twice or more."
)
@click.option(
    "--data-for",
    "data_for",
    multiple=True,
    help="NAME=DATA: this version searches another data folder (an index of another format).",
)
@click.option("--queries", type=int, default=240, show_default=True)
@click.option("--modes", default=",".join(MODES), show_default=True)
@click.option(
    "--warm-up",
    type=int,
    default=100,
    show_default=True,
    help="Queries each worker answers before timing (more: the caches of a long-running worker).",
)
@click.option("--json-out", type=click.Path(path_type=Path), default=None)
def run(
    data: Path,
    codes: tuple[str, ...],
    data_for: tuple[str, ...],
    queries: int,
    modes: str,
    warm_up: int,
    json_out: Path | None,
) -> None:
    """Time the versions, interleaved, and print medians and p95 (wall and CPU)."""
    versions = [c.split("=", 1) for c in codes]
    folders = {n: Path(d) for n, d in (f.split("=", 1) for f in data_for)}
    unknown = set(folders) - {n for n, _ in versions}
    if unknown:
        raise click.BadParameter(f"no --code named {sorted(unknown)}", param_hint="--data-for")
    load_start = [round(x, 2) for x in os.getloadavg()]
    workers = [
        _Worker(n, Path(code).resolve(), folders.get(n, data).resolve(), queries, warm_up)
        for n, code in versions
    ]
    for w in workers:
        w.wait_ready()
    rows: dict[str, dict[str, list[dict[str, float]]]] = {w.name: {} for w in workers}
    mismatched = 0
    for mode in modes.split(","):
        for i in range(queries):
            order = workers if i % 2 == 0 else workers[::-1]
            answers = {w.name: w.ask({"mode": mode, "i": i}) for w in order}
            if len({a["total"] for a in answers.values()}) > 1:
                mismatched += 1
            for name, a in answers.items():
                rows[name].setdefault(mode, []).append(a)
    for w in workers:
        w.close()
    result: dict[str, Any] = {
        "queries": queries,
        "warm_up": warm_up,
        "load_average_start": load_start,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "queries_with_different_totals": mismatched,
        "versions": {name: dict(versions)[name] for name in rows},
        "data": {name: str(folders.get(name, data)) for name in rows},
    }
    for name, by_mode in rows.items():
        result[name] = {mode: _summary(r) for mode, r in by_mode.items()}
    click.echo(f"load average {load_start} -> {result['load_average_end']}")
    click.echo(f"{'mode':<26} {'version':<10} wall median / p95    CPU median / p95 (max), mean")
    for mode in modes.split(","):
        for name in rows:
            s = result[name][mode]
            click.echo(
                f"{mode:<26} {name:<10} {s['median_ms']:7.1f} / {s['p95_ms']:7.1f}   "
                f"{s['median_cpu_ms']:7.1f} / {s['p95_cpu_ms']:7.1f} ({s['max_cpu_ms']:.1f}), "
                f"{s['mean_cpu_ms']:.2f}"
            )
    click.echo(f"queries whose totals differ between versions: {mismatched}")
    if json_out is not None:
        json_out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    cli()
