"""The search pages in real Chromium against waitress on 127.0.0.1: what an officer does."""

from __future__ import annotations

import re
from collections.abc import Iterator
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


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser) as page:
        yield page


def count_of(page: Page, name: str, value: str) -> int:
    label = page.locator(f"label[for='f-{name}-{value}']")
    return int(re.search(r"\((\d+)\)", label.inner_text()).group(1))


def test_search_two_municipalities_open_document_go_back_and_page_through(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    live, kb = live_site
    n_all = kb.search(SearchRequest(q="e-arkiv")).total
    n_udd = kb.search(SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA,)})).total
    n_both = kb.search(
        SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA, BORAS)})
    ).total
    assert n_udd < n_both < n_all

    page.goto(live.url + "/")
    page.get_by_label("Sök i kunskapsbanken").fill("e-arkiv")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(re.compile(r"/search\?q=e-arkiv$"))
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{n_all} träffar"))
    infra_before = count_of(page, "focus_area", "digital-infrastruktur")

    page.locator(f"#f-municipality-{UDDEVALLA}").check()
    page.wait_for_url(re.compile(rf"municipality={UDDEVALLA}"))
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{n_udd} träffar"))
    page.locator(f"#f-municipality-{BORAS}").check()
    page.wait_for_url(re.compile(rf"municipality={UDDEVALLA}&municipality={BORAS}"))
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{n_both} träffar"))
    expect(page.locator(f"#f-municipality-{UDDEVALLA}")).to_be_checked()
    expect(page.locator(f"#f-municipality-{BORAS}")).to_be_checked()
    assert count_of(page, "focus_area", "digital-infrastruktur") < infra_before
    # The title follows the filters ticked in place (tabs and history tell them apart).
    assert page.title() == "Sök: e-arkiv – Uddevalla, Borås – Kunskapsbanken"
    expect(page.locator(".chips a.chip")).to_have_count(3)  # two municipalities + "clear all"

    first = page.locator("#results .hit-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}$"))
    expect(page.locator("h1")).to_have_text(title)

    page.go_back()
    page.wait_for_url(re.compile(rf"municipality={UDDEVALLA}&municipality={BORAS}"))
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{n_both} träffar"))
    expect(page.locator(f"#f-municipality-{BORAS}")).to_be_checked()

    page.goto(live.url + "/search?q=e-arkiv")
    page_one = page.locator("#results .hit-title").all_inner_texts()
    page.get_by_role("link", name="Nästa").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.title() == "Sök: e-arkiv – sida 2 – Kunskapsbanken"
    page_two = page.locator("#results .hit-title").all_inner_texts()
    assert page_two and not set(page_one) & set(page_two)
    expected = kb.search(SearchRequest(q="e-arkiv", page=2))
    assert page_two == [h.title for h in expected.hits]
    page.locator(".pagination a", has_text=re.compile(r"3$")).click()
    page.wait_for_url(re.compile(r"page=3"))
    expect(page.locator(".pagination a[aria-current=page]")).to_have_text(re.compile(r"3$"))


def test_everything_works_without_javascript(
    live_site: tuple[LiveServer, KnowledgeBase], browser: Any
) -> None:
    live, kb = live_site
    with browser_page(browser, java_script_enabled=False) as page:
        page.goto(live.url + "/search?q=e-arkiv")
        page.locator(f"#f-municipality-{UDDEVALLA}").check()
        page.locator(f"#f-municipality-{BORAS}").check()
        page.locator("#sort").select_option("newest")
        page.get_by_role("button", name="Visa resultat").click()
        page.wait_for_url(re.compile(rf"municipality={UDDEVALLA}&municipality={BORAS}"))
        assert "sort=newest" in page.url
        n_both = kb.search(
            SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA, BORAS)})
        ).total
        expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{n_both} träffar"))
        dates = [t.get_attribute("datetime") for t in page.locator("#results time").all()]
        assert dates == sorted(dates, reverse=True)
        page.locator(".chips a.chip", has_text="Uddevalla").click()
        page.wait_for_url(re.compile(r"^((?!municipality=1485).)*$"))
        expect(page.locator(f"#f-municipality-{UDDEVALLA}")).not_to_be_checked()


def test_keyboard_only_search_facet_result_and_back(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    live, _kb = live_site
    page.goto(live.url + "/")

    def focused() -> dict[str, str]:
        return page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {id: e.id, tag: e.tagName, text: e.innerText || '',
                        cls: e.closest('.hit-title') ? 'hit-title' : '',
                        outline: s.outlineStyle, width: s.outlineWidth}; }"""
        )

    def tab_until(predicate: Any, limit: int) -> dict[str, str]:
        for _ in range(limit):
            page.keyboard.press("Tab")
            state = focused()
            if predicate(state):
                return state
        raise AssertionError(f"focus never reached the target in {limit} tab presses")

    first = tab_until(lambda s: True, 1)
    assert first["text"] == "Hoppa till innehållet"  # the skip link comes first
    box = tab_until(lambda s: s["id"] == "q", 10)
    assert box["outline"] != "none" and box["width"] != "0px"  # visible focus
    page.keyboard.type("e-arkiv")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=e-arkiv$"))

    checkbox = f"f-municipality-{UDDEVALLA}"
    tab_until(lambda s: s["id"] == checkbox, 60)
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(rf"municipality={UDDEVALLA}"))
    expect(page.locator(f"#{checkbox}")).to_be_checked()
    assert focused()["id"] == checkbox  # focus stays on the box after the results update

    link = tab_until(lambda s: s["cls"] == "hit-title", 150)
    assert link["outline"] != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/documents/"))
    expect(page.locator("h1")).to_have_text(link["text"])

    page.keyboard.press("Alt+ArrowLeft")
    if "/documents/" in page.url:
        # Headless Chromium has no browser UI to take the shortcut; navigate back as it would.
        page.go_back()
    page.wait_for_url(re.compile(rf"municipality={UDDEVALLA}"))
    expect(page.locator(f"#{checkbox}")).to_be_checked()


def test_live_region_is_updated_in_place(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    live, kb = live_site
    page.goto(live.url + "/search?q=e-arkiv")
    status = page.locator("#result-count")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    page.evaluate("document.getElementById('result-count').dataset.marker = 'same-node'")
    page.locator(f"#f-municipality-{BORAS}").check()
    n_boras = kb.search(SearchRequest(q="e-arkiv", filters={"municipality": (BORAS,)})).total
    expect(status).to_have_text(re.compile(rf"^{n_boras} träffar"))
    # The same element changed its text, so screen readers announce it (a replaced one is silent).
    assert page.evaluate("document.getElementById('result-count').dataset.marker") == "same-node"


def test_downloads_and_feed_follow_a_filter_ticked_in_place(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    live, _kb = live_site
    page.goto(live.url + "/search?q=e-arkiv")
    page.evaluate("document.getElementById('result-count').dataset.marker = 'same-page'")
    page.locator(f"#f-municipality-{BORAS}").check()
    page.wait_for_url(re.compile(rf"municipality={BORAS}"))
    scoped = f"?q=e-arkiv&municipality={BORAS}"
    expect(page.get_by_role("link", name="CSV (komma)", exact=True)).to_have_attribute(
        "href", "/search.csv" + scoped
    )
    excel = page.get_by_role("link", name="Excel (CSV med semikolon)", exact=True)
    expect(excel).to_have_attribute("href", "/search.csv" + scoped + "&sep=semicolon")
    expect(page.get_by_role("link", name="JSON", exact=True)).to_have_attribute(
        "href", "/search.json" + scoped
    )
    compare = page.get_by_role("link", name="Jämför kommunerna för sökningen")
    expect(compare).to_have_attribute("href", "/jamfor" + scoped)
    expect(page.locator("#feed-link a")).to_have_attribute("href", "/feed.atom" + scoped)
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    expect(feed).to_have_attribute("href", "/feed.atom" + scoped)
    # Swapped in place by search.js, not a new page load.
    assert page.evaluate("document.getElementById('result-count').dataset.marker") == "same-page"
    # "In English" switches to this search (it led to the one first loaded, without Borås).
    page.get_by_role("link", name="In English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert f"municipality={BORAS}" in page.url
    expect(page.locator(f"#f-municipality-{BORAS}")).to_be_checked()


def test_a_value_no_hit_holds_is_announced_unavailable_and_a_ticked_one_can_be_unticked(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page
) -> None:
    live, _kb = live_site
    # One document has the word: the other focus areas would give an empty page.
    page.goto(live.url + "/search?q=kompetenslyft")
    none = page.get_by_role("checkbox", name=re.compile(r"^Digital trygghet \(0\)"))
    expect(none).to_be_disabled()  # the accessibility tree says so: "unavailable"
    some = page.get_by_role("checkbox", name=re.compile(r"^Digital kompetens \(1\)"))
    expect(some).to_be_enabled()
    # Ticked before the query left it empty: it stays enabled, so it can be unticked.
    page.goto(live.url + "/search?q=kompetenslyft&focus_area=digital-trygghet")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^Inga träffar"))
    ticked = page.get_by_role("checkbox", name=re.compile(r"^Digital trygghet \(0\)"))
    expect(ticked).to_be_checked()
    ticked.uncheck()
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^1 träff"))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=e-arkiv&municipality=1485&focus_area=digital-infrastruktur",
        "DOC",
        "/api/v1/docs",  # the error envelope's example is one long line of code
        "/api/v1/docs?lang=en",
    ],
)
def test_pages_reflow_at_320_px(
    live_site: tuple[LiveServer, KnowledgeBase], corpus: WebCorpus, browser: Any, path: str
) -> None:
    live, _kb = live_site
    with browser_page(browser, 320, 640) as page:
        page.goto(live.url + (f"/documents/{corpus.pdf.id}" if path == "DOC" else path))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"horizontal scrolling at 320 px: {width}px wide"


def test_hostile_document_does_not_run_scripts(
    live_site: tuple[LiveServer, KnowledgeBase], corpus: WebCorpus, page: Page
) -> None:
    live, _kb = live_site
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live.url + "/search?q=bygglov")
    snippet = page.locator(".snippet", has_text="alert").first
    expect(snippet).to_contain_text("<script>alert('xss')</script>")
    expect(page.locator(".hit-title", has_text="<script>alert('titel')</script>")).to_be_visible()
    page.goto(live.url + f"/documents/{corpus.hostile.id}")
    expect(page.locator("h1")).to_contain_text("<script>alert('titel')</script>")
    assert dialogs == []


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("sv", "Skriv året med fyra siffror, till exempel 2020."),
        ("en", "Write the year in four digits, for example 2020."),
    ],
)
def test_a_year_that_is_not_four_digits_is_explained_in_the_pages_language(
    live_site: tuple[LiveServer, KnowledgeBase], page: Page, lang: str, message: str
) -> None:
    live, _kb = live_site
    page.goto(f"{live.url}/search?q=e-arkiv&lang={lang}")
    field = page.locator("#year_from")
    field.fill("20")
    field.press("Enter")
    # The browser keeps the form (nothing is searched) and says why in the page's language,
    # not its own "Please match the requested format.".
    assert field.evaluate("el => el.validationMessage") == message
    assert field.get_attribute("title") == message
    assert "year_from" not in page.url
    field.fill("2020")
    assert field.evaluate("el => el.validationMessage") == ""
    field.press("Enter")
    page.wait_for_url(re.compile(r"year_from=2020"))
