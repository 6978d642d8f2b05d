"""The /embed iframe on an intranet page built as docs/embedding.md says, in real Chromium: the
frame fitted to its content with the guide's own height listener, on another origin.

A frame fitted to its content is as tall as its hits, so its paging links are far down the host
page; the next page must start where the reader can see it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect

from kb.config import Settings
from tests.web_corpus import BROWSER_MARKS, LiveServer, WebCorpus, browser_page, served_app

pytestmark = BROWSER_MARKS

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "embedding.md"
EXAMPLE = "https://kunskapsbanken.example"
VIEWPORT = (1000, 700)


def guide_listener() -> str:
    """The guide's script that fits the iframe to the height the embed posts."""
    blocks = re.findall(r"```html\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if "kunskapsbanken:height" in b)


class Intranet:
    """The intranet: a heading, then the frame of the ``src`` in its query string, then the
    guide's listener with the service's address in place of the example's."""

    service = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        src = query.get("src", [""])[0]
        above = int(query.get("above", ["0"])[0])  # px of news above the frame
        body = (
            "<!doctype html><html lang='sv'><head><title>Intranät</title></head><body>"
            f"<h1>Intranät</h1><p style='height:{above}px'>Nyheter och genvägar.</p>"
            f"<iframe src='{html.escape(src)}' title='Sök i Kunskapsbanken' width='100%'"
            " height='640'></iframe>" + guide_listener().replace(EXAMPLE, self.service)
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]


@pytest.fixture(scope="module")
def intranet() -> Iterator[tuple[LiveServer, Intranet]]:
    app = Intranet()
    with LiveServer(app) as server:
        yield server, app


@pytest.fixture(scope="module")
def live(corpus: WebCorpus, intranet: tuple[LiveServer, Intranet]) -> Iterator[LiveServer]:
    host, app = intranet
    settings = Settings(
        data_dir=corpus.settings.data_dir,
        frame_ancestors=f"'self' {host.url}",
        ingest_demo_on_start=False,
        rate_limit_pages="",
    )
    with served_app(settings) as (server, _kb):
        app.service = server.url
        yield server


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser, *VIEWPORT) as page:
        yield page


def frame_top(page: Page) -> float:
    return float(page.evaluate("document.querySelector('iframe').getBoundingClientRect().top"))


def test_the_next_page_in_a_fitted_frame_starts_in_view(
    live: LiveServer, intranet: tuple[LiveServer, Intranet], page: Page
) -> None:
    host, _app = intranet
    page.goto(f"{host.url}/?src={live.url}/embed%3Fpage_size%3D4")
    frame = page.frame_locator("iframe")
    expect(frame.locator(".hit")).to_have_count(4)
    # The guide's listener has fitted the frame to its content: taller than the window.
    page.wait_for_function("document.querySelector('iframe').offsetHeight > innerHeight + 200")
    assert frame_top(page) > 0  # the first load leaves the host page where it was: at its top
    first = frame.locator(".hit h3").first.inner_text()
    # The reader scrolls down the host page to the paging links and follows "Nästa".
    next_link = frame.locator(".pagination a", has_text="Nästa")
    next_link.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('iframe').getBoundingClientRect().top < 0")
    next_link.click()
    expect(frame.locator(".hit h3").first).not_to_have_text(first)
    # The new page's search box and first hits are where the reader looks, not far above.
    # (The frame's top edge is its 2 px border, just above the page it shows.)
    page.wait_for_function(
        "Math.abs(document.querySelector('iframe').getBoundingClientRect().top) < 5"
    )
    expect(frame.locator(".search-box")).to_be_in_viewport()
    expect(frame.locator(".hit").first).to_be_in_viewport()


def test_the_first_load_never_scrolls_the_host_page_to_the_frame(
    live: LiveServer, intranet: tuple[LiveServer, Intranet], page: Page
) -> None:
    host, _app = intranet
    # The frame starts below the window's bottom edge: its top is out of view, as after a
    # next page, but this is the host page's own load.
    page.goto(f"{host.url}/?above=900&src={live.url}/embed%3Fpage_size%3D4")
    expect(page.frame_locator("iframe").locator(".hit")).to_have_count(4)
    page.wait_for_function("document.querySelector('iframe').offsetHeight > 640")
    page.wait_for_timeout(300)  # a scroll would follow the frame's first rendering
    assert page.evaluate("scrollY") == 0
