"""What the admin keeps per app: accounts, audit log, throttle, reports, staging, removed documents.

``install`` builds it once from the settings (every file lives in the data directory) and keeps it
in ``app.extensions``; views reach it with ``admin_state()``. The stager (the seam to ingest) is
whatever the composition root put in the app config, or None.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from kb.config import Settings
from kb.errors import ConfigError
from kb.reports import ReportLog
from web.admin.accounts import AccountStore
from web.admin.audit import AuditLog
from web.admin.removed import RemovedDocuments
from web.admin.seam import CONFIG_KEY, StagerLike
from web.admin.staging import StagingArea
from web.admin.throttle import LoginThrottle

EXTENSION_KEY = "kunskapsbanken_admin"


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
        stager=app.config.get(CONFIG_KEY),
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
