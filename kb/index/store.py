"""The store of kept originals: content-addressed bytes plus each document's JSON record.

Layout under the store root: ``blobs/ab/abcdef...`` (the original bytes, named by SHA-256) and
``docs/<id>.json`` (the Document: ``store_record`` writes it, ``document_from_record`` reads it).
The index is derived from these records alone (``kb reindex``). Every write is atomic (temporary
file + ``os.replace``) so a crash never leaves half a record.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kb.atomic import atomic_write
from kb.document import Document, Page, Tag, is_document_id
from kb.errors import NotFoundError, StoreError


class Store:
    """Kept originals and document records in a folder.

    Args:
        root: the store folder; created on first write.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._by_source: dict[str, str] | None = None

    @property
    def _docs(self) -> Path:
        return self.root / "docs"

    @property
    def _blobs(self) -> Path:
        return self.root / "blobs"

    def put_blob(self, data: bytes) -> str:
        """Keep ``data`` and return its SHA-256; storing the same bytes twice is a no-op."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.blob_path(sha)
        if not path.exists():
            try:
                atomic_write(path, data)
            except OSError as err:
                raise StoreError(f"Kunde inte spara originalet i {self.root}: {err}") from err
        return sha

    def blob_path(self, sha: str) -> Path:
        """Where the original with hash ``sha`` is (or would be) kept."""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise NotFoundError(f"Ogiltig innehållsnyckel: {sha[:80]!r}")
        return self._blobs / sha[:2] / sha

    def save(self, doc: Document) -> None:
        """Write the record of ``doc`` (replacing any older version with the same id)."""
        data = json.dumps(store_record(doc), ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            atomic_write(self._doc_path(doc.id), data)
        except OSError as err:
            raise StoreError(f"Kunde inte spara dokumentet {doc.id}: {err}") from err
        if self._by_source is not None:
            self._by_source[doc.source] = doc.id

    def load(self, doc_id: str) -> Document:
        """The stored Document with ``doc_id``.

        Raises:
            NotFoundError: no such document.
            StoreError: the record exists but cannot be read.
        """
        path = self._doc_path(doc_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError as err:
            raise NotFoundError(f"Dokumentet {doc_id!r} finns inte") from err
        except OSError as err:
            raise StoreError(f"Kunde inte läsa {path}: {err}") from err
        try:
            return document_from_record(json.loads(raw))
        except (ValueError, KeyError, TypeError) as err:
            raise StoreError(f"Trasig dokumentpost {path}: {err}") from err

    def get_by_source(self, source: str) -> Document | None:
        """The stored Document whose source is ``source``, or None."""
        if self._by_source is None:
            self._by_source = {d.source: d.id for d in self}
        doc_id = self._by_source.get(source)
        if doc_id is None:
            return None
        try:
            return self.load(doc_id)
        except NotFoundError:
            return None

    def sources_of_original(self, sha: str) -> list[str]:
        """The sources of the stored documents whose original has the hash ``sha`` (what a dry
        run of ingest names as "samma innehåll som"). The records are read only when the bytes
        are kept already: a new original costs one file test."""
        try:
            if not sha or not self.blob_path(sha).exists():
                return []
        except NotFoundError:
            return []
        found = []
        for doc_id in self.ids():
            try:
                doc = self.load(doc_id)
            except (NotFoundError, StoreError):
                continue
            if doc.content_sha256 == sha:
                found.append(doc.source)
        return sorted(found)

    def remove(self, doc_id: str) -> None:
        """Forget the record of ``doc_id``; blobs stay (another version may share them)."""
        path = self._doc_path(doc_id)
        if not path.exists():
            raise NotFoundError(f"Dokumentet {doc_id!r} finns inte")
        path.unlink()
        if self._by_source is not None:
            self._by_source = {s: i for s, i in self._by_source.items() if i != doc_id}

    def discard(self, doc_id: str) -> None:
        """Forget the record of ``doc_id`` if there is one (finishing a removal twice is fine)."""
        with contextlib.suppress(NotFoundError):
            self.remove(doc_id)

    def ids(self) -> list[str]:
        """Ids of all stored documents, sorted."""
        if not self._docs.is_dir():
            return []
        return sorted(p.stem for p in self._docs.glob("*.json"))

    def __iter__(self) -> Iterator[Document]:
        for doc_id in self.ids():
            yield self.load(doc_id)

    def __len__(self) -> int:
        return len(self.ids())

    def _doc_path(self, doc_id: str) -> Path:
        if not is_document_id(doc_id):
            raise NotFoundError(f"Ogiltigt dokument-id: {doc_id[:80]!r}")
        return self._docs / f"{doc_id}.json"


def store_record(doc: Document) -> dict[str, Any]:
    """The JSON record of ``doc`` in the store; ``document_from_record`` reverses it exactly."""
    data = asdict(doc)
    data["pages"] = [{"number": p.number, "text": p.text} for p in doc.pages]
    return data


def document_from_record(data: dict[str, Any]) -> Document:
    """The Document of a store record (missing optional fields take their defaults)."""
    return Document(
        id=str(data["id"]),
        source=str(data["source"]),
        title=str(data.get("title", "")),
        pages=tuple(Page(int(p["number"]), str(p["text"])) for p in data.get("pages", ())),
        content_sha256=str(data.get("content_sha256", "")),
        content_type=str(data.get("content_type", "text/plain")),
        filename=str(data.get("filename", "")),
        date=data.get("date"),
        date_source="given" if data.get("date_source") == "given" else "auto",
        language=str(data.get("language", "sv")),
        summary=str(data.get("summary", "")),
        publisher=str(data.get("publisher", "")),
        doc_type=_tag(data.get("doc_type") or {"value": "other"}),
        focus_areas=tuple(_tag(t) for t in data.get("focus_areas", ())),
        municipalities=tuple(_tag(t) for t in data.get("municipalities", ())),
        regions=tuple(_tag(t) for t in data.get("regions", ())),
        ocr=bool(data.get("ocr", False)),
        added=str(data.get("added", "")),
        mentions=tuple(_tag(t) for t in data.get("mentions", ())),
        publisher_org=_tag(data["publisher_org"]) if data.get("publisher_org") else None,
    )


def _tag(data: dict[str, Any]) -> Tag:
    return Tag(
        value=str(data["value"]),
        source="given" if data.get("source") == "given" else "auto",
        evidence=tuple(data.get("evidence", ())),
        score=float(data.get("score", 0.0)),
    )
