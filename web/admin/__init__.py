"""The staff admin at /admin: accounts, login, documents (add, preview, publish, correct, remove).

``init_app`` joins the parts onto the app: the state kept in the data directory (web.admin.state),
the session cookie (web.admin.auth), the gate that answers 404 until an admin account exists and
runs before CSRF protection (web.admin.auth), Flask-WTF's CSRFProtect for every POST of the
app (the public pages and the API accept none), the strings, and the view modules. See
docs/admin.md for the set-up, the roles and the security choices.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_wtf.csrf import CSRFError, CSRFProtect

from kb.config import Settings
from web.admin import (
    accounts,
    auth,
    state,
    strings,
    views_auth,
    views_documents,
    views_edit,
    views_reports,
    views_upload,
    views_users,
)
from web.errors import error_response
from web.i18n import add_strings, translate

# Every view module registers its routes on the one blueprint when imported.
VIEW_MODULES = (
    views_auth, views_documents, views_edit, views_upload, views_users, views_reports,
)  # fmt: skip


def init_app(app: Flask, settings: Settings) -> None:
    """Install the admin on ``app`` (before the limiter's and after the error handlers)."""
    add_strings(
        {
            **strings.STRINGS,
            "error_413": ("För stor fil", "File too large"),
            "csrf_failed": (
                "Formuläret kunde inte skickas: sidan var för gammal eller kom från en annan "
                "webbplats. Ladda om sidan och försök igen.",
                "The form could not be sent: the page was too old or came from another site. "
                "Reload the page and try again.",
            ),
        }
    )
    # The dummy hash exists before the first login, which then costs what every later one does.
    accounts.dummy_hash()
    state.install(app, settings)
    auth.init_app(app, settings)
    # The gate first: 404 while no admin exists, and the upload size, before CSRF reads a form.
    app.before_request(auth.gate)
    CSRFProtect(app)

    @app.errorhandler(CSRFError)
    def _csrf_failed(err: CSRFError) -> tuple[Response | str, int]:
        return error_response(400, translate("csrf_failed"))

    views_upload.init_app(app)
    views_edit.init_app(app)
    app.add_template_global(auth.current_user, "admin_user")
    limit = settings.max_document_bytes / 1_048_576
    app.add_template_global(lambda: f"{limit:g}" if limit >= 1 else f"{limit:.2f}", "max_upload_mb")
    app.register_blueprint(auth.bp)
