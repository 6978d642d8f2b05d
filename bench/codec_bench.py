"""Posting blocks as the index's codec writes them (deflate's fixed Huffman codes, ``Z_FIXED``)
against zlib's dynamic codes (what the codec wrote before 2026-12-07), in one run on one index.

Every figure is CPU time (``time.process_time``); the codings are timed round by round in
rotating order, so all meet the same load; the script prints medians over the rounds, the
ratio fixed / dynamic and the load average before and after. "stored" is each block as the
index holds it; "fixed" and "dynamic" are its data coded again from the same bytes, at the
block's own level, as ``kb.index.codec.block_bytes`` would (``deflate_fixed``) and as it did
before (``zlib.compress``). On an index written before the change "stored" is "dynamic".

- ``blocks``: every compressed block of ``--words`` random words of the body and of the title
  (seeded): inflating it whole and through its weights (``postlists._inflate_head``, what a read
  without positions does), µs a block. Opens the index read-only with Whoosh: writes nothing,
  so a shared index can be given.
- ``reads``: the posting lists the benchmark queries read, recorded while the engine answers
  bench/search_bench.py's 240 queries (search with all facets) after its 100 warm-up queries,
  as ``bench/search_ab.py`` asks them; then replayed: ``read_extent`` over every list read
  (ids and weights) and ``read_placed_values`` over every set of position blocks, ms a query.
  Checks that each coding gives the same postings; ``--whole`` also replays the lists with
  every block inflated whole. Opens the data folder with ``KnowledgeBase``,
  which writes snapshot files beside the index: give it a copy of a shared index.

    .venv/bin/python bench/codec_bench.py blocks --data /work/bench-data/100k-fixed/data
    mkdir -p /tmp/codec-100k/data
    cp -a /work/bench-data/100k-fixed/data/index /tmp/codec-100k/data/
    .venv/bin/python bench/codec_bench.py reads --data /tmp/codec-100k/data
"""

from __future__ import annotations

import gc
import inspect
import os
import random
import statistics
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kb.index.postlists as postlists
import kb.search.positions as positions_module
import kb.search.postings as postings_module
from bench.search_bench import FAVOURED_REGIONS, _generator, _request
from kb.config import Settings
from kb.index.builds import IndexStore
from kb.index.codec import _INFO, _LENGTH, KbCodec, KbLeafMatcher, deflate_fixed
from kb.index.postlists import Blocks, _inflate_head, list_bytes, read_extent, read_placed_values
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase

CODINGS = ("stored", "fixed", "dynamic")
_HEAD = _LENGTH.size + _INFO.size  # a block's length field and header, before its data
_LEVEL = KbCodec()._compression  # the level the codec writes at (a block's header keeps its own)
_PACK: dict[str, Callable[[bytes, int], bytes]] = {"fixed": deflate_fixed, "dynamic": zlib.compress}


def split_blocks(raw: bytes) -> list[bytes]:
    """A posting list's bytes as its blocks, each with its length field and header."""
    out: list[bytes] = []
    pos = 0
    while pos < len(raw):
        end = pos + _LENGTH.size + abs(_LENGTH.unpack_from(raw, pos)[0])
        out.append(raw[pos:end])
        pos = end
    return out


def recode_block(block: bytes, coding: str) -> bytes:
    """One block (length field, header, data) with its data coded with ``coding`` ("stored": as
    it is), kept uncompressed where compressing does not make it smaller, as ``block_bytes``."""
    if coding == "stored":
        return block
    n, maxid, maxweight, level, shortest, longest = _INFO.unpack_from(block, _LENGTH.size)
    data = block[_HEAD:]
    if level:
        data = zlib.decompress(data)
    level = level or _LEVEL
    kept = 0
    if len(data) >= 20:
        packed = _PACK[coding](data, level)
        if len(packed) < len(data):
            data, kept = packed, level
    info = _INFO.pack(n, maxid, maxweight, kept, shortest, longest)
    length = len(info) + len(data)
    last = _LENGTH.unpack_from(block)[0] < 0
    return _LENGTH.pack(-length if last else length) + info + data


def recode_list(raw: bytes, coding: str) -> bytes:
    """A whole posting list with every block's data coded with ``coding``."""
    if coding == "stored":
        return raw
    return b"".join(recode_block(block, coding) for block in split_blocks(raw))


def _medians(samples: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(values) for name, values in samples.items()}


def _print_row(label: str, medians: dict[str, float], unit: str, digits: int) -> None:
    cells = "  ".join(f"{c} {medians[c]:.{digits}f}" for c in CODINGS)
    ratio = medians["fixed"] / medians["dynamic"]
    click.echo(f"{label:<38} {cells} {unit}; fixed / dynamic {ratio:.2f}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@click.group()
def cli() -> None:
    """Per-block inflating and replayed posting-list reads, fixed against dynamic codes."""


# -- blocks ---------------------------------------------------------------------------------------


def _sample_streams(data: Path, field: str, words: int, seed: int) -> tuple[list[bytes], list[int]]:
    """The compressed data of every compressed block of ``words`` random terms of ``field`` held
    by two or more documents of the first segment (all segments' lists), and each block's
    postings count."""
    ix = IndexStore(data / "index").open()
    streams: list[bytes] = []
    counts: list[int] = []
    try:
        with ix.searcher() as searcher:
            leaves = [leaf for leaf, _offset in searcher.reader().leaf_readers()]
            # Terms with a posting list of their own (a one-posting list is kept in its row).
            terms = [t for t, info in leaves[0].iter_field(field) if info.doc_frequency() > 1]
            for term in random.Random(seed).sample(terms, min(words, len(terms))):
                for leaf in leaves:
                    if (field, term) not in leaf:
                        continue
                    m = leaf.postings(field, term)
                    if not isinstance(m, KbLeafMatcher):
                        continue  # a one-posting list kept in the term's row
                    for block in split_blocks(list_bytes(m)):
                        n, _maxid, _w, level, _mn, _mx = _INFO.unpack_from(block, _LENGTH.size)
                        if level:
                            streams.append(block[_HEAD:])
                            counts.append(n)
    finally:
        ix.close()
    return streams, counts


def _time_streams(streams: list[bytes], counts: list[int], head: bool, repeat: int) -> float:
    """µs CPU a block: inflating each stream whole, or through its weights (``head``)."""
    inflate = zlib.decompress
    gc.collect()
    began = time.process_time()
    for _ in range(repeat):
        if head:
            for stream, n in zip(streams, counts, strict=True):
                _inflate_head(stream, n)
        else:
            for stream in streams:
                inflate(stream)
    return (time.process_time() - began) / (repeat * len(streams)) * 1e6


@cli.command()
@click.option("--data", type=click.Path(path_type=Path, exists=True), required=True)
@click.option("--words", type=int, default=400, show_default=True, help="Random terms a field.")
@click.option("--fields", default="body,title", show_default=True)
@click.option("--rounds", type=int, default=7, show_default=True)
@click.option("--repeat", type=int, default=5, show_default=True, help="Passes a round.")
@click.option("--seed", type=int, default=20261207, show_default=True)
def blocks(data: Path, words: int, fields: str, rounds: int, repeat: int, seed: int) -> None:
    """Inflate each block of random words as stored, fixed and dynamic: µs CPU a block."""
    click.echo(f"{data}: load average {_load()}")
    for field in fields.split(","):
        stored, counts = _sample_streams(data, field, words, seed)
        if not stored:
            click.echo(f"{field}: no compressed blocks among {words} random terms")
            continue
        raw = [zlib.decompress(s) for s in stored]
        streams = {"stored": stored}
        for coding, pack in _PACK.items():
            streams[coding] = [pack(r, _LEVEL) for r in raw]
        same = {
            c: sum(a == b for a, b in zip(stored, streams[c], strict=True)) / len(stored)
            for c in _PACK
        }
        sizes = "  ".join(f"{c} {sum(map(len, s)) / len(s):.0f}" for c, s in streams.items())
        click.echo(
            f"{field}: {len(stored)} compressed blocks of {words} random terms, "
            f"{sum(counts) / len(counts):.0f} postings a block; bytes a block: {sizes}; "
            f"stored byte-identical to fixed {same['fixed']:.0%}, to dynamic {same['dynamic']:.0%}"
        )
        whole: dict[str, list[float]] = {c: [] for c in CODINGS}
        head: dict[str, list[float]] = {c: [] for c in CODINGS}
        for r in range(rounds):
            for coding in CODINGS[r % 3 :] + CODINGS[: r % 3]:
                whole[coding].append(_time_streams(streams[coding], counts, False, repeat))
                head[coding].append(_time_streams(streams[coding], counts, True, repeat))
        _print_row(f"  {field} block, inflated whole", _medians(whole), "µs", 2)
        _print_row(f"  {field} block, through its weights", _medians(head), "µs", 2)
    click.echo(f"load average {_load()}")


# -- reads ----------------------------------------------------------------------------------------


class _Recorded:
    """The posting-list reads of some searches: ``read_extent``'s arguments, and the position
    blocks ``read_placed_values`` read (each block's bytes, where it stands)."""

    def __init__(self) -> None:
        self.extents: list[tuple[int, bytes, int | None, bool, np.ndarray | None, bool]] = []
        self.placed: list[list[tuple[list[bytes], Blocks, int, int | None]]] = []
        self.unrecorded = 0  # lists read through a matcher (read_list), not replayed

    @contextmanager
    def recording(self) -> Iterator[None]:
        real_extent = postings_module.read_extent
        real_placed = positions_module.read_placed_values
        real_lists = (postings_module.read_list, positions_module.read_list)

        extent_signature = inspect.signature(real_extent)

        def extent(*args: Any, **kwargs: Any) -> Any:
            # Bound against kb's own signature (defaults filled in), not a copy of its parameters.
            a = extent_signature.bind(*args, **kwargs)
            a.apply_defaults()
            got = a.arguments
            kept = None if got["docs"] is None else got["docs"].copy()
            raw = bytes(got["raw"])
            call = (got["startoffset"], raw, got["fixedsize"], got["values"], kept, got["blocks"])
            self.extents.append(call)
            return real_extent(*args, **kwargs)

        def placed(entries: list[tuple[Any, Blocks, int, int | None]]) -> Any:
            call = []
            for postfile, where, offset, fixed in entries:
                pairs = zip(where.starts.tolist(), where.sizes.tolist(), strict=True)
                found = [bytes(postfile.get(s, _LENGTH.size + z)) for s, z in pairs]
                call.append((found, where, offset, fixed))
            self.placed.append(call)
            return real_placed(entries)

        def counted(real: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                self.unrecorded += 1
                return real(*args, **kwargs)

            return wrapper

        postings_module.read_extent = extent
        positions_module.read_placed_values = placed  # type: ignore[assignment]
        postings_module.read_list = counted(real_lists[0])
        positions_module.read_list = counted(real_lists[1])
        try:
            yield
        finally:
            postings_module.read_extent = real_extent
            positions_module.read_placed_values = real_placed
            postings_module.read_list, positions_module.read_list = real_lists


class _Blocks:
    """A postings file holding only some blocks, by offset (what ``read_placed_values`` reads)."""

    def __init__(self, blocks: dict[int, bytes]) -> None:
        self.blocks = blocks

    def get(self, start: int, _length: int) -> bytes:
        return self.blocks[start]


def _replay_calls(recorded: _Recorded, coding: str) -> tuple[list[Any], list[Any], int]:
    """The recorded calls with every block coded with ``coding``, and the bytes they read."""
    extents = []
    size = 0
    for startoffset, raw, fixed, values, docs, blocks in recorded.extents:
        coded = recode_list(raw, coding)
        size += len(coded)
        extents.append((startoffset, coded, fixed, values, docs, blocks))
    placed = []
    for call in recorded.placed:
        entries = []
        for found, where, offset, fixed in call:
            coded_blocks = [recode_block(b, coding) for b in found]
            size += sum(map(len, coded_blocks))
            starts = where.starts.tolist()
            sizes = np.array([len(b) - _LENGTH.size for b in coded_blocks], dtype=np.int64)
            postfile = _Blocks(dict(zip(starts, coded_blocks, strict=True)))
            entries.append((postfile, Blocks(where.starts, sizes, where.maxids), offset, fixed))
        placed.append(entries)
    return extents, placed, size


def _outcome(extents: list[Any], placed: list[Any]) -> list[np.ndarray]:
    """Every array the replayed calls give, to compare the codings."""
    out: list[np.ndarray] = []
    for call in extents:
        found = read_extent(*call)
        out += [found.ids, found.weights]
        if found.values is not None and found.offsets is not None:
            out += [found.offsets, found.values]
    for entries in placed:
        out += list(read_placed_values(entries))
    return out


def _time_calls(calls: list[Any], read: Callable[..., Any], spread: bool) -> float:
    gc.collect()
    began = time.process_time()
    for call in calls:
        if spread:
            read(*call)
        else:
            read(call)
    return time.process_time() - began


@cli.command()
@click.option("--data", type=click.Path(path_type=Path, exists=True), required=True)
@click.option("--queries", type=int, default=240, show_default=True)
@click.option("--warm-up", type=int, default=100, show_default=True)
@click.option("--rounds", type=int, default=7, show_default=True)
@click.option(
    "--whole",
    is_flag=True,
    help="Also replay the lists with every block inflated whole (postlists.HEAD_ONLY_ABOVE out "
    "of reach), against the head-only inflating of blocks read without their positions.",
)
def reads(data: Path, queries: int, warm_up: int, rounds: int, whole: bool) -> None:
    """Record the benchmark queries' posting-list reads, then replay them in each coding."""
    click.echo(f"{data}: load average {_load()}")
    gen = _generator()
    timed = gen.queries(queries, regions=FAVOURED_REGIONS)
    warm = gen.queries(warm_up, seed_offset=7, regions=FAVOURED_REGIONS)
    # Set here, not at import (tests import this module): results kept for a search asked again
    # would answer repeated queries from memory, and a query stopped by the time budget (a first
    # search on a loaded machine) would read fewer lists.
    os.environ["KB_RESULT_CACHE_ENTRIES"] = "0"
    os.environ["KB_QUERY_TIME_BUDGET"] = "0"
    kb = KnowledgeBase.open(Settings.from_env(data_dir=data))
    recorded = _Recorded()
    try:
        kb.search(SearchRequest())
        for q in warm:
            kb.search(_request(q))
        with recorded.recording():
            for q in timed:
                kb.search(_request(q))
    finally:
        kb.close()
    blocks_read = sum(len(found) for call in recorded.placed for found, *_ in call)
    click.echo(
        f"{queries} queries after {warm_up} warm-up: {len(recorded.extents)} read_extent calls, "
        f"{len(recorded.placed)} read_placed_values calls ({blocks_read} position blocks); "
        f"{recorded.unrecorded} lists read through a matcher (not replayed)"
    )
    calls = {c: _replay_calls(recorded, c) for c in CODINGS}
    same = all(
        len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
        for a, b in ((_outcome(*calls[c][:2]), _outcome(*calls["stored"][:2])) for c in _PACK)
    )
    click.echo(
        "bytes read: "
        + "  ".join(f"{c} {calls[c][2] / 1e6:.2f} MB" for c in CODINGS)
        + f"; same postings in every coding: {'yes' if same else 'NO'}"
    )
    lists: dict[str, list[float]] = {c: [] for c in CODINGS}
    blocks_ms: dict[str, list[float]] = {c: [] for c in CODINGS}
    whole_ms: dict[str, list[float]] = {c: [] for c in CODINGS}
    head_only = postlists.HEAD_ONLY_ABOVE
    for r in range(rounds):
        for coding in CODINGS[r % 3 :] + CODINGS[: r % 3]:
            extents, placed, _size = calls[coding]
            lists[coding].append(_time_calls(extents, read_extent, True) / queries * 1e3)
            blocks_ms[coding].append(_time_calls(placed, read_placed_values, False) / queries * 1e3)
            if whole:
                postlists.HEAD_ONLY_ABOVE = sys.maxsize
                try:
                    whole_ms[coding].append(_time_calls(extents, read_extent, True) / queries * 1e3)
                finally:
                    postlists.HEAD_ONLY_ABOVE = head_only
    _print_row("reading lists (read_extent)", _medians(lists), "ms a query", 3)
    if whole:
        _print_row("  the same, every block inflated whole", _medians(whole_ms), "ms a query", 3)
    _print_row("position blocks (read_placed_values)", _medians(blocks_ms), "ms a query", 3)
    click.echo(f"load average {_load()}")


if __name__ == "__main__":
    cli()
