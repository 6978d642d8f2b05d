"""The Curator: edit, revert and withdraw documents, with history, under the one writer lock.

What the CLI (`kb edit`), the web admin and harvests call. Every change is checked against the
taxonomy before anything is written, recorded in the document's curation file (who, when,
old -> new) and then the document is written to the index again through kb.index.commit, whose
index write lays the corrections over the automatic tags (kb.curation.apply). Imports kb.index
for the commit; never the search engine.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import replace

from kb.curation.apply import curated_document
from kb.curation.files import CurationStore
from kb.curation.model import Action, Change, Correction, Curation, Value, Withdrawal, now_iso
from kb.curation.values import checked_value, current_value, field_name
from kb.document import Document
from kb.errors import NotFoundError, ValidationError
from kb.index.builds import IndexStore
from kb.index.commit import Changes, commit
from kb.index.store import Store
from kb.taxonomy.model import Taxonomy

MAX_ACTOR = 80


def default_actor() -> str:
    """Who is editing when nobody says: the OS user (``getpass.getuser``), else "okänd"."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container with a bare uid)
        return os.environ.get("USER", "") or "okänd"


def checked_actor(by: str | None) -> str:
    """``by`` trimmed, or the OS user when empty.

    Raises:
        ValidationError: longer than MAX_ACTOR characters or with control characters.
    """
    name = " ".join((by or "").split()) or default_actor()
    if len(name) > MAX_ACTOR or any(ord(c) < 32 for c in name):
        raise ValidationError(f"Ogiltigt namn / invalid actor name: {name[:80]!r}")
    return name


class Curator:
    """Corrections and withdrawals of the documents of one knowledge base.

    Args:
        store: the store of originals (the automatic documents).
        curations: the curation files.
        index: the index (written again after each change).
        taxonomy: what values are checked against.
        locked: the knowledge base's writer lock (``KnowledgeBase.locked``).
    """

    def __init__(
        self,
        store: Store,
        curations: CurationStore,
        index: IndexStore,
        taxonomy: Taxonomy,
        locked: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self.store = store
        self.curations = curations
        self.index = index
        self.taxonomy = taxonomy
        self._locked = locked

    # -- reading ------------------------------------------------------------------

    def get(self, doc_id: str) -> Curation:
        """The corrections, history and withdrawal of ``doc_id`` (empty when uncorrected).

        Raises:
            NotFoundError: no such document.
        """
        self.automatic(doc_id)
        return self.curations.load(doc_id)

    def history(self, doc_id: str) -> tuple[Change, ...]:
        """Every change of ``doc_id``, oldest first (NotFoundError for an unknown id)."""
        return self.get(doc_id).history

    def is_hidden(self, doc_id: str) -> bool:
        """Whether ``doc_id`` is withdrawn past its grace period (left out of the index)."""
        return self.curations.has(doc_id) and self.curations.load(doc_id).hidden

    def automatic(self, doc_id: str) -> Document:
        """The document as ingest found it, without corrections.

        Raises:
            NotFoundError: no such document (the message names the id).
        """
        try:
            return self.store.load(doc_id)
        except NotFoundError:
            raise NotFoundError(
                f"Okänt dokument / unknown document: {doc_id[:80]!r} (see `kb list`)"
            ) from None

    def shown(self, doc: Document) -> Document:
        """``doc`` (from the store) with its corrections laid over it."""
        if not self.curations.has(doc.id):
            return doc
        return curated_document(doc, self.curations.load(doc.id), self.taxonomy)

    def indexed_form(self, doc: Document) -> Document | None:
        """What the index holds for ``doc``: corrected, or None when it is hidden."""
        if not self.curations.has(doc.id):
            return doc
        curation = self.curations.load(doc.id)
        if curation.hidden:
            return None
        return curated_document(doc, curation, self.taxonomy)

    def check(self, changes: Mapping[str, object]) -> dict[str, Value]:
        """``changes`` (field -> value as typed) checked and in stored form.

        Raises:
            ValidationError: an unknown field or value (named in the message), or no changes.
        """
        checked = {field_name(k): checked_value(k, v, self.taxonomy) for k, v in changes.items()}
        if not checked:
            raise ValidationError("Inget att ändra / nothing to change")
        return checked

    # -- writing ------------------------------------------------------------------

    def edit(
        self, doc_id: str, changes: Mapping[str, object], by: str | None = None, via: str = "cli"
    ) -> Curation:
        """Correct fields of ``doc_id``: ``{"focus_areas": ["digital ledning"], "date": "2021"}``.

        Values are checked first (nothing is written when one is bad); a field already corrected
        to the same value is left alone (no history entry).

        Raises:
            ValidationError: a bad field or value. NotFoundError: an unknown document.
        """
        checked = self.check(changes)
        actor = checked_actor(by)
        with self._locked():
            doc = self.automatic(doc_id)
            before = self.curations.load(doc_id)
            after = self.record(doc, checked, actor, via)
            if after != before:
                commit(self.index, self.store, Changes(adds={doc_id: doc}))
            return after

    def revert(self, doc_id: str, name: str, by: str | None = None, via: str = "cli") -> Curation:
        """Drop the correction of field ``name``: the automatic value shows again.

        Raises:
            ValidationError: an unknown field, or one that is not corrected.
            NotFoundError: an unknown document.
        """
        field = field_name(name)
        actor = checked_actor(by)
        with self._locked():
            doc = self.automatic(doc_id)
            before = self.curations.load(doc_id)
            if field not in before.corrections:
                raise ValidationError(
                    f"Fältet {field} är inte rättat i {doc_id} / field {field} is not corrected"
                )
            old = current_value(curated_document(doc, before, self.taxonomy), field)
            corrections = {k: v for k, v in before.corrections.items() if k != field}
            after = before.with_changes(corrections=corrections)
            new = current_value(curated_document(doc, after, self.taxonomy), field)
            change = Change("revert", field, old, new, actor, now_iso(), via)
            after = after.with_changes(history=(*before.history, change))
            self.curations.save(after)
            commit(self.index, self.store, Changes(adds={doc_id: doc}))
            return after

    def record(self, doc: Document, checked: Mapping[str, Value], by: str, via: str) -> Curation:
        """Write checked corrections of ``doc`` to its curation file (the caller holds the lock
        and writes the document to the index); returns the new curation."""
        before = self.curations.load(doc.id)
        shown = curated_document(doc, before, self.taxonomy)
        corrections = dict(before.corrections)
        history = list(before.history)
        at = now_iso()
        for field, value in checked.items():
            current = corrections.get(field)
            if current is not None and current.value == value:
                continue
            corrections[field] = Correction(field, value, by, at, via)
            history.append(Change("set", field, current_value(shown, field), value, by, at, via))
        after = before.with_changes(corrections=corrections, history=tuple(history))
        if after != before:
            self.curations.save(after)
        return after

    def matches(self, doc_id: str, checked: Mapping[str, Value]) -> bool:
        """Whether ``doc_id`` is already corrected to exactly ``checked`` (ingest: "unchanged")."""
        return self.curations.matches(doc_id, checked)

    def withdraw(
        self, doc_id: str, reason: str, source_name: str = "", hidden: bool = False
    ) -> Curation:
        """Mark ``doc_id`` withdrawn by its source (``hidden``: also leave it out of the index).

        Marking again keeps the first ``since``; hiding is recorded in the history.
        """
        with self._locked():
            doc = self.automatic(doc_id)
            before = self.curations.load(doc_id)
            old = before.withdrawal
            since = old.since if old is not None else now_iso()
            withdrawal = Withdrawal(since, reason, hidden or bool(old and old.hidden), source_name)
            if withdrawal == old:
                return before
            action: Action = (
                "hide" if withdrawal.hidden and not (old and old.hidden) else "withdraw"
            )
            change = Change(action, "status", _status(old), _status(withdrawal), "harvest",
                            now_iso(), source_name or "harvest")  # fmt: skip
            after = replace(before, withdrawal=withdrawal, history=(*before.history, change))
            self.curations.save(after)
            commit(self.index, self.store, Changes(adds={doc_id: doc}))
            return after

    def restore(self, doc_id: str, by: str | None = None, via: str = "cli") -> Curation:
        """Undo a withdrawal: the document is shown and searchable again."""
        actor = checked_actor(by)
        with self._locked():
            doc = self.automatic(doc_id)
            before = self.curations.load(doc_id)
            if before.withdrawal is None:
                return before
            change = Change("restore", "status", _status(before.withdrawal), "active", actor,
                            now_iso(), via)  # fmt: skip
            after = replace(before, withdrawal=None, history=(*before.history, change))
            self.curations.save(after)
            commit(self.index, self.store, Changes(adds={doc_id: doc}))
            return after

    def withdrawn(self) -> Iterator[tuple[str, Withdrawal]]:
        """Every withdrawn document id with its withdrawal."""
        for doc_id in self.curations.ids():
            curation = self.curations.load(doc_id)
            if curation.withdrawal is not None:
                yield doc_id, curation.withdrawal


def _status(withdrawal: Withdrawal | None) -> str:
    if withdrawal is None:
        return "active"
    return "hidden" if withdrawal.hidden else "withdrawn"
