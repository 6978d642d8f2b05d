"""Facet values with hits are on show before those without (web/search_view.py), in Chromium:
a facet listed in the taxonomy's order must not show disabled values while values with hits
sit behind "Visa fler"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document
from tests.web_corpus import BROWSER_MARKS, browser_page, served_bank

pytestmark = BROWSER_MARKS

# The two last of the ten document types in the taxonomy's order (guide ... webpage, other),
# and the first: eight are shown before "Visa fler".
TYPES = ("webpage", "other", "guide")


def _fill(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document(
                f"https://kommun.se/bredband/{i}",
                f"Bredband {i}",
                f"Bredbandsutbyggnad nummer {i} på landsbygden.",
                doc_type=TYPES[i % 3],
            )
            for i in range(6)
        ]
        # A word only a guide has: a search whose hits are all of the taxonomy's first type.
        + [
            make_document(
                "https://kommun.se/fiber", "Fiberguide", "Om villafiber.", doc_type="guide"
            )
        ],
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_bank(tmp_path_factory.mktemp("facet_order") / "data", _fill) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser) as page:
        yield page


def test_types_with_hits_are_shown_before_types_without(live: str, page: Page) -> None:
    page.goto(live + "/search?q=bredband")
    facet = page.locator("#facet-doc_type")
    for value in TYPES:  # each has hits: on show and enabled, none behind "Visa fler"
        box = facet.locator(f"#f-doc_type-{value}")
        expect(box).to_be_visible()
        expect(box).to_be_enabled()
    boxes = facet.locator("input[type=checkbox]:visible")
    disabled = [boxes.nth(i).is_disabled() for i in range(boxes.count())]
    assert disabled[:3] == [False] * 3 and all(disabled[3:])  # then those without hits
    # The three keep the taxonomy's order among themselves.
    assert [boxes.nth(i).get_attribute("value") for i in range(3)] == ["guide", "webpage", "other"]


def test_a_ticked_type_without_hits_stays_on_show(live: str, page: Page) -> None:
    page.goto(live + "/search?q=bredband&doc_type=presentation")
    box = page.locator("#f-doc_type-presentation")
    expect(box).to_be_visible()
    expect(box).to_be_checked()
    # Unticked in place (the page swaps its facets), it is a value without hits again.
    box.uncheck()
    expect(page.locator("#facet-doc_type input:visible:not([disabled])")).to_have_count(3)


def test_show_more_says_when_the_values_it_opens_have_no_hits(live: str, page: Page) -> None:
    # Three types have hits and seven none: eight on show, the two behind "Visa fler" disabled.
    page.goto(live + "/search?q=bredband")
    summary = page.locator("#facet-doc_type details.facet-more > summary")
    expect(summary).to_have_text("Visa fler utan träffar (2)")
    page.goto(live + "/search?q=bredband&lang=en")
    expect(summary).to_have_text("Show more without hits (2)")


def test_show_all_moves_focus_to_the_first_new_value_with_hits(
    live: str, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web import search_view

    # Three values listed (the taxonomy's first: guide and two without hits), two on show.
    monkeypatch.setattr(search_view, "VISIBLE_VALUES", 2)
    monkeypatch.setattr(search_view, "LISTED_VALUES", 3)
    page.goto(live + "/search?q=bredband")
    group = page.locator("#facet-doc_type")
    group.locator("summary").click()
    group.locator("a.facet-all").click()
    expect(page.locator("#facet-doc_type input[type=checkbox]")).to_have_count(10)
    # The full group puts webpage (hits) second, before values listed already: focus goes there.
    assert page.evaluate("document.activeElement.id") == "f-doc_type-webpage"


def test_show_all_moves_focus_to_show_more_when_every_new_value_is_disabled(
    live: str, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web import search_view

    monkeypatch.setattr(search_view, "VISIBLE_VALUES", 2)
    monkeypatch.setattr(search_view, "LISTED_VALUES", 3)
    page.goto(live + "/search?q=villafiber")  # one guide: "Visa alla 10" brings only disabled
    group = page.locator("#facet-doc_type")
    expect(group.locator("input:not([disabled])")).to_have_count(1)
    group.locator("summary").click()
    group.locator("a.facet-all").click()
    expect(page.locator("#facet-doc_type input[type=checkbox]")).to_have_count(10)
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("document.activeElement.closest('#facet-doc_type') !== null")
