"""Whole posting lists of the index's codec (kb.index.codec) as numpy arrays, read in one pass.

kb.search scores and counts over every posting of a query's words. Going through the matcher API
decodes a list block by block with Python work per posting (each value sliced out as a ``bytes``);
here the list's bytes come in one file read, each block is decompressed once, its id deltas,
weights and value lengths are taken as array views of the block, and the views are joined and
summed in a few numpy calls. A term's encoded positions (the values of title and body) come from
the same pass when asked for, as one blob with offsets: the same bytes, never one object each.

Owns only the reading of ``KbPostingsWriter`` lists; must not import kb.search.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from kb.index.codec import (
    _INFO,
    _LENGTH,
    _V_FIXED,
    _V_NONE,
    _V_U8,
    _V_U16,
    _W_F4,
    _W_ONES,
    _W_SAME,
    _W_U8,
    _WIDTHS,
    KbLeafMatcher,
)

_HEAD = _LENGTH.size + _INFO.size  # a block's length and header before its data
_ONES = np.ones(1 << 16, dtype=np.float32)  # a block holds at most 65,535 postings (count: H)
_VALUE_WIDTH = {_V_U8: 1, _V_U16: 2}  # else 4 (_V_U32)
# Inflate only the ids and weights of a compressed block of more than this many bytes a posting
# when its values are not wanted (measured on the 100,000-document index, docs/benchmarks.md).
HEAD_ONLY_ABOVE = 3


@dataclass(frozen=True)
class PostingList:
    """One segment's posting list of one term.

    Attributes:
        ids: the segment's docnums, ascending (int32).
        weights: the term's frequency in each document (float32).
        offsets: where each posting's value starts in ``values``, one more than ``ids`` (int64);
            None unless values were asked for.
        values: every posting's value one after the other (uint8); None unless asked for.
    """

    ids: np.ndarray
    weights: np.ndarray
    offsets: np.ndarray | None = None
    values: np.ndarray | None = None
    blocks: Blocks | None = None


@dataclass(frozen=True)
class Blocks:
    """Where the blocks of a list read whole stand in the segment's postings file, so that the
    blocks of some documents can later be read without walking the list (``read_placed_values``).

    Attributes:
        starts: each block's offset in the file (its length field first), int64.
        sizes: each block's bytes after its length field, int64.
        maxids: each block's last docnum in the segment, int64.
    """

    starts: np.ndarray
    sizes: np.ndarray
    maxids: np.ndarray


def list_bytes(m: KbLeafMatcher) -> bytes:
    """The bytes of the whole posting list ``m`` reads (every block, framing included)."""
    length: Any = m._length
    # whoosh 2.7.5's W3TermInfo.from_bytes keeps the list's length as a one-item tuple.
    if isinstance(length, tuple):
        length = length[0]
    raw: bytes = m._postfile.get(m._startoffset, length)
    return raw


def read_list(
    m: KbLeafMatcher, values: bool = False, docs: np.ndarray | None = None, blocks: bool = False
) -> PostingList:
    """Every posting of the list ``m`` reads (from its first block), with the values if asked.

    ``docs`` (the segment's docnums, ascending): read only the blocks that may hold them (a
    block's header gives its last docnum), so the result holds every posting of those documents
    and those of their block neighbours. The matcher's own position is not used or changed.
    ``blocks`` (without ``docs``): the result says where the list's blocks stand (``Blocks``).
    """
    return read_extent(m._startoffset, list_bytes(m), m._fixedsize, values, docs, blocks)


def read_extent(
    startoffset: int,
    raw: bytes,
    fixedsize: int | None,
    values: bool = False,
    docs: np.ndarray | None = None,
    blocks: bool = False,
) -> PostingList:
    """``read_list`` of the list whose bytes ``raw`` start at ``startoffset`` in its segment's
    postings file (kb.search.postings finds them from the term's dictionary row, no matcher)."""
    wanted = docs.tolist() if docs is not None else None
    j = 0  # the first of ``wanted`` not yet passed
    parts = _Parts(values, fixedsize)
    # Read whole: where each block stands, for read_placed_values (three numbers a block).
    starts: list[int] = []
    sizes: list[int] = []
    maxids: list[int] = []
    pos, end = 0, len(raw)
    while pos < end:
        size = _LENGTH.unpack_from(raw, pos)[0]
        last = size < 0
        if last:
            size = -size
        n, maxid, _maxweight, compression, _mn, _mx = _INFO.unpack_from(raw, pos + _LENGTH.size)
        if wanted is not None:
            held = j
            while j < len(wanted) and wanted[j] <= maxid:
                j += 1
            if j == held:  # no wanted document in this block
                pos += _LENGTH.size + size
                if last or j == len(wanted):
                    break
                continue
        elif blocks:
            starts.append(pos)
            sizes.append(size)
            maxids.append(maxid)
        parts.add(raw[pos + _HEAD : pos + _LENGTH.size + size], n, compression)
        pos += _LENGTH.size + size
        if last or (wanted is not None and j == len(wanted)):
            break
    found = parts.joined()
    if not blocks or wanted is not None:
        return found
    at = np.array(starts, dtype=np.int64) + startoffset
    placed = Blocks(at, np.array(sizes, dtype=np.int64), np.array(maxids, dtype=np.int64))
    return replace(found, blocks=placed)


def read_placed_values(
    placed: list[tuple[Any, Blocks, int, int | None]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(global docnums int32, value offsets int64, values uint8) of the blocks of several
    segments, each given as (postfile, blocks, docnum offset, fixed value size), in docnum order.

    What ``read_list`` with values and ``docs`` in those blocks gives, offset and joined; for the
    positions the proximity boost and the best passages read (kb.search.positions): one pass
    and one join over all segments, weights skipped, a block's length field, header and data in
    one read. The Python around each block cost twice its inflating (docs/benchmarks.md,
    "Search median, 2026-12-07")."""
    id_parts: list[np.ndarray] = []
    len_parts: list[np.ndarray] = []
    blob_parts: list[bytes] = []
    counts: list[int] = []
    seg_base: list[int] = []
    frombuffer, unpack, inflate = np.frombuffer, _INFO.unpack_from, zlib.decompress
    for postfile, blocks, offset, fixed in placed:
        for start, size in zip(blocks.starts.tolist(), blocks.sizes.tolist(), strict=True):
            raw = postfile.get(start, _LENGTH.size + size)
            n, _maxid, _maxweight, compression, _mn, _mx = unpack(raw, _LENGTH.size)
            data = inflate(memoryview(raw)[_HEAD:]) if compression else raw[_HEAD:]
            iw, wmode, vmode = data[0], data[1], data[2]
            id_parts.append(frombuffer(data, _WIDTHS[iw], n, 3))
            at = 3 + iw * n + _weight_bytes(wmode, n)
            if vmode == _V_NONE:
                len_parts.append(np.zeros(n, dtype=np.int64))
            elif vmode == _V_FIXED:
                len_parts.append(np.full(n, fixed or 0, dtype=np.int64))
                blob_parts.append(data[at : at + n * (fixed or 0)])
            else:
                width = _VALUE_WIDTH.get(vmode, 4)
                len_parts.append(frombuffer(data, _WIDTHS[width], n, at))
                blob_parts.append(data[at + width * n :])  # the values end the block
            counts.append(n)
            seg_base.append(offset)
    if not id_parts:
        return np.zeros(0, np.int32), np.zeros(1, np.int64), np.zeros(0, np.uint8)
    # Block ids are deltas from 0: one running sum, less the sum at the previous block's end,
    # plus the block's segment's docnum offset.
    sums = np.cumsum(np.concatenate(id_parts, dtype=np.int64))
    base = np.array(seg_base, dtype=np.int64)
    if len(counts) > 1:
        ends = np.cumsum(counts)
        base[1:] -= sums[ends[:-1] - 1]
    sums += np.repeat(base, counts)
    offsets = np.zeros(len(sums) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(len_parts, dtype=np.int64), out=offsets[1:])
    return sums.astype(np.int32), offsets, frombuffer(b"".join(blob_parts), dtype=np.uint8)


class _Parts:
    """The decoded blocks of one read, joined at the end."""

    def __init__(self, values: bool, fixed: int | None) -> None:
        self.values = values
        self.fixed = fixed
        self.id_parts: list[np.ndarray] = []
        self.w_parts: list[np.ndarray] = []
        self.len_parts: list[np.ndarray] = []
        self.blob_parts: list[bytes] = []
        self.counts: list[int] = []

    def add(self, data: bytes, n: int, compression: int) -> None:
        """Decode one block's ``data`` (after its header) of ``n`` postings."""
        values = self.values
        if compression:
            # A body block is mostly positions (5-6 compressed bytes a posting, 2 of them ids and
            # weights): without values, only its start is inflated. A title or lead block
            # (under 2 bytes a posting) costs less inflated whole.
            dense = len(data) > HEAD_ONLY_ABOVE * n
            data = _inflate_head(data, n) if dense and not values else zlib.decompress(data)
        iw, wmode, vmode = data[0], data[1], data[2]
        self.id_parts.append(np.frombuffer(data, _WIDTHS[iw], n, 3))
        at = 3 + iw * n
        w_parts = self.w_parts
        if wmode == _W_ONES:
            w_parts.append(_ONES[:n])
        elif wmode == _W_SAME:
            w_parts.append(np.full(n, np.frombuffer(data, "<f4", 1, at)[0], dtype=np.float32))
            at += 4
        elif wmode == _W_F4:
            w_parts.append(np.frombuffer(data, "<f4", n, at))
            at += 4 * n
        else:
            width = 1 if wmode == _W_U8 else 2
            w_parts.append(np.frombuffer(data, _WIDTHS[width], n, at))
            at += width * n
        if values:
            fixed = self.fixed
            if vmode == _V_NONE:
                self.len_parts.append(np.zeros(n, dtype=np.int64))
            elif vmode == _V_FIXED:
                self.len_parts.append(np.full(n, fixed or 0, dtype=np.int64))
                self.blob_parts.append(data[at : at + n * (fixed or 0)])
            else:
                width = _VALUE_WIDTH.get(vmode, 4)
                self.len_parts.append(np.frombuffer(data, _WIDTHS[width], n, at))
                self.blob_parts.append(data[at + width * n :])  # the values end the block
        self.counts.append(n)

    def joined(self) -> PostingList:
        return _joined(
            self.id_parts,
            self.w_parts,
            self.counts,
            self.len_parts if self.values else None,
            self.blob_parts,
        )


def _inflate_head(data: bytes, n: int) -> bytes:
    """The start of a compressed block of ``n`` postings, through its weights: the values
    (positions, most of a title or body block) are not inflated when only ids and weights are
    read, and inflating costs by the bytes it writes."""
    inflate = zlib.decompressobj()
    out = inflate.decompress(data, 3)
    if len(out) == 3:
        need = 3 + out[0] * n + _weight_bytes(out[1], n)
        out += inflate.decompress(inflate.unconsumed_tail, need - 3)
        if len(out) == need:
            return out
    return zlib.decompress(data)  # too short for that layout: read_list reads it whole


def _weight_bytes(wmode: int, n: int) -> int:
    """The bytes of a block's weights, as read_list reads them."""
    if wmode == _W_ONES:
        return 0
    if wmode == _W_SAME:
        return 4
    if wmode == _W_F4:
        return 4 * n
    return n if wmode == _W_U8 else 2 * n


def _joined(
    id_parts: list[np.ndarray],
    w_parts: list[np.ndarray],
    counts: list[int],
    len_parts: list[np.ndarray] | None,
    blob_parts: list[bytes],
) -> PostingList:
    if not id_parts:
        empty = np.zeros(0, dtype=np.int32)
        offsets = np.zeros(1, dtype=np.int64) if len_parts is not None else None
        blob = np.zeros(0, dtype=np.uint8) if len_parts is not None else None
        return PostingList(empty, np.zeros(0, dtype=np.float32), offsets, blob)
    # Each block's ids are deltas from 0 (the first is the block's first id): one running sum,
    # less the sum reached at the end of the previous block.
    sums = np.cumsum(np.concatenate(id_parts, dtype=np.int64))
    if len(counts) > 1:
        ends = np.cumsum(counts)
        base = np.zeros(len(counts), dtype=np.int64)
        base[1:] = sums[ends[:-1] - 1]
        sums -= np.repeat(base, counts)
    ids = sums.astype(np.int32)
    weights = np.concatenate(w_parts, dtype=np.float32)
    if len_parts is None:
        return PostingList(ids, weights)
    offsets = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(len_parts, dtype=np.int64), out=offsets[1:])
    blob = np.frombuffer(b"".join(blob_parts), dtype=np.uint8)
    return PostingList(ids, weights, offsets, blob)
