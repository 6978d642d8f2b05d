"""The on-disk index: create/open, the schema-version check, the single writer and rebuilds.

Layout: ``<index_dir>/CURRENT`` names the live build folder (``b-<timestamp>``); a rebuild writes a
new build folder and swaps CURRENT atomically, so searchers keep working and a crash mid-rebuild
leaves the old index in place (the live reindex around it is kb.index.rebuild). While a reindex
runs (``REINDEX.json`` exists) every id a commit touches is appended to ``REINDEX.changes`` so
the reindex can replay it into the new build. One writer at a time across processes:
``WRITE.lock`` (flock), waited on for ``timeout`` seconds, then IndexLockedError; a writer that
has to wait says so once (a warning on the ``kb.index.builds`` logger, which `kb` prints on
stderr and the web service logs), naming the holder the lock file records. kb.index.commit
holds it across the store and the index together. Segments are non-compound (see
docs/decisions.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import Schema

from kb.atomic import atomic_write, fsync_dir
from kb.document import Document
from kb.errors import IndexError_, IndexLockedError, SchemaMismatchError
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.index.codec import KbCodec
from kb.index.fullbuild import build_index
from kb.index.originals import add_field as add_original_field
from kb.index.record import ORIGINAL_FIELD, index_fields
from kb.index.schema import build_schema, check_version, current_version, write_version

# Every writer writes the compact posting blocks of kb.index.codec (merges too).
WRITER_ARGS: dict[str, Any] = {"limitmb": 64, "compound": False, "codec": KbCodec()}
REINDEX_MARKER = "REINDEX.json"
REINDEX_CHANGES = "REINDEX.changes"


LOG = logging.getLogger(__name__)


def _holder_note() -> bytes:
    """What the lock file records about its holder: the process id and the command."""
    command = " ".join([Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:3]])
    return f"process {os.getpid()} ({command})".encode()


def _holder_of(fd: int) -> str:
    """The holder the lock file names ("" when it names none, e.g. one from an older version)."""
    try:
        return os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _say_waiting(fd: int) -> None:
    LOG.warning(
        "Väntar på att en annan skrivning blir klar (waiting for another write to finish: %s)",
        _holder_of(fd) or "okänd / unknown",
    )


class IndexStore:
    """The index folder: opens the live build, hands out the single writer, rebuilds and swaps.

    Args:
        index_dir: the folder (created when missing).
        schema_factory: builds the schema (benchmarks pass a plain-analyzer one); by default the
            Swedish schema with the fields of ``facets``.
        version: the version record to require; defaults to the current schema+analyzer version.
        facets: the facet registry whose fields the documents fill.
        prepare: turns a stored document into what is indexed (None: leave it out); applied
            at every index write, so the index stays derived from the store plus curation.
    """

    def __init__(
        self,
        index_dir: Path,
        schema_factory: Callable[[], Schema] | None = None,
        version: dict[str, Any] | None = None,
        facets: FacetRegistry = DEFAULT_FACETS,
        prepare: Callable[[Document], Document | None] | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.facets = facets
        # What the index holds for a stored document: its corrections laid over it, or None
        # when it is hidden (KnowledgeBase passes kb.curation's; the identity by default).
        self.prepare: Callable[[Document], Document | None] = prepare or (lambda doc: doc)
        self._schema_factory = schema_factory or (lambda: build_schema(facets=facets))
        self.version = version if version is not None else current_version()
        self.index_dir.mkdir(parents=True, exist_ok=True)
        if self._current_name() is None:
            with self.write_lock(timeout=30.0):
                if self._current_name() is None:
                    self._set_current(self._new_build())

    # -- builds ---------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            return (self.index_dir / "CURRENT").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def current_dir(self) -> Path:
        name = self._current_name()
        if name is None:
            raise IndexError_(f"Inget index i {self.index_dir}: kör `kb reindex`")
        return self.index_dir / name

    def _new_build(self) -> str:
        name = f"b-{time.time_ns()}"
        self.create_build(self.index_dir / name)
        return name

    def create_build(self, path: Path) -> None:
        """An empty index of this store's schema and version in the new folder ``path``."""
        path.mkdir()
        whoosh_index.create_in(str(path), self._schema_factory())
        write_version(path, self.version)

    def _set_current(self, name: str) -> None:
        # Written through a synced temporary file and renamed, then the folder synced: after a
        # crash or power cut CURRENT names the old build or the new one, never neither.
        atomic_write(self.index_dir / "CURRENT", name.encode("utf-8"))
        fsync_dir(self.index_dir)

    def open(self) -> whoosh_index.Index:
        """The live Whoosh index, after checking its version (SchemaMismatchError: reindex)."""
        path = self.current_dir()
        check_version(path, self.version)
        try:
            ix = whoosh_index.open_dir(str(path))
        except Exception as err:  # whoosh raises several unrelated types for a damaged index
            raise IndexError_(
                f"Kunde inte öppna indexet i {path}: {err}; kör `kb reindex`"
            ) from err
        missing = sorted({f.field for f in self.facets.indexed} - set(ix.schema.names()))
        if missing:
            ix.close()
            # A facet was added since the index was built: its field must be filled from the store.
            raise SchemaMismatchError(
                f"Indexet i {path} saknar fälten {', '.join(missing)}: kör `kb reindex` för att "
                "bygga om det från de sparade originalen"
            )
        return ix

    # -- writing --------------------------------------------------------------

    def fields_of(self, doc: Document) -> dict[str, Any] | None:
        """The index fields of stored ``doc`` (after ``prepare``), or None when it is hidden."""
        prepared = self.prepare(doc)
        return None if prepared is None else index_fields(prepared, self.facets)

    @contextlib.contextmanager
    def write_lock(self, timeout: float) -> Iterator[None]:
        """Hold the one writer lock, waiting up to ``timeout`` seconds for another writer."""
        fd = os.open(self.index_dir / "WRITE.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            deadline = time.monotonic() + max(timeout, 0.0)
            said = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not said:
                        # Once per wait: staff see why `kb ingest` is quiet, not a hang.
                        _say_waiting(fd)
                        said = True
                    if time.monotonic() >= deadline:
                        raise IndexLockedError(
                            f"Indexet i {self.index_dir} skrivs redan av en annan process "
                            f"(väntade {timeout:g} s). Försök igen när den är klar."
                        ) from None
                    time.sleep(0.05)
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, _holder_note(), 0)
                yield
            finally:
                # Emptied before the unlock, so a waiter never names a writer that has finished.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def apply(self, updates: Iterable[Document], deletes: Iterable[str]) -> None:
        """Add or replace ``updates`` and delete ``deletes`` in one commit of the live build.

        The caller holds ``write_lock`` (kb.index.commit decides what is written when).
        """
        updates, deletes = list(updates), list(deletes)
        self._note_changes([d.id for d in updates] + deletes)
        build = self.current_dir()
        ix = self.open()
        try:
            w = ix.writer(**WRITER_ARGS)
            try:
                if ORIGINAL_FIELD not in w.schema:  # an index from before the field has it now
                    add_original_field(w, build)
                for doc_id in deletes:
                    w.delete_by_term("id", doc_id)
                for doc in updates:
                    fields = self.fields_of(doc)
                    if fields is None:
                        w.delete_by_term("id", doc.id)
                    else:
                        w.update_document(**_known(fields, w.schema))
            except BaseException:
                w.cancel()
                raise
            w.commit()
        finally:
            ix.close()

    def _note_changes(self, ids: list[str]) -> None:
        """Append ``ids`` to the change log of a running reindex (none running: nothing)."""
        if not ids or not (self.index_dir / REINDEX_MARKER).exists():
            return
        with open(self.index_dir / REINDEX_CHANGES, "a", encoding="utf-8") as fh:
            fh.write("".join(f"{doc_id}\n" for doc_id in ids))
            fh.flush()
            os.fsync(fh.fileno())

    def replace_in(self, path: Path, documents: Iterable[Document], deletes: Iterable[str]) -> None:
        """Delete ``deletes`` from the index in ``path``, then add ``documents`` (after
        ``prepare``), in one commit: a live reindex's replay into its new build."""
        ix = whoosh_index.open_dir(str(path))
        try:
            w = ix.writer(**WRITER_ARGS)
            try:
                for doc_id in deletes:
                    w.delete_by_term("id", doc_id)
                for doc in documents:
                    fields = self.fields_of(doc)
                    if fields is not None:
                        w.add_document(**_known(fields, ix.schema))
                w.commit()
            except BaseException:
                # Also after a failed commit (a full disk): close what the writer still holds.
                with contextlib.suppress(Exception):
                    w.cancel()
                raise
        finally:
            ix.close()

    def rebuild(
        self, documents: Iterable[Document], procs: int = 1, total: int | None = None
    ) -> int:
        """Build a fresh index from ``documents`` and swap it in; returns the count indexed.

        The caller holds ``write_lock``. The old build stays readable until the swap and is
        removed at the next rebuild, so open searchers never lose their files.
        """
        old = self._current_name()
        name = self._new_build()
        try:
            count = build_index(
                self.index_dir / name,
                documents,
                self.facets,
                procs=procs,
                total=total,
                fields_of=self.fields_of,
            )
        except BaseException:
            shutil.rmtree(self.index_dir / name, ignore_errors=True)
            raise
        self._set_current(name)
        self._remove_builds(keep={name, old})
        return count

    def _remove_builds(self, keep: set[str | None]) -> None:
        for path in self.index_dir.glob("b-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _known(fields: dict[str, Any], schema: Any) -> dict[str, Any]:
    """``fields`` less those the index lacks (a field of a newer version in a build being
    replayed into; the original's hash is added to an older live index by ``apply``)."""
    return {k: v for k, v in fields.items() if k in schema}
