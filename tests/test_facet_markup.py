"""The facet values' HTML (web/facet_markup.py): what a user sees and ticks, escaped.

Built directly from search_view.Option values, no index needed; the results-page tests
(test_web_pages_results.py, the browser tests) cover the same markup on real pages.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask

from web.facet_markup import facet_options, year_options
from web.search_view import Option


def _option(value: str, label: str, count: int, *, selected: bool = False) -> Option:
    return Option("municipality", value, label, count, selected, f"f-municipality-{value}")


def test_each_value_is_a_labelled_checkbox_with_its_count_and_state() -> None:
    html = facet_options(
        [_option("1480", "Göteborg", 12345, selected=True), _option("1490", "Borås", 7)], "sv"
    )
    page = BeautifulSoup(f"<ul>{html}</ul>", "html.parser")
    boxes = page.select("li > input[type=checkbox]")
    assert [(b["name"], b["value"], b.has_attr("checked")) for b in boxes] == [
        ("municipality", "1480", True),
        ("municipality", "1490", False),
    ]
    first = page.find("label", attrs={"for": boxes[0]["id"]})
    # Thousands grouped the Swedish way (a narrow no-break space), English with a comma.
    assert first.get_text(" ", strip=True) == "Göteborg (12\u202f345)"
    en = facet_options([_option("1480", "Gothenburg", 12345)], "en")
    assert "(12,345)" in BeautifulSoup(str(en), "html.parser").get_text()


def test_a_value_no_hit_holds_is_disabled_unless_ticked() -> None:
    # Ticking it would empty the page; a ticked one must stay enabled to be unticked.
    html = facet_options(
        [_option("1490", "Borås", 0), _option("1480", "Göteborg", 0, selected=True)], "sv"
    )
    boxes = BeautifulSoup(str(html), "html.parser").select("input[type=checkbox]")
    assert [(b["value"], b.has_attr("disabled"), b.has_attr("checked")) for b in boxes] == [
        ("1490", True, False),
        ("1480", False, True),
    ]


def test_labels_values_and_ids_are_escaped() -> None:
    evil = _option('x"><script>', "<b>A & B</b>", 1)
    html = str(facet_options([evil], "sv"))
    assert "<script>" not in html and "<b>" not in html
    page = BeautifulSoup(html, "html.parser")
    assert page.find("input")["value"] == 'x"><script>'
    assert page.find("label").get_text(" ", strip=True) == "<b>A & B</b> (1)"


def test_a_region_lists_its_municipalities_in_a_list_named_after_it() -> None:
    kids = (_option("1438", "Dals-Ed", 3), _option("1435", "Tanum", 2))
    region = Option("region", "fyrbodal", "Fyrbodal", 5, False, "f-region-fyrbodal", children=kids)
    page = BeautifulSoup(str(facet_options([region], "sv")), "html.parser")
    nested = page.select_one("li > ul.facet-children")
    assert nested["aria-label"] == "Kommuner i Fyrbodal"
    assert [b["value"] for b in nested.select("input")] == ["1438", "1435"]


def test_year_links_mark_the_chosen_year(app: Flask) -> None:
    years = [
        Option("year", "2024", "2024", 1200, True, "f-year-2024", url="/search?a=1&b=2"),
        Option("year", "2023", "2023", 9, False, "f-year-2023", url="/search?year_from=2023"),
    ]
    with app.test_request_context("/search"):
        page = BeautifulSoup(str(year_options(years)), "html.parser")
    links = page.select("li > a")
    assert [a["href"] for a in links] == ["/search?a=1&b=2", "/search?year_from=2023"]
    assert links[0]["aria-current"] == "true" and not links[1].has_attr("aria-current")
    # The chosen year's link removes its filter, and says so as its chip does.
    assert links[0].get_text(" ", strip=True) == "Ta bort filtret 2024 (1\u202f200) ×"
    assert links[1].get_text(" ", strip=True) == "2023 (9)"
