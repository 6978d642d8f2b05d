"""The <kb-search> widget in real Chromium on a host page served from another origin.

The service (waitress over a real test index) and the host "intranet" run on two ports of
127.0.0.1, so every search is a real cross-origin CORS request. The host page is built from the
snippet that /widget tells people to copy, and sends the CSP that page says a host needs.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import Locator, Page, expect

from tests.test_browser_a11y import WCAG_TAGS, contrast
from tests.web_corpus import (
    CHROMIUM,
    HOSTILE_TITLE,
    LiveServer,
    WebCorpus,
    browser_page,
    http_get,
    served_app,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
# Only the widget: its shadow root, reached through the open <kb-search> host.
WIDGET_CONTEXT = {"include": [{"fromShadowDom": ["kb-search", ".kb"]}]}
# The host's worst CSS: everything red and huge, a serif font, all !important.
HOST_CSS = (
    "* { color: red !important; font-size: 40px !important; font-family: serif !important; }\n"
    "p { font-weight: 400; }\n"
)
NETWORK_ERROR = "Sökningen kunde inte nå Kunskapsbanken. Försök igen om en stund."
SERVER_ERROR = "Sökningen fungerar inte just nu. Försök igen om en stund."
RED = "rgb(255, 0, 0)"


# -- servers --------------------------------------------------------------------------------------


@dataclass
class Host:
    """The intranet: a second origin with host pages and a failing fake API for error states."""

    service_url: str
    snippet: str
    closed_url: str
    pages: dict[str, str] = field(default_factory=dict)
    # Pages that also enforce Trusted Types, as the strictest intranets do.
    trusted_types: set[str] = field(default_factory=set)

    def page(self, body: str, lang: str = "sv") -> str:
        return (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<title>Kommunens intranät</title><link rel="stylesheet" href="/host.css">'
            f"</head><body><main><h1>Intranät</h1>{body}"
            '<p class="title" id="host-text">Värdsidans egen text</p></main></body></html>'
        )

    def csp(self, path: str) -> str:
        # What /widget says a host must allow, and nothing more: no inline styles, no eval.
        csp = (
            f"default-src 'self'; script-src 'self' {self.service_url}; "
            f"connect-src 'self' {self.service_url} {self.closed_url}; style-src 'self'"
        )
        return csp + "; require-trusted-types-for 'script'" if path in self.trusted_types else csp

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/favicon.ico":
            return _respond(start_response, "204 No Content", "image/x-icon", "")
        if path == "/host.css":
            return _respond(start_response, "200 OK", "text/css", HOST_CSS)
        if path in ("/fail-503/api/search", "/fail-400/api/search"):
            status = int(path[6:9])
            message = "page_size måste vara ett heltal" if status == 400 else "Indexet är låst"
            body = json.dumps({"error": {"status": status, "message": message}})
            return _respond(start_response, f"{status} Error", "application/json", body)
        if path in self.pages:
            headers = [("Content-Security-Policy", self.csp(path))]
            return _respond(start_response, "200 OK", "text/html", self.pages[path], headers)
        return _respond(start_response, "404 Not Found", "text/plain", "")


def _respond(
    start_response: Callable[..., Any],
    status: str,
    content_type: str,
    body: str,
    headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    data = body.encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", f"{content_type}; charset=utf-8"),
            ("Content-Length", str(len(data))),
            *(headers or []),
        ],
    )
    return [data]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def service(corpus: WebCorpus) -> Iterator[LiveServer]:
    with served_app(corpus.settings) as (live, _kb):
        yield live


@pytest.fixture(scope="module")
def host(service: LiveServer) -> Iterator[tuple[LiveServer, Host]]:
    status, _headers, body = service.get("/widget")
    assert status == 200
    snippet = BeautifulSoup(body, "html.parser").select_one("pre.code code").get_text()
    app = Host(service.url, snippet, f"http://127.0.0.1:{closed_port()}")
    widget_script = snippet.split("\n")[0]
    app.pages.update(
        {
            # Exactly what the guide says to paste.
            "/": app.page(snippet),
            "/en": app.page(
                f'{widget_script}<kb-search region="fyrbodal" lang="en" page-size="3"></kb-search>',
                lang="en",
            ),
            "/trusted-types": app.page(snippet),
            "/typing": app.page(f"{widget_script}<kb-search search-as-you-type></kb-search>"),
            "/closed": app.page(f'{widget_script}<kb-search base="{app.closed_url}"></kb-search>'),
            "/fail-503": app.page(f'{widget_script}<kb-search base="/fail-503"></kb-search>'),
            "/fail-400": app.page(f'{widget_script}<kb-search base="/fail-400"></kb-search>'),
        }
    )
    app.trusted_types.add("/trusted-types")
    with LiveServer(app) as live:
        yield live, app


@dataclass
class Watched:
    """A page and what went wrong on it: console errors, uncaught errors, alert() calls."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    with browser_page(browser) as page:
        w = Watched(page)
        page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda err: w.page_errors.append(str(err)))

        def on_dialog(dialog: Any) -> None:
            w.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        yield w


# -- helpers --------------------------------------------------------------------------------------


def api(service: LiveServer, **params: str) -> dict[str, Any]:
    status, _headers, body = service.get("/api/search?" + urlencode(params))
    assert status == 200, body
    return dict(json.loads(body))


def widget(page: Page) -> Locator:
    return page.locator("kb-search")


def search(page: Page, query: str, label: str = "Sök i kunskapsbanken") -> None:
    box = widget(page).get_by_label(label)
    box.fill(query)
    box.press("Enter")


def shadow(page: Page, script: str) -> Any:
    """Evaluate ``script`` (a function of the shadow root) in the page."""
    return page.evaluate(f"({script})(document.querySelector('kb-search').shadowRoot)")


def count_for(total: int, q: str) -> str:
    words = "Inga träffar" if total == 0 else "1 träff" if total == 1 else f"{total} träffar"
    return f"{words} för ”{q}”"


# -- searching from another origin ----------------------------------------------------------------


def test_widget_searches_its_region_from_another_origin_like_the_api(
    service: LiveServer, host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    expected = api(service, q="e-arkiv", region="fyrbodal", page_size="5")
    everywhere = api(service, q="e-arkiv")
    assert 5 < expected["total"] < everywhere["total"]  # the scope really narrows the search

    page.goto(live.url + "/")
    with page.expect_request(re.compile(r"/api/search\?")) as caught:
        search(page, "e-arkiv")
    request = caught.value
    assert request.url.startswith(service.url + "/api/search?")
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
    assert link.get_attribute("href") == f"{service.url}/documents/{first['id']}"
    assert link.get_attribute("target") == "_top"
    names = {fv["value"]: fv["label"] for fv in expected["facets"]["municipality"]}
    meta = widget(page).locator("li .meta").first
    expect(meta).to_have_text(f"{names[first['municipalities'][0]]} · {first['year']}")
    marked = widget(page).locator("li .snippet mark").first
    expect(marked).to_have_text(re.compile("e-arkiv", re.IGNORECASE))

    more = widget(page).get_by_role("link", name="Visa alla träffar i Kunskapsbanken")
    assert more.get_attribute("href") == f"{service.url}/search?q=e-arkiv&region=fyrbodal"
    more.click()
    page.wait_for_url(f"{service.url}/search?q=e-arkiv&region=fyrbodal")
    expect(page.locator("#result-count")).to_have_text(count_for(expected["total"], "e-arkiv"))
    assert watched.console_errors == [] and watched.page_errors == []


def test_hostile_title_and_snippet_show_as_text(
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + "/")
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
    assert watched.dialogs == [] and watched.console_errors == [] and watched.page_errors == []


def test_trusted_types_host_gets_snippets_as_plain_text(
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    # Such a host forbids parsing strings as HTML: the snippet loses its marks, not its words.
    live, _app = host
    page = watched.page
    page.goto(live.url + "/trusted-types")
    search(page, "bygglov")
    snippet = widget(page).locator("li .snippet")
    expect(snippet).to_have_text(
        "Trollhättans stad erbjuder bygglov som e-tjänst. <script>alert('xss')</script> "
        "Ansökan om bygglov görs digitalt och handläggningen går snabbare."
    )
    expect(snippet.locator("mark")).to_have_count(0)
    expect(widget(page).locator("li a.title")).to_have_text([HOSTILE_TITLE])
    assert watched.page_errors == [] and watched.dialogs == []


def test_english_widget_with_three_results(
    service: LiveServer, host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    expected = api(service, q="e-arkiv", region="fyrbodal", page_size="3", lang="en")
    page.goto(live.url + "/en")
    search(page, "e-arkiv", label="Search the knowledge base")
    expect(widget(page).get_by_role("status")).to_have_text(
        f"{expected['total']} results for “e-arkiv”"
    )
    titles = widget(page).locator("li a.title")
    expect(titles).to_have_count(3)
    assert titles.first.get_attribute("href") == (
        f"{service.url}/documents/{expected['results'][0]['id']}?lang=en"
    )
    # Swedish documents in an English widget say so (WCAG 3.1.2).
    assert titles.first.get_attribute("lang") == "sv"
    more = widget(page).get_by_role("link", name="Show all results in Kunskapsbanken")
    assert more.get_attribute("href") == f"{service.url}/search?q=e-arkiv&region=fyrbodal&lang=en"
    expect(widget(page).get_by_role("button", name="Search", exact=True)).to_be_visible()


def test_zero_results_and_search_as_you_type(
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + "/typing")
    box = widget(page).get_by_label("Sök i kunskapsbanken")
    box.press_sequentially("zzxqy")  # no Enter: the attribute makes the widget search by itself
    expect(widget(page).get_by_role("status")).to_have_text(count_for(0, "zzxqy"))
    expect(widget(page).locator("li")).to_have_count(0)
    box.fill("")
    box.press_sequentially("bygglov")
    expect(widget(page).get_by_role("status")).to_have_text(re.compile(r"^\d+ träff"))
    expect(widget(page).locator("li a.title").first).to_be_visible()


def test_a_partial_hit_names_the_words_it_lacks_as_the_page_does(
    service: LiveServer, host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    expected = api(service, q="bygglov e-tjänst", page_size="5")
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
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + "/")
    search(page, "bygglv")
    expect(widget(page).get_by_role("status")).to_have_text(count_for(0, "bygglv"))
    suggestion = widget(page).get_by_role("button", name="Menade du ”bygglov”?")
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(widget(page).get_by_role("status")).to_have_text(count_for(1, "bygglov"))
    expect(widget(page).get_by_label("Sök i kunskapsbanken")).to_have_value("bygglov")
    expect(suggestion).to_be_hidden()
    expect(widget(page).locator("li a.title")).to_have_text([HOSTILE_TITLE])


# -- accessibility --------------------------------------------------------------------------------


def test_axe_finds_no_wcag21_aa_violations_in_the_widget(
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + "/")
    states = (("", "empty"), ("e-arkiv", "results"), ("bygglv", "zero results, a suggestion"))
    for query, state in states:
        if query:
            search(page, query)
            expect(widget(page).get_by_role("status")).to_have_text(re.compile(query))
        for context in (WIDGET_CONTEXT, None):
            results = Axe().run(page, context=context, options=AXE_OPTIONS)
            assert results.violations_count == 0, f"{state}: {results.generate_report()}"
    assert watched.console_errors == [] and watched.page_errors == []


def test_axe_does_see_inside_the_shadow_root(watched: Watched) -> None:
    # Control: an unlabelled field inside a <kb-search> shadow root must be reported, or the
    # clean runs above would prove nothing about the widget.
    page = watched.page
    page.set_content(
        "<!doctype html><html lang='sv'><head><title>Kontroll</title></head><body><main>"
        "<kb-search></kb-search></main></body></html>"
    )
    page.evaluate(
        """() => { const root = document.querySelector('kb-search').attachShadow({mode: 'open'});
           const div = document.createElement('div'); div.className = 'kb';
           div.appendChild(document.createElement('input')); root.appendChild(div); }"""
    )
    results = Axe().run(page, context=WIDGET_CONTEXT, options=AXE_OPTIONS)
    assert "label" in {v["id"] for v in results.response["violations"]}


def test_keyboard_reaches_box_button_and_hits_with_visible_focus(
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + "/")

    def focused() -> dict[str, str]:
        return dict(
            shadow(
                page,
                """root => { const e = root.activeElement; if (!e) return {tag: ''};
                   const s = getComputedStyle(e);
                   return {tag: e.localName, cls: e.className, outline: s.outlineStyle,
                           width: s.outlineWidth, colour: s.outlineColor}; }""",
            )
        )

    page.keyboard.press("Tab")
    box = focused()
    assert box["tag"] == "input" and box["outline"] == "solid" and box["width"] == "3px"
    assert contrast(box["colour"], "rgb(255, 255, 255)") >= 3.0
    page.keyboard.type("e-arkiv")
    page.keyboard.press("Enter")
    expect(widget(page).locator("li")).to_have_count(5)
    assert focused()["tag"] == "input"  # focus stays where the user typed
    page.keyboard.press("Tab")
    assert focused()["tag"] == "button"
    page.keyboard.press("Tab")
    link = focused()
    assert link["cls"] == "title" and link["outline"] == "solid"
    title = shadow(page, "root => root.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}$"))
    expect(page.locator("h1")).to_have_text(title)


def test_host_css_stays_out_and_widget_css_stays_in(
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + "/")
    search(page, "e-arkiv")
    expect(widget(page).locator("li")).to_have_count(5)
    styles = shadow(
        page,
        """root => Object.fromEntries(['label', 'input', 'button', 'a.title', '.snippet', 'mark',
             '.status'].map(sel => { const s = getComputedStyle(root.querySelector(sel));
             return [sel, {colour: s.color, size: parseFloat(s.fontSize), family: s.fontFamily,
                           background: s.backgroundColor}]; }))""",
    )
    for selector, style in styles.items():
        assert style["colour"] != RED, selector
        assert style["size"] < 24, selector
        assert not style["family"].startswith("serif"), selector
    # Our own styles apply under the host's strict CSP (style-src 'self', no 'unsafe-inline').
    assert styles["button"]["background"] == "rgb(11, 61, 122)"
    assert contrast(styles["mark"]["colour"], styles["mark"]["background"]) >= 4.5
    # ...and stop at the shadow boundary: the host's own ".title" paragraph keeps host styles.
    host_text = page.evaluate(
        "() => { const s = getComputedStyle(document.getElementById('host-text'));"
        " return [s.color, s.fontWeight, s.fontSize]; }"
    )
    assert host_text == [RED, "400", "40px"]


def test_widget_reflows_at_320_css_pixels(host: tuple[LiveServer, Host], watched: Watched) -> None:
    live, _app = host
    page = watched.page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live.url + "/")
    search(page, "e-arkiv")
    expect(widget(page).locator("li")).to_have_count(5)
    widths = shadow(
        page,
        """root => { const wrap = root.querySelector('.kb');
           const widest = Math.max(...[...root.querySelectorAll('*')].map(
             e => e.getBoundingClientRect().right));
           return {scroll: wrap.scrollWidth, client: wrap.clientWidth, widest,
                   page: document.documentElement.scrollWidth}; }""",
    )
    assert widths["scroll"] <= widths["client"]
    assert widths["page"] <= 320 and widths["widest"] <= 320


# -- errors ---------------------------------------------------------------------------------------


def test_unreachable_service_shows_a_friendly_message(
    host: tuple[LiveServer, Host], watched: Watched
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + "/closed")
    search(page, "e-arkiv")
    status = widget(page).get_by_role("status")
    expect(status).to_have_text(NETWORK_ERROR)
    expect(widget(page).locator("li")).to_have_count(0)
    expect(widget(page).get_by_label("Sök i kunskapsbanken")).to_be_editable()
    assert watched.page_errors == []  # the failure is handled, not thrown
    results = Axe().run(page, context=WIDGET_CONTEXT, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/fail-503", SERVER_ERROR),
        ("/fail-400", "Sökningen kunde inte göras: page_size måste vara ett heltal"),
    ],
)
def test_error_envelope_shows_a_friendly_message(
    host: tuple[LiveServer, Host], watched: Watched, path: str, message: str
) -> None:
    live, _app = host
    page = watched.page
    page.goto(live.url + path)
    search(page, "e-arkiv")
    expect(widget(page).get_by_role("status")).to_have_text(message)
    expect(widget(page).locator("li")).to_have_count(0)
    assert watched.page_errors == []


# -- the guide page and the script route ----------------------------------------------------------


def test_script_route_is_cacheable_and_readable_from_any_origin(service: LiveServer) -> None:
    status, headers, body = service.get("/widget/kb-search.js")
    assert status == 200
    assert headers["content-type"].startswith("text/javascript")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["cross-origin-resource-policy"] == "cross-origin"
    assert "max-age=86400" in headers["cache-control"] and headers.get("etag")
    assert b'customElements.define("kb-search"' in body
    # API text never goes through an HTML sink.
    assert not re.search(rb"innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write", body)
    same, _h, static_body = http_get(service.port, "/static/widget/kb-search.js")
    assert same == 200 and static_body == body


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_guide_page_is_linked_accessible_and_its_example_searches(
    service: LiveServer, watched: Watched, lang: str
) -> None:
    page = watched.page
    page.goto(f"{service.url}/?lang={lang}")
    name = "Bädda in sökningen" if lang == "sv" else "Embed the search"
    page.locator("footer").get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(r"/widget$"))
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("pre.code code").first).to_contain_text(
        f'<script src="{service.url}/widget/kb-search.js" defer></script>'
    )
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()

    # The live example runs under our own page CSP (default-src 'self'): styled and working.
    label = "Sök i kunskapsbanken" if lang == "sv" else "Search the knowledge base"
    search(page, "e-arkiv", label=label)
    expect(widget(page).get_by_role("status")).to_have_text(re.compile(r"e-arkiv"))
    expect(widget(page).locator("li")).to_have_count(5)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    assert watched.console_errors == [] and watched.page_errors == []
