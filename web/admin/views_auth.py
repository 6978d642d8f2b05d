"""Logging in and out, and changing one's own password.

A wrong password and an unknown account name get the same message and cost the same argon2
verification. After repeated failures under the name or from the client address the next attempt
waits (web.admin.throttle) and is not even checked until then; a wrong current password on the
"Byt lösenord" form counts and waits the same way. Each login, failed login, logout and password
change is written to the audit log.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import ValidationError
from web.admin.accounts import MAX_PASSWORD_LENGTH, verify_password
from web.admin.auth import bp, current_user, log_in, log_out, login_required, safe_next, who
from web.admin.state import admin_state
from web.i18n import translate

FormResponse = str | BaseResponse | tuple[str, int]


def _client() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login() -> FormResponse:
    """The login form; on success back to where the person was going."""
    target = safe_next(request.values.get("next"))
    if current_user() is not None and request.method == "GET":
        return redirect(target)
    if request.method == "GET":
        return render_template("admin/login.html", next=target, error="", name="")
    state = admin_state()
    name = request.form.get("name", "").strip().lower()[:80]
    password = request.form.get("password", "")[: MAX_PASSWORD_LENGTH + 1]
    keys = state.throttle.keys(name, _client())
    wait = state.throttle.wait_for(*keys)
    if wait:
        message = translate("admin_login_wait", seconds=wait)
        page = render_template("admin/login.html", next=target, error=message, name=name)
        return page, 429
    account = state.accounts.get(name) if name else None
    if not verify_password(account.password_hash if account else None, password):
        state.throttle.failed(*keys)
        state.audit.record(name or "(tomt)", "login.failed", client=_client())
        message = translate("admin_login_failed")
        page = render_template("admin/login.html", next=target, error=message, name=name)
        return page, 401
    assert account is not None
    state.throttle.succeeded(*keys)
    state.accounts.upgrade_hash(account.name, password)
    log_in(account)
    state.audit.record(account.name, "login", client=_client())
    return redirect(target)


@bp.post("/logout")
def logout() -> BaseResponse:
    """End the session (a form with the CSRF token: a link could be forged)."""
    user = current_user()
    if user is not None:
        admin_state().audit.record(user.name, "logout", client=_client())
    log_out()
    return redirect(url_for("admin.login", logged_out=1))


@bp.route("/losenord", methods=["GET", "POST"])
@login_required
def own_password() -> FormResponse:
    """Change one's own password (the old one first); every session of the account ends."""
    if request.method == "GET":
        return render_template("admin/password.html", error="", done=False)
    state = admin_state()
    user = current_user()
    assert user is not None
    old = request.form.get("old", "")[: MAX_PASSWORD_LENGTH + 1]
    new, again = request.form.get("new", ""), request.form.get("again", "")
    # The current password is guessed here as at the login (a session left open on a shared
    # computer): the same counters and waits.
    keys = state.throttle.keys(user.name, _client())
    wait = state.throttle.wait_for(*keys)
    if wait:
        message = translate("admin_login_wait", seconds=wait)
        return render_template("admin/password.html", error=message, done=False), 429
    error = ""
    if not verify_password(user.password_hash, old):
        state.throttle.failed(*keys)
        state.audit.record(user.name, "user.password_failed", user.name, client=_client())
        error = translate("admin_old_password_wrong")
    elif new != again:
        error = translate("admin_passwords_differ")
    else:
        try:
            state.accounts.set_password(user.name, new)
        except ValidationError as err:
            error = str(err)
    if error:
        return render_template("admin/password.html", error=error, done=False), 400
    state.throttle.succeeded(*keys)
    state.audit.record(who(), "user.password", user.name)
    refreshed = state.accounts.get(user.name)
    if refreshed is not None:
        log_in(refreshed)  # this browser stays logged in; every other session has ended
    return render_template("admin/password.html", error="", done=True)
