"""Search benchmark at scale: our engine against a naive Whoosh set-up, in one run.

    python bench/search_bench.py build --docs 100000 --out bench/out/100k
    python bench/search_bench.py run --out bench/out/100k

`build` writes the Kunskapsbanken index (Swedish analysis, two writer processes) and a naive
Whoosh index (StandardAnalyzer, KEYWORD facets) of the same generated documents, timing each.
`run` times, over a fixed set of queries (half with filters) after a warm-up with *other*
queries: search + all facet counts, plain top-10, browse with filters only; and the naive
set-up's top-10 and top-10 + `groupedby` facets. It prints medians, p95 and ratios, and writes
results.json beside the indexes. `first` times the first searches of a freshly opened index:
what the per-generation caches (postings, phrase checks) cost the first officer after a commit.

    python bench/search_bench.py first --data-dir bench/out/100k/data --query e-tjänst
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus_gen import BenchQuery, CorpusGenerator
from bench.stats import rounded_rank
from kb.config import Settings
from kb.errors import KbError
from kb.index.builds import IndexStore
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy

# These timings are of the search itself: results kept for a search asked again
# (kb.search.result_cache) would answer the repeated benchmark queries from memory.
os.environ["KB_RESULT_CACHE_ENTRIES"] = "0"


FAVOURED_REGIONS = ("fyrbodal", "skaraborg", "sjuharad", "goteborgsregionen", "jonkopings-lan")


def _generator() -> CorpusGenerator:
    tax = Taxonomy.load()
    favoured = sorted({c for r in FAVOURED_REGIONS for c in tax.regions[r].members})
    return CorpusGenerator(sorted(tax.municipalities), favoured)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the build's worker processes):
    on a shared machine a steadier measure of the work than the wall clock."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


@click.group()
def cli() -> None:
    """Build and run the search benchmark."""


@cli.command()
@click.option("--docs", type=int, default=100_000, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--procs", type=int, default=2, show_default=True)
@click.option("--skip-naive", is_flag=True)
@click.option("--skip-ours", is_flag=True)
def build(docs: int, out: Path, procs: int, skip_naive: bool, skip_ours: bool) -> None:
    """Generate ``docs`` documents and index them twice (ours, naive)."""
    out.mkdir(parents=True, exist_ok=True)
    gen = _generator()
    build_file = out / "build.json"
    record: dict[str, object] = json.loads(build_file.read_text()) if build_file.exists() else {}
    record.update(docs=docs, procs=procs, load_average_start=[round(x, 1) for x in os.getloadavg()])
    if not skip_ours:
        t0, c0 = time.perf_counter(), _cpu_s()
        store = IndexStore(out / "data" / "index")
        with store.write_lock(timeout=5):
            count = store.rebuild(gen.documents(docs), procs=procs, total=docs)
        record["ours_build_s"] = round(time.perf_counter() - t0, 1)
        record["ours_build_cpu_s"] = round(_cpu_s() - c0, 1)
        record["ours_index_mb"] = round(_dir_mb(store.current_dir()), 1)
        record["ours_build_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        click.echo(
            f"ours: {count} docs in {record['ours_build_s']} s "
            f"(CPU {record['ours_build_cpu_s']} s), {record['ours_index_mb']} MB"
        )
    if not skip_naive:
        from bench.naive import build_naive

        t0, c0 = time.perf_counter(), _cpu_s()
        build_naive(out / "naive", gen.documents(docs), procs=procs)
        record["naive_build_s"] = round(time.perf_counter() - t0, 1)
        record["naive_build_cpu_s"] = round(_cpu_s() - c0, 1)
        record["naive_index_mb"] = round(_dir_mb(out / "naive"), 1)
        click.echo(
            f"naive: {record['naive_build_s']} s (CPU {record['naive_build_cpu_s']} s), "
            f"{record['naive_index_mb']} MB"
        )
    record["load_average_end"] = [round(x, 1) for x in os.getloadavg()]
    build_file.write_text(json.dumps(record, indent=2))


def _request(q: BenchQuery, text: bool = True, page_size: int = 10) -> SearchRequest:
    filters = {
        "focus_area": q.focus_areas,
        "municipality": q.municipalities,
        "region": q.regions,
        "doc_type": q.doc_types,
    }
    if "filters" not in SearchRequest.__dataclass_fields__:
        # SearchRequest before the facet registry (one field per facet): this script also times
        # older commits, copied beside their code, for before/after figures.
        old = {"focus_area": "focus_areas", "municipality": "municipalities"}
        old |= {"region": "regions", "doc_type": "doc_types"}
        kwargs: dict[str, Any] = {old[k]: v for k, v in filters.items()}
    else:
        kwargs = {"filters": filters}
    return SearchRequest(
        q=q.text if text else "",
        year_from=q.year_from,
        year_to=q.year_to,
        page_size=page_size,
        **kwargs,
    )


def _summary(times: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    summary = {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(rounded_rank(ms, 0.95), 1),
        "max_ms": round(ms[-1], 1),
    }
    if cpu is not None:  # the snippet timer measures wall-clock time only
        cpu_ms = sorted(t * 1000 for t in cpu)
        # CPU time of the searching process: what the code costs, less swayed by other processes
        # on a shared machine than the wall-clock figures above.
        summary["median_cpu_ms"] = round(statistics.median(cpu_ms), 1)
        summary["p95_cpu_ms"] = round(rounded_rank(cpu_ms, 0.95), 1)
    return summary


class _SnippetTimer:
    """Times every snippet the engine makes while installed (the function as kb.search.hits,
    which makes each hit, looks it up)."""

    def __init__(self) -> None:
        import kb.search.hits as hits

        self.hits = hits
        self.original = hits.snippet_from_compressed
        self.times: list[float] = []

        def timed(*args, **kwargs):
            t = time.perf_counter()
            out = self.original(*args, **kwargs)
            self.times.append(time.perf_counter() - t)
            return out

        hits.snippet_from_compressed = timed

    def stop(self) -> None:
        self.hits.snippet_from_compressed = self.original


def _time_snippets() -> _SnippetTimer:
    return _SnippetTimer()


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--queries", type=int, default=240, show_default=True)
@click.option("--skip-naive", is_flag=True)
def run(out: Path, queries: int, skip_naive: bool) -> None:
    """Time both set-ups over the same fixed queries."""
    gen = _generator()
    fixed = gen.queries(queries, regions=FAVOURED_REGIONS)
    warm = gen.queries(100, seed_offset=7, regions=FAVOURED_REGIONS)
    results: dict[str, object] = {"queries": len(fixed)}
    rss0 = _rss_mb()
    kb = KnowledgeBase.open(Settings.from_env(data_dir=out / "data"))
    t0 = time.perf_counter()
    kb.search(SearchRequest())
    results["ours_open_s"] = round(time.perf_counter() - t0, 2)
    for q in warm:
        kb.search(_request(q))

    def cold(q: BenchQuery):
        # Drop the decoded-postings cache first: every term is read from the index files again.
        for snap in list(kb._snapshots.values()):
            snap.cache.clear()
        return kb.search(_request(q))

    modes = {
        "ours_search_facets": lambda q: kb.search(_request(q)),
        "ours_top10": lambda q: kb.search(_request(q), facets=False),
        "ours_browse_facets": lambda q: kb.search(_request(q, text=False)),
        # Last, because it empties the cache the modes above share.
        "ours_search_facets_cold_cache": cold,
    }
    totals: list[int] = []
    snippet_times = _time_snippets()
    for name, fn in modes.items():
        times, cpu = [], []
        for q in fixed:
            gc.collect(0)
            t, c = time.perf_counter(), time.process_time()
            r = fn(q)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            if name == "ours_search_facets":
                totals.append(r.total)
        results[name] = _summary(times, cpu)
        click.echo(f"{name}: {results[name]}")
    snippet_times.stop()
    results["ours_snippet_per_hit"] = _summary(snippet_times.times)
    click.echo(f"ours_snippet_per_hit: {results['ours_snippet_per_hit']}")
    results["matches_median"] = statistics.median(totals)
    results["matches_max"] = max(totals)
    results["zero_hit_queries"] = sum(1 for t in totals if t == 0)
    results["ours_rss_mb"] = round(_rss_mb(), 1)
    results["ours_rss_growth_mb"] = round(_rss_mb() - rss0, 1)
    if not skip_naive:
        from bench.naive import NaiveSearch

        naive = NaiveSearch(out / "naive")
        for q in warm[:30]:
            naive.search_facets(q)
        for name, fn in {
            "naive_search_facets": naive.search_facets,
            "naive_top10": naive.top10,
        }.items():
            times, cpu = [], []
            for q in fixed:
                gc.collect(0)
                t, c = time.perf_counter(), time.process_time()
                fn(q)
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            results[name] = _summary(times, cpu)
            click.echo(f"{name}: {results[name]}")
        for ours, theirs in (
            ("ours_search_facets", "naive_search_facets"),
            ("ours_top10", "naive_top10"),
        ):
            o, n = results[ours], results[theirs]
            results[f"ratio_{ours}"] = {
                "median": round(n["median_ms"] / o["median_ms"], 1),  # type: ignore[index]
                "p95": round(n["p95_ms"] / o["p95_ms"], 1),  # type: ignore[index]
            }
    build_file = out / "build.json"
    if build_file.exists():
        results["build"] = json.loads(build_file.read_text())
    (out / "results.json").write_text(json.dumps(results, indent=2))
    click.echo(json.dumps(results, indent=2))


@cli.command()
@click.option("--data-dir", type=click.Path(path_type=Path), required=True)
@click.option("--query", "queries", multiple=True, default=("e-tjänst",), show_default=True)
@click.option("--repeat", type=int, default=2, show_default=True)
def first(data_dir: Path, queries: tuple[str, ...], repeat: int) -> None:
    """Time each query ``repeat`` times on a freshly opened index, with the query time budget on."""
    kb = KnowledgeBase.open(Settings.from_env(data_dir=data_dir))
    kb.search(SearchRequest(q="kommun", page_size=1))  # opens the readers and the snapshot
    for q in queries:
        for i in range(1, repeat + 1):
            wall, cpu = time.perf_counter(), _cpu_s()
            try:
                outcome = f"{kb.search(SearchRequest(q=q)).total} hits"
            except KbError as exc:  # the query time budget: what the officer would see
                outcome = f"error: {exc}"
            wall_ms = (time.perf_counter() - wall) * 1000
            cpu_ms = (_cpu_s() - cpu) * 1000
            click.echo(f"{q!r} search {i}: {wall_ms:.0f} ms wall, {cpu_ms:.0f} ms CPU, {outcome}")
    kb.close()


if __name__ == "__main__":
    cli()
