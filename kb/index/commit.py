"""The one commit point of the store of originals and the index (see docs/reliability.md).

Every writing command (ingest, remove, reindex, `kb check --repair`, the demo ingest at start)
holds the index's writer lock for its whole write, store and index together. Inside the lock:

- adding:   journal, store records, one index commit, journal cleared;
- removing: journal, one index commit (the deletes), store records removed, journal cleared.

An added document is committed when its store record is written (the index only ever points at
records that exist); a removal is committed when the journal naming it is written. Whoever takes
the lock next and finds a journal finishes it: for an added id the index follows the store, a
removal is completed. So at every instant each id in the index has a store record, and after a
crash at any step the next writer makes the two equal.

``KB_TEST_CRASH_AT=<step>`` kills the process (SIGKILL, as ``kill -9``) at that step; the tests
use it to crash at each step. The steps are listed in STEPS (a reindex has its own,
kb.index.rebuild.REINDEX_STEPS). ``KB_TEST_PAUSE_AT=<step>`` with ``KB_TEST_PAUSE_DIR=<dir>``
instead writes ``<dir>/paused-<step>`` there and waits for ``<dir>/resume``: the concurrency
tests run another writer at exactly that point.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kb.atomic import atomic_write
from kb.document import Document
from kb.errors import DiskFullError, KbError, NotFoundError, StoreError
from kb.index.builds import IndexStore
from kb.index.store import Store

JOURNAL = "JOURNAL.json"
CRASH_ENV = "KB_TEST_CRASH_AT"
PAUSE_ENV = "KB_TEST_PAUSE_AT"
PAUSE_DIR_ENV = "KB_TEST_PAUSE_DIR"
STEPS = (
    "journal-written",
    "store-partly-written",
    "store-written",
    "index-committed",
    "store-partly-removed",
    "store-removed",
)


def crash_point(step: str) -> None:
    """Die at once, as under ``kill -9``, when KB_TEST_CRASH_AT names ``step``, or wait there
    when KB_TEST_PAUSE_AT does (tests only)."""
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(PAUSE_ENV) == step:
        folder = Path(os.environ.get(PAUSE_DIR_ENV, "."))
        (folder / f"paused-{step}").touch()
        deadline = time.monotonic() + 300  # a test that forgot to resume must not hang forever
        while not (folder / "resume").exists() and time.monotonic() < deadline:
            time.sleep(0.02)


@dataclass
class Changes:
    """What one writer wants to change: documents to add or replace, ids to remove, and ids
    to index again from their unchanged store records (``again``: a committed copy of an added
    original that an older index holds without its hash, kb.index.originals)."""

    adds: dict[str, Document] = field(default_factory=dict)
    removes: set[str] = field(default_factory=set)
    failed: dict[str, KbError] = field(default_factory=dict)
    again: set[str] = field(default_factory=set)

    def add(self, doc: Document) -> None:
        self.removes.discard(doc.id)
        self.again.discard(doc.id)
        self.adds[doc.id] = doc

    def remove(self, doc_id: str) -> None:
        self.adds.pop(doc_id, None)
        self.again.discard(doc_id)
        self.removes.add(doc_id)

    def index_again(self, doc_id: str) -> None:
        if doc_id not in self.adds and doc_id not in self.removes:
            self.again.add(doc_id)

    def __bool__(self) -> bool:
        return bool(self.adds or self.removes or self.again)


def journal_path(index: IndexStore) -> Path:
    return index.index_dir / JOURNAL


def read_journal(index: IndexStore) -> tuple[list[str], list[str]] | None:
    """The (added, removed) ids of an unfinished write, or None when the last one finished."""
    try:
        data = json.loads(journal_path(index).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        # A journal is written atomically; an unreadable one is damage: check everything.
        return (["*"], [])
    return list(data.get("add", [])), list(data.get("remove", []))


# What a full disk looks like to a writer: no space, a file-size limit, a quota.
DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


@contextmanager
def disk_full_stops() -> Iterator[None]:
    """A full disk while writing is one clear error (DiskFullError), not a traceback. The journal
    written first stays, so once there is room the next writer finishes what was cut off."""
    try:
        yield
    except OSError as err:
        if err.errno not in DISK_FULL:
            raise
        raise DiskFullError(
            f"Disken är full ({err.strerror}): det senaste skrevs inte klart i indexet. Frigör "
            "plats och kör kommandot igen, så skrivs det klart / disk full: the last write did "
            "not reach the index; free space and run the command again to finish it"
        ) from err


@disk_full_stops()
def commit(index: IndexStore, store: Store, changes: Changes) -> None:
    """Apply ``changes`` to the store and the index (the caller holds the writer lock).

    A store record that cannot be written costs that document only: it is left out and its
    error put in ``changes.failed``.
    """
    if not changes:
        return
    # Ids indexed again are journalled as added: after a crash the index follows their
    # (unchanged) store records, as for any added id.
    payload = {"add": sorted({*changes.adds, *changes.again}), "remove": sorted(changes.removes)}
    atomic_write(journal_path(index), json.dumps(payload).encode("utf-8"))
    crash_point("journal-written")
    saved: list[Document] = []
    for doc in changes.adds.values():
        try:
            store.save(doc)
        except StoreError as err:
            changes.failed[doc.id] = err
            continue
        saved.append(doc)
        if len(saved) == 1:
            crash_point("store-partly-written")
    crash_point("store-written")
    # Documents whose record could not be written must not reach the index either; an older
    # version of such a record stays as it was, in the store and the index alike. The order of
    # the two lists decides nothing: their ids differ (Changes.index_again), and which copy of
    # an original is shown follows kb.search.copies.tie_key, not the docnums given here.
    index.apply([*_records(store, sorted(changes.again)), *saved], sorted(changes.removes))
    crash_point("index-committed")
    for n, doc_id in enumerate(sorted(changes.removes)):
        store.discard(doc_id)
        if n == 0:
            crash_point("store-partly-removed")
    crash_point("store-removed")
    journal_path(index).unlink(missing_ok=True)


def _records(store: Store, ids: list[str]) -> list[Document]:
    """The stored records of ``ids``; one gone or unreadable since is left as it is."""
    found = []
    for doc_id in ids:
        try:
            found.append(store.load(doc_id))
        except KbError:
            continue
    return found


@disk_full_stops()
def finish_journal(index: IndexStore, store: Store) -> int:
    """Finish the write a crash left unfinished (caller holds the lock); returns ids touched."""
    journal = read_journal(index)
    if journal is None:
        return 0
    added, removed = journal
    if "*" in added:
        from kb.index.check import repair  # a damaged journal: compare everything

        touched = repair(index, store)
        journal_path(index).unlink(missing_ok=True)
        return touched
    updates: list[Document] = []
    deletes = set(removed)
    for doc_id in added:
        if doc_id in deletes:
            continue
        try:
            updates.append(store.load(doc_id))
        except NotFoundError:
            deletes.add(doc_id)
        except StoreError:
            # An unreadable record cannot be indexed; `kb check` reports it.
            deletes.add(doc_id)
    index.apply(updates, sorted(deletes))
    for doc_id in removed:
        store.discard(doc_id)
    journal_path(index).unlink(missing_ok=True)
    return len(updates) + len(deletes)
