"""KbWriter: what one locked write session of the knowledge base may do (add, remove, curate, look).

``KnowledgeBase.writer()`` takes the writer lock, hands out a KbWriter and commits its ``changes``
when the block ends (kb.index.commit): the store first, then the index. This module owns the
session's view of the committed state and the changes it gathers; it never writes the index itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from kb.curation.curator import Curator
from kb.curation.model import Curation, Value
from kb.document import Document
from kb.errors import KbError
from kb.index.builds import IndexStore
from kb.index.commit import Changes
from kb.index.originals import LegacyOriginals, is_legacy
from kb.index.record import META_FIELD, ORIGINAL_FIELD, original_key
from kb.index.store import Store


class KbWriter:
    """Adds and removes documents inside ``KnowledgeBase.writer()``; applied on commit.

    Nothing reaches the store records or the index before the commit (kb.index.commit); only the
    content-addressed originals are kept at once. ``stored`` and ``indexed`` answer from the
    committed state, which no other writer can change while this one holds the lock.
    """

    def __init__(self, store: Store, index: IndexStore, curator: Curator) -> None:
        self._store = store
        self._index = index
        self._curator = curator
        self._ix: Any = None
        # Per original added this session that the store kept before, in an older index: the
        # committed copies indexed without its hash (found once, by add, for same_original too).
        self._unhashed: dict[str, list[Document]] = {}
        self.changes = Changes()

    def add(self, doc: Document, original: bytes | None = None) -> Document:
        """Keep ``original`` (content-addressed) and add or replace ``doc``. A committed copy
        of the same original that an older index holds without its hash is indexed again in
        the same commit (kb.index.originals), so the two are one hit at once."""
        # Bytes the store did not keep before cannot be another document's: no look needed.
        kept = self._kept(doc.content_sha256)
        if original is not None:
            sha = self._store.put_blob(original)
            if sha != doc.content_sha256:
                doc = doc.with_changes(content_sha256=sha)
                kept = True  # not the hash the document named: look all the same
        if not doc.added:
            doc = doc.with_changes(added=datetime.now(UTC).isoformat(timespec="seconds"))
        self.changes.add(doc)
        if kept and self._legacy is not None:
            for other in self._unhashed_copies(doc.content_sha256):
                self.changes.index_again(other.id)
        return doc

    def remove(self, doc_id: str) -> None:
        """Remove the document ``doc_id`` from the index and the store."""
        self._store.load(doc_id)  # NotFoundError for an unknown id
        self.changes.remove(doc_id)

    def curate(
        self, doc: Document, checked: Mapping[str, Value], by: str, via: str = "ingest"
    ) -> Curation:
        """Record corrections of ``doc`` given with it (``Curator.check``ed values); they are
        laid over it when this writer's commit indexes it."""
        return self._curator.record(doc, checked, by, via)

    def hidden(self, doc_id: str) -> bool:
        """Whether ``doc_id`` is withdrawn and hidden: left out of the index on purpose."""
        return self._curator.is_hidden(doc_id)

    def curated_as(self, doc_id: str, checked: Mapping[str, Value]) -> bool:
        """Whether ``doc_id`` is already corrected to exactly ``checked``."""
        return self._curator.matches(doc_id, checked)

    def stored(self, doc_id: str) -> Document | None:
        """The committed store record of ``doc_id``, or None (also for an unreadable one)."""
        try:
            return self._store.load(doc_id)
        except KbError:
            return None

    def indexed(self, doc_id: str) -> bool:
        """Whether the committed index holds ``doc_id``."""
        return self._searcher().document_number(id=doc_id) is not None

    def same_original(self, doc: Document) -> list[str]:
        """The addresses of the other documents whose original is ``doc``'s bytes (the same file
        published elsewhere: each address stays a document, kb.search.copies shows them as one
        hit), committed or added before in this session."""
        if not doc.content_sha256:
            return []
        adds = self.changes.adds
        found = {
            d.source
            for d in adds.values()
            if d.id != doc.id and d.content_sha256 == doc.content_sha256
        }
        skip = {doc.id, *self.changes.removes, *adds}  # the session's own: above
        for meta in self._hashed(doc.content_sha256):
            if meta["id"] not in skip:
                found.add(meta["source"])
        # Committed documents an older index holds without the hash, as add found them (only
        # for bytes the store kept before: new bytes are no other document's).
        for other in self._unhashed.get(doc.content_sha256, ()):
            if other.id not in skip:
                found.add(other.source)
        return sorted(found)

    def _searcher(self) -> Any:
        if self._ix is None:
            self._ix = self._index.open().searcher()
        return self._ix

    def _hashed(self, sha: str) -> list[dict[str, Any]]:
        """The display data of the committed documents the index holds with the hash ``sha``."""
        ix = self._searcher()
        if ORIGINAL_FIELD not in ix.schema or not original_key(sha):
            return []
        return [
            json.loads(ix.stored_fields(docnum)[META_FIELD])
            for docnum in ix.document_numbers(original=original_key(sha))
        ]

    @cached_property
    def _legacy(self) -> LegacyOriginals | None:
        """The stored originals of an index whose older documents lack their hash (None for
        an index built with it, kb.index.originals); read once per session, when first asked."""
        build = self._index.current_dir()
        if not is_legacy(self._searcher().schema, build):
            return None
        return LegacyOriginals(build, self._store)

    def _unhashed_copies(self, sha: str) -> list[Document]:
        """Committed documents holding the original ``sha`` that the (older) index holds without
        the hash, less the session's own: indexed again, they get it and join its group. Found
        once per original and kept (``_unhashed``): the committed state does not change in the
        session, and an id the session adds or removes stays among its adds or removes."""
        copies = self._unhashed.get(sha)
        if copies is None:
            legacy = self._legacy
            assert legacy is not None  # add asks only for an older index
            named = {m["id"] for m in self._hashed(sha)}  # have the hash already
            holding = legacy.holding(sha, named)
            copies = self._unhashed[sha] = [d for d in holding if self.indexed(d.id)]
        skip = {*self.changes.removes, *self.changes.adds}
        return [d for d in copies if d.id not in skip]

    def _kept(self, sha: str) -> bool:
        """Whether the store keeps the original ``sha`` already."""
        try:
            return bool(sha) and self._store.blob_path(sha).exists()
        except KbError:
            return False

    @property
    def failed(self) -> dict[str, KbError]:
        """Documents whose store record could not be written at the commit, with the error."""
        return self.changes.failed

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()
            self._ix = None
