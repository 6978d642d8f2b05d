"""The web admin in real Chromium: log in, upload a real PDF, preview, publish, find it, correct a
tag, remove it, log out; CSRF, roles and ended sessions; axe on every admin page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ingest.stage import Stager
from kb.config import Settings
from kb.service import KnowledgeBase
from tests.ingest_support import make_pdf
from tests.web_corpus import BROWSER_MARKS, LiveServer, axe_clean, browser_page
from web import create_app
from web.admin.accounts import AccountStore
from web.context import EXTENSION_KEY

pytestmark = BROWSER_MARKS

ADMIN_PW = "admin-lösen-123"
EDITOR_PW = "redaktör-lösen-1"
TITLE = "Handlingsplan för digital arkivering i Lysekil"
BODY = (
    "Lysekils kommun inför ett e-arkiv för alla allmänna handlingar. Planen beskriver "
    "hur arkivredovisningen flyttas till en gemensam e-arkivtjänst och hur "
    "informationssäkerheten och dataskyddet följs upp. Kvarnstensordningen gäller. "
) * 5


@pytest.fixture(scope="module")
def admin_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, Settings, KnowledgeBase]]:
    settings = Settings(
        data_dir=Path(tmp_path_factory.mktemp("admin")) / "data",
        ingest_demo_on_start=False,
        rate_limit_pages="",
        rate_limit_api="",
        query_time_budget=0,
        writer_timeout=5.0,
    )
    accounts = AccountStore.in_data_dir(settings.data_dir)
    accounts.add("anna", "admin", ADMIN_PW)
    app = create_app(settings, {"ADMIN_STAGER": Stager(settings, ocr_command="")})
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]
    with LiveServer(app) as live:
        yield live, settings, kb
    kb.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser) as page:
        yield page


def log_in(page: Page, base: str, name: str, password: str) -> None:
    page.goto(base + "/admin/")
    expect(page).to_have_url(base + "/admin/login?next=/admin/")
    page.get_by_label("Kontonamn").fill(name)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text(f"Inloggad som {name}")).to_be_visible()


def public_hits(page: Page, base: str, word: str) -> int:
    answer = page.request.get(f"{base}/api/v1/search?q={word}")
    total: int = answer.json()["total"]
    return total


def test_upload_preview_publish_correct_remove_logout(
    admin_server: tuple[LiveServer, Settings, KnowledgeBase], page: Page, tmp_path: Path
) -> None:
    live, _settings, kb = admin_server
    base = live.url
    page.goto(base + "/admin/login")
    axe_clean(page)
    log_in(page, base, "anna", ADMIN_PW)
    axe_clean(page)  # the documents list

    pdf = tmp_path / "handlingsplan.pdf"
    pdf.write_bytes(make_pdf([BODY, BODY], title=TITLE))
    page.get_by_role("link", name="Lägg till dokument").click()
    axe_clean(page)
    page.get_by_label("Fil", exact=True).set_input_files(str(pdf))
    page.get_by_role("button", name="Läs in och förhandsgranska").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("pre.extracted")).to_contain_text("Kvarnstensordningen")
    axe_clean(page)
    assert public_hits(page, base, "kvarnstensordningen") == 0  # staged, not published
    page.get_by_role("button", name="Publicera").first.click()
    expect(page.get_by_role("status")).to_contain_text("är publicerat")
    assert public_hits(page, base, "kvarnstensordningen") == 1
    page.goto(base + "/search?q=kvarnstensordningen")
    expect(page.locator(".hit-title").first).to_contain_text(TITLE)

    page.goto(base + "/admin/")
    page.get_by_role("link", name=TITLE).click()
    axe_clean(page)
    doc_url = page.url
    box = page.get_by_role("checkbox", name="Digital innovation")
    assert not box.is_checked()
    box.check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Rättelserna är sparade")
    expect(page.locator("h3 .badge")).to_have_text("Rättad")
    axe_clean(page)
    # Officers see the corrected tag on the public page, marked as given by a person.
    doc_id = doc_url.rsplit("/", 1)[-1]
    assert "digital-innovation" in kb.document(doc_id).values("focus_areas")
    page.goto(f"{base}/documents/{doc_id}")
    expect(page.locator(".tags")).to_contain_text("Digital innovation")
    page.goto(doc_url)
    page.get_by_role("button", name="Ångra rättelsen av Fokusområden").click()
    expect(page.get_by_role("status")).to_contain_text("Rättelsen är ångrad")
    assert "digital-innovation" not in kb.document(doc_id).values("focus_areas")

    page.goto(doc_url)
    page.get_by_role("button", name="Ta bort ur sökningen").click()
    expect(page.get_by_role("status")).to_contain_text("är borttaget ur sökningen")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    axe_clean(page)
    assert public_hits(page, base, "kvarnstensordningen") == 0

    page.goto(base + "/admin/rapporter")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    axe_clean(page)
    for path in ("/admin/konton", "/admin/logg", "/admin/installningar", "/admin/losenord",
                 "/admin/sokningar-utan-traffar", "/admin/kallor"):  # fmt: skip
        page.goto(base + path)
        axe_clean(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(base + "/admin/logg")
    expect(page.get_by_text("document.publish")).to_be_visible()
    expect(page.get_by_text("document.remove")).to_be_visible()

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_text("Du är utloggad")).to_be_visible()
    page.goto(base + "/admin/")
    expect(page.get_by_role("heading", name="Logga in i administrationen")).to_be_visible()


def test_a_post_without_csrf_token_is_rejected(
    admin_server: tuple[LiveServer, Settings, KnowledgeBase], page: Page
) -> None:
    live, settings, _kb = admin_server
    log_in(page, live.url, "anna", ADMIN_PW)
    # The browser's own cookies, but no token: what a forged form on another site would send.
    answer = page.request.post(
        live.url + "/admin/konton",
        form={"name": "mallory", "role": "admin", "password": "x" * 12, "again": "x" * 12},
    )
    assert answer.status == 400
    assert AccountStore.in_data_dir(settings.data_dir).get("mallory") is None


def test_redaktor_is_denied_admin_pages_and_a_removed_account_is_logged_out(
    admin_server: tuple[LiveServer, Settings, KnowledgeBase], page: Page
) -> None:
    live, settings, _kb = admin_server
    accounts = AccountStore.in_data_dir(settings.data_dir)
    accounts.add("bo", "redaktor", EDITOR_PW)
    log_in(page, live.url, "bo", EDITOR_PW)
    expect(page.get_by_role("link", name="Konton")).to_have_count(0)
    answer = page.goto(live.url + "/admin/konton")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", name="Åtkomst nekad")).to_be_visible()
    axe_clean(page)
    page.goto(live.url + "/admin/dokument/ny")
    expect(page.get_by_role("heading", name="Lägg till dokument")).to_be_visible()

    accounts.remove("bo")
    page.goto(live.url + "/admin/dokument/ny")
    expect(page.get_by_role("heading", name="Logga in i administrationen")).to_be_visible()


def test_sources_and_harvest_reports_pass_axe(
    admin_server: tuple[LiveServer, Settings, KnowledgeBase], page: Page
) -> None:
    from kb.sources.registry import SourceRegistry, checked_source
    from kb.sources.reports import HarvestFiles, HarvestReport, ReportItem

    live, settings, kb = admin_server
    entry = checked_source(
        "lysekil-arkiv", "sitemap", "https://www.lysekil.se/sitemap.xml",
        defaults={"focus_areas": ["digital-infrastruktur"]}, taxonomy=kb.taxonomy, by="anna",
    )  # fmt: skip
    SourceRegistry(settings.sources_path).add(entry)
    HarvestFiles(settings.harvest_dir).save_report(
        HarvestReport(
            "lysekil-arkiv",
            "2026-12-01T03:00:00+00:00",
            "2026-12-01T03:01:00+00:00",
            items=(
                ReportItem("https://www.lysekil.se/a", "added", doc_id="0123456789abcdef"),
                ReportItem("https://www.lysekil.se/b", "failed", "HTTP 404", "gone"),
                ReportItem("https://www.lysekil.se/c", "withdrawn", "borta sedan 2026-11-30"),
            ),
        )
    )
    log_in(page, live.url, "anna", ADMIN_PW)
    page.goto(live.url + "/admin/kallor")
    expect(page.get_by_role("link", name="lysekil-arkiv")).to_be_visible()
    axe_clean(page)
    page.get_by_role("link", name="lysekil-arkiv").click()
    expect(page.get_by_role("cell", name="HTTP 404 gone")).to_be_visible()
    axe_clean(page)


def test_at_375_px_a_wide_table_scrolls_in_its_own_box_not_the_page(
    admin_server: tuple[LiveServer, Settings, KnowledgeBase], browser: Any
) -> None:
    live = admin_server[0]
    with browser_page(browser, width=375, height=800) as page:
        log_in(page, live.url, "anna", ADMIN_PW)
        for path in ("/admin/kallor", "/admin/logg", "/admin/konton", "/admin/installningar"):
            page.goto(live.url + path)
            expect(page.locator("h1")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        # The settings table is wider than the phone: its box scrolls, from the keyboard too.
        region = page.get_by_role("region", name="Inställningar")
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")
        region.focus()
        page.keyboard.press("ArrowRight")
        expect(region).to_have_js_property("scrollLeft", 40)
        axe_clean(page)
