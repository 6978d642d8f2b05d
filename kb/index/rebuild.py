"""`kb reindex` on a live service: build beside the live index, replay what changed, swap.

The steps (one reindex at a time, ``REINDEX.lock``; see docs/reliability.md):

1. Under the writer lock: a new empty build ``building-<ns>`` and the marker ``REINDEX.json``
   naming it; from then on every commit appends the ids it touches to ``REINDEX.changes``
   (kb.index.builds). The store's ids are listed.
2. Without the lock (ingests and removals go on, searches use the live build): the records are
   written into the new build by kb.index.fullbuild.build_index, one commit (a checkpoint)
   every ``checkpoint_docs`` documents.
3. Under the writer lock: every id in the change log, and every id in one of store and build
   only, is deleted from the build and added again from its record; the build's files are
   synced, the folder renamed ``b-<ns>`` and CURRENT swapped (kb.index.builds). Workers open
   the new build on their next request; the previous build stays for requests still on it.

Interrupted (Ctrl-C, SIGTERM, kill -9, a lost lock wait): the live index is untouched, the marker
and the committed checkpoints stay, and the next `kb reindex` resumes from them (``fresh=True``
starts over). A full disk (ENOSPC, EFBIG, EDQUOT): the new build is removed and DiskFullError
says so in one line; the live index serves on. ``KB_TEST_CRASH_AT`` / ``KB_TEST_PAUSE_AT`` stop
at the steps in REINDEX_STEPS (tests).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from kb.atomic import atomic_write, exclusive_lock, fsync_dir
from kb.document import Document
from kb.errors import (
    DiskFullError,
    IndexError_,
    KbError,
    NotFoundError,
    ReindexInterruptedError,
    StoreError,
)
from kb.index.builds import REINDEX_CHANGES, REINDEX_MARKER, IndexStore
from kb.index.commit import DISK_FULL, crash_point
from kb.index.fullbuild import build_index
from kb.index.schema import check_version
from kb.index.store import Store

REINDEX_LOCK = "REINDEX.lock"
BUILDING = "building-"
REINDEX_STEPS = (
    "reindex-started",
    "reindex-checkpoint",
    "reindex-built",
    "reindex-replayed",
    "reindex-renamed",
    "reindex-swapped",
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReindexReport:
    """What a reindex did: documents in the new index, records it could not read, and how many
    documents an interrupted earlier run had already written (0: started afresh)."""

    documents: int
    unreadable: int = 0
    resumed: int = 0
    replayed: int = 0


class LiveReindex:
    """One `kb reindex` of ``index`` from ``store``.

    Args:
        index: the index folder.
        store: the store of originals (the truth).
        locked: the writer lock of the knowledge base (finishes an interrupted commit first).
        procs: writer processes for the build (Whoosh's multiprocessing writer when > 1).
        checkpoint_docs: documents between two commits of the new build (resuming starts from
            the last one).
        progress: called with (documents done, total) as the build goes.
    """

    def __init__(
        self,
        index: IndexStore,
        store: Store,
        locked: Callable[[], AbstractContextManager[None]],
        procs: int = 1,
        checkpoint_docs: int = 50_000,
        progress: Progress | None = None,
    ) -> None:
        self.index, self.store, self.locked = index, store, locked
        self.procs = procs
        self.checkpoint_docs = max(1, checkpoint_docs)
        self.progress = progress or (lambda done, total: None)
        self.dir = index.index_dir

    def run(self, fresh: bool = False) -> ReindexReport:
        """Build, replay and swap; see the module docstring for what an interruption leaves."""
        with self._one_at_a_time():
            build: Path | None = None
            try:
                with self.locked():
                    build, ids = self._start(fresh)
                    crash_point("reindex-started")
                present = built_ids(build)
                resumed = len(present)
                _, unreadable = self._write(build, ids, present)
                crash_point("reindex-built")
                with self.locked():
                    replayed = self._replay(build)
                    crash_point("reindex-replayed")
                    count = self._swap(build)
            except (OSError, IndexError_) as err:
                reason = _disk_full(err)
                if reason is None:
                    raise
                self._clean()
                raise DiskFullError(
                    f"Disken är full ({reason}): omindexeringen avbröts, det gamla indexet "
                    "används som förut och det halvfärdiga togs bort. Frigör plats och kör "
                    "`kb reindex` igen."
                ) from err
            except KeyboardInterrupt as err:
                raise ReindexInterruptedError(
                    "Omindexeringen avbröts; det gamla indexet används som förut. Kör "
                    "`kb reindex` igen för att fortsätta där den slutade."
                ) from err
        return ReindexReport(count, unreadable, resumed, replayed)

    # -- 1. start or resume ----------------------------------------------------------

    def _start(self, fresh: bool) -> tuple[Path, list[str]]:
        """The build to write (a resumed one or a new one) and the store's ids (lock held)."""
        build = None if fresh else self._resumable()
        if build is None:
            self._clean()
            build = self.dir / f"{BUILDING}{time.time_ns()}"
            self.index.create_build(build)
            marker = {"build": build.name, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            atomic_write(self.dir / REINDEX_MARKER, json.dumps(marker).encode("utf-8"))
            fsync_dir(self.dir)
        return build, self.store.ids()

    def _resumable(self) -> Path | None:
        """The build an interrupted reindex left, if it can be continued."""
        try:
            marker = json.loads((self.dir / REINDEX_MARKER).read_text(encoding="utf-8"))
            build = self.dir / str(marker["build"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not build.name.startswith(BUILDING) or not build.is_dir():
            return None
        try:
            check_version(build, self.index.version)  # built by another analyzer: start over
            whoosh_index.open_dir(str(build)).close()
        except Exception:  # any damage means starting over, not failing
            return None
        return build

    def _clean(self) -> None:
        """Remove the marker, the change log and every unfinished build."""
        with contextlib.suppress(FileNotFoundError):
            (self.dir / REINDEX_MARKER).unlink()
        with contextlib.suppress(FileNotFoundError):
            (self.dir / REINDEX_CHANGES).unlink()
        for path in self.dir.glob(f"{BUILDING}*"):
            shutil.rmtree(path, ignore_errors=True)

    # -- 2. write ------------------------------------------------------------------------

    def _write(self, build: Path, ids: list[str], present: set[str]) -> tuple[int, int]:
        """Write every listed record not in ``present`` into ``build``; (written, unreadable)."""
        missing = [doc_id for doc_id in ids if doc_id not in present]
        total = len(ids)
        done = total - len(missing)
        unreadable = 0
        written = 0
        self.progress(done, total)

        def records(chunk: list[str]) -> Iterator[Document]:
            nonlocal done, unreadable
            for doc_id in chunk:
                try:
                    doc = self.store.load(doc_id)
                except NotFoundError:
                    doc = None  # removed meanwhile: its removal is in the change log
                except StoreError:
                    doc, unreadable = None, unreadable + 1  # `kb check` names it
                if doc is not None:
                    yield doc
                done += 1
                self.progress(done, total)

        step = self.checkpoint_docs
        for start in range(0, len(missing), step):
            chunk = missing[start : start + step]
            written += build_index(
                build,
                records(chunk),
                self.index.facets,
                procs=self.procs,
                total=len(chunk),
                fields_of=self.index.fields_of,
            )
            if start + step < len(missing):
                crash_point("reindex-checkpoint")
        return written, unreadable

    # -- 3. replay and swap -----------------------------------------------------------

    def _replay(self, build: Path) -> int:
        """Bring ``build`` up to the store's committed state (lock held); returns ids replayed."""
        try:
            logged = set((self.dir / REINDEX_CHANGES).read_text(encoding="utf-8").split())
        except FileNotFoundError:
            logged = set()
        stored = set(self.store.ids())
        built = built_ids(build)
        changed = logged | (built - stored) | (stored - built)
        if not changed:
            return 0
        docs: list[Document] = []
        for doc_id in sorted(changed & stored):
            try:
                docs.append(self.store.load(doc_id))
            except KbError:
                continue  # gone or unreadable: left out, as in the build
        self.index.replace_in(build, docs, deletes=sorted(changed))
        return len(changed)

    def _swap(self, build: Path) -> int:
        """Make ``build`` durable, rename it to a live build name and point CURRENT at it."""
        for path in build.iterdir():
            if path.is_file():
                _fsync_file(path)
        fsync_dir(build)
        old = self.index.current_dir().name if (self.dir / "CURRENT").exists() else None
        final = self.dir / ("b-" + build.name.removeprefix(BUILDING))
        os.rename(build, final)
        fsync_dir(self.dir)
        crash_point("reindex-renamed")
        self.index._set_current(final.name)  # the one swap
        crash_point("reindex-swapped")
        self._clean()
        fsync_dir(self.dir)
        self.index._remove_builds(keep={final.name, old})
        ix = whoosh_index.open_dir(str(final))
        try:
            return int(ix.doc_count())
        finally:
            ix.close()

    @contextlib.contextmanager
    def _one_at_a_time(self) -> Iterator[None]:
        """Hold ``REINDEX.lock``: a second `kb reindex` waits for the first to finish."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.dir / REINDEX_LOCK):
            yield


def _disk_full(err: Exception) -> str | None:
    """Why ``err`` means a full disk (its strerror), or None when it does not.

    The second process of a two-process build reports its error as text (kb.index.fullbuild),
    so an IndexError_ is read for the errno it quotes.
    """
    if isinstance(err, OSError):
        return err.strerror or str(err) if err.errno in DISK_FULL else None
    match = re.search(r"\[Errno (\d+)\] ([^:\]]+)", str(err))
    if match and int(match.group(1)) in DISK_FULL:
        return match.group(2).strip()
    return None


def built_ids(build: Path) -> set[str]:
    """The ids of the live documents in the index folder ``build``."""
    ix = whoosh_index.open_dir(str(build))
    try:
        with ix.reader() as reader:
            terms: list[Any] = list(reader.field_terms("id"))
            if not reader.has_deletions():
                return {str(t) for t in terms}
            # A deleted document's id stays in the lexicon until a merge: ask its postings.
            return {str(t) for t in terms if reader.postings("id", t).is_active()}
    finally:
        ix.close()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
