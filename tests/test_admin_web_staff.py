"""The web admin's staff pages besides documents: accounts an admin manages in the forms,
ingest reports from the CLI, searches without results, and sources that admins edit, with
their harvest reports."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from kb.config import Settings
from tests.conftest import ADMIN_BODY, ADMIN_PW, EDITOR_PW, alert, log_in
from tests.ingest_support import http_server
from web.admin.audit import AuditLog


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
    good.write_text(ADMIN_BODY, encoding="utf-8")
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
        f"<h1>Bredband i Uddevalla</h1><p>{ADMIN_BODY}</p></main></body></html>"
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


def test_a_refused_source_or_account_form_keeps_every_choice(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = log_in(client, "anna", ADMIN_PW)
    source = client.post(
        "/admin/kallor",
        data={"csrf_token": token, "name": "lysekil", "kind": "site", "location": "ftp://nej",
              "schedule": "weekly", "depth": "2", "max_pages": "50",
              "focus_areas": ["digital-trygghet", "digital-innovation"], "doc_type": "plan",
              "municipalities": "Lysekil", "publisher": ""},
    )  # fmt: skip
    page = source.get_data(as_text=True)
    assert source.status_code == 400 and "ftp://nej" in alert(page)
    ticked = re.findall(r'name="focus_areas" value="([^"]+)" checked', page)
    assert sorted(ticked) == ["digital-innovation", "digital-trygghet"]
    assert '<option value="plan" selected>' in page and '<option value="weekly" selected>' in page
    account = client.post(
        "/admin/konton",
        data={"csrf_token": token, "name": "cecilia", "role": "admin",
              "password": "cecilias-lösen", "again": "cecilias-lösen2"},
    )  # fmt: skip
    page = account.get_data(as_text=True)
    assert account.status_code == 400 and 'value="cecilia"' in page
    new_role = re.search(r'id="new-role" name="role">(.*?)</select>', page)
    assert new_role and '<option value="admin" selected>' in new_role.group(1)
