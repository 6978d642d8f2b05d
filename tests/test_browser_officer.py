"""The officers' screens in real Chromium: the filter drawer on a 375 px phone (a modal dialog:
focus trap, Escape, announced counts; results first without JavaScript), suggestions as you type
by keyboard only (ARIA 1.2 combobox), zero-hit ways out, the full municipality list fetched in
place, and an embed iframe that shrinks. axe finds no WCAG 2.1 AA violation in any new state."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.web_corpus import (
    BROWSER_MARKS,
    JONKOPING,
    STOCKHOLM,
    UDDEVALLA,
    WCAG_TAGS,
    LiveServer,
    browser_page,
)
from web import search_view

pytestmark = BROWSER_MARKS

WCAG = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
PHONE = {"width": 375, "height": 740}


def new_page(browser: Any, viewport: dict[str, int], **options: Any) -> Iterator[Page]:
    errors: list[str] = []
    with browser_page(browser, viewport["width"], viewport["height"], **options) as page:
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page
    assert errors == []


@pytest.fixture
def phone(browser: Any) -> Iterator[Page]:
    yield from new_page(browser, PHONE)


@pytest.fixture
def desktop(browser: Any) -> Iterator[Page]:
    yield from new_page(browser, {"width": 1280, "height": 900})


def no_axe_violations(page: Page) -> None:
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_phone_drawer_is_a_dialog_that_traps_focus_and_announces_counts(
    live_site: tuple[LiveServer, KnowledgeBase], phone: Page
) -> None:
    live, kb = live_site
    phone.goto(f"{live.url}/search?q=e-arkiv&municipality={UDDEVALLA}&doc_type=guide")
    toggle = phone.locator("#filter-toggle")
    expect(toggle).to_have_text("Filtrera (2)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    # Results first: the first hit is on the first screen, the filters are hidden.
    hit = phone.locator(".hit").first.bounding_box()
    assert hit is not None and hit["y"] < PHONE["height"]
    expect(phone.locator("#facets")).to_be_hidden()

    toggle.focus()
    phone.keyboard.press("Enter")
    drawer = phone.get_by_role("dialog", name="Filtrera")
    expect(drawer).to_be_visible()
    expect(drawer).to_have_attribute("aria-modal", "true")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert focused_id(phone) == "filter-drawer-close"
    no_axe_violations(phone)

    # Tab and Shift+Tab never leave the dialog.
    for _ in range(40):
        phone.keyboard.press("Tab")
        assert phone.evaluate(
            "document.getElementById('filter-drawer').contains(document.activeElement)"
        )
    phone.keyboard.press("Shift+Tab")
    assert phone.evaluate(
        "document.getElementById('filter-drawer').contains(document.activeElement)"
    )

    # Ticking a value updates the results behind the dialog and says the new count inside it.
    expected = kb.search(
        SearchRequest(
            q="e-arkiv", filters={"municipality": (UDDEVALLA,), "doc_type": ("guide", "plan")}
        )
    ).total
    phone.locator("#f-doc_type-plan").check()
    live_region = drawer.locator("[role=status]")
    expect(live_region).to_have_text(re.compile(rf"^{expected} träff"))
    expect(phone.locator("#filter-drawer-show")).to_have_text(f"Visa träffarna ({expected})")
    expect(toggle).to_have_text("Filtrera (3)")
    expect(drawer).to_be_visible()
    assert focused_id(phone) == "f-doc_type-plan"

    phone.keyboard.press("Escape")
    expect(phone.locator("#facets")).to_be_hidden()
    assert focused_id(phone) == "filter-toggle"
    expect(toggle).to_have_attribute("aria-expanded", "false")
    # Nothing outside stays inert once the dialog is closed.
    assert phone.evaluate("document.querySelectorAll('[inert]').length") == 0
    no_axe_violations(phone)


def test_the_show_results_button_closes_the_drawer_on_the_results(
    live_site: tuple[LiveServer, KnowledgeBase], phone: Page
) -> None:
    live, _kb = live_site
    phone.goto(f"{live.url}/search?q=e-arkiv")
    phone.locator("#filter-toggle").click()
    phone.locator("#filter-drawer-show").click()
    expect(phone.locator("#facets")).to_be_hidden()
    assert focused_id(phone) == "results-heading"


def test_without_javascript_the_phone_shows_results_then_filters(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    live, _kb = live_site
    for page in new_page(browser, PHONE, java_script_enabled=False):
        page.goto(f"{live.url}/search?q=e-arkiv&municipality={UDDEVALLA}")
        link = page.locator("#filter-toggle")
        expect(link).to_have_attribute("href", "#facets")
        hit = page.locator(".hit").first.bounding_box()
        facets = page.locator("#facets").bounding_box()
        assert hit is not None and facets is not None and hit["y"] < facets["y"]
        link.click()
        assert page.url.endswith("#facets")
        # (axe needs JavaScript: the same markup is checked with it in the other tests.)


def test_on_a_wide_screen_the_filters_are_a_column_and_no_button(
    live_site: tuple[LiveServer, KnowledgeBase], desktop: Page
) -> None:
    live, _kb = live_site
    desktop.goto(f"{live.url}/search?q=e-arkiv")
    expect(desktop.locator("#filter-toggle")).to_be_hidden()
    expect(desktop.locator("#facets")).to_be_visible()
    assert desktop.locator("#filter-drawer").get_attribute("role") is None


def test_suggestions_by_keyboard_only(
    live_site: tuple[LiveServer, KnowledgeBase], desktop: Page
) -> None:
    live, _kb = live_site
    desktop.goto(f"{live.url}/search")
    box = desktop.get_by_role("combobox", name="Sök i kunskapsbanken")
    box.focus()
    desktop.keyboard.type("jonk")
    listbox = desktop.get_by_role("listbox", name="Förslag")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.filter(has_text="Jönköping").first).to_be_visible()
    # The count of suggestions is announced in a live region.
    announced = desktop.locator(".has-suggestions [aria-live=polite]")
    expect(announced).to_have_text(re.compile(r"^\d+ förslag"))
    no_axe_violations(desktop)

    texts = options.all_inner_texts()
    target = next(i for i, t in enumerate(texts) if re.match(r"Jönköping\s+Kommun", t))
    for _ in range(target + 1):
        desktop.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    expect(desktop.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    expect(desktop.locator(f"#{active}")).to_contain_text("Jönköping")
    # Escape closes the list and keeps what was typed.
    desktop.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("jonk")
    # Down opens it again; Enter on the municipality opens the search filtered on it.
    desktop.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    for _ in range(target + 1):
        desktop.keyboard.press("ArrowDown")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(rf"/search\?municipality={JONKOPING}$"))
    expect(desktop.locator("#result-count")).to_have_text(re.compile(r"^\d+ träff"))


def test_a_word_suggestion_completes_the_query_and_searches(
    live_site: tuple[LiveServer, KnowledgeBase], desktop: Page
) -> None:
    live, kb = live_site
    desktop.goto(f"{live.url}/?lang=en")
    box = desktop.get_by_role("combobox", name="Search the knowledge bank")
    box.focus()
    desktop.keyboard.type("e-ark")
    listbox = desktop.get_by_role("listbox", name="Suggestions")
    expect(listbox.get_by_role("option").first).to_contain_text("e-arkiv")
    desktop.keyboard.press("ArrowDown")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"/search\?q=e-arkiv"))
    total = kb.search(SearchRequest(q="e-arkiv")).total
    expect(desktop.locator("#result-count")).to_have_text(re.compile(rf"^{total} results"))


def test_zero_hits_ways_out_lead_to_hits(
    live_site: tuple[LiveServer, KnowledgeBase], desktop: Page
) -> None:
    live, _kb = live_site
    desktop.goto(
        f"{live.url}/search?municipality={STOCKHOLM}&doc_type=guide&focus_area=digital-trygghet"
    )
    expect(desktop.locator("#result-count")).to_have_text("Inga träffar")
    ways = desktop.locator("ul.drops a")
    expect(ways).to_have_count(1)
    promised = int(re.search(r"(\d+) träff", ways.first.inner_text()).group(1))  # type: ignore[union-attr]
    no_axe_violations(desktop)
    ways.first.click()
    expect(desktop.locator("#result-count")).to_have_text(re.compile(rf"^{promised} träff"))


def test_show_all_fetches_the_rest_of_a_long_facet_in_place(
    live_site: tuple[LiveServer, KnowledgeBase], desktop: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    live, _kb = live_site
    # The test corpus has few values per facet: list only 3 (2 visible) so one group is cut.
    monkeypatch.setattr(search_view, "VISIBLE_VALUES", 2)
    monkeypatch.setattr(search_view, "LISTED_VALUES", 3)
    desktop.goto(f"{live.url}/search?q=e-arkiv")
    group = desktop.locator("#facet-focus_area")
    expect(group.locator("input[type=checkbox]")).to_have_count(3)
    group.locator("summary").click()
    link = group.locator("a.facet-all")
    expect(link).to_have_text("Visa alla 5")
    link.click()
    expect(desktop.locator("#facet-focus_area input[type=checkbox]")).to_have_count(5)
    assert focused_id(desktop) == desktop.locator("#facet-focus_area input[type=checkbox]").nth(
        3
    ).get_attribute("id")
    assert "show_all" not in desktop.url  # fetched in place
    no_axe_violations(desktop)


def test_the_embedded_frame_shrinks_as_well_as_grows(
    live_site: tuple[LiveServer, KnowledgeBase], desktop: Page
) -> None:
    live, _kb = live_site
    host = f"{live.url}/__host-page"
    html = (
        "<!doctype html><html lang='sv'><head><title>Värdsida</title></head><body>"
        f"<iframe title='Sök' src='{live.url}/embed?q=e-arkiv' "
        "style='width:900px;height:150px'></iframe>"
        "<script>window.heights = [];"
        "addEventListener('message', function (e) {"
        " if (e.data && e.data.type === 'kunskapsbanken:height') {"
        "  window.heights.push(e.data.height);"
        "  document.querySelector('iframe').style.height = e.data.height + 'px'; } });</script>"
        "</body></html>"
    )
    desktop.route(
        host, lambda route: route.fulfill(status=200, content_type="text/html", body=html)
    )
    desktop.goto(host)
    desktop.wait_for_function("window.heights.length > 0")
    tall = desktop.evaluate("Math.max(...window.heights)")
    frame = desktop.frame_locator("iframe")
    frame.locator("#q").fill("zzzqqq")
    frame.locator("#q").press("Enter")
    desktop.wait_for_function(f"window.heights[window.heights.length - 1] < {tall} - 200")
    height = desktop.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert height < tall - 200
