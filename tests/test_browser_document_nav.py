"""From a document page back to the results it was opened from, and a new search, in Chromium:
with JavaScript (filters ticked in place), without it, and by keyboard alone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.web_corpus import (
    BORAS,
    BROWSER_MARKS,
    UDDEVALLA,
    LiveServer,
    WebCorpus,
    browser_page,
)

pytestmark = BROWSER_MARKS

START = f"/search?q=e-arkiv&municipality={UDDEVALLA}&municipality={BORAS}&sort=newest"
FILTERED = rf"/search\?q=e-arkiv&municipality={UDDEVALLA}&municipality={BORAS}&sort=newest$"


def _n_both(kb: KnowledgeBase) -> int:
    """How many hits "e-arkiv" has in Uddevalla or Borås: the results the back link returns to."""
    return kb.search(SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA, BORAS)})).total


def _back_to_the_filtered_results(page: Page, n_both: int) -> None:
    """Follow a document page's back link to the filtered results and check they are whole."""
    back = page.get_by_role("link", name="Tillbaka till träffarna för ”e-arkiv”")
    expect(back).to_be_visible()
    back.click()
    page.wait_for_url(re.compile(FILTERED))
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{n_both} träffar"))
    expect(page.locator(f"#f-municipality-{BORAS}")).to_be_checked()


def _open_first_hit_and_go_back_by_the_link(page: Page, n_both: int) -> None:
    first = page.locator("#results .hit-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}$"))
    expect(page.locator("h1")).to_have_text(title)
    _back_to_the_filtered_results(page, n_both)
    expect(page.locator("#sort")).to_have_value("newest")


@pytest.mark.parametrize("javascript", [True, False])
def test_document_page_links_back_to_the_results_with_their_filters(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any, javascript: bool
) -> None:
    live, kb = live_site
    n_both = _n_both(kb)
    with browser_page(browser, java_script_enabled=javascript) as page:
        page.goto(live.url + "/search?q=e-arkiv")
        page.locator(f"#f-municipality-{UDDEVALLA}").check()
        page.locator(f"#f-municipality-{BORAS}").check()
        page.locator("#sort").select_option("newest")
        if not javascript:
            page.get_by_role("button", name="Visa resultat").click()
        page.wait_for_url(re.compile(r"sort=newest"))
        assert f"municipality={UDDEVALLA}&municipality={BORAS}" in page.url
        _open_first_hit_and_go_back_by_the_link(page, n_both)


def test_document_page_search_box_by_keyboard(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any, corpus: WebCorpus
) -> None:
    live, kb = live_site
    with browser_page(browser) as page:
        # Typed in or bookmarked: no results to go back to, still a labelled search box.
        page.goto(live.url + f"/documents/{corpus.kompetens.id}")
        expect(page.get_by_role("link", name=re.compile("Tillbaka till träffarna"))).to_have_count(
            0
        )
        box = page.get_by_label("Sök i kunskapsbanken")
        expect(box).to_be_visible()
        focused = ""
        for _ in range(12):  # skip link, header links, then the search box
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.id")
            if focused == "q":
                break
        assert focused == "q"
        page.keyboard.type("kompetens")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/search\?q=kompetens$"))
        total = kb.search(SearchRequest(q="kompetens")).total
        expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{total} träff"))


@pytest.mark.parametrize("javascript", [True, False])
def test_the_back_link_survives_a_step_to_a_similar_document(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any, javascript: bool
) -> None:
    # Results → document → similar document: the second page lost "Tillbaka till träffarna"
    # (its Referer is the first document page, which names no search).
    live, kb = live_site
    n_both = _n_both(kb)
    with browser_page(browser, java_script_enabled=javascript) as page:
        page.goto(live.url + START)
        page.locator("#results .hit-title a").first.click()
        page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}$"))
        first = page.locator("h1").inner_text()
        onward = page.locator("ol.related .hit-title a").first
        title = onward.inner_text()
        assert title != first
        onward.click()
        page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}\?back="))
        expect(page.locator("h1")).to_have_text(title)
        page.reload()  # a reload keeps the Referer, and so the link
        _back_to_the_filtered_results(page, n_both)


def test_the_back_link_survives_switching_the_language_and_back(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    # Results → document → "In English": the English page's Referer is the Swedish document
    # page, which names no search, so "Back to the results" was gone.
    live, _kb = live_site
    with browser_page(browser) as page:
        page.goto(live.url + START)
        page.locator("#results .hit-title a").first.click()
        page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}$"))
        page.get_by_role("link", name="In English").click()
        page.wait_for_url(re.compile(r"lang=en"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        back = page.get_by_role("link", name="Back to the results for “e-arkiv”")
        expect(back).to_be_visible()
        page.get_by_role("link", name="På svenska").click()
        page.wait_for_url(re.compile(r"lang=sv"))
        back = page.get_by_role("link", name="Tillbaka till träffarna för ”e-arkiv”")
        back.click()
        page.wait_for_url(re.compile(FILTERED))
        expect(page.locator(f"#f-municipality-{BORAS}")).to_be_checked()
