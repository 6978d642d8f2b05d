"""The <kb-search> widget searching in real Chromium from a host page on another origin: its
region, hostile titles and snippets, a Trusted Types host, English, search as you type, partial
hits, did-you-mean, friendly errors, and the script route's caching and CORS headers.

The widget_service and widget_host servers are shared session fixtures (conftest.py,
tests/widget_support.py).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.web_corpus import BROWSER_MARKS, HOSTILE_TITLE, LiveServer, http_get
from tests.widget_support import (
    AXE_OPTIONS,
    NETWORK_ERROR,
    SERVER_ERROR,
    TIMEOUT_ERROR,
    WIDGET_CONTEXT,
    Host,
    Watched,
    api,
    count_for,
    open_host,
    search,
    shadow,
    widget,
)

pytestmark = BROWSER_MARKS


# -- searching from another origin ----------------------------------------------------------------


def test_widget_searches_its_region_from_another_origin_like_the_api(
    widget_service: LiveServer, widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    live, _app = widget_host
    page = widget_watched.page
    expected = api(widget_service, q="e-arkiv", region="fyrbodal", page_size="5")
    everywhere = api(widget_service, q="e-arkiv")
    assert 5 < expected["total"] < everywhere["total"]  # the scope really narrows the search

    page.goto(live.url + "/")
    with page.expect_request(re.compile(r"/api/search\?")) as caught:
        search(page, "e-arkiv")
    request = caught.value
    assert request.url.startswith(widget_service.url + "/api/search?")
    assert request.all_headers().get("origin") == live.url  # a real cross-origin (CORS) request
    assert dict(parse_qsl(urlsplit(request.url).query)) == {
        "q": "e-arkiv",
        "region": "fyrbodal",
        "page_size": "5",
    }

    status = widget(page).get_by_role("status")
    expect(status).to_have_text(count_for(expected["total"], "e-arkiv"))
    titles = widget(page).locator("li a.title")
    expect(titles).to_have_count(5)
    assert titles.all_inner_texts() == [hit["title"] for hit in expected["results"]]

    first = expected["results"][0]
    link = titles.first
    assert link.get_attribute("href") == f"{widget_service.url}/documents/{first['id']}"
    assert link.get_attribute("target") == "_top"
    names = {fv["value"]: fv["label"] for fv in expected["facets"]["municipality"]}
    meta = widget(page).locator("li .meta").first
    expect(meta).to_have_text(f"{names[first['municipalities'][0]]} · {first['year']}")
    marked = widget(page).locator("li .snippet mark").first
    expect(marked).to_have_text(re.compile("e-arkiv", re.IGNORECASE))

    more = widget(page).get_by_role("link", name="Visa alla träffar i Kunskapsbanken")
    assert more.get_attribute("href") == f"{widget_service.url}/search?q=e-arkiv&region=fyrbodal"
    more.click()
    page.wait_for_url(f"{widget_service.url}/search?q=e-arkiv&region=fyrbodal")
    expect(page.locator("#result-count")).to_have_text(count_for(expected["total"], "e-arkiv"))
    assert widget_watched.console_errors == [] and widget_watched.page_errors == []


def test_hostile_title_and_snippet_show_as_text(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched)
    search(page, "bygglov")
    title = widget(page).locator("a.title", has_text="Bygglov som e-tjänst")
    expect(title).to_have_text(HOSTILE_TITLE)  # the <script> tag is text in the title
    item = widget(page).locator("li").filter(has=page.locator("a.title", has_text="Bygglov"))
    expect(item.locator(".meta")).to_contain_text("Trollhättan")
    snippet = item.locator(".snippet")
    expect(snippet).to_contain_text("<script>alert('xss')</script>")
    tags = snippet.evaluate("p => [...p.querySelectorAll('*')].map(e => e.localName)")
    assert tags and set(tags) == {"mark"}
    assert shadow(page, "root => root.querySelectorAll('script, img, iframe').length") == 0
    assert (
        widget_watched.dialogs == []
        and widget_watched.console_errors == []
        and widget_watched.page_errors == []
    )


def test_trusted_types_host_gets_snippets_as_plain_text(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    # Such a host forbids parsing strings as HTML: the snippet loses its marks, not its words.
    page = open_host(widget_host, widget_watched, "/trusted-types")
    search(page, "bygglov")
    snippet = widget(page).locator("li .snippet")
    expect(snippet).to_have_text(
        "Trollhättans stad erbjuder bygglov som e-tjänst. <script>alert('xss')</script> "
        "Ansökan om bygglov görs digitalt och handläggningen går snabbare."
    )
    expect(snippet.locator("mark")).to_have_count(0)
    expect(widget(page).locator("li a.title")).to_have_text([HOSTILE_TITLE])
    assert widget_watched.page_errors == [] and widget_watched.dialogs == []


def test_english_widget_with_three_results(
    widget_service: LiveServer, widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    live, _app = widget_host
    page = widget_watched.page
    expected = api(widget_service, q="e-arkiv", region="fyrbodal", page_size="3", lang="en")
    page.goto(live.url + "/en")
    search(page, "e-arkiv", label="Search the knowledge base")
    expect(widget(page).get_by_role("status")).to_have_text(
        f"{expected['total']} results for “e-arkiv”"
    )
    titles = widget(page).locator("li a.title")
    expect(titles).to_have_count(3)
    assert titles.first.get_attribute("href") == (
        f"{widget_service.url}/documents/{expected['results'][0]['id']}?lang=en"
    )
    # Swedish documents in an English widget say so (WCAG 3.1.2).
    assert titles.first.get_attribute("lang") == "sv"
    more = widget(page).get_by_role("link", name="Show all results in Kunskapsbanken")
    assert (
        more.get_attribute("href")
        == f"{widget_service.url}/search?q=e-arkiv&region=fyrbodal&lang=en"
    )
    expect(widget(page).get_by_role("button", name="Search", exact=True)).to_be_visible()


def test_a_scoped_widget_suggests_within_its_scope(
    widget_service: LiveServer, widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    # The English widget of region fyrbodal: what it offers, and each count, is the region's.
    status, _headers, body = widget_service.get(
        "/api/v1/suggest?q=e-ar&region=fyrbodal&limit=6&lang=en"
    )
    assert status == 200
    expected = [f"{s['text']} {s['description']}" for s in json.loads(body)["suggestions"]]
    status, _headers, body = widget_service.get("/api/v1/suggest?q=e-ar&limit=6&lang=en")
    assert expected != [f"{s['text']} {s['description']}" for s in json.loads(body)["suggestions"]]
    page = open_host(widget_host, widget_watched, "/en")
    widget(page).get_by_role("combobox", name="Search the knowledge base").press_sequentially(
        "e-ar"
    )
    options = widget(page).get_by_role("listbox", name="Suggestions").get_by_role("option")
    # Waits for the list of "e-ar" itself: one of "e-a" (a slow keystroke) may be shown first,
    # and it may hold as many options.
    expect(options).to_have_text(expected, use_inner_text=True)


@pytest.mark.parametrize("path", ["/en-gb", "/page-en"])
def test_an_english_tag_or_page_makes_an_english_widget(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched, path: str
) -> None:
    # Was Swedish: only lang="en" exactly was English, and the page's own language was not read.
    page = open_host(widget_host, widget_watched, path)
    search(page, "e-arkiv", label="Search the knowledge base")
    expect(widget(page).get_by_role("status")).to_have_text(re.compile(r"^\d+ results? for "))
    assert shadow(page, "root => root.querySelector('.kb').lang") == "en"
    link = widget(page).locator("li a.title").first
    expect(link).to_have_attribute("href", re.compile(r"\?lang=en$"))


def test_zero_results_and_search_as_you_type(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched, "/typing")
    box = widget(page).get_by_label("Sök i kunskapsbanken")
    box.press_sequentially("zzxqy")  # no Enter: the attribute makes the widget search by itself
    expect(widget(page).get_by_role("status")).to_have_text(count_for(0, "zzxqy"))
    expect(widget(page).locator("li")).to_have_count(0)
    box.fill("")
    box.press_sequentially("bygglov")
    expect(widget(page).get_by_role("status")).to_have_text(re.compile(r"^\d+ träff"))
    expect(widget(page).locator("li a.title").first).to_be_visible()


def test_a_partial_hit_names_the_words_it_lacks_as_the_page_does(
    widget_service: LiveServer, widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    live, _app = widget_host
    page = widget_watched.page
    expected = api(widget_service, q="bygglov e-tjänst", page_size="5")
    notes = [
        f"Saknar: {', '.join(h['missing'])}" if h["partial"] else None for h in expected["results"]
    ]
    assert None in notes and any(notes)  # one hit with every word, one without "bygglov"
    page.goto(live.url + "/typing")  # a widget without a region
    search(page, "bygglov e-tjänst")
    items = widget(page).locator("li")
    expect(items).to_have_count(len(notes))
    for i, note in enumerate(notes):
        missing = items.nth(i).locator("p.missing")
        if note is None:
            expect(missing).to_have_count(0)
        else:
            expect(missing).to_have_text(note)


def test_did_you_mean_searches_the_suggestion(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched)
    search(page, "bygglv")
    expect(widget(page).get_by_role("status")).to_have_text(count_for(0, "bygglv"))
    suggestion = widget(page).get_by_role("button", name="Menade du ”bygglov”?")
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(widget(page).get_by_role("status")).to_have_text(count_for(1, "bygglov"))
    expect(widget(page).get_by_label("Sök i kunskapsbanken")).to_have_value("bygglov")
    expect(suggestion).to_be_hidden()
    expect(widget(page).locator("li a.title")).to_have_text([HOSTILE_TITLE])


# -- errors ---------------------------------------------------------------------------------------


def test_unreachable_service_shows_a_friendly_message(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched, "/closed")
    search(page, "e-arkiv")
    status = widget(page).get_by_role("status")
    expect(status).to_have_text(NETWORK_ERROR)
    expect(widget(page).locator("li")).to_have_count(0)
    expect(widget(page).get_by_label("Sök i kunskapsbanken")).to_be_editable()
    assert widget_watched.page_errors == []  # the failure is handled, not thrown
    results = Axe().run(page, context=WIDGET_CONTEXT, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def test_a_slow_service_says_searching_and_a_silent_one_is_given_up_on(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    # Was: nothing at all while the service was slow, and for ever when it never answered.
    page = widget_watched.page
    page.clock.install()
    page.route("**/hang/api/search?*", lambda route: None)  # never answered
    page = open_host(widget_host, widget_watched, "/hang")
    search(page, "e-arkiv")
    status = widget(page).get_by_role("status")
    page.clock.run_for(500)
    expect(status).to_have_text("")  # a quick answer would come without a word in between
    page.clock.run_for(1000)
    expect(status).to_have_text("Söker…")
    expect(status).not_to_have_class(re.compile("error"))
    page.clock.run_for(20_000)  # the service still has not answered
    expect(status).to_have_text(TIMEOUT_ERROR)
    expect(status).to_have_class(re.compile("error"))
    expect(widget(page).get_by_label("Sök i kunskapsbanken")).to_be_editable()
    assert widget_watched.page_errors == []


@pytest.mark.parametrize(("path", "shown"), [("/fallback", False), ("/fallback-down", True)])
def test_a_link_inside_the_element_shows_only_when_the_script_cannot_load(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched, path: str, shown: bool
) -> None:
    # docs/embedding.md: the host's own fallback instead of an empty spot when the service is
    # down; the widget's shadow root (no slot) leaves it unrendered when the script runs.
    page = open_host(widget_host, widget_watched, path)
    fallback = page.get_by_role("link", name="Sök i Kunskapsbanken")
    if shown:
        expect(fallback).to_be_visible()
    else:
        expect(widget(page).get_by_label("Sök i kunskapsbanken")).to_be_visible()
        expect(fallback).to_be_hidden()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/fail-503", SERVER_ERROR),
        ("/fail-400", "Sökningen kunde inte göras: page_size måste vara ett heltal"),
    ],
)
def test_error_envelope_shows_a_friendly_message(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched, path: str, message: str
) -> None:
    page = open_host(widget_host, widget_watched, path)
    search(page, "e-arkiv")
    expect(widget(page).get_by_role("status")).to_have_text(message)
    expect(widget(page).locator("li")).to_have_count(0)
    assert widget_watched.page_errors == []


# -- the script route -----------------------------------------------------------------------------


def test_script_route_is_cacheable_and_readable_from_any_origin(widget_service: LiveServer) -> None:
    status, headers, body = widget_service.get("/widget/kb-search.js")
    assert status == 200
    assert headers["content-type"].startswith("text/javascript")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["cross-origin-resource-policy"] == "cross-origin"
    assert "max-age=86400" in headers["cache-control"] and headers.get("etag")
    assert b'customElements.define("kb-search"' in body
    # API text never goes through an HTML sink.
    assert not re.search(rb"innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write", body)
    same, _h, static_body = http_get(widget_service.port, "/static/widget/kb-search.js")
    assert same == 200 and static_body == body
