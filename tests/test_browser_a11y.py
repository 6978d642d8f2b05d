"""WCAG 2.1 AA checks with axe-core in real Chromium, plus what axe cannot see: skip link, focus.

axe finds only part of all problems (a clean run means "no detectable violations"); the keyboard
walk lives in test_browser_search.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from kb.service import KnowledgeBase
from tests.web_corpus import (
    BORAS,
    BROWSER_MARKS,
    UDDEVALLA,
    WCAG_TAGS,
    LiveServer,
    WebCorpus,
    axe_clean,
    browser_page,
    contrast,
)

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(live_site: tuple[LiveServer, KnowledgeBase]) -> LiveServer:
    return live_site[0]  # conftest's, served once per module


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser) as page:
        yield page


def pages(corpus: WebCorpus) -> dict[str, tuple[str, int]]:
    return {
        "start": ("/", 200),
        "results with two facets": (
            f"/search?q=e-arkiv&municipality={UDDEVALLA}&municipality={BORAS}"
            "&focus_area=digital-infrastruktur",
            200,
        ),
        "document": (f"/documents/{corpus.pdf.id}", 200),
        "english document": (f"/documents/{corpus.english.id}", 200),
        "zero results": (f"/search?q=e-arkiv&municipality={UDDEVALLA}&doc_type=report", 200),
        "zero results, nothing to filter": ("/search?q=bygglvo", 200),
        "error": ("/search?year_from=abc", 400),
        "not found": ("/documents/0000000000000000", 404),
        "accessibility statement": ("/tillganglighet", 200),
        "results in English": ("/search?q=e-arkiv&lang=en&page=2", 200),
        "embed": ("/embed?q=e-arkiv&focus_area=digital-infrastruktur", 200),
        "API docs": ("/api/v1/docs", 200),
        "API docs in English": ("/api/v1/docs?lang=en", 200),
    }


@pytest.mark.parametrize(
    "name",
    [
        "start",
        "results with two facets",
        "document",
        "english document",
        "zero results",
        "zero results, nothing to filter",
        "error",
        "not found",
        "accessibility statement",
        "results in English",
        "embed",
        "API docs",
        "API docs in English",
    ],
)
def test_axe_finds_no_wcag21_aa_violations(
    server: LiveServer, corpus: WebCorpus, page: Page, name: str
) -> None:
    path, status = pages(corpus)[name]
    response = page.goto(server.url + path)
    assert response is not None and response.status == status
    axe_clean(page)


def test_axe_checks_the_expanded_facet_values_too(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "/search")
    for summary in page.locator("details.facet-more > summary").all():
        summary.click()
    axe_clean(page)


def test_skip_link_moves_focus_to_the_main_content(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "/search?q=e-arkiv")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # shown on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"


def test_mark_and_focus_ring_contrast(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "/search?q=e-arkiv")
    colours = page.evaluate(
        """() => { const m = getComputedStyle(document.querySelector('.snippet mark'));
           return [m.color, m.backgroundColor]; }"""
    )
    assert contrast(*colours) >= 4.5
    page.locator("#q").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert contrast(outline, "rgb(255, 255, 255)") >= 3.0


def test_axe_setup_does_report_violations(page: Page) -> None:
    # Control: the same axe call must flag an unlabelled field and a page without lang/title,
    # otherwise the clean runs above would prove nothing.
    page.set_content("<html><body><main><input type='text'></main></body></html>")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    rules = {v["id"] for v in results.response["violations"]}
    assert {"label", "html-has-lang", "document-title"} <= rules
