"""`kb check`: every difference between the store of originals and the index, and its repair.

The store is the truth (the index is derived from its records, see kb.index.commit). A document
differs when it is in one and not the other, when the index holds it more than once, or when what
the index keeps of it (its stored fields) is not what its store record gives. The caller holds the
writer lock, so no write runs while the two are compared.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from kb.document import Document
from kb.errors import NotFoundError, StoreError
from kb.index.builds import IndexStore
from kb.index.commit import finish_journal, read_journal
from kb.index.record import META_FIELD, TEXT_FIELD, read_text_z
from kb.index.store import Store

# What a difference is called, in the order `kb check` prints them.
KINDS = (
    "unfinished-write",
    "missing-from-index",
    "not-in-store",
    "duplicate-in-index",
    "stale-in-index",
    "unreadable-record",
)


@dataclass(frozen=True, order=True)
class Difference:
    """One difference: its kind (see KINDS), the document id and a detail for people."""

    kind: str
    doc_id: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.kind} {self.doc_id}" + (f"  {self.detail}" if self.detail else "")


def _indexed(index: IndexStore) -> tuple[Counter[str], dict[str, dict[str, Any]]]:
    """How often each id is in the index, and the stored fields of each."""
    counts: Counter[str] = Counter()
    fields: dict[str, dict[str, Any]] = {}
    ix = index.open()
    try:
        with ix.searcher() as searcher:
            for docnum in searcher.reader().all_doc_ids():
                stored = searcher.stored_fields(docnum)
                doc_id = stored["id"]
                counts[doc_id] += 1
                fields[doc_id] = {**stored, TEXT_FIELD: read_text_z(searcher, docnum)}
    finally:
        ix.close()
    return counts, fields


def _same(stored: dict[str, Any], expected: dict[str, Any]) -> bool:
    if stored.get(META_FIELD) != expected[META_FIELD]:
        return False
    # zlib output may change with the library version; the text it holds must not.
    try:
        text = zlib.decompress(stored.get(TEXT_FIELD) or b"")
    except zlib.error:
        return False
    return bool(text == zlib.decompress(expected[TEXT_FIELD]))


def differences(index: IndexStore, store: Store) -> list[Difference]:
    """Every difference between ``store`` and ``index``, sorted by kind order then id."""
    found: list[Difference] = []
    journal = read_journal(index)
    if journal is not None:
        added, removed = journal
        found.append(
            Difference(
                "unfinished-write", "-", f"{len(added)} added, {len(removed)} removed (journal)"
            )
        )
    counts, fields = _indexed(index)
    stored_ids = set(store.ids())
    for doc_id in sorted(stored_ids):
        try:
            doc = store.load(doc_id)
        except NotFoundError:
            continue
        except StoreError as err:
            found.append(Difference("unreadable-record", doc_id, str(err)))
            continue
        expected = index.fields_of(doc)  # None: hidden (withdrawn), so not in the index
        if expected is None:
            if doc_id in counts:
                found.append(Difference("stale-in-index", doc_id, f"{doc.source} (hidden)"))
        elif doc_id not in counts:
            found.append(Difference("missing-from-index", doc_id, doc.source))
        elif not _same(fields[doc_id], expected):
            found.append(Difference("stale-in-index", doc_id, doc.source))
    for doc_id, count in sorted(counts.items()):
        if doc_id not in stored_ids:
            found.append(Difference("not-in-store", doc_id))
        if count > 1:
            found.append(Difference("duplicate-in-index", doc_id, f"{count} copies"))
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(found, key=lambda d: (order[d.kind], d.doc_id))


def repair(index: IndexStore, store: Store, found: list[Difference] | None = None) -> int:
    """Make the index follow the store (caller holds the lock); returns the ids changed.

    A pending journal is finished first; unreadable records are left for a person (reported
    again by the next check) and taken out of the index meanwhile.
    """
    if found is None or any(d.kind == "unfinished-write" for d in found):
        if read_journal(index) not in (None, (["*"], [])):
            finish_journal(index, store)
        found = differences(index, store)
    updates: list[Document] = []
    deletes: set[str] = set()
    for diff in found:
        if diff.kind in ("missing-from-index", "stale-in-index", "duplicate-in-index"):
            try:
                doc = store.load(diff.doc_id)
            except (NotFoundError, StoreError):
                deletes.add(diff.doc_id)
                continue
            deletes.add(doc.id)  # update_document leaves duplicates; delete every copy first
            updates.append(doc)
        elif diff.kind in ("not-in-store", "unreadable-record"):
            deletes.add(diff.doc_id)
    if updates or deletes:
        index.apply(updates, sorted(deletes))
    return len({d.id for d in updates} | deletes)
