"""A results page without hits in Chromium: no column of zero counts and no "Bevaka sökningen",
but the ways out (Menade du, each word alone, a filter left out) and a way to untick a filter.

The filter column of a zero-hit page keeps only the ticked values and the values with hits
(web/search_view.py, _only_ways_out); without a ticked filter it is hidden and the results take
the whole width. The feed is offered again as soon as the search has hits, also when that happens
in place (search.js swaps the column and the feed link).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.web_corpus import (
    BROWSER_MARKS,
    TROLLHATTAN,
    UDDEVALLA,
    LiveServer,
    browser_page,
)

pytestmark = BROWSER_MARKS

FEED_HEAD = 'link[rel="alternate"][type="application/atom+xml"]'


def no_feed_offered(page: Page, name: str = "Bevaka sökningen (Atom-flöde)") -> None:
    expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.locator(FEED_HEAD)).to_have_count(0)


def test_a_misspelt_search_shows_the_suggestion_not_a_column_of_zeros(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    live, kb = live_site
    with browser_page(browser) as page:
        page.goto(live.url + "/search?q=bygglvo")
        expect(page.locator("#result-count")).to_have_text("Inga träffar för ”bygglvo”")
        # Was a column of every focus area, region and type with (0) beside the message.
        expect(page.locator("#facets")).to_be_hidden()
        expect(page.get_by_role("checkbox")).to_have_count(0)
        assert "(0)" not in page.locator("main").inner_text()  # the text a person sees
        no_feed_offered(page)
        # The results take the width the column had.
        results = page.locator("#results").bounding_box()
        form = page.locator("#search-form").bounding_box()
        assert results is not None and form is not None
        assert results["width"] > form["width"] * 0.9
        # The way out that helps is there and leads to hits, and with them the feed and filters.
        page.get_by_role("link", name="bygglov").click()
        page.wait_for_url(re.compile(r"/search\?q=bygglov$"))
        total = kb.search(SearchRequest(q="bygglov")).total
        expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{total} träff"))
        expect(page.get_by_role("link", name="Bevaka sökningen (Atom-flöde)")).to_be_visible()
        expect(page.locator(FEED_HEAD)).to_have_count(1)
        expect(page.locator("#facets")).to_be_visible()


def test_each_word_alone_is_offered_in_english_too(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    live, kb = live_site
    alone = kb.search(SearchRequest(q="bygglov")).total
    with browser_page(browser) as page:
        page.goto(live.url + "/search?q=bygglov+zzqq+xxyy&lang=en")
        expect(page.locator("#result-count")).to_have_text("No results for “bygglov zzqq xxyy”")
        counted = f"{alone} result" + ("" if alone == 1 else "s")
        expect(page.locator(".words-alone a")).to_have_text(f"bygglov: {counted}")
        expect(page.locator("#facets")).to_be_hidden()
        no_feed_offered(page, "Follow this search (Atom feed)")


@pytest.mark.parametrize("javascript", [True, False])
def test_a_filter_that_emptied_the_page_can_be_unticked_where_it_was_ticked(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any, javascript: bool
) -> None:
    live, kb = live_site
    total = kb.search(SearchRequest(q="bygglov")).total
    with browser_page(browser, java_script_enabled=javascript) as page:
        page.goto(live.url + f"/search?q=bygglov&municipality={UDDEVALLA}")
        expect(page.locator("#result-count")).to_have_text("Inga träffar för ”bygglov”")
        no_feed_offered(page)
        # Only what helps: the ticked municipality (to untick) and one that has hits.
        ticked = page.get_by_role("checkbox", name=re.compile(r"^Uddevalla \(0\)"))
        expect(ticked).to_be_checked()
        expect(ticked).to_be_enabled()
        there = kb.search(SearchRequest(q="bygglov", filters={"municipality": (TROLLHATTAN,)}))
        assert there.total > 0  # the value with hits the column keeps
        other = page.get_by_role("checkbox", name=re.compile(rf"^Trollhättan \({there.total}\)"))
        expect(other).to_be_enabled()
        expect(page.locator("#facet-focus_area")).to_have_count(0)
        expect(page.locator("#facet-doc_type")).to_have_count(0)
        # The other ways to remove the filter stay: the chip and "Utan kommun".
        expect(page.get_by_role("link", name="Ta bort filtret Kommun: Uddevalla")).to_be_visible()
        expect(page.locator("ul.drops a")).to_have_text(re.compile(rf"^Utan kommun: {total} träff"))
        # click(), not uncheck(): uncheck() looks the box up again after its click, and by
        # then search.js may have swapped in a column without it (a value without hits
        # leaves it), so it waited 15 s for a box that was gone.
        ticked.click()
        if not javascript:
            page.get_by_role("button", name="Visa resultat").click()
        page.wait_for_url(re.compile(r"/search\?q=bygglov(&sort=relevance)?$"))
        expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{total} träff"))
        # In place (search.js) or loaded: the feed is offered again, in the page and its head.
        expect(page.get_by_role("link", name="Bevaka sökningen (Atom-flöde)")).to_be_visible()
        expect(page.locator(FEED_HEAD)).to_have_attribute("href", "/feed.atom?q=bygglov")
        expect(page.locator("#facet-focus_area")).to_be_visible()
        if javascript:
            # Back in place to the empty page: the feed goes again, from the head too.
            page.go_back()
            expect(page.locator("#result-count")).to_have_text("Inga träffar för ”bygglov”")
            no_feed_offered(page)
            expect(page.locator(f"#f-municipality-{TROLLHATTAN}")).to_be_enabled()


def test_on_a_phone_the_filter_button_shows_only_when_there_is_something_to_filter(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    live, _kb = live_site
    with browser_page(browser, 375, 740) as page:
        page.goto(live.url + "/search?q=bygglvo")
        expect(page.locator("#filter-toggle")).to_be_hidden()
        expect(page.get_by_role("link", name="bygglov")).to_be_visible()
        page.goto(live.url + f"/search?q=bygglov&municipality={UDDEVALLA}")
        toggle = page.get_by_role("button", name="Filtrera (1)")
        toggle.click()
        dialog = page.get_by_role("dialog", name="Filtrera")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("checkbox", name=re.compile(r"^Uddevalla"))).to_be_checked()
        expect(dialog.get_by_role("checkbox")).to_have_count(3)  # Fyrbodal, Uddevalla, Trollhättan


def test_unticking_a_filter_whose_value_leaves_the_column_keeps_focus_on_the_page(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    live, _kb = live_site
    with browser_page(browser) as page:
        page.goto(live.url + f"/search?q=bygglvo&municipality={UDDEVALLA}&doc_type=guide")
        expect(page.locator("#result-count")).to_have_text("Inga träffar för ”bygglvo”")
        # Keyboard only: Space on the ticked municipality. Still no hits, and an unticked value
        # without hits leaves the column, so the box that had focus is gone (focus fell to
        # the page's start, the next Tab went to "Hoppa till innehållet").
        page.get_by_role("checkbox", name=re.compile(r"^Uddevalla")).focus()
        page.keyboard.press("Space")
        page.wait_for_url(re.compile(r"doc_type=guide"))
        expect(page.get_by_role("checkbox", name=re.compile(r"^Uddevalla"))).to_have_count(0)
        expect(page.get_by_role("heading", name="Filtrera")).to_be_focused()
        # The last ticked value: the column hides, focus goes to the results.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(page.get_by_role("checkbox", name=re.compile(r"^Vägledning"))).to_be_focused()
        page.keyboard.press("Space")
        page.wait_for_url(re.compile(r"/search\?q=bygglvo(&sort=relevance)?$"))
        expect(page.locator("#facets")).to_be_hidden()
        expect(page.get_by_role("heading", name="Sökresultat")).to_be_focused()


def test_on_a_phone_unticking_the_last_filter_of_an_empty_search_closes_the_drawer(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    live, _kb = live_site
    with browser_page(browser, 375, 740) as page:
        page.goto(live.url + f"/search?q=bygglvo&municipality={UDDEVALLA}")
        page.get_by_role("button", name="Filtrera (1)").click()
        dialog = page.get_by_role("dialog", name="Filtrera")
        dialog.get_by_role("checkbox", name=re.compile(r"^Uddevalla")).focus()
        page.keyboard.press("Space")
        page.wait_for_url(re.compile(r"/search\?q=bygglvo(&sort=relevance)?$"))
        # Was an empty white dialog with only "Visa träffarna (0)" and focus on the page's body.
        expect(dialog).to_have_count(0)
        expect(page.locator("#filter-toggle")).to_be_hidden()
        expect(page.get_by_role("heading", name="Sökresultat")).to_be_focused()
        expect(page.get_by_role("link", name="bygglov")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_sort_menu_shows_only_when_there_are_hits_to_sort(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any, javascript: bool
) -> None:
    live, kb = live_site
    total = kb.search(SearchRequest(q="bygglov")).total
    with browser_page(browser, java_script_enabled=javascript) as page:
        page.goto(live.url + f"/search?q=bygglov&municipality={UDDEVALLA}&sort=newest")
        expect(page.locator("#result-count")).to_have_text("Inga träffar för ”bygglov”")
        # Was "Sortera efter: Nyast först" above the message, with nothing to sort.
        expect(page.get_by_role("combobox", name="Sortera efter")).to_have_count(0)
        expect(page.get_by_text("Sortera efter")).to_be_hidden()
        page.get_by_role("checkbox", name=re.compile(r"^Uddevalla")).click()  # as above
        if not javascript:
            page.get_by_role("button", name="Visa resultat").click()
        # Hits again (in place or loaded): the menu is back, with the order chosen before.
        page.wait_for_url(re.compile(r"/search\?q=bygglov&sort=newest$"))
        expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{total} träff"))
        menu = page.get_by_role("combobox", name="Sortera efter")
        expect(menu).to_be_visible()
        expect(menu).to_have_value("newest")
        if javascript:
            page.go_back()  # in place to the empty page: hidden again
            expect(page.locator("#result-count")).to_have_text("Inga träffar för ”bygglov”")
            expect(menu).to_be_hidden()
