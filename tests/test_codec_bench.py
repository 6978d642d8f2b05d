"""bench/codec_bench.py's re-coding of posting lists: a list coded again with fixed or dynamic
Huffman codes holds the same postings, its fixed coding is the bytes the codec writes, and its
dynamic coding is what the codec wrote before (docs/benchmarks.md quotes the bench's figures)."""

from __future__ import annotations

import zlib

import numpy as np

from bench.codec_bench import recode_list, split_blocks
from kb.index.codec import block_bytes, encode_positions
from kb.index.postlists import _HEAD, read_extent


def _block(start: int, n: int, last: bool, compression: int = 3) -> bytes:
    ids = list(range(start, start + 3 * n, 3))
    weights = [float(1 + i % 4) for i in range(n)]
    values = [encode_positions([i, i + 7, i + 40]) for i in range(n)]
    return block_bytes(ids, weights, values, None, compression, 4.0, 1, 9, last)


# Two full blocks and a short last one (too short to compress: kept as it is).
LIST = _block(5, 128, False) + _block(1000, 128, False) + _block(2000, 2, True)


def _btype(block: bytes) -> int:
    """The first deflate block's type: 1 fixed codes, 2 dynamic (the byte after zlib's two)."""
    return (block[_HEAD + 2] >> 1) & 3


def test_a_list_splits_into_its_blocks() -> None:
    blocks = split_blocks(LIST)
    assert len(blocks) == 3 and b"".join(blocks) == LIST


def test_fixed_coding_is_the_codecs_own_bytes() -> None:
    assert recode_list(LIST, "fixed") == LIST
    assert recode_list(LIST, "stored") is LIST


def test_dynamic_coding_holds_the_same_postings_in_dynamic_code_blocks() -> None:
    dynamic = recode_list(LIST, "dynamic")
    assert dynamic != LIST
    blocks = split_blocks(dynamic)
    assert [_btype(b) for b in blocks[:2]] == [2, 2]
    assert blocks[0][_HEAD:] == zlib.compress(zlib.decompress(split_blocks(LIST)[0][_HEAD:]), 3)
    assert blocks[2] == split_blocks(LIST)[2]  # the uncompressed block stays as it is
    want = read_extent(0, LIST, None, values=True)
    got = read_extent(0, dynamic, None, values=True)
    for name in ("ids", "weights", "offsets", "values"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    assert len(got.ids) == 258


def test_an_uncompressed_block_is_compressed_when_that_makes_it_smaller() -> None:
    plain = _block(5, 128, True, compression=0)
    fixed = recode_list(plain, "fixed")
    assert len(fixed) < len(plain) and _btype(fixed) == 1
    assert np.array_equal(read_extent(0, fixed, None).ids, read_extent(0, plain, None).ids)
