"""Staged documents and uploaded originals, on disk in the data directory, outside the store.

An upload is kept at ``<data dir>/uploads/<first 16 hex of its SHA-256>/<safe name>``: that
absolute path becomes the document's source (as for any file `kb ingest` reads), so the same
file uploaded twice is the same document. A staged document waits in
``<data dir>/admin/staging/<token>/`` (its record and the original bytes) until staff publish or
discard it; nothing is in the store or the index before "Publicera". A published item leaves
only the id of its document behind. Staged items older than a day are dropped. On disk rather
than in memory so every `kb serve --workers` process sees them.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.utils import secure_filename

from kb.atomic import atomic_write
from kb.document import Document
from kb.errors import NotFoundError
from kb.index.store import document_from_record, store_record

MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class StagedItem:
    """A document waiting for "Publicera"."""

    token: str
    document: Document
    original: bytes
    notes: tuple[str, ...]
    who: str
    uploaded: str  # the upload's path under uploads/, "" for a URL


class StagingArea:
    """Staged documents of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / "admin" / "staging"
        self.uploads = Path(data_dir) / "uploads"

    # -- uploads ---------------------------------------------------------------------------------

    def save_upload(self, filename: str, data: bytes) -> Path:
        """Keep uploaded bytes under uploads/ and return the absolute path (the source)."""
        name = secure_filename(filename) or "dokument"
        digest = hashlib.sha256(data).hexdigest()[:16]
        path = (self.uploads / digest / name).absolute()
        atomic_write(path, data)
        return path

    def is_upload(self, source: str) -> bool:
        """Whether ``source`` is a file the admin keeps under uploads/."""
        try:
            Path(source).absolute().relative_to(self.uploads.absolute())
        except ValueError:
            return False
        return True

    def drop_upload(self, source: str) -> None:
        """Delete an uploaded original (and its folder when empty); other paths are left alone."""
        if not self.is_upload(source):
            return
        path = Path(source)
        path.unlink(missing_ok=True)
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()

    # -- staged documents ------------------------------------------------------------------------

    def put(
        self, document: Document, original: bytes, notes: tuple[str, ...], who: str, uploaded: str
    ) -> str:
        """Stage ``document`` and return its token."""
        self.prune()
        token = secrets.token_hex(16)
        folder = self.folder / token
        atomic_write(folder / "original", original)
        meta = {"document": store_record(document), "notes": list(notes), "who": who}
        meta["uploaded"] = uploaded
        atomic_write(folder / "staged.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        return token

    def get(self, token: str) -> StagedItem:
        """The staged item ``token`` (NotFoundError when unknown, expired or published)."""
        folder = self._folder(token)
        try:
            meta: dict[str, Any] = json.loads((folder / "staged.json").read_text("utf-8"))
            original = (folder / "original").read_bytes()
        except (OSError, ValueError) as err:
            raise NotFoundError(f"Inget förberett dokument {token}") from err
        return StagedItem(
            token,
            document_from_record(meta["document"]),
            original,
            tuple(meta.get("notes", ())),
            str(meta.get("who", "")),
            str(meta.get("uploaded", "")),
        )

    def discard(self, token: str) -> None:
        """Forget the staged item (publishing and "Avbryt" both end here)."""
        shutil.rmtree(self._folder(token), ignore_errors=True)

    def mark_published(self, token: str, doc_id: str) -> None:
        """Forget the staged item, remembering (for MAX_AGE) the document it became: a second
        click on "Publicera" or the back button then leads to that document."""
        self.discard(token)
        atomic_write(self._folder(token) / "published", doc_id.encode("ascii"))

    def published_as(self, token: str) -> str:
        """The id of the document ``token`` was published as, or "" (never published, expired)."""
        try:
            return (self._folder(token) / "published").read_text("ascii").strip()
        except (OSError, NotFoundError, ValueError):
            return ""

    def prune(self, now: float | None = None) -> None:
        """Drop staged items older than MAX_AGE."""
        if not self.folder.is_dir():
            return
        limit = (now or time.time()) - MAX_AGE
        for folder in self.folder.iterdir():
            try:
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except FileNotFoundError:
                continue

    def _folder(self, token: str) -> Path:
        if not _TOKEN.fullmatch(token):
            raise NotFoundError(f"Ogiltig nyckel {token[:40]!r}")
        return self.folder / token
