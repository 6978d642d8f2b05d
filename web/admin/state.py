"""What the admin keeps per app: accounts, audit log, throttle, reports, staging, removed documents,
and the seam to ingest.

``install`` builds it once from the settings (every file lives in the data directory) and keeps it
in ``app.extensions``; views reach it with ``admin_state()``.

The seam: web must not import ingest (both stand on kb), so the composition root (kbcli's
`kb serve`) passes an object of the shape ``StagerLike`` in the app config under ``STAGER_KEY``
(ingest.stage.Stager is the real one). Without one the admin still works for accounts,
corrections and removals, and says that adding documents is not available.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from kb.config import Settings
from kb.document import Document
from kb.errors import ConfigError
from kb.reports import ReportLog
from kb.taxonomy.model import Taxonomy
from web.admin.accounts import AccountStore
from web.admin.audit import AuditLog
from web.admin.removed import RemovedDocuments
from web.admin.staging import StagingArea
from web.admin.throttle import LoginThrottle

EXTENSION_KEY = "kunskapsbanken_admin"
STAGER_KEY = "ADMIN_STAGER"


class StagedLike(Protocol):
    """One staged original: the document as it would be published, or why it failed."""

    @property
    def document(self) -> Document | None: ...

    @property
    def original(self) -> bytes: ...

    @property
    def notes(self) -> tuple[str, ...]: ...

    @property
    def error(self) -> str: ...

    @property
    def code(self) -> str: ...


class StagerLike(Protocol):
    """Reads one source into a document without writing anything."""

    @property
    def accepted_suffixes(self) -> tuple[str, ...]: ...

    def stage_file(self, path: Path, taxonomy: Taxonomy) -> StagedLike: ...

    def stage_url(self, url: str, taxonomy: Taxonomy) -> StagedLike: ...


@dataclass
class AdminState:
    settings: Settings
    accounts: AccountStore
    audit: AuditLog
    throttle: LoginThrottle
    reports: ReportLog
    staging: StagingArea
    removed: RemovedDocuments
    stager: StagerLike | None


def install(app: Flask, settings: Settings) -> AdminState:
    """Build the admin's state for ``app`` over ``settings.data_dir``."""
    data_dir = settings.data_dir
    state = AdminState(
        settings=settings,
        accounts=AccountStore.in_data_dir(data_dir),
        audit=AuditLog.in_data_dir(data_dir),
        throttle=app.config.get("ADMIN_THROTTLE") or LoginThrottle(),
        reports=ReportLog.in_data_dir(data_dir),
        staging=StagingArea(data_dir),
        removed=RemovedDocuments(data_dir),
        stager=app.config.get(STAGER_KEY),
    )
    app.extensions[EXTENSION_KEY] = state
    return state


def admin_state() -> AdminState:
    """The admin state of the current app."""
    state: AdminState = current_app.extensions[EXTENSION_KEY]
    return state


def secret_key(settings: Settings) -> str:
    """``settings.secret_key``, or the key kept in ``<data dir>/admin/secret_key`` (made once,
    mode 0600, shared by every server process)."""
    if settings.secret_key:
        if len(settings.secret_key) < 32:
            raise ConfigError("KB_SECRET_KEY: minst 32 tecken / at least 32 characters")
        return settings.secret_key
    path = Path(settings.data_dir) / "admin" / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        raise ConfigError(f"{path}: nyckeln är för kort / key too short; ta bort filen") from None
    key = secrets.token_hex(64)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key
