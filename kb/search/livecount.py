"""Document counts of single terms over live documents only.

Whoosh's ``doc_frequency`` counts a deleted document until its segment is merged away, so after
``kb remove`` (or re-ingesting a file, which deletes and adds) it overcounts. When the generation
has no deletions it is exact and costs one dictionary lookup, so it is kept; otherwise the term's
postings are read in the segments that have deletions (the others keep their exact frequency) and
only live docnums are counted. A bank holding one original under several addresses
(kb.search.copies) reads the postings of a count asked for ``originals`` and counts each such
original once, as a search does; a bank without (the 100,000-document benchmark) pays nothing
for it. Callers count only the few terms they show (suggestions, spelling candidates), never a
whole vocabulary.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
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
        self._copies = snapshot.copies
        self.exact_df = snapshot.live_count == snapshot.n_docs
        # Whoosh's frequency counts every address of an original: a bank with copies recounts
        # what is shown as a number of hits (the suggestions), not what only ranks (spelling).
        self.exact_originals = self.exact_df and not snapshot.copies
        self._live = snapshot.live
        self._cache: OrderedDict[tuple[str, str, bool], int] = OrderedDict()
        self._lock = threading.Lock()

    def count(self, searcher: Searcher, field: str, term: str, originals: bool = False) -> int:
        """Live documents holding ``term`` in ``field``; ``originals``: one original under
        several addresses once (as a search's total)."""
        if self.exact_originals or (self.exact_df and not originals):
            return int(searcher.doc_frequency(field, term))
        key = (field, term, originals)
        with self._lock:
            found = self._cache.get(key)
        if found is not None:
            return found
        n = 0
        copies = self._copies
        holding = np.zeros(len(self._live), bool) if copies and originals else None
        for reader, offset in leaves(searcher):
            if not reader.has_deletions() and holding is None:  # exact, no postings to read
                n += reader.doc_frequency(field, term)
                continue
            postings = leaf_postings(reader, field, term)
            if postings is not None:
                docs = postings[0] + offset
                n += int(self._live[docs].sum())
                if holding is not None:
                    holding[docs] = True
        if holding is not None:  # one original under several addresses counts once
            n -= copies.extra_in(holding & self._live)
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
