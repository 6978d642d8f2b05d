"""The search results already computed for the index generation being served: a bounded LRU.

Officers page back and forth, toggle a facet and untoggle it, and every visitor of an intranet
page with the embedded widget asks the same preset search; each of those requests would run the
whole search again (matching, scoring, facet counts, ten snippets) to give the same answer. The
answer can only change when the index or the thesaurus does, so results are kept per index
generation and thesaurus, keyed by the clamped request (two URLs that mean the same search share
an entry), and the whole cache is dropped when either changes. A search that fails (a bad query,
the time budget) raises and is not kept.

The cache holds SearchResults, which are frozen: callers never change what they get. It is per
process (each `kb serve` worker has its own) and bounded by entries; a result with facets is
about 50 KB of Python objects at 100,000 documents, so the default 256 entries (the setting
``result_cache_entries``, kb.config) hold 12.7 MB per worker (measured: docs/benchmarks.md, "End
of the night session").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from kb.search.request import SearchRequest
from kb.search.results import SearchResult


def request_key(
    request: SearchRequest, facets: bool, snippets: bool, did_you_mean: bool = True
) -> Hashable:
    """What makes two searches the same search: every field of the clamped request.

    Raises:
        ValidationError: when the request cannot be clamped (then it is not searched either).
    """
    req = request.clamped()
    filters = tuple(sorted((k, tuple(v)) for k, v in req.filters.items()))
    return (
        req.q,
        filters,
        req.year_from,
        req.year_to,
        req.sort,
        req.page,
        req.page_size,
        req.home_region,
        facets,
        snippets,
        did_you_mean,
    )


class ResultCache:
    """SearchResults of one index generation and thesaurus, least recently used dropped first.

    ``max_entries`` 0 turns the cache off (every search runs); the service passes the setting
    ``result_cache_entries`` (kb.config, where its default is).
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max(int(max_entries), 0)
        self._entries: OrderedDict[Hashable, SearchResult] = OrderedDict()
        # What the entries were computed against; a different one empties the cache. The
        # thesaurus is held by reference (not id) so a new one can never pass for the old.
        self._generation: Hashable = None
        self._thesaurus: object = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_compute(
        self,
        generation: Hashable,
        thesaurus: object,
        key: Hashable,
        compute: Callable[[], SearchResult],
    ) -> SearchResult:
        """The cached result of ``key`` for this generation and thesaurus, else ``compute()``'s
        (kept when it returns). Two threads that miss at once both compute; both get a right
        answer and one is kept, which is cheaper than making one wait on the other."""
        if not self.max_entries:
            return compute()
        with self._lock:
            if generation != self._generation or thesaurus is not self._thesaurus:
                self._entries.clear()
                self._generation, self._thesaurus = generation, thesaurus
            cached = self._entries.get(key)
            if cached is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return cached
            self.misses += 1
        result = compute()
        with self._lock:
            # A commit may have come between: keep the result only for the generation it used.
            if generation == self._generation and thesaurus is self._thesaurus:
                self._entries[key] = result
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation = self._thesaurus = None
