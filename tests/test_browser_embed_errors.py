"""An error inside an intranet's iframe, in real Chromium: the /embed error page may be framed
by the same origins as the embed itself (else the frame is blocked and says nothing), carries no
site header, and leads back to the embedded search."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from kb.config import Settings
from tests.web_corpus import (
    BROWSER_MARKS,
    LiveServer,
    WebCorpus,
    browser_page,
    served_app,
)

pytestmark = BROWSER_MARKS

# Another origin than the service's 127.0.0.1 (the browser serves it), on the loopback too:
# Chromium blocks a public origin from framing a private address.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def intranet_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The intranet: a page that frames the address in its query string."""
    src = html.escape(unquote(environ.get("QUERY_STRING", "")))
    body = (
        "<!doctype html><html lang='sv'><head><title>Intranät</title></head><body>"
        f"<iframe title='Sök i Kunskapsbanken' src='{src}' style='width:900px;height:600px'>"
        "</iframe></body></html>"
    )
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body.encode()]


@pytest.fixture(scope="module")
def intranet() -> Iterator[LiveServer]:
    """Another origin than the service (another port), a real server: Chromium would block a
    page it made up itself from framing 127.0.0.1 (a private address)."""
    with LiveServer(intranet_app) as server:
        yield server


@pytest.fixture(scope="module")
def live(corpus: WebCorpus, intranet: LiveServer) -> Iterator[LiveServer]:
    settings = Settings(
        data_dir=corpus.settings.data_dir,
        frame_ancestors=f"'self' {intranet.url}",
        ingest_demo_on_start=False,
    )
    with served_app(settings) as (server, _kb):
        yield server


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser, 1000) as page:
        yield page


@pytest.mark.parametrize(
    ("query", "heading", "message", "back"),
    [
        ("region=okand", "Felaktig förfrågan", "okand", "Gör en ny sökning"),
        ("region=okand&lang=en", "Bad request", "okand", "Start a new search"),
        ("page=abc", "Felaktig förfrågan", "abc", "Gör en ny sökning"),
        # The frame's preset filter stays: the new search is the intranet's search again.
        ("region=fyrbodal&page=abc", "Felaktig förfrågan", "abc", "Gör en ny sökning"),
    ],
)
def test_an_error_in_the_embed_is_shown_in_the_intranets_frame(
    live: LiveServer,
    intranet: LiveServer,
    page: Page,
    query: str,
    heading: str,
    message: str,
    back: str,
) -> None:
    page.goto(f"{intranet.url}/?" + quote(f"{live.url}/embed?{query}"))
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text(heading)
    expect(frame.locator(".error-message")).to_contain_text(message)
    # No site header or footer in the frame: their links would open the whole site inside it.
    expect(frame.locator("header, footer")).to_have_count(0)
    inner = next(f for f in page.frames if f.url.startswith(live.url))
    assert Axe().run(inner, options=WCAG).violations_count == 0
    frame.get_by_role("link", name=back).click()
    expect(frame.locator(".hit").first).to_be_visible()
    assert "lang=en" in inner.url if "lang=en" in query else "lang=" not in inner.url
    assert ("region=fyrbodal" in inner.url) == ("region=fyrbodal" in query)


def test_an_unknown_embed_path_is_a_framed_404(
    live: LiveServer, intranet: LiveServer, page: Page
) -> None:
    page.goto(f"{intranet.url}/?" + quote(f"{live.url}/embed/finns-inte"))
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text("Sidan finns inte")
    expect(
        frame.get_by_role("link", name="Sökningen kommer från Kunskapsbanken")
    ).to_have_attribute("target", "_top")
