"""Suggestions within a scope: the documents a search's filters allow.

An intranet's widget searches one region or a few municipalities (its attributes). Its
suggestions as you type must lead to what that search finds: a word's count is the documents in
the scope that hold it, a filter value's count the documents in the scope that hold it, and a
title is offered only when its document lies in the scope. Without this a widget of a region of
two documents offered "digital finns i 60 dokument" and titles from all of Sweden.

``SuggestScope`` is built once per request from ``kb.search.engine.scope_mask`` (the filters of
a request without a query) and answers kb.search.suggest.Suggester's three questions. Counts are
of live documents with one original under several addresses once (kb.search.copies), as the
search's total and facet counts are.
"""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from kb.search.postings import leaf_postings, leaves
from kb.search.snapshot import Snapshot


class SuggestScope:
    """The documents of a scope and the counts within it, for one request's searcher."""

    def __init__(
        self,
        snapshot: Snapshot,
        searcher: Searcher,
        mask: np.ndarray,
        filtered: frozenset[str],
        same_generation: bool = True,
    ) -> None:
        """``mask``: the scope's live documents; ``filtered``: the facets the scope filters,
        whose values are not offered (the scope fixes them); ``same_generation``: the
        suggestion tables are of ``snapshot``'s generation (their title docnums are valid)."""
        self._snapshot = snapshot
        self._searcher = searcher
        self.mask = mask
        self.filtered = filtered
        self.same_generation = same_generation

    def _count(self, docs: np.ndarray) -> int:
        copies = self._snapshot.copies
        n = int(np.count_nonzero(docs))
        return n - copies.extra_in(docs) if copies and n >= 2 else n

    def facet(self, facet_id: str, value: str) -> int:
        """Documents in the scope holding ``value``; 0 for a facet the scope filters."""
        table = self._snapshot.facets.get(facet_id)
        if table is None or facet_id in self.filtered:
            return 0
        return self._count(table.mask([value]) & self.mask)

    def word(self, field: str, term: str) -> int:
        """Documents in the scope holding ``term`` in ``field``."""
        docs = np.zeros(len(self.mask), dtype=bool)
        for reader, offset in leaves(self._searcher):
            postings = leaf_postings(reader, field, term)
            if postings is not None:
                docs[postings[0] + offset] = True
        return self._count(docs & self.mask)

    def titles(self, docnums: np.ndarray) -> np.ndarray:
        """Per title (its document's docnum): whether it lies in the scope. None lie in it when
        the tables are of another generation, whose docnums may name other documents."""
        if not self.same_generation:
            return np.zeros(len(docnums), dtype=bool)
        return self.mask[docnums]
