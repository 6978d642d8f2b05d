"""What one original under several addresses costs a search (kb.search.copies).

    python -m bench.copies_bench                      # synthetic groups, per-search CPU
    python -m bench.copies_bench --index DATA/index   # reading the groups of a real index

The first form builds synthetic arrays like a bank of 100,000 documents where 1,000 originals
are held twice: a 10-value facet (the document types) and a 290-value facet of two values a
document (the municipalities), and times, per search, ``Copies.collapse`` and the facet counts
with and without ``Copies.uncount`` at three shares of matching documents. The second reads,
from an index folder (read only), the terms two or more documents hold as a new generation's
snapshot does (``snapshot._shared``), for the ``original`` field and, as a stand-in of the same
size, for ``id`` (an index with no copies, or built before the field, has none to read).
CPU time (``time.process_time``): the machine is shared.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.search.copies import Copies
from kb.search.facets import FacetTable

N_DOCS = 100_000
GROUPS = 1_000
REPEATS = 200


def _tables(rng: np.random.Generator) -> tuple[Copies, FacetTable, FacetTable]:
    docs = rng.choice(N_DOCS, 2 * GROUPS, replace=False).astype(np.int32)
    vals = np.repeat(np.arange(GROUPS), 2).astype(np.int32)
    names = tuple(str(i) for i in range(GROUPS))
    copies = Copies.of(FacetTable("original", names, docs, vals, N_DOCS), np.ones(N_DOCS, bool))
    types = FacetTable(
        "doc_type",
        tuple(map(str, range(10))),
        np.arange(N_DOCS, dtype=np.int32),
        rng.integers(0, 10, N_DOCS).astype(np.int32),
        N_DOCS,
    )
    keys = np.unique(
        np.repeat(np.arange(N_DOCS), 2).astype(np.int64) * 290 + rng.integers(0, 290, 2 * N_DOCS)
    )
    places = FacetTable(
        "municipality",
        tuple(map(str, range(290))),
        (keys // 290).astype(np.int32),
        (keys % 290).astype(np.int32),
        N_DOCS,
    )
    return copies, types, places


def _per_search() -> None:
    rng = np.random.default_rng(1)
    copies, types, places = _tables(rng)
    scores = rng.random(N_DOCS)
    click.echo("matches  collapse  counts+uncount (2 facets)  counts alone  [CPU ms a search]")
    for share in (0.003, 0.05, 0.5):
        final = rng.random(N_DOCS) < share
        for table in (types, places):  # the pairs of each table are made once
            copies.uncount(table, final, table.counts(final))
        t0 = time.process_time()
        for _ in range(REPEATS):
            copies.collapse(final, lambda idx: scores[idx])
        t1 = time.process_time()
        for _ in range(REPEATS):
            for table in (types, places):
                copies.uncount(table, final, table.counts(final))
        t2 = time.process_time()
        for _ in range(REPEATS):
            for table in (types, places):
                table.counts(final)
        t3 = time.process_time()
        ms = [(b - a) / REPEATS * 1e3 for a, b in ((t0, t1), (t1, t2), (t2, t3))]
        click.echo(f"{share:>6.1%}  {ms[0]:8.3f}  {ms[1]:24.3f}  {ms[2]:12.3f}")


def _groups_of(index: Path) -> None:
    from whoosh import index as whoosh_index

    from kb.search.snapshot import _shared

    current = (index / "CURRENT").read_text(encoding="utf-8").strip()
    ix = whoosh_index.open_dir(str(index / current))
    with ix.searcher() as searcher:
        n = searcher.reader().doc_count_all()
        for field in ("original", "id"):
            t0 = time.process_time()
            values = _shared(searcher, field, n)[0]
            ms = (time.process_time() - t0) * 1e3
            click.echo(f"{field}: {n} documents, {len(values)} shared terms, {ms:.0f} ms CPU")


@click.command()
@click.option("--index", type=click.Path(path_type=Path, exists=True, file_okay=False))
def main(index: Path | None) -> None:
    """Time the copies' share of a search, or reading a real index's groups (--index)."""
    if index is None:
        _per_search()
    else:
        _groups_of(index)


if __name__ == "__main__":
    main()
