"""Decode Whoosh posting lists and per-document lengths into numpy arrays.

Scoring and facet counting run as vector operations over these arrays instead of Whoosh's
per-posting Python matchers (an order of magnitude faster, see docs/benchmarks.md). The block
decoder reads the index's own blocks (kb.index.postlists) and whoosh-reloaded 2.7.5's W3 blocks
directly, pinned in pyproject.toml; any other matcher falls back to the public matcher API, so a
codec change costs speed, never correctness.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3TermInfo, W3TermsReader, _lenfield
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from kb.index.codec import KbCodec, KbLeafMatcher
from kb.index.postlists import Blocks, read_extent, read_list

IntArray = np.ndarray
_LONG = struct.Struct("!q")  # whoosh.system's pack_long and pack_int: a dictionary row's extent
_INT = struct.Struct("!i")
_EMPTY_I = np.zeros(0, dtype=np.int32)
_EMPTY_F = np.zeros(0, dtype=np.float32)
_NO_BLOCKS = tuple(np.zeros(0, dtype=np.int64) for _ in range(4))
# byte_to_length as a lookup table: Whoosh stores field lengths as one lossy byte per document.
_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def leaves(searcher: Searcher) -> list[tuple[Any, int]]:
    """(segment reader, docnum offset) pairs of a searcher."""
    return list(searcher.reader().leaf_readers())


def _decode_w3(m: W3LeafMatcher) -> tuple[IntArray, np.ndarray]:
    id_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    postfile = m._postfile
    while True:
        raw = postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        if m._compression:
            raw = zlib.decompress(raw)
        ids, weights, _values = pickle.loads(raw)
        n = m._blocklength
        id_parts.append(np.array(ids, dtype=np.int64))
        if weights is None:
            w_parts.append(np.ones(n, dtype=np.float32))
        elif isinstance(weights, float):
            w_parts.append(np.full(n, weights, dtype=np.float32))
        else:
            w_parts.append(np.array(weights, dtype=np.float32))
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    # Block ids are delta-encoded from 0 at the start of every block (W3PostingsWriter._mini_ids).
    id_arrays = [np.cumsum(p) for p in id_parts]
    return np.concatenate(id_arrays).astype(np.int32), np.concatenate(w_parts)


def _decode_generic(m: Any) -> tuple[IntArray, np.ndarray]:
    ids: list[int] = []
    weights: list[float] = []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def leaf_postings(reader: Any, field: str, term: str) -> tuple[IntArray, np.ndarray] | None:
    """Docnums within one segment reader and frequencies of ``term``; None when it has none."""
    found = _leaf_list(reader, field, term)
    return None if found is None else (found[0], found[1])


def _leaf_list(
    reader: Any, field: str, term: str, blocks: bool = False
) -> tuple[IntArray, np.ndarray, Blocks | None] | None:
    """``leaf_postings`` and where the list's blocks stand (None: not read block by block)."""
    row = _list_row(reader, field, term)
    if row is _ABSENT:
        return None
    if row is not None:
        startoffset, raw, fixed = row
        found = read_extent(startoffset, raw, fixed, blocks=blocks)
        return found.ids, found.weights, found.blocks
    try:
        m = reader.postings(field, term)
    except TermNotFound:
        return None
    if isinstance(m, KbLeafMatcher):
        found = read_list(m, blocks=blocks)
        return found.ids, found.weights, found.blocks
    if isinstance(m, W3LeafMatcher):
        return (*_decode_w3(m), None)
    return (*_decode_generic(m), None)


_ABSENT = (-1, b"", None)  # _list_row: the segment does not hold the term
_ROW = W3TermInfo._struct  # a term's dictionary row: this header, then offset and length


def _list_row(reader: Any, field: str, term: str) -> tuple[int, bytes, int | None] | None:
    """(start offset, bytes, fixed value size) of the term's posting list in one segment, read
    from its dictionary row as ``reader.postings`` would (``_ABSENT``: no such term), or None
    where that makes no KbLeafMatcher to read the same bytes from (a one-posting list kept in
    the row, a segment with deletions, another codec). Without the matcher (its first block's
    header decoded) and Whoosh's term-info object: a new query word is looked up in 16 lists
    (four fields, four segments at 100,000 documents)."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader) or not isinstance(terms._codec, KbCodec):
        return None
    if reader.has_deletions():
        return None
    if field not in reader.schema:
        return _ABSENT
    tindex = terms._tindex
    key = terms._keycoder(field, reader._text_to_bytes(field, term))
    for datapos, datalen in tindex.ranges_for_key(key):
        row = tindex.dbfile.get(datapos, datalen)
        if row[0]:  # inlined postings
            return None
        at = _ROW.size
        startoffset = _LONG.unpack_from(row, at)[0]
        length = _INT.unpack_from(row, at + _LONG.size)[0]
        fixed = reader.schema[field].format.fixed_value_size()
        return startoffset, terms._postfile.get(startoffset, length), fixed
    return _ABSENT


def term_postings(searcher: Searcher, field: str, term: str) -> tuple[IntArray, np.ndarray]:
    """Global docnums (sorted) and term frequencies of ``term``; deleted documents included."""
    ids, weights, _blocks = term_list(searcher, field, term, blocks=False)
    return ids, weights


def term_list(
    searcher: Searcher, field: str, term: str, blocks: bool = True
) -> tuple[IntArray, np.ndarray, tuple[np.ndarray, ...]]:
    """``term_postings``, and where the list's blocks stand in the segments' postings files: four
    arrays with a row per block (segment number in ``leaves``, file offset, size, last global
    docnum: ascending), for kb.search.positions to read some documents' blocks directly. Empty
    when a segment's list was not read block by block (a one-posting list kept in the term's
    row, a segment with deletions)."""
    id_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    where: list[tuple[int, int, Blocks]] | None = [] if blocks else None
    for seg, (reader, offset) in enumerate(leaves(searcher)):
        found = _leaf_list(reader, field, term, blocks)
        if found is None:
            continue
        ids, weights, placed = found
        id_parts.append(ids + offset if offset else ids)
        w_parts.append(weights)
        if where is not None:
            where = None if placed is None else [*where, (seg, offset, placed)]
    if not id_parts:
        return _EMPTY_I, _EMPTY_F, _NO_BLOCKS
    table = _block_table(where) if where else _NO_BLOCKS
    if len(id_parts) == 1:
        return id_parts[0], w_parts[0], table
    return np.concatenate(id_parts), np.concatenate(w_parts), table


def _block_table(blocks: list[tuple[int, int, Blocks]]) -> tuple[np.ndarray, ...]:
    """The rows of ``term_list``'s block table, segment after segment."""
    seg = np.concatenate([np.full(len(b.starts), s, dtype=np.int64) for s, _, b in blocks])
    starts = np.concatenate([b.starts for _, _, b in blocks])
    sizes = np.concatenate([b.sizes for _, _, b in blocks])
    maxids = np.concatenate([b.maxids + offset for _, offset, b in blocks])
    return seg, starts, sizes, maxids


def field_lengths(searcher: Searcher, field: str) -> np.ndarray:
    """Per-document token count of ``field`` (Whoosh's lossy one-byte encoding), float32."""
    parts: list[np.ndarray] = []
    for reader, _offset in leaves(searcher):
        n = reader.doc_count_all()
        perdoc = getattr(reader, "_perdoc", None)  # an empty index has an EmptyReader
        col = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN) if perdoc else None
        if col is None:
            parts.append(np.zeros(n, dtype=np.float32))
            continue
        raw = np.fromiter((col[i] for i in range(n)), dtype=np.uint8, count=n)
        parts.append(_LENGTH_TABLE[raw])
    return np.concatenate(parts) if parts else _EMPTY_F


def live_mask(searcher: Searcher) -> np.ndarray:
    """Boolean array over global docnums: True for documents that are not deleted."""
    parts: list[np.ndarray] = []
    for reader, _offset in leaves(searcher):
        n = reader.doc_count_all()
        mask = np.ones(n, dtype=bool)
        if reader.has_deletions():
            mask[:] = False
            mask[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        parts.append(mask)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def field_terms(searcher: Searcher, field: str) -> list[str]:
    """All terms of ``field`` (used for the small facet fields)."""
    return [
        t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.reader().lexicon(field)
    ]
