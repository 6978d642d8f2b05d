"""Documents in the web admin: bad uploads (too big, wrong type, corrupt, encrypted, empty)
that leave nothing behind, staging from a file or a URL, publishing, removing, restoring
and purging, and corrections with their history, from the document page and the preview."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from kb.config import Settings
from kb.reports import ReportLog
from tests.conftest import ADMIN_BODY, ADMIN_PW, EDITOR_PW, alert, log_in
from tests.ingest_support import FONT, http_server, make_pdf
from web.admin.audit import AuditLog
from web.context import EXTENSION_KEY


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
    pdf.multi_cell(0, 6, ADMIN_BODY)
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
    pdf = make_pdf([ADMIN_BODY], title="Handlingsplan för e-arkiv i Uddevalla")
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
    gone = client.get(answer.headers["Location"])  # the form again, with a message
    assert gone.status_code == 302 and gone.headers["Location"] == "/admin/dokument/ny"
    assert client.get("/api/v1/search?q=bygglov").get_json()["total"] == 0


def test_a_url_is_staged_from_a_real_server_and_published(admin_app: Flask) -> None:
    html = (
        "<html lang='sv'><head><title>E-tjänst för bygglov</title></head><body><main>"
        f"<h1>E-tjänst för bygglov</h1><p>{ADMIN_BODY}</p></main></body></html>"
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
    doc_id = _publish_text(editor, token, "e-arkiv.txt", ADMIN_BODY)
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


def test_corrections_keep_history_and_a_bad_value_is_refused(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    doc_id = _publish_text(client, token, "plan.txt", ADMIN_BODY)
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
    # The history in words: names, not SCB codes; Swedish actions; a readable time.
    more = {**form, "title": "Plan för e-arkiv", "municipalities": "Uddevalla, Lysekil"}
    client.post(f"/admin/dokument/{doc_id}/ratta", data=more)
    client.post(f"/admin/dokument/{doc_id}/ratta/municipalities/angra", data=form)
    history = client.get(f"/admin/dokument/{doc_id}").get_data(as_text=True)
    rows = re.findall(r"<tr><td>([^<]*)</td><td>bo</td><td>([^<]*)</td><td>([^<]*)</td>", history)
    assert rows[:2] == [
        (rows[0][0], "Rättning ångrad: Kommuner", "Uddevalla, Lysekil → Uddevalla"),
        (rows[1][0], "Rättning: Kommuner", "Uddevalla → Uddevalla, Lysekil"),
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", rows[0][0])
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


def _stage_upload(client: FlaskClient, token: str) -> TestResponse:
    """Upload the admin test text for review; the answer redirects to its preview."""
    return client.post(
        "/admin/dokument/ny",
        data={"csrf_token": token, "file": (io.BytesIO(ADMIN_BODY.encode()), "bygglov.txt")},
        content_type="multipart/form-data",
    )


def test_tags_corrected_in_the_preview_are_published_as_corrections(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    staged = _stage_upload(client, token)
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
    # Why the tag is set: the correction, not "words in the text: rättad av redaktör …".
    tags = client.get(f"/admin/dokument/{doc_id}").get_data(as_text=True)
    reason = re.search(r'tag-name">Digital innovation</span>: ([^<]*)<', tags)
    assert reason and reason.group(1).strip().startswith("Rättad av redaktör 20")
    assert 'Ord i texten: <span lang="sv">rättad av' not in tags


def test_lists_and_messages_name_a_document_by_its_corrected_title(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    staged = _stage_upload(client, token)
    reader = _FormReader("publish-form")
    reader.feed(client.get(staged.headers["Location"]).get_data(as_text=True))
    sent = [(k, v if k != "title" else "Arkivplan för bygglov") for k, v in reader.values]
    published = client.post(
        staged.headers["Location"] + "/publicera", data=MultiDict(sent), follow_redirects=True
    )
    assert "”Arkivplan för bygglov” är publicerat" in published.get_data(as_text=True)
    doc_id = published.request.path.rsplit("/", 1)[-1]
    listed = client.get("/admin/?q=arkivplan").get_data(as_text=True)
    assert f'/admin/dokument/{doc_id}">Arkivplan för bygglov</a>' in listed
    removed = client.post(
        f"/admin/dokument/{doc_id}/ta-bort", data={"csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    assert "”Arkivplan för bygglov” är borttaget" in removed
    assert '<h2 class="h3">Arkivplan för bygglov</h2>' in removed


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="text" value="([^"]*)"', page)
    assert match, name
    return match.group(1)


def test_a_refused_correction_keeps_what_was_typed_and_says_so_at_the_top(
    admin_app: Flask,
) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    staged = _stage_upload(client, token)
    typed = MultiDict(
        [
            ("csrf_token", token), ("correct", "1"), ("title", "Arkivplan 2026"),
            ("date", "2026-13-45"), ("publisher", ""), ("doc_type", "strategy"),
            ("focus_areas", "digital-innovation"), ("municipalities", "Uddevalla, Atlantis"),
        ]
    )  # fmt: skip
    for url, lead in (
        (staged.headers["Location"] + "/publicera", "Inget publicerades:"),
        (f"/admin/dokument/{_publish_text(client, token, 'plan.txt', ADMIN_BODY)}/ratta", ""),
    ):
        refused = client.post(url, data=typed)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400
        assert alert(page).startswith(lead or "Inget sparades:")
        assert page.index('role="alert"') < page.index('id="correct-heading"')
        assert _field(page, "title") == "Arkivplan 2026" and _field(page, "date") == "2026-13-45"
        assert _field(page, "municipalities") == "Uddevalla, Atlantis"
        assert re.search(r'value="digital-innovation" checked', page)
        assert re.findall(r'name="focus_areas" value="[^"]+" checked', page) == [
            'name="focus_areas" value="digital-innovation" checked'
        ]
        assert '<option value="strategy" selected>' in page


def test_a_preview_published_or_cancelled_before_leads_on_not_to_a_public_404(
    admin_app: Flask,
) -> None:
    client = admin_app.test_client()
    token = log_in(client, "bo", EDITOR_PW)
    preview = _stage_upload(client, token).headers["Location"]
    first = client.post(preview + "/publicera", data={"csrf_token": token})
    doc_page = first.headers["Location"]
    for again in (  # a double click on "Publicera", the back button
        client.post(preview + "/publicera", data={"csrf_token": token}),
        client.get(preview),
    ):
        assert again.status_code == 302 and again.headers["Location"] == doc_page
    shown = client.get(doc_page).get_data(as_text=True)
    assert "Dokumentet är redan publicerat." in shown
    cancelled = _stage_upload(client, token).headers["Location"]
    client.post(cancelled + "/avbryt", data={"csrf_token": token})
    for gone in (cancelled, "/admin/dokument/granska/" + "0" * 32):
        answer = client.post(gone + "/publicera", data={"csrf_token": token})
        assert answer.status_code == 302 and answer.headers["Location"] == "/admin/dokument/ny"
        page = client.get("/admin/dokument/ny").get_data(as_text=True)
        assert "Förhandsgranskningen finns inte längre" in page and "Inget publicerades" in page
    kb = admin_app.extensions[EXTENSION_KEY]
    assert len(kb.store) == 1
