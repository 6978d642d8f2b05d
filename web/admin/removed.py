"""Removed documents: out of the index and the search at once, kept until an admin purges them.

Removing (``remove``) copies the document's record to ``<data dir>/admin/removed/<id>.json``
with who removed it and when, then removes it from the store records and the index in one
commit; the original bytes stay in the store's blobs. ``restore`` puts the record back (the
original is still there); ``purge`` deletes the kept record and the original bytes, unless
another document (stored or removed) shares them. If the commit fails the kept copy is dropped
again: nothing is half-removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kb.atomic import atomic_write
from kb.document import Document, is_document_id
from kb.errors import NotFoundError
from kb.index.store import document_from_record, store_record
from kb.service import KnowledgeBase


@dataclass(frozen=True)
class Removed:
    """A removed document and who removed it when."""

    document: Document
    when: str
    who: str


class RemovedDocuments:
    """The removed documents of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / "admin" / "removed"

    def remove(self, kb: KnowledgeBase, doc_id: str, who: str) -> Document:
        """Take ``doc_id`` out of the index and the store records, keeping a copy here."""
        doc = kb.store.load(doc_id)  # as ingest found it: corrections are kept apart
        when = datetime.now(UTC).isoformat(timespec="seconds")
        body = {"document": store_record(doc), "when": when, "who": who}
        atomic_write(self._path(doc_id), json.dumps(body, ensure_ascii=False).encode("utf-8"))
        try:
            with kb.writer() as writer:
                writer.remove(doc_id)
        except BaseException:
            self._path(doc_id).unlink(missing_ok=True)
            raise
        return doc

    def restore(self, kb: KnowledgeBase, doc_id: str) -> Document:
        """Put a removed document back into the store records and the index."""
        doc = self.get(doc_id).document
        with kb.writer() as writer:
            writer.add(doc)
        self._path(doc_id).unlink(missing_ok=True)
        return doc

    def purge(self, kb: KnowledgeBase, doc_id: str) -> tuple[Document, bool]:
        """Delete the kept copy for good; returns the document and whether its original bytes
        were deleted (not when another document still uses them)."""
        doc = self.get(doc_id).document
        self._path(doc_id).unlink(missing_ok=True)
        sha = doc.content_sha256
        shared = any(d.content_sha256 == sha for d in kb.store) or any(
            r.document.content_sha256 == sha for r in self.all()
        )
        if shared or not sha:
            return doc, False
        try:
            path = kb.store.blob_path(sha)
        except NotFoundError:
            return doc, False
        existed = path.exists()
        path.unlink(missing_ok=True)
        return doc, existed

    def get(self, doc_id: str) -> Removed:
        """The removed document ``doc_id`` (NotFoundError when it is not among them)."""
        try:
            body = json.loads(self._path(doc_id).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise NotFoundError(f"Inget borttaget dokument {doc_id!r}") from err
        return Removed(document_from_record(body["document"]), body["when"], body["who"])

    def all(self) -> list[Removed]:
        """Every removed document, the most recently removed first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob("*.json"):
            try:
                found.append(self.get(path.stem))
            except (NotFoundError, KeyError):
                continue
        return sorted(found, key=lambda r: r.when, reverse=True)

    def _path(self, doc_id: str) -> Path:
        if not is_document_id(doc_id):
            raise NotFoundError(f"Ogiltigt dokument-id: {doc_id[:80]!r}")
        return self.folder / f"{doc_id}.json"
