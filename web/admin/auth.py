"""Who is logged in to the admin, and what they may do; the admin blueprint and its gate.

The session is Flask's signed cookie, named ``kb_admin`` and scoped to ``/admin`` (public pages
and the API never receive it), HttpOnly, SameSite=Strict, Secure per ``admin_cookie_secure``. It
holds the account name, the account's ``session_version`` and the login time. Every admin request
re-reads the account (cached by file mtime) and drops the session when the account is gone, its
version changed (new password, new role) or the login is older than ``SESSION_HOURS``.

Every admin view module registers its routes on ``bp``. The gate (``gate``) runs before each
admin request: it answers 404 while no account has the admin role (a fresh install shows no
login page to guess at), loads the logged-in account and lets the upload view take a
document-sized body. It is an app-level hook installed before CSRFProtect's, so a fresh install
answers 404 even to a POST and a too-big upload is refused before its form is parsed. Admin
answers are marked uncacheable.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, abort, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from kb.config import Settings
from kb.errors import ConfigError
from web.admin.accounts import Account
from web.admin.state import admin_state, secret_key

F = TypeVar("F", bound=Callable[..., Any])
SESSION_HOURS = 12
COOKIE_NAME = "kb_admin"
_SECURE_CHOICES = ("auto", "always", "never")
# Multipart framing around the file: boundaries, headers, the CSRF token and the other fields.
FORM_OVERHEAD = 64 * 1024
UPLOAD_ENDPOINTS = frozenset({"admin.add_document"})

bp = Blueprint("admin", __name__, url_prefix="/admin")


class AdminSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions with the Secure flag decided per request in "auto" mode."""

    def __init__(self, secure: str) -> None:
        self.secure = secure

    def get_cookie_secure(self, app: Flask) -> bool:
        if self.secure == "always":
            return True
        if self.secure == "never":
            return False
        return bool(request.is_secure)


def init_app(app: Flask, settings: Settings) -> None:
    """Configure the session cookie of ``app``."""
    if settings.admin_cookie_secure not in _SECURE_CHOICES:
        raise ConfigError(
            f"KB_ADMIN_COOKIE_SECURE={settings.admin_cookie_secure!r}: auto, always eller never"
        )
    app.secret_key = app.config.get("SECRET_KEY") or secret_key(settings)
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_PATH="/admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        # The CSRF token lives as long as the session; a form left open an hour still posts.
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.session_interface = AdminSessionInterface(settings.admin_cookie_secure)


def log_in(account: Account) -> None:
    """Start a new session for ``account`` (a fresh session: nothing carries over)."""
    session.clear()
    session.permanent = True
    session.update(u=account.name, v=account.session_version, t=int(time.time()))


def log_out() -> None:
    session.clear()


def load_user() -> Account | None:
    """The account of this request's session, or None (and the session cleared) when it is no
    longer valid."""
    name = session.get("u")
    if not name:
        return None
    account = admin_state().accounts.get(str(name))
    started = int(session.get("t", 0))
    if (
        account is None
        or session.get("v") != account.session_version
        or time.time() - started > SESSION_HOURS * 3600
    ):
        session.clear()
        return None
    return account


def current_user() -> Account | None:
    """The logged-in account (loaded by the blueprint before each admin request)."""
    user: Account | None = g.get("admin_user")
    return user


def who() -> str:
    """The name the audit log records for this request."""
    user = current_user()
    return user.name if user else "anonym"


def login_required(func: F) -> F:
    """Send an anonymous visitor to the login page (then back)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def admin_required(func: F) -> F:
    """Only for accounts with the admin role: anonymous users log in, redaktörer get 403."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        if not user.is_admin:
            abort(403)
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def safe_next(target: str | None) -> str:
    """``target`` when it is a path inside the admin, else the admin's start page (no open
    redirect to another site)."""
    if target and target.startswith("/admin") and "//" not in target and "\\" not in target:
        return target
    return url_for("admin.home")


def gate() -> None:
    """The app-level before-request hook (installed by web.admin.init_app before CSRFProtect)."""
    if request.blueprint != "admin":
        return
    state = admin_state()
    if not state.accounts.has_admin():
        abort(404)
    g.admin_user = load_user()
    if request.endpoint in UPLOAD_ENDPOINTS and g.admin_user is not None:
        request.max_content_length = state.settings.max_document_bytes + FORM_OVERHEAD


@bp.after_request
def _no_store(response: Response) -> Response:
    # Staff pages hold unpublished text and account names: never in a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response
