"""A full build of one index folder from documents: bulk segments, over one or two processes.

``build_index`` is the one function every full build goes through: ``IndexStore.rebuild`` (and so
``kb reindex``), the benchmarks, and a live reindex that builds beside the serving build. It writes
segments of at most ``segment_docs`` documents with kb.index.bulk.BulkWriter and commits one
table of contents at the end, so a build that fails leaves no readable half-index.

With ``procs=2`` and a known document count, the documents are split in two contiguous halves in
their given order (document numbers, and so the order of equal-scored hits, stay as in a
one-process build). This process writes the first half's index fields to a spool file in the
target folder and hands it to a worker process, then builds the second half itself while the
worker builds the first. The worker is started with ``spawn`` so it never inherits a server's
threads (as in ingest.workers).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator, Sized
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment

from kb.document import Document
from kb.errors import IndexError_
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.index.bulk import BulkWriter
from kb.index.record import index_fields

# Documents per segment: bounds the build's memory (about 40 MB per 1,000 documents of 580 words,
# docs/benchmarks.md) while keeping segments few (docs/decisions.md, "Index build").
SEGMENT_DOCS = 25_000
SPOOL_NAME = ".spool-first-half"  # a dot name: Whoosh's clean_files leaves it alone
# The worker writes its segments into an index of its own here, then they are moved into the target:
# two processes must not share Whoosh's temporary folder (MAIN.tmp), which a writer deletes when it
# finishes its segment.
HALF_NAME = ".first-half"


def build_index(
    target: Path,
    documents: Iterable[Document],
    facets: FacetRegistry = DEFAULT_FACETS,
    procs: int = 1,
    total: int | None = None,
    segment_docs: int = SEGMENT_DOCS,
    fields_of: Callable[[Document], dict[str, Any] | None] | None = None,
) -> int:
    """Write ``documents`` into the empty Whoosh index created in ``target``; returns the count.

    Args:
        procs: 2 builds the two halves in two processes (needs the count: ``total`` or
            ``len(documents)``); 1, or an unknown count, builds in this process.
        total: how many documents ``documents`` yields, when it has no ``len``.
        segment_docs: documents per segment.
        fields_of: a document's index fields, or None to leave it out (``IndexStore.fields_of``:
            curation laid over it); by default ``index_fields(doc, facets)``.

    It neither locks nor swaps: the caller owns ``target``. On an exception the folder holds no
    new table of contents (the caller removes it).
    """
    if total is None and isinstance(documents, Sized):
        total = len(documents)
    to_fields = fields_of or (lambda doc: index_fields(doc, facets))
    fields = (f for f in map(to_fields, documents) if f is not None)
    ix = whoosh_index.open_dir(str(target))
    try:
        if procs > 1 and total is not None and total >= 2 * procs:
            segments, count = _build_two(ix, target, fields, total // 2, segment_docs)
        else:
            segments, count = _write_segments(ix, fields, segment_docs)
        _commit(ix, segments)
    finally:
        ix.close()
    return count


def _write_segments(
    ix: Any, fields: Iterator[dict[str, Any]], segment_docs: int
) -> tuple[list[Segment], int]:
    """Bulk segments of ``segment_docs`` documents from ``fields``, not yet in any TOC."""
    segments: list[Segment] = []
    count = 0
    while True:
        w = BulkWriter(ix, lock=False)
        try:
            added = w.add_documents(itertools.islice(fields, segment_docs))
            if added:
                segments.append(w.finish_segment())
            else:
                w.cancel()
        except BaseException:
            if not w.is_closed:
                # After a failed write (a full disk) closing the segment's files may fail in turn
                # on a file already closed; the first error is the one the user must see.
                with contextlib.suppress(Exception):
                    w.cancel()
            raise
        count += added
        if added < segment_docs:
            return segments, count


def _commit(ix: Any, segments: list[Segment]) -> None:
    """One table of contents listing ``segments`` in order (the build's only commit)."""
    w = BulkWriter(ix)
    w._close_segment()
    w._commit_toc(list(w.segments) + segments)
    w._finish()


def _build_two(
    ix: Any, target: Path, fields: Iterator[dict[str, Any]], first: int, segment_docs: int
) -> tuple[list[Segment], int]:
    spool = target / SPOOL_NAME
    written = 0
    with spool.open("wb") as fh:
        for item in itertools.islice(fields, first):
            pickle.dump(item, fh, protocol=pickle.HIGHEST_PROTOCOL)
            written += 1
    half = target / HALF_NAME
    shutil.rmtree(half, ignore_errors=True)
    half.mkdir()
    whoosh_index.create_in(str(half), ix.schema).close()
    ctx = multiprocessing.get_context("spawn")
    parent_end, child_end = ctx.Pipe(duplex=False)
    worker = ctx.Process(
        target=_worker, args=(str(half), str(spool), segment_docs, child_end), daemon=True
    )
    worker.start()
    child_end.close()
    try:
        second, count = _write_segments(ix, fields, segment_docs)
        if not parent_end.poll(None):
            raise IndexError_("Indexbyggets andra process svarade inte")
        status, payload = parent_end.recv()
    except EOFError:
        raise IndexError_(
            f"Indexbyggets andra process avslutades oväntat (kod {worker.exitcode})"
        ) from None
    finally:
        worker.join(timeout=60)
        if worker.is_alive():
            worker.kill()
        parent_end.close()
        spool.unlink(missing_ok=True)
    try:
        if status != "ok":
            raise IndexError_(f"Indexbyggets andra process misslyckades: {payload}")
        first_segments, first_count = payload
        if first_count != written:
            raise IndexError_(
                f"Indexbyggets andra process skrev {first_count} av {written} dokument"
            )
        # Segment files are named by the index name and a random segment id, so they move as they
        # are; files of a writer that added nothing go too and the commit's clean-up removes them.
        for path in half.iterdir():
            if path.is_file() and path.name.startswith("MAIN_"):
                os.replace(path, target / path.name)
    finally:
        shutil.rmtree(half, ignore_errors=True)
    return list(first_segments) + second, first_count + count


def _spooled(path: str) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


def _worker(target: str, spool: str, segment_docs: int, conn: Any) -> None:
    """Build the spooled half into segments of the index in ``target`` (its own folder); send
    ("ok", (segments, count))."""
    try:
        ix = whoosh_index.open_dir(target)
        try:
            result: tuple[str, Any] = ("ok", _write_segments(ix, _spooled(spool), segment_docs))
        finally:
            ix.close()
    except Exception as err:  # reported to the parent, which raises it with context
        result = ("error", f"{type(err).__name__}: {err}")
    conn.send(result)
    conn.close()
