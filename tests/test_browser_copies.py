"""One original under several addresses in Chromium: one hit that says where else it is
published, counted once (kb.search.copies, web/hit_markup.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.copies_support import file_bank, web_bank
from tests.web_corpus import BROWSER_MARKS, axe_clean, browser_page, served_bank

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # One plan at kommun.se and at region.se, and another document.
    with served_bank(tmp_path_factory.mktemp("copies") / "data", web_bank) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    with browser_page(browser) as page:
        yield page


def test_the_plan_is_one_hit_that_links_its_other_address(live: str, page: Page) -> None:
    page.goto(live + "/search?q=tillg%C3%A4nglighet")
    expect(page.locator("#result-count")).to_contain_text("2 träffar")
    hits = page.locator("li.hit")
    expect(hits).to_have_count(2)
    plan = hits.filter(has_text="Handlingsplan")
    expect(plan).to_have_count(1)
    also = plan.locator("dt", has_text="Finns även på")
    expect(also).to_be_visible()
    link = plan.locator("dd a[href$='plan.pdf']")
    expect(link).to_be_visible()
    shown = {"https://kommun.se/plan.pdf", "https://region.se/dokument/plan.pdf"}
    original = plan.locator("ul.hit-links a").first.get_attribute("href")
    assert {link.get_attribute("href"), original} == shown  # the one it is not shown under
    # The document type's count is the hits, not the addresses.
    expect(page.locator("label[for='f-doc_type-other']")).to_contain_text("(2)")


def test_the_suggestions_count_the_plan_once_as_the_results_do(live: str, page: Page) -> None:
    page.goto(live + "/search")
    box = page.get_by_role("combobox", name="Sök i kunskapsbanken")
    box.focus()
    page.keyboard.type("lysek")
    options = page.get_by_role("listbox", name="Förslag").get_by_role("option")
    lysekil = options.filter(has_text="Lysekil").first
    # The plan at two addresses and another document: two, as the results page will say.
    expect(lysekil).to_contain_text("2 träffar")
    lysekil.click()
    expect(page.locator("#result-count")).to_contain_text("2 träffar")
    box = page.get_by_role("combobox", name="Sök i kunskapsbanken")
    box.fill("")
    box.focus()
    page.keyboard.type("handlingsp")
    word = options.filter(has_text="handlingsplan finns i")
    expect(word).to_contain_text("handlingsplan finns i 1 dokument")


@pytest.mark.parametrize(
    ("lang", "label", "also"),
    [
        ("sv", "Sök i kunskapsbanken", "Finns även på"),
        ("en", "Search the knowledge base", "Also at"),
    ],
)
def test_the_widget_names_the_plans_other_address_as_the_page_does(
    live: str, page: Page, lang: str, label: str, also: str
) -> None:
    # The <kb-search> example on the guide page: its hits come from the JSON API's also_at.
    page.goto(f"{live}/widget?lang={lang}")
    widget = page.locator("kb-search")
    box = widget.get_by_label(label)
    box.fill("tillgänglighet")
    box.press("Enter")
    hits = widget.locator("ul.hits > li")
    expect(hits).to_have_count(2)
    plan = hits.filter(has_text="Handlingsplan")
    expect(plan.locator("p.also")).to_contain_text(also + ":")
    link = plan.locator("p.also a")
    expect(link).to_have_count(1)
    shown = {"https://kommun.se/plan.pdf", "https://region.se/dokument/plan.pdf"}
    assert link.get_attribute("href") in shown
    assert link.get_attribute("target") == "_top"
    lone = hits.filter(has_text="Lokaler")
    expect(lone).to_have_count(1)  # else the next line would hold of a hit that is not there
    expect(lone.locator("p.also")).to_have_count(0)
    axe_clean(page)


@pytest.fixture(scope="module")
def file_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The plan from an officer's file and at kommun.se, and another document.
    with served_bank(tmp_path_factory.mktemp("file-copies") / "data", file_bank) as url:
        yield url


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_widget_names_a_file_copy_as_the_page_does(
    file_live: str, page: Page, lang: str
) -> None:
    # The page names the file by its name, linked to that copy's document page; the widget
    # used to show the kept copy's download address instead.
    page.goto(f"{file_live}/search?q=tillg%C3%A4nglighet&lang={lang}")
    on_page = page.locator("li.hit dd.break a")
    expect(on_page).to_have_count(1)
    name, href = on_page.inner_text(), on_page.get_attribute("href")
    assert name == "plan.pdf" and href is not None and "/original" not in href
    page.goto(f"{file_live}/widget?lang={lang}")
    widget = page.locator("kb-search")
    box = widget.locator("input[type=search]")
    box.fill("tillgänglighet")
    box.press("Enter")
    link = widget.locator("ul.hits > li p.also a")
    expect(link).to_have_count(1)
    expect(link).to_have_text(name)
    # In the widget's language, as its titles' links (no cookie of the service reaches them).
    in_lang = "?lang=en" if lang == "en" else ""
    assert link.get_attribute("href") == file_live + href.split("?")[0] + in_lang
    assert link.get_attribute("target") == "_top"
