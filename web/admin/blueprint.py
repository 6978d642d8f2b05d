"""The admin blueprint and its gate: off (404) until an admin account exists, then the session.

Every admin view module registers its routes on ``bp``. Before each admin request the gate
answers 404 when no account has the admin role (a fresh install shows no login page to guess
at), loads the logged-in account and lets the upload view take a document-sized body. The gate is
an app-level hook installed before CSRFProtect's, so a fresh install answers 404 even to a POST
and a too-big upload is refused before its form is parsed. Answers are marked uncacheable.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, request

from web.admin.auth import load_user
from web.admin.state import admin_state

bp = Blueprint("admin", __name__, url_prefix="/admin")


# Multipart framing around the file: boundaries, headers, the CSRF token and the other fields.
FORM_OVERHEAD = 64 * 1024
UPLOAD_ENDPOINTS = frozenset({"admin.add_document"})


def gate() -> None:
    """The app-level before-request hook (installed by web.admin.setup before CSRFProtect)."""
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
