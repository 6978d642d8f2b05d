"""The web admin's gate through Flask's test client: off until an admin exists, login (the
same answer for a wrong password and an unknown account, then a delay), session cookies,
CSRF, roles, sessions that end with their account, and redirects that stay inside the admin."""

from __future__ import annotations

from flask import Flask

from kb.config import Settings
from tests.conftest import ADMIN_PW, EDITOR_PW, alert, csrf, log_in
from web import create_app
from web.admin.accounts import AccountStore
from web.admin.audit import AuditLog
from web.context import EXTENSION_KEY


def test_admin_is_off_until_an_admin_account_exists(admin_settings: Settings) -> None:
    app = create_app(admin_settings)
    client = app.test_client()
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login").status_code == 404
    assert client.post("/admin/login", data={"name": "x"}).status_code == 404  # before CSRF
    AccountStore.in_data_dir(admin_settings.data_dir).add("bo", "redaktor", EDITOR_PW)
    assert client.get("/admin/login").status_code == 404  # a redaktör alone does not turn it on
    AccountStore.in_data_dir(admin_settings.data_dir).add("anna", "admin", ADMIN_PW)
    assert client.get("/admin/login").status_code == 200
    app.extensions[EXTENSION_KEY].close()


def test_public_pages_and_api_set_no_session_and_accept_no_post(admin_app: Flask) -> None:
    client = admin_app.test_client()
    for path in ("/", "/search?q=arkiv", "/api/v1/search?q=arkiv"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert not any("kb_admin" in c for c in answer.headers.getlist("Set-Cookie"))
    assert client.post("/search", data={"q": "x"}).status_code in (400, 405)
    assert client.post("/api/v1/search").status_code in (400, 405)


def test_session_cookie_flags(admin_app: Flask) -> None:
    client = admin_app.test_client()
    cookie = client.get("/admin/login").headers["Set-Cookie"]
    assert "kb_admin=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/admin" in cookie and "Secure" not in cookie  # plain http, "auto"
    secure = admin_app.test_client().get("/admin/login", base_url="https://localhost")
    assert "Secure" in secure.headers["Set-Cookie"]


def test_wrong_password_and_unknown_account_get_the_same_answer_then_a_delay(
    admin_app: Flask,
) -> None:
    client = admin_app.test_client()
    token = csrf(client)
    wrong = client.post(
        "/admin/login", data={"csrf_token": token, "name": "anna", "password": "fel-lösen-12"}
    )
    unknown = client.post(
        "/admin/login", data={"csrf_token": token, "name": "nobody", "password": "fel-lösen-12"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert alert(wrong.get_data(as_text=True)) == alert(unknown.get_data(as_text=True))
    assert alert(wrong.get_data(as_text=True)) == "Fel kontonamn eller lösenord."
    for _ in range(3):
        client.post(
            "/admin/login", data={"csrf_token": token, "name": "anna", "password": "fel-lösen-12"}
        )
    # Now even the right password waits: the attempt is not checked.
    held = client.post(
        "/admin/login", data={"csrf_token": token, "name": "anna", "password": ADMIN_PW}
    )
    assert held.status_code == 429
    assert "Försök igen om" in alert(held.get_data(as_text=True))
    # Four attempts were checked and failed (the fifth was already held back by the client key).
    entries = AuditLog.in_data_dir(admin_app.config["KB_SETTINGS"].data_dir).newest()
    assert sum(e.action == "login.failed" for e in entries) == 4
    assert not any(e.action == "login" for e in entries)


def test_the_current_password_on_the_change_form_is_throttled_as_at_login(
    admin_app: Flask,
) -> None:
    """A session left open is no unlimited oracle for the account's password."""
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    form = {"csrf_token": token, "new": "nytt-lösen-123", "again": "nytt-lösen-123"}
    for _ in range(4):  # as at the login: three free, then waits
        wrong = client.post("/admin/losenord", data={**form, "old": "gissning-123"})
        assert wrong.status_code == 400
    held = client.post("/admin/losenord", data={**form, "old": EDITOR_PW})
    assert held.status_code == 429 and "Försök igen om" in alert(held.get_data(as_text=True))
    entries = AuditLog.in_data_dir(admin_app.config["KB_SETTINGS"].data_dir).newest()
    assert sum(e.action == "user.password_failed" for e in entries) == 4
    assert not any(e.action == "user.password" for e in entries)


def test_post_without_csrf_token_is_rejected(admin_app: Flask) -> None:
    client = admin_app.test_client()
    log_in(client, "anna", ADMIN_PW)
    answer = client.post("/admin/konton", data={"name": "eve", "role": "admin"})
    assert answer.status_code == 400
    assert "Ladda om sidan" in answer.get_data(as_text=True)
    assert AccountStore.in_data_dir(admin_app.config["KB_SETTINGS"].data_dir).get("eve") is None


def test_redaktor_is_denied_admin_pages(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    assert client.get("/admin/").status_code == 200
    for path in ("/admin/konton", "/admin/logg", "/admin/installningar"):
        assert client.get(path).status_code == 403
    denied = client.post(
        "/admin/konton",
        data={"csrf_token": token, "name": "eve", "role": "admin", "password": "x" * 12,
              "again": "x" * 12},
    )  # fmt: skip
    assert denied.status_code == 403
    assert "Åtkomst nekad" in denied.get_data(as_text=True)


def test_sessions_end_when_the_account_is_removed_or_its_password_changes(
    admin_app: Flask,
) -> None:
    accounts = AccountStore.in_data_dir(admin_app.config["KB_SETTINGS"].data_dir)
    client = admin_app.test_client()
    log_in(client, "bo", EDITOR_PW)
    assert client.get("/admin/").status_code == 200
    accounts.set_password("bo", "helt-nytt-lösen-2")
    assert client.get("/admin/").status_code == 302  # back to the login page
    log_in(client, "bo", "helt-nytt-lösen-2")
    assert client.get("/admin/").status_code == 200
    accounts.remove("bo")
    gone = client.get("/admin/")
    assert gone.status_code == 302 and "/admin/login" in gone.headers["Location"]


def test_login_redirects_only_inside_the_admin(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = csrf(client)
    answer = client.post(
        "/admin/login",
        data={"csrf_token": token, "name": "anna", "password": ADMIN_PW,
              "next": "//evil.example/admin"},
    )  # fmt: skip
    assert answer.headers["Location"] == "/admin/"
