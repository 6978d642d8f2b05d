"""Document counts of single terms over live documents only.

Whoosh's ``doc_frequency`` counts a deleted document until its segment is merged away, so after
``kb remove`` (or re-ingesting a file, which deletes and adds) it overcounts. When the generation
has no deletions it is exact and costs one dictionary lookup, so it is kept; otherwise the term's
postings are read in the segments that have deletions (the others keep their exact frequency) and
only live docnums are counted. Callers count only the few terms they show
(suggestions, spelling candidates), never a whole vocabulary.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from whoosh.searching import Searcher

from kb.search.postings import leaf_postings, leaves
from kb.search.snapshot import Snapshot

# Counts kept per generation: a prefix typed letter by letter asks for the same words again.
MAX_CACHED = 4096


class LiveCounter:
    """Counts of terms in the live documents of one searcher and its snapshot (thread-safe once
    built, provided each thread passes its own searcher's generation: counts are per generation)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.generation = snapshot.generation
        self.exact_df = snapshot.live_count == snapshot.n_docs
        self._live = snapshot.live
        self._cache: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._lock = threading.Lock()

    def count(self, searcher: Searcher, field: str, term: str) -> int:
        """Live documents holding ``term`` in ``field``."""
        if self.exact_df:
            return int(searcher.doc_frequency(field, term))
        key = (field, term)
        with self._lock:
            found = self._cache.get(key)
        if found is not None:
            return found
        n = 0
        for reader, offset in leaves(searcher):
            if not reader.has_deletions():  # exact for this segment, no postings to read
                n += reader.doc_frequency(field, term)
                continue
            postings = leaf_postings(reader, field, term)
            if postings is not None:
                n += int(self._live[postings[0] + offset].sum())
        with self._lock:
            self._cache[key] = n
            if len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)
        return n


_counters: dict[tuple[str, int], LiveCounter] = {}
_counters_lock = threading.Lock()


def live_counter(snapshot: Snapshot) -> LiveCounter:
    """The counter of ``snapshot``'s generation (one kept at a time: the newest asked for)."""
    with _counters_lock:
        counter = _counters.get(snapshot.generation)
        if counter is None or counter._live is not snapshot.live:
            counter = LiveCounter(snapshot)
            _counters.clear()
            _counters[snapshot.generation] = counter
        return counter
