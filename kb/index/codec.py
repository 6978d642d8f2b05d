"""The index's posting format on disk: Whoosh's W3 codec with compact blocks and positions.

Whoosh's W3 codec pickles every block of 128 postings as a tuple of Python objects with protocol 2:
document-number deltas as ints, weights as 8-byte floats and each posting's value as a ``bytes``
object (which protocol 2 writes as a latin-1 string through ``_codecs.encode``, about 14 bytes of
framing each), and a word's positions inside that value as a 4-byte count plus another pickle.
On the generated benchmark corpus the values were 86 % of the body's posting bytes
(docs/decisions.md, "What the index keeps"). Here the same numbers are written as plain arrays:

- ``KbCodec`` is ``W3Codec`` with ``KbPostingsWriter``/``KbLeafMatcher``: a block is a 13-byte
  header (count, last id, maximum weight, compression, length bytes) and one zlib stream of the
  id deltas, the weights and the values as little-endian arrays of the narrowest width that holds
  them; a posting list has no header tag. The term dictionary is Whoosh's ordered hash file with
  smaller hash tables (``TermsWriter``, read by Whoosh's own reader). Stored fields, lengths and
  the matcher API are Whoosh's, so every Whoosh reader, merge and query works unchanged.
- ``VarintPositions`` is Whoosh's ``Positions`` format with each posting's positions as LEB128
  varints of the deltas (one byte for most words) instead of a count and a pickle.

Whoosh pickles the codec into every segment and the format into the schema under this module
path: keep both classes here. kb.index.postlists reads a whole posting list for kb.search in a few
numpy calls.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermsReader,
)
from whoosh.filedb.filetables import OrderedHashWriter, _pointer
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length, length_to_byte

from kb.index.mapped import MappedPerDocReader, open_mapped

# count, last id, maximum weight (weights are float32), compression level, min and max length
# bytes. A posting list is its blocks, each an int length (negative for the last) + this + data.
_INFO = struct.Struct("<HIfBBB")
_LENGTH = struct.Struct("!i")  # whoosh.filedb.structfile.StructFile.write_int
# How the weights of a block are kept (the second byte of a block's data).
_W_ONES, _W_SAME, _W_U8, _W_U16, _W_F4 = range(5)
# How the values are kept (the third byte): none, fixed size, or lengths of this width + blob.
_V_NONE, _V_FIXED, _V_U8, _V_U16, _V_U32 = range(5)
_WIDTHS: dict[int, Any] = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_ARRAY_CODES = {1: "B", 2: "H", 4: "I"}
assert array("I").itemsize == 4 and array("f").itemsize == 4
_BIG_ENDIAN = sys.byteorder == "big"


def _width(top: int) -> int:
    return 1 if top < 0x100 else 2 if top < 0x10000 else 4


# -- positions ------------------------------------------------------------------------------------


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


# The encoding of a single position, by position: most words occur once in a document.
_ONE_POSITION = [_varint(p) for p in range(16384)]


def encode_positions(poslist: list[int]) -> bytes:
    """Varints of the position deltas (the first from 0)."""
    if len(poslist) == 1 and poslist[0] < 16384:
        return _ONE_POSITION[poslist[0]]
    out = bytearray()
    base = 0
    for pos in poslist:
        n = pos - base
        base = pos
        while n >= 0x80:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


def decode_positions(value: bytes) -> list[int]:
    """The positions ``encode_positions`` wrote."""
    out: list[int] = []
    position = shift = n = 0
    for byte in value:
        if byte < 0x80:
            position += n | (byte << shift)
            out.append(position)
            n = shift = 0
        else:
            n |= (byte & 0x7F) << shift
            shift += 7
    return out


class VarintPositions(formats.Positions):
    """Whoosh's Positions format with varint-coded position deltas (phrases, proximity)."""

    def encode(self, poslist: list[int]) -> bytes:
        return encode_positions(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return sum(1 for byte in valuestring if byte < 0x80)


# -- blocks ---------------------------------------------------------------------------------------


def _packed(numbers: Any, width: int) -> bytes:
    """``numbers`` as little-endian unsigned ints of ``width`` bytes."""
    arr = array(_ARRAY_CODES[width], numbers)
    if _BIG_ENDIAN:
        arr.byteswap()
    return arr.tobytes()


def encode_block(ids: Any, weights: Any, values: list[bytes], fixedsize: int | None) -> bytes:
    """One block's data (before compression): id deltas, weights, values.

    Plain ``array`` calls rather than numpy: most posting lists hold one to three postings, where
    numpy's per-call cost was most of a build's commit (docs/benchmarks.md)."""
    n = len(ids)
    deltas = [ids[0]]
    deltas.extend([ids[i] - ids[i - 1] for i in range(1, n)])
    iw = _width(max(deltas))
    parts = [b"", _packed(deltas, iw)]
    if weights.count(1.0) == n:
        wmode = _W_ONES
    elif weights.count(weights[0]) == n:
        wmode = _W_SAME
        parts.append(struct.pack("<f", weights[0]))
    elif all(0.0 <= w <= 65535.0 and float(w).is_integer() for w in weights):
        wmode = _W_U8 if max(weights) < 0x100 else _W_U16
        parts.append(_packed([int(w) for w in weights], 1 if wmode == _W_U8 else 2))
    else:
        wmode = _W_F4
        packed = array("f", weights)
        if _BIG_ENDIAN:
            packed.byteswap()
        parts.append(packed.tobytes())
    if not values or fixedsize == 0:
        vmode = _V_NONE
    elif fixedsize is not None and fixedsize > 0:
        vmode = _V_FIXED
        parts.append(b"".join(values))
    else:
        lengths = [len(v) for v in values]
        lw = _width(max(lengths))
        vmode = {1: _V_U8, 2: _V_U16, 4: _V_U32}[lw]
        parts.append(_packed(lengths, lw))
        parts.append(b"".join(values))
    parts[0] = bytes((iw, wmode, vmode))
    return b"".join(parts)


Block = tuple[np.ndarray, np.ndarray | None, list[bytes] | None]


def decode_block(data: bytes, n: int, fixedsize: int | None) -> Block:
    """(absolute ids int64, weights float32 or None for all 1.0, values or None) of a block."""
    iw, wmode, vmode = data[0], data[1], data[2]
    at = 3
    ids = np.cumsum(np.frombuffer(data, _WIDTHS[iw], n, at), dtype=np.int64)
    at += iw * n
    weights: np.ndarray | None
    if wmode == _W_ONES:
        weights = None
    elif wmode == _W_SAME:
        weights = np.full(n, np.frombuffer(data, "<f4", 1, at)[0], dtype=np.float32)
        at += 4
    elif wmode in (_W_U8, _W_U16):
        size = 1 if wmode == _W_U8 else 2
        weights = np.frombuffer(data, _WIDTHS[size], n, at).astype(np.float32)
        at += size * n
    else:
        weights = np.frombuffer(data, "<f4", n, at).astype(np.float32)
        at += 4 * n
    values: list[bytes] | None = None
    if vmode == _V_FIXED:
        size = fixedsize or 0
        values = [data[at + i * size : at + (i + 1) * size] for i in range(n)]
    elif vmode != _V_NONE:
        lw = {_V_U8: 1, _V_U16: 2, _V_U32: 4}[vmode]
        lengths = np.frombuffer(data, _WIDTHS[lw], n, at).tolist()
        at += lw * n
        values = []
        for length in lengths:
            values.append(data[at : at + length])
            at += length
    return ids, weights, values


class KbPostingsWriter(W3PostingsWriter):
    """W3PostingsWriter writing ``encode_block`` blocks with a struct header."""

    def _write_block(self, last: bool = False) -> None:
        self._terminfo.add_block(self)
        self._postfile.write(
            block_bytes(
                self._ids,
                self._weights,
                self._values,
                self._format.fixed_value_size(),
                self._compression,
                self._maxweight,
                self._minlength,
                self._maxlength,
                last,
            )
        )
        self._blockcount += 1
        self._new_block()


def block_bytes(
    ids: Any,
    weights: Any,
    values: list[bytes],
    fixedsize: int | None,
    compression: int,
    maxweight: float,
    minlength: int | None,
    maxlength: int,
    last: bool,
) -> bytes:
    """One block as it goes into the postings file: its length, header and data."""
    data = encode_block(ids, weights, values, fixedsize)
    comp = 0
    if compression and len(data) >= 20:
        packed = deflate_fixed(data, compression)
        if len(packed) < len(data):
            data, comp = packed, compression
    info = _INFO.pack(
        len(ids), ids[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength)
    )
    length = len(info) + len(data)
    return _LENGTH.pack(-length if last else length) + info + data


def deflate_fixed(data: bytes, level: int) -> bytes:
    """``data`` as a zlib stream coded with deflate's fixed Huffman codes (``Z_FIXED``).

    A block is a few hundred bytes, so inflating a stream with its own code tables was mostly
    building those tables: the fixed codes inflate a body block in less than half the time, for
    about 5 % more bytes on the body's blocks. ``bench/codec_bench.py blocks`` measures both
    codings on an index; its figures are in docs/benchmarks.md, "Fixed Huffman codes in posting
    blocks". Any zlib stream reads the same, so blocks of either kind, even in one list, are
    read alike."""
    packer = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS, 8, zlib.Z_FIXED)
    return packer.compress(data) + packer.flush()


class KbLeafMatcher(W3LeafMatcher):
    """W3LeafMatcher reading ``KbPostingsWriter`` blocks."""

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset  # no header tag before the first block

    def _goto(self, position: int) -> None:
        postfile = self._postfile
        self._data: Any = None
        self._ids: Any = None
        self._weights: Any = None
        self._values: Any = None
        self._i = 0
        length = postfile.get_int(position)
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + _INT_SIZE + length
        self._dataoffset = position + _INT_SIZE + _INFO.size
        (
            self._blocklength,
            self._maxid,
            self._maxweight,
            self._compression,
            mnlen,
            mxlen,
        ) = _INFO.unpack(postfile.get(position + _INT_SIZE, _INFO.size))
        self._minlength = byte_to_length(mnlen)
        self._maxlength = byte_to_length(mxlen)

    def _block(self) -> Block:
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        if self._compression:
            raw = zlib.decompress(raw)
        return decode_block(raw, self._blocklength, self._fixedsize)

    def _read_data(self) -> None:
        self._data = self._block()

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0].tolist()

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        self._weights = [1.0] * self._blocklength if weights is None else weights.tolist()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        values = self._data[2]
        self._values = (None,) * self._blocklength if values is None else tuple(values)


class TermsWriter(OrderedHashWriter):
    """Whoosh's ordered hash file of terms with hash tables a quarter larger than their keys
    instead of twice as large (12 bytes a slot): Whoosh's own reader probes them unchanged."""

    def _write_hashes(self) -> None:
        dbfile = self.dbfile
        for entries in self.buckets:
            numslots = len(entries) + len(entries) // 4 + 1 if entries else 0
            self.directory.append((dbfile.tell(), numslots))
            table: list[tuple[int, int]] = [(0, 0)] * numslots
            for hashval, position in entries:
                slot = (hashval >> 8) % numslots
                while table[slot][1]:
                    slot = (slot + 1) % numslots
                table[slot] = (hashval, position)
            dbfile.write(b"".join(_pointer.pack(h, p) for h, p in table))


class KbFieldWriter(W3FieldWriter):
    """W3FieldWriter whose term dictionary is a ``TermsWriter``."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        super().__init__(codec, storage, segment)
        # The base class has written only the file header yet; the subclass adds no state.
        self._tindex.__class__ = TermsWriter


class KbCodec(W3Codec):
    """W3Codec with compact posting blocks and smaller term hash tables (the term dictionary's
    rows, the stored fields and the columns stay Whoosh's)."""

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return KbFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # term vectors (not used by this schema) keep Whoosh's blocks
            return super().postings_writer(dbfile, byteids=True)
        return KbPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return MappedPerDocReader(storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        """Whoosh's terms reader over memory-mapped files (kb.index.mapped): same bytes."""
        tiname = segment.make_filename(self.TERMS_EXT)
        terms = open_mapped(storage, tiname)
        postfile = open_mapped(storage, segment.make_filename(self.POSTS_EXT))
        return W3TermsReader(self, terms, storage.file_length(tiname), postfile)

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return KbLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
