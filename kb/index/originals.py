"""Originals indexed before the index had their hash: copies in a bank built by an older version.

The index keeps each document's original hash (the ``original`` field, kb.index.record), which
kb.search.copies groups into one hit. An index built before that field existed lacks it in its
schema, and its documents lack the term. Such a bank must not need ``kb reindex`` before a copy
ingested today merges with a document it already holds:

* the first commit into such an index adds the field to its schema (``add_field``), so every
  document written from then on carries its hash; it leaves the file ``ORIGINALS-before.json``
  in the build folder, which says that older documents may lack it;
* ``LegacyOriginals`` answers which stored documents hold an original (one pass over the store
  the first time it is asked in that build, kept in the same file); kb.writer indexes such a
  committed copy again, in the same commit as the new document, so the pair is one hit at once.

A ``kb reindex`` writes a new build with the field from the start: the file goes with the old
build, and nothing here costs anything in a bank built since.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from whoosh import fields

from kb.atomic import atomic_write
from kb.document import Document
from kb.errors import KbError
from kb.index.record import ORIGINAL_FIELD, original_key
from kb.index.store import Store

BEFORE_FILE = "ORIGINALS-before.json"


def add_field(writer: Any, build: Path) -> None:
    """Give the index of ``writer`` (in folder ``build``) the original's field, which it lacks,
    leaving the note that its older documents lack their hash (written before the commit: a
    crash between the two leaves a note about an index that still lacks the field, which the
    next commit finds the same)."""
    path = build / BEFORE_FILE
    if not path.exists():
        atomic_write(path, json.dumps({"built": False}).encode("utf-8"))
    writer.add_field(ORIGINAL_FIELD, fields.ID())


def is_legacy(schema: Any, build: Path) -> bool:
    """Whether documents of this index may lack their original's hash: it has no such field, or
    the field was added after documents were indexed without it."""
    return ORIGINAL_FIELD not in schema or (build / BEFORE_FILE).exists()


class LegacyOriginals:
    """Which stored documents hold an original, for an index whose older documents lack the
    hash. Read once per write session, built from the store once per build.

    Args:
        build: the live build folder (where the map is kept).
        store: the store of records, read when the map is built.
    """

    def __init__(self, build: Path, store: Store) -> None:
        self._path = build / BEFORE_FILE
        self._store = store
        self._map: dict[str, list[str]] | None = None

    def ids(self, sha: str) -> list[str]:
        """Ids of the stored documents whose original had the hash ``sha`` when the map was
        made (check each against its record: it may have new bytes since, or be gone)."""
        key = original_key(sha)
        return list(self._read().get(key, ())) if key else []

    def holding(self, sha: str, skip: set[str]) -> list[Document]:
        """The stored documents of ``ids(sha)`` whose record still holds that original, less
        ``skip`` (the session's own documents)."""
        found = []
        for doc_id in self.ids(sha):
            if doc_id in skip:
                continue
            try:
                doc = self._store.load(doc_id)
            except KbError:  # removed since, or unreadable (kb check reports that)
                continue
            if doc.content_sha256 == sha:
                found.append(doc)
        return found

    def _read(self) -> dict[str, list[str]]:
        if self._map is not None:
            return self._map
        data: dict[str, Any] = {}
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            data = {}  # damaged: made again from the store
        ids = data.get("ids") if data.get("built") else None
        if not isinstance(ids, dict):
            ids = self._build()
        self._map = {str(k): [str(i) for i in v] for k, v in ids.items()}
        return self._map

    def _build(self) -> dict[str, list[str]]:
        """One pass over the store: every record's original hash (kept for the next session:
        documents written later carry the hash in the index, so the map needs no update)."""
        ids: dict[str, list[str]] = {}
        for doc_id in self._store.ids():
            try:
                doc = self._store.load(doc_id)
            except KbError:
                continue
            key = original_key(doc.content_sha256)
            if key:
                ids.setdefault(key, []).append(doc_id)
        payload = {"built": True, "ids": ids}
        # Read-only or full: made again next time; nothing is wrong meanwhile.
        with contextlib.suppress(OSError):
            atomic_write(self._path, json.dumps(payload).encode("utf-8"))
        return ids
