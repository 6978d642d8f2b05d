"""Comparison and coverage: documents per value of one facet per value of another (a cross-tab).

The comparison page (/jamfor) and /api/v1/compare count, for a region's members or a chosen set of
municipalities, the documents of each focus area, so an e-council sees who has worked on what and
where nobody has. The counts come from the snapshot's facet tables: the (document, municipality)
pairs of the chosen rows within the scope are selected once, then each column (five focus areas)
is one gather and one bincount over them, so a table costs milliseconds at 100,000 documents
(bench/compare_bench.py). A cell equals the total of the search filtered on its row and column
value plus the request's other filters (the tabulated facets' own filters choose the rows and
columns, as a facet's counts skip its own filter); one original under several addresses counts
once, as that search shows it as one hit (kb.search.copies; nothing to do in a bank without).
Numpy, kb.search and kb.taxonomy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from kb.errors import ValidationError
from kb.search.engine import SearchContext, scope_mask, validate
from kb.search.facets import FacetTable
from kb.search.request import SearchRequest
from kb.taxonomy.model import Taxonomy

ROW_FACET = "municipality"
COLUMN_FACET = "focus_area"
# A table wider than this is not readable on a page; a URL asking for more is cut.
MAX_ROWS = 300


@dataclass(frozen=True)
class Comparison:
    """The cross-tab of one comparison.

    Attributes:
        request: the scope (query and other filters), validated; its row and column filters
            are the ones that chose ``rows`` and ``columns``.
        regions: the regions whose members are rows (the page's choice), or ().
        on: the day the region's membership was read for (None: today's members).
        row_facet / column_facet: the facets tabulated (municipality, focus_area).
        rows / columns: the values, in taxonomy order (rows in the region's member order).
        counts: ``counts[i][j]`` documents holding ``rows[i]`` and ``columns[j]``.
        row_totals: documents per row value (any column, each document once).
        column_totals: documents per column value in any of the rows (each document once).
        total: documents in any of the rows.
    """

    request: SearchRequest
    regions: tuple[str, ...]
    on: date | None
    row_facet: str
    column_facet: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int

    @property
    def empty_cells(self) -> int:
        """How many row/column pairs have no document ("where nobody has worked")."""
        return sum(1 for row in self.counts for n in row if n == 0)


def chosen_rows(
    taxonomy: Taxonomy,
    regions: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    on: date | None = None,
) -> tuple[str, ...]:
    """The municipalities to compare: the regions' members (on the day ``on``, else today's), then
    any listed municipality not already among them; every municipality when neither is given.

    Raises:
        ValidationError: an unknown region or municipality code.
    """
    rows: list[str] = []
    for region in regions:
        found = taxonomy.regions.get(region)
        if found is None:
            raise ValidationError(f"Okänd region / unknown region: {region[:60]!r}")
        members = found.members_on(on) if on is not None else found.members
        rows.extend(m for m in members if m not in rows)
    unknown = [m for m in municipalities if m not in taxonomy.municipalities]
    if unknown:
        raise ValidationError(
            f"Okänd kommunkod / unknown municipality code: {', '.join(unknown[:3])[:80]}"
        )
    rows.extend(m for m in municipalities if m not in rows)
    if not regions and not municipalities:
        rows = list(taxonomy.municipalities)
    return tuple(rows[:MAX_ROWS])


def compare(
    ctx: SearchContext,
    request: SearchRequest,
    rows: Sequence[str],
    *,
    regions: Sequence[str] = (),
    on: date | None = None,
    row_facet: str = ROW_FACET,
    column_facet: str = COLUMN_FACET,
    selector_facets: Sequence[str] = ("region",),
) -> Comparison:
    """Count the documents of ``request``'s scope per row value and column value.

    The columns are the request's own values of ``column_facet`` when it filters on them, else
    every value of the facet (taxonomy order). ``request``'s filters on ``row_facet`` and on
    ``selector_facets`` (the region) are left out (they chose ``rows``); its query and other
    filters apply.

    Raises:
        ValidationError: an unknown facet, value or parameter in ``request``.
    """
    facets = ctx.facets
    request = validate(request, ctx.taxonomy, facets)
    skipped = (row_facet, column_facet, *selector_facets)
    request = replace(
        request, filters={k: v for k, v in request.filters.items() if k not in skipped[2:]}
    )
    base = scope_mask(ctx, request, skip=skipped)
    known = facets[column_facet].known_values(ctx.taxonomy)
    columns = request.values(column_facet) or known or ()
    row_table = ctx.snapshot.facets[row_facet]
    col_table = ctx.snapshot.facets[column_facet]
    row_index = {v: i for i, v in enumerate(row_table.values)}
    picked = np.array([row_index.get(r, -1) for r in rows], dtype=np.int64)
    # The (document, row value) pairs of the chosen rows within the scope, selected once; each
    # column is then one gather and one bincount over them.
    pair = np.isin(row_table.val_idx, picked[picked >= 0])
    docs, vals = row_table.doc_idx[pair], row_table.val_idx[pair]
    keep = base[docs]
    docs, vals = docs[keep], vals[keep]
    size = len(row_table.values)
    in_rows = np.zeros(ctx.snapshot.n_docs, dtype=bool)
    in_rows[docs] = True
    present = picked >= 0
    at = np.maximum(picked, 0)
    matrix = np.zeros((len(rows), len(columns)), dtype=np.int64)
    column_totals: list[int] = []
    # One original under several addresses counts once, as the search it links to shows it.
    copies = ctx.snapshot.copies
    for j, column in enumerate(columns):
        holds = _value_mask(col_table, column)
        counted = np.bincount(vals[holds[docs]], minlength=size)
        if copies:
            counted -= copies.excess(row_table, base & holds)
        matrix[:, j] = np.where(present, counted[at], 0)
        in_column = in_rows & holds
        column_totals.append(
            int(np.count_nonzero(in_column)) - (copies.extra_in(in_column) if copies else 0)
        )
    row_counts = np.bincount(vals, minlength=size)
    if copies:
        row_counts -= copies.excess(row_table, base)
    return Comparison(
        request=request,
        regions=tuple(regions),
        on=on,
        row_facet=row_facet,
        column_facet=column_facet,
        rows=tuple(rows),
        columns=tuple(columns),
        counts=tuple(tuple(int(n) for n in row) for row in matrix),
        row_totals=tuple(int(row_counts[i]) if i >= 0 else 0 for i in picked),
        column_totals=tuple(column_totals),
        total=int(np.count_nonzero(in_rows)) - (copies.extra_in(in_rows) if copies else 0),
    )


def _value_mask(table: FacetTable, value: str) -> np.ndarray:
    """Documents holding one value of a facet (a comparison over a single value: no ``isin``)."""
    out = np.zeros(table.n_docs, dtype=bool)
    try:
        index = table.values.index(value)
    except ValueError:
        return out
    out[table.doc_idx[table.val_idx == index]] = True
    return out
