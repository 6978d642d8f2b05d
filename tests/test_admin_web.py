"""The web admin through Flask's test client: the gate, login, sessions, CSRF, roles, and bad
uploads (too big, wrong type, corrupt, encrypted) that leave nothing behind."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF
from werkzeug.datastructures import MultiDict

from ingest.stage import Stager
from kb.config import Settings
from kb.reports import ReportLog
from tests.ingest_support import FONT, http_server, make_pdf
from web import create_app
from web.admin.accounts import AccountStore
from web.admin.audit import AuditLog
from web.context import EXTENSION_KEY

ADMIN_PW = "admin-lösen-123"
EDITOR_PW = "redaktör-lösen-1"
BODY = (
    "Uddevalla kommun har infört ett e-arkiv för bygglov. Handlingarna bevaras digitalt och "
    "informationssäkerheten har granskats. "
) * 6


@pytest.fixture
def admin_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        ingest_demo_on_start=False,
        rate_limit_pages="",
        rate_limit_api="",
        query_time_budget=0,
        max_document_bytes=200_000,
        writer_timeout=5.0,
    )


@pytest.fixture
def admin_app(admin_settings: Settings) -> Iterator[Flask]:
    accounts = AccountStore.in_data_dir(admin_settings.data_dir)
    accounts.add("anna", "admin", ADMIN_PW)
    accounts.add("bo", "redaktor", EDITOR_PW)
    app = create_app(admin_settings, {"ADMIN_STAGER": Stager(admin_settings, ocr_command="")})
    yield app
    app.extensions[EXTENSION_KEY].close()


def csrf(client: FlaskClient, path: str = "/admin/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, page.get_data(as_text=True)[:500]
    return match.group(1)


def log_in(client: FlaskClient, name: str, password: str) -> str:
    token = csrf(client)
    answer = client.post(
        "/admin/login", data={"csrf_token": token, "name": name, "password": password}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    return csrf(client, "/admin/dokument/ny")


def alert(html: str) -> str:
    match = re.search(r'role="alert">([^<]+)<', html)
    return match.group(1) if match else ""


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


def _upload(client: FlaskClient, token: str, name: str, data: bytes) -> tuple[int, str]:
    answer = client.post(
        "/admin/dokument/ny",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    return answer.status_code, answer.get_data(as_text=True)


def _encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(0, 6, BODY)
    pdf.set_encryption(owner_password="ägare-123", user_password="läsare-123")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("name", "data", "status", "words", "code"),
    [
        ("stor.pdf", b"%PDF-1.4\n" + b"0" * 400_000, 413, "större än gränsen", "too-large"),
        ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 300, 400, "unsupported", "unsupported-type"),
        ("trasig.pdf", b"%PDF-1.4\n1 0 obj << /Type /Page", 400, "PDF", "corrupt"),
        ("hemlig.pdf", _encrypted_pdf(), 400, "lösenord", "encrypted"),
        ("tom.txt", b"", 400, "Filen är tom", "empty"),
        ("tabell.xlsx", b"PK\x03\x04" + b"\0" * 300, 400, ".xlsx tas inte", "unsupported-type"),
    ],
)
def test_bad_uploads_get_a_clear_message_a_report_and_leave_nothing(
    admin_app: Flask, name: str, data: bytes, status: int, words: str, code: str
) -> None:
    settings: Settings = admin_app.config["KB_SETTINGS"]
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    got, html = _upload(client, token, name, data)
    assert got == status
    message = alert(html)
    assert "kunde inte läsas in" in message and "Inget har lagts till" in message
    assert words.casefold() in message.casefold()
    report = ReportLog.in_data_dir(settings.data_dir).newest(1)[0]
    assert report["origin"] == "admin" and report["who"] == "bo"
    assert report["outcomes"][0]["status"] == "failed" and report["outcomes"][0]["code"] == code
    # Nothing half-added: no record, no staged item, no kept upload, nothing in the index.
    assert not list((settings.store_dir / "docs").glob("*.json"))
    staging = settings.data_dir / "admin" / "staging"
    assert not staging.exists() or not any(staging.iterdir())
    uploads = settings.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.rglob("*.*"))
    assert client.get("/api/v1/search?q=bygglov").get_json()["total"] == 0
    assert "Fil" in html and 'type="file"' in html  # the form is shown again to try once more


def test_staged_document_is_not_searchable_until_published(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    pdf = make_pdf([BODY], title="Handlingsplan för e-arkiv i Uddevalla")
    answer = client.post(
        "/admin/dokument/ny",
        data={"csrf_token": token, "file": (io.BytesIO(pdf), "handlingsplan.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    preview = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Handlingsplan för e-arkiv i Uddevalla" in preview and "Publicera" in preview
    assert "bygglov" in preview  # the extracted text
    assert client.get("/api/v1/search?q=bygglov").get_json()["total"] == 0
    client.post(answer.headers["Location"] + "/avbryt", data={"csrf_token": token})
    assert client.get(answer.headers["Location"]).status_code == 404
    assert client.get("/api/v1/search?q=bygglov").get_json()["total"] == 0


def test_a_url_is_staged_from_a_real_server_and_published(admin_app: Flask) -> None:
    html = (
        "<html lang='sv'><head><title>E-tjänst för bygglov</title></head><body><main>"
        f"<h1>E-tjänst för bygglov</h1><p>{BODY}</p></main></body></html>"
    ).encode()
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    with http_server({"/bygglov": (200, {"Content-Type": "text/html; charset=utf-8"}, html)}) as s:
        answer = client.post(
            "/admin/dokument/ny", data={"csrf_token": token, "url": s.url("/bygglov")}
        )
        assert answer.status_code == 302
        missing = client.post(
            "/admin/dokument/ny", data={"csrf_token": token, "url": s.url("/finns-inte")}
        )
    assert missing.status_code == 400 and "404" in alert(missing.get_data(as_text=True))
    published = client.post(answer.headers["Location"] + "/publicera", data={"csrf_token": token})
    assert published.status_code == 302
    hits = client.get("/api/v1/search?q=bygglov").get_json()
    assert hits["total"] == 1 and hits["results"][0]["title"] == "E-tjänst för bygglov"


def _publish_text(client: FlaskClient, token: str, name: str, text: str) -> str:
    answer = client.post(
        "/admin/dokument/ny",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, alert(answer.get_data(as_text=True))
    published = client.post(answer.headers["Location"] + "/publicera", data={"csrf_token": token})
    location: str = published.headers["Location"]
    return location.rsplit("/", 1)[-1]


def test_remove_restore_and_purge(admin_app: Flask) -> None:
    settings: Settings = admin_app.config["KB_SETTINGS"]
    editor = admin_app.test_client()
    token = log_in(editor, "bo", EDITOR_PW)
    doc_id = _publish_text(editor, token, "e-arkiv.txt", BODY)
    kb = admin_app.extensions[EXTENSION_KEY]
    sha = kb.document(doc_id).content_sha256
    blob = kb.store.blob_path(sha)
    assert blob.exists()
    editor.post(f"/admin/dokument/{doc_id}/ta-bort", data={"csrf_token": token})
    assert editor.get("/api/v1/search?q=bygglov").get_json()["total"] == 0
    assert editor.get(f"/documents/{doc_id}").status_code == 404
    assert blob.exists()  # kept until purged
    editor.post(f"/admin/borttagna/{doc_id}/aterstall", data={"csrf_token": token})
    assert editor.get("/api/v1/search?q=bygglov").get_json()["total"] == 1
    editor.post(f"/admin/dokument/{doc_id}/ta-bort", data={"csrf_token": token})
    # A redaktör may not purge; an admin may.
    denied = editor.post(f"/admin/borttagna/{doc_id}/rensa", data={"csrf_token": token})
    assert denied.status_code == 403 and blob.exists()
    admin = admin_app.test_client()
    admin_token = log_in(admin, "anna", ADMIN_PW)
    purged = admin.post(f"/admin/borttagna/{doc_id}/rensa", data={"csrf_token": admin_token})
    assert purged.status_code == 302
    assert not blob.exists()
    assert "Inga borttagna dokument" in admin.get("/admin/borttagna").get_data(as_text=True)
    assert not any((settings.data_dir / "uploads").rglob("*.txt"))
    actions = [e.action for e in AuditLog.in_data_dir(settings.data_dir).newest()]
    assert actions.index("document.purge") < actions.index("document.restore")
    assert {"document.publish", "document.remove", "document.restore"} <= set(actions)


def test_admin_manages_accounts_in_the_browser_forms(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "anna", ADMIN_PW)
    added = client.post(
        "/admin/konton",
        data={"csrf_token": token, "name": "cecilia", "role": "redaktor",
              "password": "cecilias-lösen", "again": "cecilias-lösen"},
    )  # fmt: skip
    assert added.status_code == 302
    other = admin_app.test_client()
    log_in(other, "cecilia", "cecilias-lösen")
    client.post("/admin/konton/cecilia/ta-bort", data={"csrf_token": token})
    assert other.get("/admin/").status_code == 302  # her session ended at once
    own = client.post("/admin/konton/anna/ta-bort", data={"csrf_token": token})
    assert own.status_code == 400 and "eget konto" in alert(own.get_data(as_text=True))


def test_cli_ingest_reports_show_in_the_admin(admin_app: Flask, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kbcli.main import cli

    settings: Settings = admin_app.config["KB_SETTINGS"]
    good = tmp_path / "plan.txt"
    good.write_text(BODY, encoding="utf-8")
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Page")
    result = CliRunner().invoke(
        cli, ["ingest", str(good), str(bad), "--data-dir", str(settings.data_dir), "--no-ocr"]
    )
    assert result.exit_code == 1
    client = admin_app.test_client()
    log_in(client, "bo", EDITOR_PW)
    page = client.get("/admin/rapporter").get_data(as_text=True)
    assert "misslyckades" in page and "trasig.pdf" in page and "corrupt" in page
    assert "tillagd" in page


def test_searches_without_results_are_listed_for_staff(admin_app: Flask) -> None:
    client = admin_app.test_client()
    for _ in range(2):
        assert client.get("/search?q=kvantdatorstrategi").status_code == 200
    log_in(client, "bo", EDITOR_PW)
    page = client.get("/admin/sokningar-utan-traffar").get_data(as_text=True)
    row = re.search(r"kvantdatorstrategi</a></td><td[^>]*>[^<]*</td><td>(\d+)</td>", page)
    assert row is not None and row.group(1) == "2"


def test_sources_are_edited_by_admins_and_their_harvest_reports_shown(admin_app: Flask) -> None:
    from click.testing import CliRunner

    from kbcli.main import cli

    settings: Settings = admin_app.config["KB_SETTINGS"]
    page_html = (
        "<html lang='sv'><head><title>Bredband i Uddevalla</title></head><body><main>"
        f"<h1>Bredband i Uddevalla</h1><p>{BODY}</p></main></body></html>"
    ).encode()
    admin = admin_app.test_client()
    token = log_in(admin, "anna", ADMIN_PW)
    with http_server(
        {"/bredband": (200, {"Content-Type": "text/html; charset=utf-8"}, page_html)}
    ) as server:
        bad = admin.post(
            "/admin/kallor",
            data={"csrf_token": token, "name": "Fel Namn!", "kind": "urls",
                  "urls": server.url("/bredband")},
        )  # fmt: skip
        assert bad.status_code == 400 and "källnamn" in alert(bad.get_data(as_text=True))
        added = admin.post(
            "/admin/kallor",
            data={"csrf_token": token, "name": "uddevalla-bredband", "kind": "urls",
                  "urls": f"{server.url('/bredband')}\n{server.url('/borta')}",
                  "schedule": "daily", "depth": "2", "max_pages": "50",
                  "focus_areas": "digital-infrastruktur", "municipalities": "Uddevalla"},
        )  # fmt: skip
        assert added.status_code == 302
        run = CliRunner().invoke(
            cli, ["harvest", "--all", "--delay", "0", "--data-dir", str(settings.data_dir)]
        )
        assert "uddevalla-bredband" in run.output
    listing = admin.get("/admin/kallor").get_data(as_text=True)
    assert "uddevalla-bredband" in listing and "2 adresser" in listing
    assert "1 tillagda" in listing and "1 misslyckade" in listing
    reports = admin.get("/admin/kallor/uddevalla-bredband").get_data(as_text=True)
    assert server.url("/borta") in reports and "HTTP 404" in reports
    assert reports.index("misslyckade</td>") < reports.index("tillagda</td>")  # failures first
    editor = admin_app.test_client()
    editor_token = log_in(editor, "bo", EDITOR_PW)
    assert editor.get("/admin/kallor").status_code == 200
    assert "Ny källa" not in editor.get("/admin/kallor").get_data(as_text=True)
    denied = editor.post(
        "/admin/kallor/uddevalla-bredband/ta-bort", data={"csrf_token": editor_token}
    )
    assert denied.status_code == 403
    admin.post("/admin/kallor/uddevalla-bredband/ta-bort", data={"csrf_token": token})
    assert "Inga källor är registrerade" in admin.get("/admin/kallor").get_data(as_text=True)
    actions = [e.action for e in AuditLog.in_data_dir(settings.data_dir).newest()]
    assert "source.add" in actions and "source.remove" in actions


def test_corrections_keep_history_and_a_bad_value_is_refused(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    doc_id = _publish_text(client, token, "plan.txt", BODY)
    page = client.get(f"/admin/dokument/{doc_id}").get_data(as_text=True)
    title = re.search(r'id="c-title" name="title" type="text" value="([^"]*)"', page)
    assert title is not None
    form = {
        "csrf_token": token, "correct": "1", "title": title.group(1), "doc_type": "",
        "municipalities": "",
    }  # fmt: skip
    bad = client.post(
        f"/admin/dokument/{doc_id}/ratta", data={**form, "municipalities": "Atlantis"}
    )
    assert bad.status_code == 400 and "Atlantis" in alert(bad.get_data(as_text=True))
    good = client.post(
        f"/admin/dokument/{doc_id}/ratta",
        data={**form, "municipalities": "Uddevalla", "title": "Plan för e-arkiv"},
    )
    assert good.status_code == 302
    kb = admin_app.extensions[EXTENSION_KEY]
    doc = kb.document(doc_id)
    assert doc.title == "Plan för e-arkiv" and doc.values("municipalities") == ("1485",)
    history = client.get(f"/admin/dokument/{doc_id}").get_data(as_text=True)
    assert history.count("Rättad") >= 2 and ">bo<" in history
    assert client.get("/api/v1/search?q=e-arkiv&municipality=1485").get_json()["total"] == 1


class _FormReader(HTMLParser):
    """The values a browser would send for the form with id ``form_id``."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, ""
        self.values: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif self.inside and tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.values.append((a["name"], a.get("value", "")))
        elif self.inside and tag == "select":
            self.select = a.get("name", "")
        elif self.inside and tag == "option" and "selected" in a:
            self.values.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def test_tags_corrected_in_the_preview_are_published_as_corrections(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    staged = client.post(
        "/admin/dokument/ny",
        data={"csrf_token": token, "file": (io.BytesIO(BODY.encode()), "bygglov.txt")},
        content_type="multipart/form-data",
    )
    preview = client.get(staged.headers["Location"]).get_data(as_text=True)
    reader = _FormReader("publish-form")
    reader.feed(preview)
    sent = [(k, v) for k, v in reader.values if k != "focus_areas"]
    assert ("correct", "1") in sent and any(k == "title" for k, _ in sent)
    bad = client.post(
        staged.headers["Location"] + "/publicera",
        data=MultiDict(
            [*[(k, v) for k, v in sent if k != "municipalities"], ("municipalities", "Atlantis")]
        ),
    )
    assert bad.status_code == 400 and "Atlantis" in alert(bad.get_data(as_text=True))
    assert client.get("/api/v1/search?q=bygglov").get_json()["total"] == 0  # nothing published
    good = client.post(
        staged.headers["Location"] + "/publicera",
        data=MultiDict([*sent, ("focus_areas", "digital-innovation")]),
    )
    assert good.status_code == 302
    doc_id = good.headers["Location"].rsplit("/", 1)[-1]
    kb = admin_app.extensions[EXTENSION_KEY]
    doc = kb.document(doc_id)
    assert doc.values("focus_areas") == ("digital-innovation",)
    assert doc.focus_areas[0].source == "given"
    assert set(kb.curator.get(doc_id).corrections) == {"focus_areas"}  # only what was changed
    assert kb.curator.automatic(doc_id).values("focus_areas") != ("digital-innovation",)
    hits = client.get("/api/v1/search?q=bygglov&focus_area=digital-innovation").get_json()
    assert hits["total"] == 1
