"""A whole posting list read at once (kb.index.postlists) holds what Whoosh's matcher walks through:
the same documents, frequencies and positions, for lists of one block and of many."""

from __future__ import annotations

import itertools
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index

from kb.index import codec, postlists
from kb.index.builds import WRITER_ARGS
from kb.index.codec import KbLeafMatcher, block_bytes
from kb.index.postlists import read_list
from kb.index.record import index_fields
from kb.index.schema import build_schema
from tests.conftest import make_document

WORDS = ["hemtjänst", "äldreomsorg", "bygglov", "e-tjänst", "kommunen", "samverkan", "arkiv"]


def _build(path: Path, n: int) -> None:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    w = ix.writer(**WRITER_ARGS)
    for i in range(n):
        body = " ".join(WORDS[(i * k) % len(WORDS)] for k in range(1, 2 + i % 40))
        w.add_document(**index_fields(make_document(f"https://lists.example/{i}", f"T{i}", body)))
    w.commit()
    ix.close()


@pytest.mark.parametrize("n", [3, 700])
@pytest.mark.parametrize("head_only_above", [0, postlists.HEAD_ONLY_ABOVE])
def test_read_list_gives_what_the_matcher_gives(
    tmp_path: Path, n: int, head_only_above: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 0: every compressed block read without values is inflated only through its weights.
    monkeypatch.setattr(postlists, "HEAD_ONLY_ABOVE", head_only_above)
    _build(tmp_path / "ix", n)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    compared = 0
    with ix.searcher() as s:
        reader = s.reader()
        for field, term in reader.all_terms():
            m = reader.postings(field, term)
            if not isinstance(m, KbLeafMatcher):
                continue  # a one-posting list is kept in the term's row
            got = read_list(m, values=True)
            ids, weights, values = [], [], []
            while m.is_active():
                ids.append(m.id())
                weights.append(m.weight())
                values.append(m.value() or b"")
                m.next()
            assert got.ids.tolist() == ids
            assert got.weights.tolist() == weights
            assert got.offsets is not None and got.values is not None
            assert _values(got.offsets, got.values) == values
            plain = read_list(reader.postings(field, term))
            assert np.array_equal(plain.ids, got.ids) and plain.values is None
            assert np.array_equal(plain.weights, got.weights)
            compared += len(ids)
    ix.close()
    assert compared > (5000 if n > 100 else 3)


def _values(offsets: np.ndarray, blob: np.ndarray) -> list[bytes]:
    data = blob.tobytes()
    return [data[a:b] for a, b in itertools.pairwise(offsets.tolist())]


def _matcher(blocks: list[bytes], fixed: int | None) -> Any:
    """Enough of a KbLeafMatcher for read_list: the list's bytes and where they are."""
    raw = b"".join(blocks)
    postfile = SimpleNamespace(get=lambda pos, length: raw[pos : pos + length])
    return SimpleNamespace(
        _postfile=postfile, _startoffset=0, _length=(len(raw),), _fixedsize=fixed
    )


@pytest.mark.parametrize("codes", ["fixed", "dynamic"])
@pytest.mark.parametrize("compression", [0, 3])
def test_every_kind_of_block_is_read(
    compression: int, codes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Blocks of each kind of weights (all 1, all the same, bytes, shorts, floats) and values.
    # "dynamic": zlib streams with their own Huffman codes, as indexes written before the fixed
    # codes hold (and their older segments, beside newer ones, after a merge or an addition).
    if codes == "dynamic":
        monkeypatch.setattr(codec, "deflate_fixed", zlib.compress)
    kinds = [
        ([1.0] * 3, [b"\x01", b"\x02\x03", b"\x04"]),
        ([2.5] * 3, [b"", b"\x7f", b"\x80\x01"]),
        ([1.0, 3.0, 255.0], [b"x" * 300, b"", b"y"]),
        ([1.0, 300.0, 70000.0], [b"\x05"] * 3),
        ([0.5, 1.25, 9.0], [b"\x06", b"\x07", b"\x08"]),
    ]
    blocks, ids_all, weights_all, values_all = [], [], [], []
    for k, (weights, values) in enumerate(kinds):
        ids = [k * 1000 + 5, k * 1000 + 6, k * 1000 + 900]
        last = k == len(kinds) - 1
        blocks.append(block_bytes(ids, weights, values, None, compression, 1.0, 1, 9, last))
        ids_all += ids
        weights_all += weights
        values_all += values
    got = read_list(_matcher(blocks, None), values=True)
    assert got.ids.tolist() == ids_all
    assert got.weights.tolist() == weights_all
    assert got.offsets is not None and got.values is not None
    assert _values(got.offsets, got.values) == values_all
    # Without values a compressed block is inflated only through its weights: every block here.
    monkeypatch.setattr(postlists, "HEAD_ONLY_ABOVE", 0)
    plain = read_list(_matcher(blocks, None))
    assert plain.ids.tolist() == ids_all and plain.weights.tolist() == weights_all

    fixed = [b"\x00\x00\x00\x01", b"\x00\x00\x00\x02"]
    block = block_bytes([7, 70_000], [1.0, 2.0], fixed, 4, compression, 2.0, 1, 9, True)
    got = read_list(_matcher([block], 4), values=True)
    assert got.ids.tolist() == [7, 70_000] and got.weights.tolist() == [1.0, 2.0]
    assert got.values is not None and got.values.tobytes() == b"".join(fixed)


def test_reading_only_the_blocks_of_some_documents(tmp_path: Path) -> None:
    _build(tmp_path / "ix", 700)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    rng = np.random.default_rng(5)
    with ix.searcher() as s:
        reader = s.reader()
        common = sorted(reader.lexicon("body"), key=lambda t: -reader.doc_frequency("body", t))
        for term in common[:3]:
            whole = read_list(reader.postings("body", term), values=True)
            assert len(whole.ids) > 300  # several blocks
            assert whole.offsets is not None and whole.values is not None
            for size in (1, 5, 60):
                docs = np.sort(rng.choice(700, size, replace=False))
                part = read_list(reader.postings("body", term), values=True, docs=docs)
                assert part.offsets is not None and part.values is not None
                if size == 1:
                    assert len(part.ids) <= 128  # one block
                for d in docs:
                    if d in whole.ids:
                        w, p = int(np.searchsorted(whole.ids, d)), int(np.searchsorted(part.ids, d))
                        assert part.ids[p] == d and part.weights[p] == whole.weights[w]
                        got = _values(part.offsets, part.values)[p]
                        assert got == _values(whole.offsets, whole.values)[w]
    ix.close()


def test_lists_found_from_the_dictionary_row_are_the_matchers_lists(tmp_path: Path) -> None:
    # kb.search.postings reads a list from its term's dictionary row without a matcher; the
    # same ids, weights and block table as read_list through reader.postings.
    from kb.index.postlists import read_extent
    from kb.search.postings import _ABSENT, _list_row

    _build(tmp_path / "ix", 700)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    compared = 0
    with ix.searcher() as s:
        reader = s.reader()
        assert _list_row(reader, "body", "ordetfinnsinte") is _ABSENT
        for field, term in reader.all_terms():
            if field not in ("title", "body", "lead", "headings"):
                continue
            text = term.decode("utf-8")
            row = _list_row(reader, field, text)
            m = reader.postings(field, text)
            if not isinstance(m, KbLeafMatcher):
                assert row is None  # kept in the term's row: read through the matcher
                continue
            assert row is not None and row is not _ABSENT
            got = read_extent(row[0], row[1], row[2], blocks=True)
            want = read_list(m, blocks=True)
            assert np.array_equal(got.ids, want.ids) and np.array_equal(got.weights, want.weights)
            assert got.blocks is not None and want.blocks is not None
            assert np.array_equal(got.blocks.starts, want.blocks.starts)
            assert np.array_equal(got.blocks.maxids, want.blocks.maxids)
            compared += 1
    assert compared > 10
