"""The compact posting blocks (kb.index.codec) give back what Whoosh's own blocks give: the same
documents, frequencies and positions through every Whoosh reader, the same phrase hits, in fewer
bytes."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import query
from whoosh.codec.whoosh3 import W3Codec

from kb.index.builds import WRITER_ARGS
from kb.index.codec import (
    KbCodec,
    block_bytes,
    decode_block,
    decode_positions,
    encode_block,
    encode_positions,
)
from kb.index.postlists import _HEAD
from kb.index.record import index_fields
from kb.index.schema import build_schema
from tests.conftest import make_document

BODIES = [
    "Kommunen antar en digitaliseringsstrategi för e-tjänster och e-arkiv. " * 3,
    "Välfärdsteknik i äldreomsorgen: trygghetslarm, hemtjänst och äldreomsorg.",
    "Bygglov och bygglovsprocessen i kommunen, med e-tjänst för ansökan om bygglov.",
]


def _build(path: Path, codec: object, n: int) -> None:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    w = ix.writer(**{**WRITER_ARGS, "codec": codec})
    for i in range(n):
        body = BODIES[i % len(BODIES)] + f" ord{i % 11} " + "samverkan " * (i % 5)
        w.add_document(**index_fields(make_document(f"https://codec.example/{i}", f"T {i}", body)))
    w.commit()
    ix.close()


def _postings(path: Path) -> dict[tuple[str, bytes], list[tuple[int, float, object]]]:
    ix = whoosh_index.open_dir(str(path))
    out = {}
    with ix.searcher() as s:
        reader = s.reader()
        for field, term in reader.all_terms():
            m = reader.postings(field, term)
            fmt = ix.schema[field].format
            rows = []
            while m.is_active():
                value = m.value()
                decoded = fmt.decode_positions(value) if field in ("title", "body") else value
                rows.append((m.id(), m.weight(), decoded))
                m.next()
            out[(field, term)] = rows
    ix.close()
    return out


@pytest.mark.parametrize("n", [5, 300])
def test_compact_blocks_read_back_as_whooshs_blocks(tmp_path: Path, n: int) -> None:
    _build(tmp_path / "w3", W3Codec(), n)
    _build(tmp_path / "kb", KbCodec(), n)
    assert _postings(tmp_path / "kb") == _postings(tmp_path / "w3")

    def pst_bytes(folder: Path) -> int:
        return sum(f.stat().st_size for f in folder.glob("*.pst"))

    if n > 100:
        assert pst_bytes(tmp_path / "kb") < 0.6 * pst_bytes(tmp_path / "w3")


def test_phrase_search_finds_the_same_documents(tmp_path: Path) -> None:
    _build(tmp_path / "kb", KbCodec(), 60)
    ix = whoosh_index.open_dir(str(tmp_path / "kb"))
    with ix.searcher() as s:
        phrase = query.Phrase("body", ["hemtjänst", "äldreomsorg"])
        hits = {s.stored_fields(d)["id"] for d in s.docs_for_query(phrase)}
        plain = query.And([query.Term("body", "hemtjänst"), query.Term("body", "äldreomsorg")])
        assert hits and hits == {s.stored_fields(d)["id"] for d in s.docs_for_query(plain)}
        assert not list(s.docs_for_query(query.Phrase("body", ["äldreomsorg", "hemtjänst"])))
    ix.close()


def test_positions_round_trip() -> None:
    rng = random.Random(7)
    cases = [[0], [5], [127], [128], [16383], [16384], [3, 4, 900, 70_000, 3_000_000]]
    cases += [sorted(rng.sample(range(200_000), rng.randint(1, 50))) for _ in range(200)]
    for poses in cases:
        assert decode_positions(encode_positions(poses)) == poses
    assert decode_positions(b"") == []


@pytest.mark.parametrize(
    "weights",
    [
        [1.0] * 4,
        [2.5] * 4,
        [1.0, 3.0, 255.0, 2.0],
        [1.0, 300.0, 2.0, 70000.0],
        [0.5, 1.25, 2.0, 9.0],
    ],
)
def test_block_round_trip(weights: list[float]) -> None:
    ids = [3, 4, 300, 70_000]
    values = [b"\x01", b"\x02\x03", b"", b"x" * 300]
    got_ids, got_w, got_v = decode_block(encode_block(ids, weights, values, None), 4, None)
    assert got_ids.tolist() == ids
    assert (got_w.tolist() if got_w is not None else [1.0] * 4) == weights
    assert got_v == values
    fixed = [b"\x00\x00\x00\x01", b"\x00\x00\x00\x02", b"\x00\x00\x00\x01", b"\x00\x00\x01\x00"]
    assert decode_block(encode_block(ids, weights, fixed, 4), 4, 4)[2] == fixed
    assert decode_block(encode_block(ids, weights, [], 0), 4, 0)[2] is None


def test_compressed_blocks_use_deflates_fixed_codes() -> None:
    # A block's zlib stream codes with deflate's fixed Huffman codes (BTYPE 01 in the first
    # deflate block's header, the byte after zlib's two): inflating one with its own code tables
    # was mostly building those tables (docs/benchmarks.md). Any zlib reader reads it.
    ids = list(range(5, 5 + 3 * 128, 3))
    weights = [float(1 + i % 4) for i in range(128)]
    values = [encode_positions([i, i + 7, i + 40]) for i in range(128)]
    block = block_bytes(ids, weights, values, None, 3, 4.0, 1, 9, True)
    compressed = block[_HEAD:]
    assert block[_HEAD - 3] == 3  # the header's compression byte: compressed at level 3
    assert (compressed[2] >> 1) & 3 == 1
    assert len(compressed) < len(encode_block(ids, weights, values, None))
    got_ids, got_w, got_v = decode_block(zlib.decompress(compressed), 128, None)
    assert got_ids.tolist() == ids and got_v == values
    assert got_w is not None and got_w.tolist() == weights


def test_an_index_of_dynamic_code_blocks_reads_and_grows_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index written before the fixed codes (each block's own code tables, as zlib.compress
    # writes) needs no reindex: read as it is, grown by a segment of fixed-code blocks and merged
    # into one, its postings are those of an index written with the fixed codes from the start.
    from kb.index import codec

    _build(tmp_path / "fixed", KbCodec(), 300)
    with monkeypatch.context() as patched:
        patched.setattr(codec, "deflate_fixed", zlib.compress)
        _build(tmp_path / "old", KbCodec(), 200)
    want = _postings(tmp_path / "fixed")
    assert _postings(tmp_path / "old") == _postings_of_first(tmp_path / "fixed", 200)
    ix = whoosh_index.open_dir(str(tmp_path / "old"))
    w = ix.writer(**WRITER_ARGS)
    for i in range(200, 300):
        body = BODIES[i % len(BODIES)] + f" ord{i % 11} " + "samverkan " * (i % 5)
        w.add_document(**index_fields(make_document(f"https://codec.example/{i}", f"T {i}", body)))
    w.commit(merge=False)
    assert len(ix._segments()) == 2
    ix.close()
    assert _postings(tmp_path / "old") == want  # two segments, blocks of both kinds
    ix = whoosh_index.open_dir(str(tmp_path / "old"))
    ix.optimize()  # one segment, every block rewritten
    ix.close()
    assert _postings(tmp_path / "old") == want


def _postings_of_first(
    path: Path, n: int
) -> dict[tuple[str, bytes], list[tuple[int, float, object]]]:
    """``_postings`` of ``path``, only its first ``n`` documents (terms they lack left out)."""
    out = {}
    for key, rows in _postings(path).items():
        kept = [r for r in rows if r[0] < n]
        if kept:
            out[key] = kept
    return out
