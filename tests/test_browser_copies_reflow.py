"""One original at several long addresses on a 320 px screen (WCAG 2.1 1.4.10 Reflow): the
'Finns även på' addresses wrap inside the hit instead of widening the page (web/hit_markup.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document
from tests.copies_support import PLAN
from tests.web_corpus import BROWSER_MARKS, browser_page, served_bank

pytestmark = BROWSER_MARKS

# Addresses as municipal sites write them: long, and no space or hyphen to wrap at early.
LONG = (
    "https://www.kommun.se/download/18.4f2a1c3b17790e0d1f2a/1614850000000/handlingsplan.pdf",
    "https://www.region.se/download/18.7a8b9c0d175e1f2a3b4/1606000000000/handlingsplan.pdf",
)


def _long_addresses(kb: KnowledgeBase) -> None:
    add_documents(
        kb, [make_document(url, "Handlingsplan", PLAN, municipalities=("1484",)) for url in LONG]
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_bank(tmp_path_factory.mktemp("reflow") / "data", _long_addresses) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser, 320, 800) as page:
        yield page


@pytest.mark.parametrize("path", ["/search", "/embed", "/documents/"])
def test_the_other_addresses_wrap_at_320_px(live: str, page: Page, path: str) -> None:
    if path == "/documents/":
        page.goto(live + "/search?q=tillg%C3%A4nglighet")
        page.locator("li.hit h2 a, li.hit h3 a").first.click()
    else:
        page.goto(live + path + "?q=tillg%C3%A4nglighet")
    expect(page.locator("dt", has_text="Finns även på").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path}: the page scrolls sideways by {overflow} px at 320 px"
