"""Snapshot: the numpy arrays of one index generation, built once and shared by all requests.

Holds the live-document mask, per-field lengths for BM25, the facet tables and the sort keys.
Built from a searcher when a new commit is seen (about a second at 100,000 documents) and then
read-only, so request threads share it without locks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.index.record import ORIGINAL_FIELD
from kb.index.schema import TEXT_FIELDS
from kb.search import snapshot_files
from kb.search.copies import TABLE as COPIES_TABLE
from kb.search.copies import Copies
from kb.search.facets import FacetTable, single_valued
from kb.search.postings import field_lengths, field_terms, leaves, live_mask, term_postings


class PostingsCache:
    """A byte-bounded LRU of decoded posting lists for one generation (thread-safe): tuples of
    arrays (docnums and frequencies; kb.search.positions keeps position lists under its keys)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, str], tuple[np.ndarray, ...]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._made_with: object = None

    def expect(self, made_with: object) -> None:
        """Empty the cache unless its items were made with ``made_with`` (constants that some
        items depend on, kb.search.scoring's weights); then keep it with these."""
        if made_with == self._made_with:
            return
        with self._lock:
            if made_with != self._made_with:
                self._items.clear()
                self._bytes = 0
                self._made_with = made_with

    def get(self, key: tuple[str, str]) -> tuple[np.ndarray, ...] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple[str, str], item: tuple[np.ndarray, ...]) -> None:
        size = sum(a.nbytes for a in item)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = item
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _, old = self._items.popitem(last=False)
                self._bytes -= sum(a.nbytes for a in old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


@dataclass
class Snapshot:
    """Arrays of one generation. ``generation`` is Whoosh's TOC generation of the build."""

    generation: tuple[str, int]
    n_docs: int
    live: np.ndarray
    live_count: int
    lengths: dict[str, np.ndarray]
    avg_length: dict[str, float]
    facets: dict[str, FacetTable]
    year_of: np.ndarray  # docnum -> year, -1 when unknown
    date_rank: np.ndarray
    added_rank: np.ndarray
    # Documents holding the same original under other addresses (kb.search.copies).
    copies: Copies = field(default_factory=Copies.none)
    cache: PostingsCache = field(default_factory=lambda: PostingsCache(64 * 1024 * 1024))

    @classmethod
    def build(
        cls,
        searcher: Searcher,
        generation: tuple[str, int],
        rollups: Mapping[str, Mapping[str, Sequence[str]]],
        cache_bytes: int = 64 * 1024 * 1024,
        facets: FacetRegistry = DEFAULT_FACETS,
        folder: Path | None = None,
    ) -> Snapshot:
        """Read every array of the searcher's generation.

        Args:
            rollups: hierarchical facet id -> (value of the facet it rolls up from -> its values),
                from ``FacetRegistry.rollups(taxonomy)``.
            facets: the facets to build tables for.
            folder: the build folder: its base arrays are memory-mapped from files there,
                written first when missing (kb.search.snapshot_files).
        """
        base = _base_arrays(searcher, generation, folder, facets)
        live = base.live
        n = len(live)
        lengths = base.lengths
        live_count = int(live.sum())
        avg = {f: float(lengths[f][live].mean()) if live_count else 1.0 for f in TEXT_FIELDS}
        tables: dict[str, FacetTable] = {}
        for facet in facets:
            if facet.field and not facet.rollup_of:
                tables[facet.id] = base.table(facet.id, facet.field)
        for facet in facets:
            if facet.rollup_of:
                # Values tagged directly (a document tagged with a region) join the roll-up.
                direct = base.table(facet.id, facet.field) if facet.field else None
                tables[facet.id] = tables[facet.rollup_of].derive(
                    facet.id, rollups[facet.id], extra=direct
                )
        year_facet = facets.year
        year_of = np.full(n, -1, dtype=np.int32)
        if year_facet is not None:
            years = tables[year_facet.id]
            year_vals = np.array([int(v) for v in years.values] + [-1], dtype=np.int32)
            year_of = year_vals[single_valued(years, default=len(years.values))]
        date_rank = _rank(base.table("date", "date"))
        added_rank = _rank(base.table("added", "added"))
        return cls(
            generation=generation,
            n_docs=n,
            live=live,
            live_count=live_count,
            lengths=lengths,
            avg_length=avg,
            facets={f.id: tables[f.id] for f in facets},
            year_of=year_of,
            date_rank=date_rank,
            added_rank=added_rank,
            copies=Copies.of(base.tables_get(COPIES_TABLE), live),
            cache=PostingsCache(cache_bytes),
        )


def _rank(table: FacetTable) -> np.ndarray:
    """docnum -> the rank of its (sortable) value, 1 for the lowest; 0 when it has none, so
    documents without a date sort last under "newest" (and without a time under "added")."""
    values = table.values
    order = np.argsort(np.array(values, dtype=object)) if values else np.zeros(0, int)
    rank_of_value = np.empty(len(values) + 1, dtype=np.int32)
    rank_of_value[order] = np.arange(1, len(values) + 1, dtype=np.int32)
    rank_of_value[-1] = 0
    return rank_of_value[single_valued(table, default=len(values))]


@dataclass
class _Base:
    """The arrays that depend only on the index generation (mapped from files when written)."""

    live: np.ndarray
    lengths: dict[str, np.ndarray]
    tables: snapshot_files.Tables

    def table(self, name: str, field_name: str) -> FacetTable:
        values, docs, vals = self.tables[field_name]
        return FacetTable(name, values, docs, vals, len(self.live))

    def tables_get(self, name: str) -> FacetTable | None:
        """The table of ``name``, or None when it was not written (arrays of an older version)."""
        return self.table(name, name) if name in self.tables else None


def _base_arrays(
    searcher: Searcher, generation: tuple[str, int], folder: Path | None, facets: FacetRegistry
) -> _Base:
    if folder is not None:
        found = snapshot_files.load(folder, generation[1])
        if found is not None:
            arrays, tables = found
            return _Base(arrays["live"], {f: arrays[f"len-{f}"] for f in TEXT_FIELDS}, tables)
    n = searcher.reader().doc_count_all()
    live = live_mask(searcher)
    lengths = {f: field_lengths(searcher, f) for f in TEXT_FIELDS}
    names = {f.field for f in facets if f.field} | {"date", "added"}
    tables = {name: _table(searcher, name, n) for name in sorted(names)}
    tables[COPIES_TABLE] = _shared(searcher, ORIGINAL_FIELD, n)
    if folder is not None:
        arrays = {"live": live} | {f"len-{f}": v for f, v in lengths.items()}
        snapshot_files.save(folder, generation[1], arrays, tables)
    return _Base(live, lengths, tables)


def _shared(
    searcher: Searcher, field_name: str, n: int
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The table of ``field_name``'s terms held by two or more documents (deleted ones included,
    ``Copies.of`` leaves them out): read from each segment's term dictionary, whose document
    counts tell which (a few microseconds a term), not every term's postings."""
    held: dict[str, int] = {}
    if field_name in searcher.schema:
        for leaf, _offset in leaves(searcher):
            for term, info in leaf.iter_field(field_name):
                key = term.decode("utf-8") if isinstance(term, bytes) else term
                held[key] = held.get(key, 0) + info.doc_frequency()
    shared = {t: term_postings(searcher, field_name, t)[0] for t, k in held.items() if k >= 2}
    table = FacetTable.from_postings(field_name, shared, n)
    return table.values, table.doc_idx, table.val_idx


def _table(
    searcher: Searcher, field_name: str, n: int
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    postings = {
        t: term_postings(searcher, field_name, t)[0] for t in field_terms(searcher, field_name)
    }
    table = FacetTable.from_postings(field_name, postings, n)
    return table.values, table.doc_idx, table.val_idx
