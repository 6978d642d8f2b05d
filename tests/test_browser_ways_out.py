"""The ways a results page offers to a better search, followed in Chromium: each promises only
hits, and the number it promises is the number the page it opens shows.

"Filtrera på Uddevalla kommun? (4 träffar)" for a place named in the query (web/place_filters.py);
"Sök utan citattecken" for a quoted question that found nothing (web/zero_hits.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.web_corpus import BROWSER_MARKS, UDDEVALLA, LiveServer, axe_clean, browser_page

pytestmark = BROWSER_MARKS


@pytest.fixture
def page(browser: Any) -> Any:
    with browser_page(browser) as page:
        yield page


def test_a_place_offer_says_its_count_and_leads_to_that_many_hits(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    live, kb = live_site
    total = kb.search(SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA,)})).total
    page.goto(live.url + "/search?q=e-arkiv+uddevalla")
    offer = page.locator(".place-filter a")
    expect(offer).to_have_text(f"Filtrera på Uddevalla kommun? ({total} träffar)")
    offer.click()
    page.wait_for_url(re.compile(rf"/search\?q=e-arkiv&municipality={UDDEVALLA}$"))
    expect(page.locator("#result-count")).to_have_text(f"{total} träffar för ”e-arkiv”")


def test_a_place_whose_filter_finds_nothing_is_not_offered(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    # Documents mention Uddevalla and one says bygglov (in Trollhättan): the page has hits, but
    # the filter on Uddevalla would have emptied it ("bygglov göteborg" on the real documents).
    live, kb = live_site
    assert not kb.search(SearchRequest(q="bygglov", filters={"municipality": (UDDEVALLA,)})).total
    page.goto(live.url + "/search?q=bygglov+uddevalla")
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".place-filter")).to_have_count(0)


def test_a_quoted_question_without_hits_offers_its_words_unquoted(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    # The documents say "kommun arbetar med e-arkiv", never "e-arkiv kommun" in that order. One
    # phrase has no other clause to search alone: the page offered nothing but tips.
    live, kb = live_site
    plain = "e-arkiv kommun -uddevalla"
    total = kb.search(SearchRequest(q=plain)).total
    assert total and not kb.search(SearchRequest(q='"e-arkiv kommun" -uddevalla')).total
    page.goto(live.url + "/search?q=%22e-arkiv+kommun%22+-uddevalla")
    expect(page.locator("#result-count")).to_have_text(re.compile("^Inga träffar"))
    expect(page.get_by_role("heading", name="Sök utan citattecken")).to_be_visible()
    page.get_by_role("link", name=f"{plain}: {total} träffar").click()
    page.wait_for_url(re.compile(r"/search\?q=e-arkiv\+kommun\+-uddevalla$"))
    expect(page.locator("#result-count")).to_have_text(f"{total} träffar för ”{plain}”")
    expect(page.locator("#q")).to_have_value(plain)
    page.goto(live.url + "/search?q=%22e-arkiv+kommun%22&lang=en")
    expect(page.get_by_role("heading", name="Search without the quotes")).to_be_visible()


def test_the_chosen_year_looks_chosen_and_says_its_link_removes_it(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    # The year links told the chosen year apart by aria-current only: on screen it was one more
    # underlined year, and a click on it (to be sure) removed the filter.
    live, kb = live_site
    page.goto(live.url + "/search?q=e-arkiv&year_from=2022&year_to=2022")
    years = page.locator("#facet-year")
    chosen = years.get_by_role("link", name=re.compile(r"^Ta bort filtret 2022 \(\d+\)"))
    expect(chosen).to_have_attribute("aria-current", "true")
    other = years.get_by_role("link", name=re.compile(r"^2021 \("))

    def looks(link: Any) -> dict[str, str]:
        return dict(
            link.evaluate(
                "a => { const s = getComputedStyle(a); return {bg: s.backgroundColor,"
                " line: s.textDecorationLine, weight: s.fontWeight}; }"
            )
        )

    mine, theirs = looks(chosen), looks(other)
    assert mine["bg"] != theirs["bg"] and mine["line"] == "none" != theirs["line"]
    axe_clean(page)
    chosen.click()
    page.wait_for_url(re.compile(r"/search\?q=e-arkiv(&sort=relevance)?$"))
    total = kb.search(SearchRequest(q="e-arkiv")).total
    expect(page.locator("#result-count")).to_have_text(f"{total} träffar för ”e-arkiv”")


def test_words_a_preposition_links_are_named_as_typed_not_in_brackets(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    # "arkivering i skolan" is one clause (a concept); the hits that lack it said
    # "Saknar: (arkivering i skolan)", brackets no officer typed.
    live, _kb = live_site
    page.goto(live.url + "/search?q=arkivering+i+skolan+kommun")
    expect(page.locator(".note.partial")).to_have_text(
        "Ingen träff har alla orden – träffarna saknar något av orden: arkivering i skolan"
    )
    expect(page.locator(".hit").first).to_contain_text("Saknar: arkivering i skolan")
    assert "(arkivering" not in page.locator("#results").inner_text()


def test_a_chip_removes_its_filter_in_place_and_focus_stays_in_the_results(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    # By keyboard: a chip reloaded the page and focus went back to its top, so removing the next
    # filter meant tabbing through the header and the search box again.
    live, kb = live_site
    page.goto(live.url + f"/search?q=e-arkiv&municipality={UDDEVALLA}&doc_type=guide")
    page.locator(".chips a.chip", has_text="Vägledning").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/search\?q=e-arkiv&municipality={UDDEVALLA}(&|$)"))
    total = kb.search(SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA,)})).total
    expect(page.locator("#result-count")).to_have_text(f"{total} träffar för ”e-arkiv”")
    expect(page.locator("#results-heading")).to_be_focused()
    expect(page.locator("#f-doc_type-guide")).not_to_be_checked()
    # Past the sort order, the next Tab reaches the remaining chip, the next filter to remove.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(".chips a.chip", has_text="Uddevalla")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=e-arkiv(&sort=relevance)?$"))
    expect(page.locator("#results-heading")).to_be_focused()
    page.go_back()  # the history has each step, as with a ticked value
    page.wait_for_url(re.compile(rf"municipality={UDDEVALLA}"))
    expect(page.locator(f"#f-municipality-{UDDEVALLA}")).to_be_checked()
