"""Comparison (cross-tab) benchmark: kb.search.compare over facet tables of N generated documents.

    python bench/compare_bench.py --docs 100000 --runs 50

The counting of a comparison reads only the snapshot's facet tables (numpy), so this builds those
tables directly (each document in one or two municipalities weighted towards five regions, one or
two focus areas, one document type) instead of a Whoosh index, and times ``compare`` without a
query (a query's matching is the search's own cost, measured by bench/search_bench.py). Against it:
the naive cross-tab, one mask and one sum per cell. Prints medians and the ratio.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.facets.registry import DEFAULT_FACETS
from kb.search.compare import chosen_rows, compare
from kb.search.engine import SearchContext
from kb.search.facets import FacetTable
from kb.search.request import SearchRequest
from kb.search.snapshot import Snapshot
from kb.service import ANALYSIS
from kb.taxonomy.model import Taxonomy


def _table(name: str, values: list[str], docs_per_value: list[np.ndarray], n: int) -> FacetTable:
    return FacetTable.from_postings(
        name, {v: np.unique(d) for v, d in zip(values, docs_per_value, strict=True)}, n
    )


def build_snapshot(n: int, tax: Taxonomy, seed: int = 7) -> Snapshot:
    rng = np.random.default_rng(seed)
    munis = list(tax.municipalities)
    favoured = [m for r in ("fyrbodal", "skaraborg", "sjuharad") for m in tax.regions[r].members]
    weights = np.ones(len(munis))
    weights[[munis.index(m) for m in favoured]] = 20.0
    weights /= weights.sum()

    def pairs(values: list[str], p: np.ndarray | None, second: float) -> list[np.ndarray]:
        first = rng.choice(len(values), size=n, p=p)
        extra = rng.random(n) < second
        other = rng.choice(len(values), size=n, p=p)
        docs = np.concatenate([np.arange(n), np.flatnonzero(extra)])
        vals = np.concatenate([first, other[extra]])
        return [docs[vals == i] for i in range(len(values))]

    tables = {
        "municipality": _table("municipality", munis, pairs(munis, weights, 0.2), n),
        "focus_area": _table(
            "focus_area", list(tax.focus_areas), pairs(list(tax.focus_areas), None, 0.4), n
        ),
        "doc_type": _table(
            "doc_type", list(tax.doc_types), pairs(list(tax.doc_types), None, 0.0), n
        ),
        "publisher": FacetTable.from_postings("publisher", {}, n),
        "year": FacetTable.from_postings("year", {}, n),
    }
    rollups = DEFAULT_FACETS.rollups(tax)
    tables["region"] = tables["municipality"].derive("region", rollups["region"])
    tables["county"] = tables["municipality"].derive("county", rollups["county"])
    live = np.ones(n, dtype=bool)
    return Snapshot(
        generation=("bench", 1),
        n_docs=n,
        live=live,
        live_count=n,
        lengths={},
        avg_length={},
        facets=tables,
        year_of=np.full(n, -1, dtype=np.int32),
        date_rank=np.zeros(n, dtype=np.int32),
        added_rank=np.zeros(n, dtype=np.int32),
    )


def naive(snap: Snapshot, rows: tuple[str, ...], columns: tuple[str, ...]) -> list[list[int]]:
    muni, area = snap.facets["municipality"], snap.facets["focus_area"]
    return [[int((muni.mask([r]) & area.mask([c])).sum()) for c in columns] for r in rows]


def _median_ms(fn: Any, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@click.command()
@click.option("--docs", type=int, default=100_000, show_default=True)
@click.option("--runs", type=int, default=50, show_default=True)
def main(docs: int, runs: int) -> None:
    """Time compare() for a region and for every municipality, against the naive cross-tab."""
    tax = Taxonomy.load()
    snap = build_snapshot(docs, tax)
    ctx = SearchContext(None, snap, tax, ANALYSIS)  # no query: no searcher
    columns = tuple(tax.focus_areas)
    cases = {
        "region fyrbodal": (chosen_rows(tax, ["fyrbodal"]), SearchRequest()),
        "region + doc_type filter": (
            chosen_rows(tax, ["fyrbodal"]),
            SearchRequest(filters={"doc_type": ("guide", "plan")}),
        ),
        "all 290 municipalities": (chosen_rows(tax), SearchRequest()),
    }
    for name, (rows, req) in cases.items():
        got = compare(ctx, req, rows)
        if not req.filters:
            assert [list(r) for r in got.counts] == naive(snap, rows, columns)
        ours = _median_ms(lambda rows=rows, req=req: compare(ctx, req, rows), runs)
        base = _median_ms(lambda rows=rows: naive(snap, rows, columns), max(runs // 10, 3))
        click.echo(
            f"{name:28} rows={len(rows):3}  compare {ours:7.2f} ms  naive {base:8.2f} ms  "
            f"ratio {base / ours:5.1f}x"
        )


if __name__ == "__main__":
    main()
