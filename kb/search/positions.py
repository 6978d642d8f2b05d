"""Word positions of chosen documents, for phrases and the proximity boost, without span matchers.

Whoosh's phrase matcher walks span objects posting by posting in Python; at 100,000 documents
that was most of a query's time (docs/benchmarks.md). Here a term's posting blocks are decoded
once into its docnums and the encoded position lists (``PositionLists``, kept in the snapshot's
postings cache), and only the documents asked about are decoded further. ``near`` answers "do
these terms follow each other, each at most ``slop`` positions after the previous one" exactly as
Whoosh's ``Phrase(slop=...)`` does (ordered, distance 1 to slop), so results are unchanged.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

import numpy as np
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from kb.index.codec import KbLeafMatcher, decode_positions, values_arrays
from kb.search.postings import leaves
from kb.search.snapshot import Snapshot

# docnums (int32, sorted), offsets into the blob (int64, one more than docnums), blob (uint8)
PositionLists = tuple[np.ndarray, np.ndarray, np.ndarray]
_EMPTY: PositionLists = (np.zeros(0, np.int32), np.zeros(1, np.int64), np.zeros(0, np.uint8))


def _generic_values(m: Any) -> tuple[Any, list[bytes]]:
    ids: list[int] = []
    values: list[bytes] = []
    while m.is_active():
        ids.append(m.id())
        values.append(m.value())
        m.next()
    return ids, values


def read_position_lists(searcher: Searcher, field: str, term: str) -> PositionLists:
    """Every document's encoded positions of ``term`` in ``field`` (deleted documents too)."""
    all_ids: list[np.ndarray] = []
    all_values: list[bytes] = []
    for reader, offset in leaves(searcher):
        try:
            m = reader.postings(field, term)
        except TermNotFound:
            continue
        ids, values = values_arrays(m) if isinstance(m, KbLeafMatcher) else _generic_values(m)
        all_ids.append(np.asarray(ids, dtype=np.int64) + offset)
        all_values.extend(values)
    if not all_ids:
        return _EMPTY
    lengths = np.fromiter((len(v) for v in all_values), dtype=np.int64, count=len(all_values))
    offsets = np.zeros(len(all_values) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    blob = np.frombuffer(b"".join(all_values), dtype=np.uint8)
    return np.concatenate(all_ids).astype(np.int32), offsets, blob


def position_lists(searcher: Searcher, snap: Snapshot, field: str, term: str) -> PositionLists:
    """``read_position_lists`` through the snapshot's cache (keys apart from plain postings)."""
    key = (f"{field}#positions", term)
    item = snap.cache.get(key)
    if item is None:
        item = read_position_lists(searcher, field, term)
        snap.cache.put(key, item)
    ids, offsets, blob = item
    return ids, offsets, blob


def _decode(lists: PositionLists, i: int) -> list[int]:
    _, offsets, blob = lists
    return decode_positions(blob[offsets[i] : offsets[i + 1]].tobytes())


def near(
    searcher: Searcher,
    snap: Snapshot,
    field: str,
    terms: Sequence[str],
    docs: np.ndarray,
    slop: int = 1,
) -> np.ndarray:
    """For each docnum of ``docs`` (sorted): True when ``terms`` occur in order in ``field``,
    each 1 to ``slop`` positions after the previous one (slop 1: an exact phrase)."""
    found = np.zeros(len(docs), dtype=bool)
    lists = [position_lists(searcher, snap, field, t) for t in terms]
    where = []
    for ids, _, _ in lists:
        i = np.searchsorted(ids, docs)
        i = np.minimum(i, max(len(ids) - 1, 0))
        where.append((i, (ids[i] == docs) if len(ids) else np.zeros(len(docs), dtype=bool)))
    holds_all = np.logical_and.reduce([w for _, w in where]) if where else found
    for k in np.flatnonzero(holds_all):
        ends = set(_decode(lists[0], int(where[0][0][k])))
        for t in range(1, len(terms)):
            if not ends:
                break
            before = sorted(ends)
            ends = set()
            for p in _decode(lists[t], int(where[t][0][k])):
                j = bisect_left(before, p - slop)  # the first end at most slop before p
                if j < len(before) and before[j] <= p - 1:
                    ends.add(p)
        found[k] = bool(ends)
    return found
