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

import numpy as np
from whoosh.searching import Searcher

from kb.index.schema import TEXT_FIELDS
from kb.search.facets import FacetTable, single_valued
from kb.search.postings import field_lengths, field_terms, live_mask, term_postings

# Facets in display order; region and county are derived from municipality tags.
FACETS = ("focus_area", "municipality", "region", "county", "doc_type", "year")
_FIELD_OF = {
    "focus_area": "focus_area",
    "municipality": "municipality",
    "doc_type": "doc_type",
    "year": "year",
}


class PostingsCache:
    """A byte-bounded LRU of decoded posting lists for one generation (thread-safe)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple[str, str], item: tuple[np.ndarray, np.ndarray]) -> None:
        size = item[0].nbytes + item[1].nbytes
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = item
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _, old = self._items.popitem(last=False)
                self._bytes -= old[0].nbytes + old[1].nbytes

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
    year_of: np.ndarray
    date_rank: np.ndarray
    cache: PostingsCache = field(default_factory=lambda: PostingsCache(64 * 1024 * 1024))

    @classmethod
    def build(
        cls,
        searcher: Searcher,
        generation: tuple[str, int],
        regions_of: Mapping[str, Sequence[str]],
        county_of: Mapping[str, Sequence[str]],
        cache_bytes: int = 64 * 1024 * 1024,
    ) -> Snapshot:
        """Read every array of the searcher's generation.

        Args:
            regions_of: municipality code -> region ids it belongs to (from the taxonomy).
            county_of: municipality code -> (county code,).
        """
        n = searcher.reader().doc_count_all()
        live = live_mask(searcher)
        lengths = {f: field_lengths(searcher, f) for f in TEXT_FIELDS}
        live_count = int(live.sum())
        avg = {f: float(lengths[f][live].mean()) if live_count else 1.0 for f in TEXT_FIELDS}
        tables: dict[str, FacetTable] = {}
        for name, fname in _FIELD_OF.items():
            tables[name] = _table(searcher, name, fname, n)
        explicit_regions = _table(searcher, "region", "region", n)
        tables["region"] = tables["municipality"].derive(
            "region", regions_of, extra=explicit_regions
        )
        tables["county"] = tables["municipality"].derive("county", county_of)
        years = tables["year"]
        year_vals = np.array([int(v) for v in years.values] + [-1], dtype=np.int32)
        year_of = year_vals[single_valued(years, default=len(years.values))]
        dates = _table(searcher, "date", "date", n)
        order = (
            np.argsort(np.array(dates.values, dtype=object)) if dates.values else np.zeros(0, int)
        )
        rank_of_value = np.empty(len(dates.values) + 1, dtype=np.int32)
        rank_of_value[order] = np.arange(1, len(dates.values) + 1, dtype=np.int32)
        rank_of_value[-1] = 0  # unknown dates sort last under "newest"
        date_rank = rank_of_value[single_valued(dates, default=len(dates.values))]
        return cls(
            generation=generation,
            n_docs=n,
            live=live,
            live_count=live_count,
            lengths=lengths,
            avg_length=avg,
            facets={k: tables[k] for k in FACETS},
            year_of=year_of,
            date_rank=date_rank,
            cache=PostingsCache(cache_bytes),
        )


def _table(searcher: Searcher, name: str, field_name: str, n: int) -> FacetTable:
    postings = {
        t: term_postings(searcher, field_name, t)[0] for t in field_terms(searcher, field_name)
    }
    return FacetTable.from_postings(name, postings, n)
