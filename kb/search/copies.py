"""Copies: one original (the same bytes) under several addresses, shown and counted once.

Municipalities publish one PDF at several addresses, and staff ingest a file and its URL: the
store keys a document by its address, so each is a document of its own with the same text. The
index keeps each original's hash (kb.index.record.original_key); this module owns the groups of
live documents that share one (read once per index generation, kept beside the snapshot's facet
tables) and what a search does with them:

* ``collapse``: of a group's documents in the result, only the best ranked stays a hit;
* ``others``: the addresses of the rest, which the hit names ("Finns även på / Also at");
* ``uncount``: a facet value counts a group once, so its count is the hits a click on it shows;
  ``excess`` and ``extra_in`` do the same for the comparison's cross-tables and for the word
  counts of the suggestions (kb.search.compare, kb.search.livecount).

A bank without copies (the 100,000-document benchmark) has no groups: each step is one test of
an empty array, and results are the same to the byte (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from kb.index.record import StoredRecord, added_key
from kb.search.facets import FacetTable
from kb.search.results import Hit

# The snapshot table of shared originals (kb.search.snapshot): the hashes held by two or more
# documents, as a facet table of the ``original`` field.
TABLE = "original"

# Local file?, when added (sortable), address: the order of copies that tie (``tie_key``).
TieKey = tuple[bool, str, str]


class Copies:
    """The groups of live documents holding the same original, for one index generation.

    Attributes:
        docs: docnums in a group, grouped (sorted by group, then docnum).
        group: each one's group number, parallel to ``docs``.
    """

    def __init__(self, docs: np.ndarray, group: np.ndarray) -> None:
        self.docs = docs.astype(np.intp)
        self.group = group.astype(np.intp)
        self._pairs: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._place: dict[int, int] = {}  # docnum -> its place in its group by tie_key (on need)

    @classmethod
    def none(cls) -> Copies:
        return cls(np.zeros(0, np.intp), np.zeros(0, np.intp))

    @classmethod
    def of(cls, table: FacetTable | None, live: np.ndarray) -> Copies:
        """The groups of ``table`` (original -> documents) with two or more live documents (a
        deleted copy, or one replaced by new bytes, leaves its group)."""
        if table is None or not len(table.doc_idx):
            return cls.none()
        docs = np.asarray(table.doc_idx, np.intp)
        vals = np.asarray(table.val_idx, np.intp)
        keep = live[docs]
        docs, vals = docs[keep], vals[keep]
        keep = np.bincount(vals, minlength=len(table.values))[vals] >= 2
        docs, vals = docs[keep], vals[keep]
        order = np.lexsort((docs, vals))
        return cls(docs[order], vals[order])

    def __bool__(self) -> bool:
        return bool(len(self.docs))

    @property
    def extra(self) -> int:
        """Documents that are another address of an original already counted: every member of
        a group but one."""
        return len(self.docs) - len(np.unique(self.group))

    def extra_in(self, mask: np.ndarray) -> int:
        """Documents of ``mask`` that another document of their group in ``mask`` already
        counts (``mask`` less this: its documents with each original once)."""
        group = self.group[mask[self.docs]]
        return len(group) - len(np.unique(group)) if len(group) >= 2 else 0

    def excess(self, table: FacetTable, base: np.ndarray) -> np.ndarray:
        """Per value of ``table``: its documents in ``base`` that another of their group with
        the value already counts (zeros when none)."""
        docs, group, vals = self._pairs_of(table)
        n = len(table.values)
        inside = base[docs]
        if np.count_nonzero(inside) < 2:
            return np.zeros(n, np.int64)
        group, vals = group[inside], vals[inside]
        every = np.bincount(vals, minlength=n)
        once = np.bincount(np.unique(group * n + vals) % n, minlength=n)
        return every - once

    def collapse(
        self,
        final: np.ndarray,
        key: Callable[[np.ndarray], np.ndarray],
        searcher: Any = None,
    ) -> np.ndarray:
        """``final`` less the copies ranked below another of their group in it; ``key``: the
        ranking key of documents (higher first). Copies that tie on it: a web address before a
        local file (its hit links to the public page, not to a path on the ingesting machine),
        then the one added first, then the address in sort order (``tie_key``): never the
        docnum, which ``kb reindex`` renumbers, so the copy shown stays the same. ``searcher``
        reads the records of tied copies only (none when no group ties)."""
        inside = final[self.docs]
        if np.count_nonzero(inside) < 2:
            return final
        docs, group = self.docs[inside], self.group[inside]
        shared = np.bincount(group)[group] >= 2
        if not shared.any():
            return final
        docs, group = docs[shared], group[shared]
        rank = -key(docs)
        order = np.lexsort((docs, rank, group))
        docs, group, rank = docs[order], group[order], rank[order]
        first = np.ones(len(docs), bool)
        first[1:] = group[1:] != group[:-1]
        # Copies tied with their group's best: a few at most, and none in most searches.
        tied = rank == rank[first][np.cumsum(first) - 1]
        if searcher is not None and np.count_nonzero(tied) > np.count_nonzero(first):
            tie = np.zeros(len(docs), np.intp)
            tie[tied] = [
                self._place_of(searcher, d, g)
                for d, g in zip(docs[tied].tolist(), group[tied].tolist(), strict=True)
            ]
            order = np.lexsort((tie, rank, group))
            docs, group = docs[order], group[order]
        below = np.ones(len(docs), bool)
        below[0] = False
        below[1:] = group[1:] == group[:-1]  # not the first (best) of its group
        out = final.copy()
        out[docs[below]] = False
        return out

    def _place_of(self, searcher: Any, docnum: int, group: int) -> int:
        """``docnum``'s place among the documents of its ``group`` by ``tie_key``, from their
        stored display data: read once a group and kept per generation, as a docnum's record
        does not change in it (a search then orders tied copies by numbers alone)."""
        place = self._place.get(docnum)
        if place is None:
            members = self.docs[self.group == group].tolist()
            keys = {d: tie_key(_record(searcher, d)) for d in members}
            for i, d in enumerate(sorted(members, key=keys.__getitem__)):
                self._place[d] = i
            place = self._place[docnum]
        return place

    def others(self, docnum: int) -> list[int]:
        """The other live documents holding ``docnum``'s original (none: [])."""
        at = np.flatnonzero(self.docs == docnum)
        if not len(at):
            return []
        mine = self.group[at[0]]
        return [int(d) for d in self.docs[self.group == mine] if d != docnum]

    def uncount(self, table: FacetTable, base: np.ndarray, counts: dict[str, int]) -> None:
        """Take from ``counts`` (``table.counts(base)``) the copies: a value counts each group
        with documents in ``base`` once."""
        excess = self.excess(table, base)
        for i in np.flatnonzero(excess).tolist():
            counts[table.values[i]] -= int(excess[i])

    def _pairs_of(self, table: FacetTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The (document, value) pairs of ``table`` whose document is in a group, with the
        group of each; made once per table (a few per group)."""
        pairs = self._pairs.get(table.name)
        if pairs is None:
            picked = np.flatnonzero(np.isin(table.doc_idx, self.docs))
            docs = np.asarray(table.doc_idx[picked], np.intp)
            by_doc = np.argsort(self.docs, kind="stable")
            group = self.group[by_doc[np.searchsorted(self.docs, docs, sorter=by_doc)]]
            pairs = self._pairs[table.name] = (docs, group, np.asarray(table.val_idx[picked]))
        return pairs


def tie_key(record: StoredRecord) -> TieKey:
    """The order of copies that rank alike, first first: a web address before a local file,
    then the one added first (the index's ``added`` key, to the second), then the address in
    sort order. All three are the document's own, so a reindex keeps the order."""
    local = not record.source.startswith(("http://", "https://"))
    return (local, added_key(record.added, record.date), record.source)


def also_at(searcher: Any, copies: Copies, docnum: int, hit: Hit) -> Hit:
    """``hit`` (of ``docnum``) with the addresses of its original's other copies, if any."""
    others = copies.others(docnum)
    return replace(hit, also_at=addresses(searcher, others)) if others else hit


def addresses(searcher: Any, docnums: list[int]) -> tuple[tuple[str, str], ...]:
    """(source, document id) of each of ``docnums``, from their stored display data."""
    records = [_record(searcher, docnum) for docnum in docnums]
    return tuple(sorted((record.source, record.id) for record in records))


def _record(searcher: Any, docnum: int) -> StoredRecord:
    """The stored display data of ``docnum``, without its page texts."""
    return StoredRecord.read(searcher.stored_fields(docnum), b"")
