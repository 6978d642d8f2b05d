"""For admins only: accounts (add, remove, new password, role), the audit log and the settings.

Removing an account or setting its password ends its sessions at once (web.admin.accounts
changes its session version). An admin cannot remove their own account here (the CLI can), so
the admin cannot lock itself out by a slip.
"""

from __future__ import annotations

from dataclasses import fields

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import ValidationError
from web.admin.accounts import ROLES
from web.admin.auth import admin_required, bp, current_user, who
from web.admin.state import admin_state
from web.i18n import translate

# Settings never shown, even to admins.
SECRET_SETTINGS = frozenset({"secret_key"})


def _users_page(
    error: str = "", status: int = 200, name: str = "", role: str = ""
) -> tuple[str, int]:
    accounts = sorted(admin_state().accounts.all().values(), key=lambda a: a.name)
    page = render_template(
        "admin/users.html", accounts=accounts, roles=ROLES, error=error, name=name, role=role
    )
    return page, status


@bp.get("/konton")
@admin_required
def users() -> tuple[str, int]:
    """The accounts and the form for a new one."""
    return _users_page()


@bp.post("/konton")
@admin_required
def add_user() -> BaseResponse | tuple[str, int]:
    """Create an account (the password typed twice)."""
    state = admin_state()
    name = request.form.get("name", "").strip()
    role = request.form.get("role", "")
    password, again = request.form.get("password", ""), request.form.get("again", "")
    if password != again:
        return _users_page(translate("admin_passwords_differ"), 400, name, role)
    try:
        account = state.accounts.add(name, role, password)
    except ValidationError as err:
        return _users_page(str(err), 400, name, role)
    state.audit.record(who(), "user.add", account.name, role=account.role)
    flash(translate("admin_user_added", name=account.name), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/konton/<name>/ta-bort")
@admin_required
def remove_user(name: str) -> BaseResponse | tuple[str, int]:
    """Delete an account; its sessions stop working on their next request."""
    state = admin_state()
    user = current_user()
    if user is not None and user.name == name:
        return _users_page(translate("admin_cannot_remove_self"), 400)
    account = state.accounts.remove(name)
    state.audit.record(who(), "user.remove", account.name, role=account.role)
    flash(translate("admin_user_removed", name=account.name), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/konton/<name>/losenord")
@admin_required
def set_user_password(name: str) -> BaseResponse | tuple[str, int]:
    """Give an account a new password; its sessions end."""
    state = admin_state()
    password, again = request.form.get("password", ""), request.form.get("again", "")
    if password != again:
        return _users_page(translate("admin_passwords_differ"), 400)
    try:
        state.accounts.set_password(name, password)
    except ValidationError as err:
        return _users_page(str(err), 400)
    state.audit.record(who(), "user.password", name)
    flash(translate("admin_password_set", name=name), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/konton/<name>/roll")
@admin_required
def set_user_role(name: str) -> BaseResponse | tuple[str, int]:
    """Change an account's role; its sessions end (what it may do has changed)."""
    state = admin_state()
    role = request.form.get("role", "")
    try:
        state.accounts.set_role(name, role)
    except ValidationError as err:
        return _users_page(str(err), 400)
    state.audit.record(who(), "user.role", name, role=role)
    flash(translate("admin_role_set", name=name), "ok")
    return redirect(url_for("admin.users"))


@bp.get("/logg")
@admin_required
def audit() -> str:
    """The newest entries of the audit log."""
    return render_template("admin/audit.html", entries=admin_state().audit.newest(300))


@bp.get("/installningar")
@admin_required
def settings() -> str:
    """The settings in force (read-only: they come from KB_* variables, see docs/settings.md)."""
    current = admin_state().settings
    rows = [
        (f.name, f"KB_{f.name.upper()}", str(getattr(current, f.name)), f.metadata.get("help", ""))
        for f in fields(current)
        if f.name not in SECRET_SETTINGS
    ]
    return render_template("admin/settings.html", rows=rows)
