"""The <kb-search> widget's accessibility in real Chromium on a host page on another origin: axe
(WCAG 2.1 AA) inside its shadow root, the keyboard and visible focus, the host's CSS kept out and
its own kept in under a strict CSP, reflow at 320 CSS pixels, and the guide page (/widget).

The widget_service and widget_host servers are shared session fixtures (conftest.py,
tests/widget_support.py).
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.web_corpus import BROWSER_MARKS, LiveServer, contrast
from tests.widget_support import (
    AXE_OPTIONS,
    RED,
    WIDGET_CONTEXT,
    Host,
    Watched,
    open_host,
    search,
    shadow,
    widget,
)

pytestmark = BROWSER_MARKS


# -- accessibility --------------------------------------------------------------------------------


def test_axe_finds_no_wcag21_aa_violations_in_the_widget(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched)
    states = (("", "empty"), ("e-arkiv", "results"), ("bygglv", "zero results, a suggestion"))
    for query, state in states:
        if query:
            search(page, query)
            expect(widget(page).get_by_role("status")).to_have_text(re.compile(query))
        for context in (WIDGET_CONTEXT, None):
            results = Axe().run(page, context=context, options=AXE_OPTIONS)
            assert results.violations_count == 0, f"{state}: {results.generate_report()}"
    assert widget_watched.console_errors == [] and widget_watched.page_errors == []


def test_axe_does_see_inside_the_shadow_root(widget_watched: Watched) -> None:
    # Control: an unlabelled field inside a <kb-search> shadow root must be reported, or the
    # clean runs above would prove nothing about the widget.
    page = widget_watched.page
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
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched)

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


def test_down_opens_the_suggestions_again_after_escape_as_on_the_site(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched)
    # A host dialog around the widget would close on an Escape that reached the host page.
    page.evaluate(
        "() => { window.escapes = 0; document.addEventListener('keydown',"
        " e => { if (e.key === 'Escape') window.escapes++; }); }"
    )
    box = widget(page).get_by_role("combobox", name="Sök i kunskapsbanken")
    box.focus()
    # Uddevalla, in the snippet's region (suggestions keep to it). The list to reopen is the one
    # for "udde": one for "udd" (a slow keystroke) may be shown first.
    with page.expect_response(lambda r: "/api/v1/suggest?q=udde&" in r.url) as answer:
        page.keyboard.type("udde")
    texts = [f"{s['text']} {s['description']}" for s in answer.value.json()["suggestions"]]
    listbox = widget(page).get_by_role("listbox", name="Förslag")
    options = listbox.get_by_role("option")
    expect(options).to_have_text(texts, use_inner_text=True)
    expect(options.filter(has_text="Uddevalla").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("udde")
    assert page.evaluate("window.escapes") == 0
    # Was: Down did nothing until a letter was typed. Now it opens the same list, nothing
    # highlighted, and the next Down moves into it.
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    assert options.all_inner_texts() == texts
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    # Closed by Tab and back with Shift+Tab: Down opens it too.
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(listbox).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    assert widget_watched.console_errors == [] and widget_watched.page_errors == []


def test_host_css_stays_out_and_widget_css_stays_in(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    page = open_host(widget_host, widget_watched)
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


def test_widget_reflows_at_320_css_pixels(
    widget_host: tuple[LiveServer, Host], widget_watched: Watched
) -> None:
    live, _app = widget_host
    page = widget_watched.page
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


# -- the guide page -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_guide_page_is_linked_accessible_and_its_example_searches(
    widget_service: LiveServer, widget_watched: Watched, lang: str
) -> None:
    page = widget_watched.page
    page.goto(f"{widget_service.url}/?lang={lang}")
    name = "Bädda in sökningen" if lang == "sv" else "Embed the search"
    page.locator("footer").get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(r"/widget$"))
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("pre.code code").first).to_contain_text(
        f'<script src="{widget_service.url}/widget/kb-search.js" defer></script>'
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
    assert widget_watched.console_errors == [] and widget_watched.page_errors == []
