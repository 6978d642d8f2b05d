"""The embed builder (/inbaddning) in real Chromium: choices change the snippet and the live
preview, the copy button copies by keyboard and announces "Kopierad", axe finds nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from kb.service import KnowledgeBase
from tests.web_corpus import BROWSER_MARKS, LiveServer, axe_clean, browser_page

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(live_site: tuple[LiveServer, KnowledgeBase]) -> LiveServer:
    return live_site[0]  # conftest's, served once per module


@pytest.fixture
def page(browser: Any, server: LiveServer) -> Iterator[Page]:
    with browser_page(browser) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        yield page


def test_server_renders_the_snippet_without_script(client: FlaskClient) -> None:
    response = client.get(
        "/inbaddning?region=fyrbodal&focus_area=digital-trygghet&widget_lang=en&page_size=10"
    )
    page = BeautifulSoup(response.data, "html.parser")
    code = page.find("textarea", id="snippet").get_text()
    assert code.startswith('<script src="http://localhost/widget/kb-search.js" defer></script>')
    assert (
        '<kb-search focus-area="digital-trygghet" region="fyrbodal" lang="en" page-size="10">'
        in code
    )
    preview = page.find(id="preview").find("kb-search")
    assert preview["region"] == "fyrbodal" and preview["lang"] == "en"
    iframe = BeautifulSoup(
        client.get("/inbaddning?kind=iframe&doc_type=guide&height=9999").data, "html.parser"
    )
    code = iframe.find("textarea", id="snippet").get_text()
    assert 'src="http://localhost/embed?doc_type=guide&amp;lang=sv"' in code
    assert 'height="2000"' in code  # clamped
    assert iframe.find(id="preview").find("iframe")["src"] == "/embed?doc_type=guide&lang=sv"


def test_choices_update_snippet_and_live_preview(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/inbaddning")
    axe_clean(page)
    snippet = page.locator("#snippet")
    page.get_by_label("Digital trygghet").check()
    page.get_by_label("Fyrbodal").check()
    expect(snippet).to_have_value(re.compile(r'focus-area="digital-trygghet" region="fyrbodal"'))
    widget = page.locator("#preview kb-search")
    expect(widget).to_have_attribute("focus-area", "digital-trygghet")
    # The preview is the real widget: it searches the service within the chosen scope.
    box = page.locator("#preview kb-search input[type=search]")
    box.fill("e-arkiv")
    box.press("Enter")
    expect(page.locator("#preview kb-search [role=status]")).to_contain_text("träff")
    assert "focus_area=digital-trygghet" in page.url and "region=fyrbodal" in page.url
    page.get_by_label("Hela sökningen med filter (iframe)").check()
    frame = page.locator("#preview iframe")
    expect(frame).to_have_attribute(
        "src", re.compile(r"^/embed\?focus_area=digital-trygghet&region=fyrbodal&lang=sv$")
    )
    expect(page.frame_locator("#preview iframe").locator("#result-count")).to_be_visible()
    expect(snippet).to_have_value(re.compile(r"<iframe src=\"http://127\.0\.0\.1:\d+/embed\?"))
    axe_clean(page)


def test_copy_by_keyboard_announces_and_fills_the_clipboard(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/inbaddning?region=skaraborg&widget_lang=en")
    button = page.get_by_role("button", name="Kopiera koden")
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator("#copy-status")
    expect(status).to_have_text("Kopierad")
    assert status.get_attribute("role") == "status"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#snippet").input_value()
    assert 'region="skaraborg"' in copied and 'lang="en"' in copied
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press("Space")  # a button answers Space too
    expect(status).to_have_text("Kopierad")
    assert page.evaluate("navigator.clipboard.readText()") == copied
    axe_clean(page)
