"""Word positions of chosen documents, for phrases and the proximity boost, without span matchers.

Whoosh's phrase matcher walks span objects posting by posting in Python; at 100,000 documents
that was most of a query's time (docs/benchmarks.md). Here a term's posting list is read once
(kb.index.postlists) into its docnums and the encoded position lists as one blob
(``PositionLists``, kept in the snapshot's postings cache). ``near`` then decodes the positions of
only the documents asked about, all at once as arrays, and answers "do these terms follow each
other, each at most ``slop`` positions after the previous one" exactly as Whoosh's
``Phrase(slop=...)`` does (ordered, distance 1 to slop), so results are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from kb.index.codec import KbLeafMatcher
from kb.index.postlists import Blocks, read_list, read_placed_values
from kb.search.postings import leaves
from kb.search.snapshot import Snapshot

# docnums (int32, sorted), offsets into the blob (int64, one more than docnums), blob (uint8)
PositionLists = tuple[np.ndarray, np.ndarray, np.ndarray]
_EMPTY: PositionLists = (np.zeros(0, np.int32), np.zeros(1, np.int64), np.zeros(0, np.uint8))
# ``near`` for at most this many documents reads only their posting blocks (uncached); for more
# (a phrase over every document holding its words) the whole list, kept in the cache.
READ_BLOCKS_UP_TO = 256
# (field, term) -> the block indices read for one query and what they held: the proximity boost
# and then the best-passage scoring ask about mostly the same documents' blocks (most blocks the
# passages read had been decoded by the boost), so a read whose blocks were all read before in
# the same query is answered from them. Owned by the query's QueryScorer (``position_memo``).
BlockMemo = dict[tuple[str, str], tuple[np.ndarray, PositionLists]]


def _generic_list(m: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, offsets, blob) of a list another codec wrote (an inlined one-posting list)."""
    ids: list[int] = []
    values: list[bytes] = []
    while m.is_active():
        ids.append(m.id())
        values.append(m.value() or b"")
        m.next()
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum([len(v) for v in values], out=offsets[1:])
    return np.array(ids, dtype=np.int64), offsets, np.frombuffer(b"".join(values), np.uint8)


def read_position_lists(
    searcher: Searcher, field: str, term: str, docs: np.ndarray | None = None
) -> PositionLists:
    """Every document's encoded positions of ``term`` in ``field`` (deleted documents too).

    ``docs`` (ascending docnums): read only the posting blocks that may hold these documents;
    the lists then hold them (where they hold the term) and some of their neighbours.
    """
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
    for reader, offset in leaves(searcher):
        local = None
        if docs is not None:
            local = docs[(docs >= offset) & (docs < offset + reader.doc_count_all())] - offset
            if not len(local):
                continue
        try:
            m = reader.postings(field, term)
        except TermNotFound:
            continue
        if isinstance(m, KbLeafMatcher):
            found = read_list(m, values=True, docs=local)
            assert found.offsets is not None and found.values is not None
            parts.append((found.ids, found.offsets, found.values, offset))
        else:
            parts.append((*_generic_list(m), offset))
    return _joined(parts)


def _joined(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]) -> PositionLists:
    """One PositionLists of each segment's (ids, offsets, blob, docnum offset), in order."""
    id_parts: list[np.ndarray] = []
    offset_parts: list[np.ndarray] = []
    blob_parts: list[np.ndarray] = []
    at = 0
    for ids, offsets, blob, offset in parts:
        id_parts.append(ids.astype(np.int64) + offset)
        offset_parts.append(offsets[:-1] + at if offset_parts else offsets[:-1])
        blob_parts.append(blob)
        at += len(blob)
    if not id_parts:
        return _EMPTY
    offset_parts.append(np.array([at], dtype=np.int64))
    blob = blob_parts[0] if len(blob_parts) == 1 else np.concatenate(blob_parts)
    return np.concatenate(id_parts).astype(np.int32), np.concatenate(offset_parts), blob


def _read_placed_blocks(
    searcher: Searcher,
    field: str,
    table: tuple[np.ndarray, ...],
    docs: np.ndarray,
    memo: BlockMemo | None = None,
    term: str = "",
) -> PositionLists:
    """``read_position_lists`` with ``docs`` (each holding the term), from the table of where
    the term's blocks stand (kb.search.postings.term_list): the same blocks, read without the
    term's dictionary look-up and the walk through its list in every segment.

    With ``memo``: the blocks an earlier read of the query held are not read again; the new
    ones are merged with them, and the lists of every block read so far are returned. They hold
    more blocks, but a document's postings are the same whichever of its neighbours' blocks are
    read, and callers look documents up by docnum (a document that is not asked about but holds
    every term is one of those asked: ``near`` asks those the plain postings say hold them)."""
    seg, starts, sizes, maxids = table
    at = np.searchsorted(maxids, docs)  # a document's block: the first ending at or after it
    at = np.unique(at[at < len(maxids)])
    had = memo.get((field, term)) if memo is not None else None
    if had is not None:
        fresh = ~np.isin(at, had[0])
        if not fresh.any():
            return had[1]
        at = at[fresh]  # only the blocks not read yet, then merged with those that were
    segments = leaves(searcher)
    placed: list[tuple[Any, Blocks, int, int | None]] = []
    for s in np.unique(seg[at]).tolist():
        mine = at[seg[at] == s]
        reader, offset = segments[s]
        where = Blocks(starts[mine], sizes[mine], maxids[mine] - offset)
        fixed = reader.schema[field].format.fixed_value_size()
        placed.append((reader._terms._postfile, where, offset, fixed))
    lists = read_placed_values(placed)
    if memo is not None:
        if had is not None:
            at, lists = np.union1d(had[0], at), _merged(had[1], lists)
        memo[(field, term)] = (at, lists)
    return lists


def _merged(a: PositionLists, b: PositionLists) -> PositionLists:
    """The postings of ``a`` and ``b`` (of disjoint blocks of one term) in one PositionLists,
    in docnum order: what reading both sets of blocks at once gives."""
    ids = np.concatenate((a[0], b[0]))
    order = np.argsort(ids, kind="stable")
    firsts = np.concatenate((a[1][:-1], b[1][:-1] + len(a[2])))[order]
    lengths = np.concatenate((np.diff(a[1]), np.diff(b[1])))[order]
    offsets = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    take = np.repeat(firsts - offsets[:-1], lengths) + np.arange(total)
    return ids[order], offsets, np.concatenate((a[2], b[2]))[take]


def position_lists(
    searcher: Searcher,
    snap: Snapshot,
    field: str,
    term: str,
    docs: np.ndarray | None = None,
    memo: BlockMemo | None = None,
) -> PositionLists:
    """``read_position_lists`` through the snapshot's cache (keys apart from plain postings).

    With ``docs`` (ascending, at most READ_BLOCKS_UP_TO) and the term's list not in the cache,
    only the blocks holding ``docs`` are read, and not kept: the proximity boost asks about
    thirty documents (the best passages twenty), which touch a fraction of a common word's
    blocks. A list is read whole and kept only for more documents (a phrase). Until 2026-12-06
    a term asked about twice was read whole and kept: a common word's positions (megabytes) then
    took the place of the plain postings in the cache, and the second ask read every block
    (docs/benchmarks.md).
    """
    key = (f"{field}#positions", term)
    item = snap.cache.get(key)
    if item is None:
        if docs is not None and len(docs) <= READ_BLOCKS_UP_TO:
            # The plain postings the scorer keeps say where the blocks stand (QueryScorer.postings:
            # ids, scores, then term_list's block table); ``near`` asks only documents in them.
            plain = snap.cache.get((field, term))
            if plain is not None and len(plain) == 6 and len(plain[2]):
                return _read_placed_blocks(searcher, field, plain[2:], docs, memo, term)
            return read_position_lists(searcher, field, term, docs)
        item = read_position_lists(searcher, field, term)
        snap.cache.put(key, item)
    ids, offsets, blob = item
    return ids, offsets, blob


def rows_positions(lists: PositionLists, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions held in postings ``rows`` of ``lists``, with the index into ``rows`` each
    came from: ascending by row, then by position."""
    _, offsets, blob = lists
    first = offsets[rows]
    lengths = offsets[rows + 1] - first
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # The bytes of the chosen values, one after another (kb.index.codec.encode_positions: LEB128
    # varints of the deltas, the first from 0).
    ends = np.cumsum(lengths)
    take = np.repeat(first - (ends - lengths), lengths) + np.arange(total)
    data = blob[take].astype(np.int64)
    owner = np.repeat(np.arange(len(rows)), lengths)
    last = data < 0x80  # the last byte of a varint
    starts = np.flatnonzero(np.concatenate(([True], last[:-1])))
    shift = np.arange(total) - np.repeat(starts, np.diff(np.append(starts, total)))
    deltas = np.add.reduceat((data & 0x7F) << (7 * shift), starts)
    owner = owner[last]
    # Running sums of the deltas, restarted at each row's first varint.
    sums = np.cumsum(deltas)
    begins = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
    before = np.concatenate(([0], sums[begins[1:] - 1]))
    counts = np.diff(np.append(begins, len(owner)))
    return sums - np.repeat(before, counts), owner


def near(
    searcher: Searcher,
    snap: Snapshot,
    field: str,
    terms: Sequence[str],
    docs: np.ndarray,
    slop: int = 1,
    memo: BlockMemo | None = None,
) -> np.ndarray:
    """For each docnum of ``docs`` (sorted): True when ``terms`` occur in order in ``field``,
    each 1 to ``slop`` positions after the previous one (slop 1: an exact phrase)."""
    found = np.zeros(len(docs), dtype=bool)
    if not len(docs) or not terms:
        return found
    # Positions are read only for documents that may hold every term in this field: the plain
    # postings the scorer keeps (QueryScorer.postings, key (field, term)) say which hold which,
    # and most of the proximity boost's candidates lack a word in the title.
    asked = docs
    for term in terms:
        plain = snap.cache.get((field, term))
        if plain is not None and len(asked):
            held = plain[0]
            i = np.minimum(np.searchsorted(held, asked), max(len(held) - 1, 0))
            asked = asked[held[i] == asked] if len(held) else asked[:0]
    if not len(asked):
        return found
    lists = [position_lists(searcher, snap, field, t, asked, memo) for t in terms]
    rows = []
    holds_all = np.ones(len(docs), dtype=bool)
    for ids, _, _ in lists:
        if not len(ids):
            return found
        i = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        holds_all &= ids[i] == docs
        rows.append(i)
    chosen = np.flatnonzero(holds_all)
    if not len(chosen):
        return found
    # A position as one sortable key: the chosen document's index above, the position below, so
    # "at most slop before p" never reaches into another document (positions < 2**32 - slop).
    ends = None
    for t, lists_t in enumerate(lists):
        positions, owner = rows_positions(lists_t, rows[t][chosen])
        keys = (owner << 32) + positions
        if ends is None:
            ends = keys
            continue
        if not len(ends):
            break
        # Like Whoosh's Phrase: p follows when an end of the previous term is in p-slop .. p-1.
        j = np.minimum(np.searchsorted(ends, keys - slop), len(ends) - 1)
        ends = keys[(ends[j] >= keys - slop) & (ends[j] <= keys - 1)]
    if ends is not None and len(ends):
        found[chosen[np.unique(ends >> 32)]] = True
    return found
