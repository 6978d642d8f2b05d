"""The comparison page and the downloads in real Chromium, at phone and desktop widths: choosing a
region, following a count to the search with that many hits, downloading the CSV, and axe."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from kb.service import KnowledgeBase
from tests.web_corpus import BROWSER_MARKS, LiveServer, axe_clean, browser_page

pytestmark = BROWSER_MARKS

WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def server(live_site: tuple[LiveServer, KnowledgeBase]) -> LiveServer:
    return live_site[0]  # conftest's, served once per module


def shown_total(page: Page) -> int:
    text = page.locator("#result-count").inner_text()
    found = re.match(r"(\d+) träff|1 träff|Inga", text)
    assert found, text
    return int(found.group(1)) if found.group(1) else (1 if text.startswith("1 ") else 0)


@pytest.mark.parametrize("width", WIDTHS)
def test_choose_a_region_and_follow_a_count(browser: Any, server: LiveServer, width: int) -> None:
    with browser_page(browser, width, accept_downloads=True) as page:
        page.goto(server.url + "/jamfor")
        axe_clean(page)
        page.get_by_label("Region eller e-råd").select_option("fyrbodal")
        page.get_by_role("button", name="Visa jämförelsen").click()
        page.wait_for_url(re.compile(r"region=fyrbodal"))
        table = page.locator("#compare-table")
        assert table.is_visible()
        # The page itself never scrolls sideways; only the table's own labelled region does.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("td.empty").first.inner_text() == "inga dokument"
        assert (
            page.locator(".compare-chart svg.chart-bar").count()
            == table.locator("tbody tr").count()
        )
        axe_clean(page)
        links = table.locator("tbody td.count:not(.total) a")
        count = links.count()
        assert count >= 3
        for i in range(count):
            link = links.nth(i)
            expected = int(link.inner_text().split()[0])
            href = link.get_attribute("href")
            link.scroll_into_view_if_needed()
            link.click()
            page.wait_for_url(re.compile(r"/search\?"))
            assert shown_total(page) == expected, href
            page.go_back()
            page.wait_for_url(re.compile(r"/jamfor"))


@pytest.mark.parametrize("width", WIDTHS)
def test_downloads_open_as_csv(browser: Any, server: LiveServer, width: int) -> None:
    with browser_page(browser, width, accept_downloads=True) as page:
        page.goto(server.url + "/search?q=e-arkiv")
        total = shown_total(page)
        # Excel with Swedish settings splits on semicolons: offered first; the comma file too.
        for name, delimiter in (("Excel (CSV med semikolon)", ";"), ("CSV (komma)", ",")):
            with page.expect_download() as info:
                page.get_by_role("link", name=name, exact=True).click()
            body = Path(info.value.path()).read_bytes()
            assert body.startswith(b"\xef\xbb\xbf")
            text = body.decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
            assert len(rows) == total
            assert all(r["Dokumentsida"].startswith(server.url + "/documents/") for r in rows)
        page.locator(".export-links a", has_text="Jämför").click()
        page.get_by_label("Region eller e-råd").select_option("sjuharad")
        page.get_by_role("button", name="Visa jämförelsen").click()
        page.wait_for_url(re.compile(r"region=sjuharad"))
        assert "q=e-arkiv" in page.url
        with page.expect_download() as info:
            page.locator(".downloads a", has_text="Excel").click()
        text = Path(info.value.path()).read_text("utf-8-sig")
        table = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert table[0][0] == "Kommun" and table[-1][0] == "Alla valda kommuner"
        shown = page.locator("#compare-table tfoot td.total").inner_text()
        assert int(table[-1][-1]) == int(shown)


def test_english_comparison_is_axe_clean(browser: Any, server: LiveServer) -> None:
    with browser_page(browser, 1280, accept_downloads=True) as page:
        page.goto(server.url + "/jamfor?region=sjuharad&region=fyrbodal&lang=en")
        assert page.locator("caption").inner_text().startswith("Documents per focus area")
        axe_clean(page)
