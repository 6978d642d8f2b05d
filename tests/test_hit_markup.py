"""One hit's HTML (web/hit_markup.py, behind ``_hit.html``'s macro): what an officer reads and
follows, with everything from the index escaped. The results-page tests cover real hits."""

from __future__ import annotations

from dataclasses import replace

from bs4 import BeautifulSoup
from flask import Flask, render_template_string

from kb.search.results import Hit
from web.hit_markup import hit_html

HIT = Hit(
    id="3a84c37d09f55761",
    title='Plan <b>"e-arkiv"</b> & co',
    url="https://uddevalla.se/plan.pdf",
    source="https://uddevalla.se/plan.pdf",
    date="2024-01-02",
    year=2024,
    doc_type="plan",
    focus_areas=("digital-kompetens",),
    municipalities=("1485",),
    regions=(),
    snippet="om <mark>e-arkiv</mark> &amp; mer",
    page=3,
    score=1.0,
    content_type="application/pdf",
    partial=True,
    missing=('"digital tjänst"',),
)


def _render(app: Flask, hit: Hit, **kw: object) -> BeautifulSoup:
    with app.test_request_context("/search?q=e-arkiv"):
        app.preprocess_request()
        return BeautifulSoup(str(hit_html(hit, **kw)), "html.parser")  # type: ignore[arg-type]


def test_title_links_the_document_and_foreign_text_is_escaped(app: Flask) -> None:
    page = _render(app, HIT)
    title = page.select_one("h3.hit-title a")
    assert title["href"] == "/documents/3a84c37d09f55761"
    assert title.get_text() == 'Plan <b>"e-arkiv"</b> & co'
    assert page.select_one("article")["aria-labelledby"] == page.select_one("h3")["id"]
    # The snippet keeps kb's <mark>, and nothing else of the document becomes markup.
    assert [m.get_text() for m in page.select(".snippet mark")] == ["e-arkiv"]
    assert not page.select("b")
    assert page.select_one(".partial-note").get_text() == 'Saknar: "digital tjänst"'


def test_metadata_links_to_the_filtered_search_and_pdf_links_open_at_the_page(
    app: Flask,
) -> None:
    page = _render(app, HIT)
    rows = {dt.get_text(): dt.find_next_sibling("dd") for dt in page.select("dl.meta dt")}
    assert rows["Kommuner"].a["href"] == "/search?municipality=1485"
    assert rows["Kommuner"].a.get_text() == "Uddevalla"
    assert rows["Källa"].get_text() == "uddevalla.se"
    assert rows["PDF"].get_text() == "Träff på sida 3"
    links = [a["href"] for a in page.select(".hit-links a")]
    assert links == [
        "https://uddevalla.se/plan.pdf#page=3",
        "/documents/3a84c37d09f55761/original#page=3",
    ]


def test_embed_links_keep_its_query_and_open_in_the_top_window(app: Flask) -> None:
    page = _render(
        app,
        replace(HIT, partial=False, page=None),
        doc_target="_top",
        doc_query="?lang=en&x=1",
        facet_url=lambda facet, value: f"/embed?{facet}={value}&lang=en",
    )
    title = page.select_one(".hit-title a")
    assert (title["href"], title["target"]) == ("/documents/3a84c37d09f55761?lang=en&x=1", "_top")
    assert page.select_one("dl.meta a")["href"].startswith("/embed?")
    assert not page.select(".partial-note")


def test_the_macro_gives_the_same_item(app: Flask) -> None:
    with app.test_request_context("/"):
        app.preprocess_request()
        html = render_template_string(
            '{% from "_hit.html" import hit_item with context %}'
            "{{ hit_item(hit, heading='h2', prefix='new', show_added=True) }}",
            hit=replace(HIT, added="2026-12-01T10:00:00"),
        )
        direct = hit_html(
            replace(HIT, added="2026-12-01T10:00:00"), heading="h2", prefix="new", show_added=True
        )
    assert html == str(direct)
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("h2#new-3a84c37d09f55761")
    assert page.select_one("time[datetime='2026-12-01T10:00:00']").get_text() == "2026-12-01"


def test_embed_also_at_a_file_copy_keeps_its_query(app: Flask) -> None:
    # A copy kept as a file has no web address: the link is its document page, which in the
    # embed must keep the frame's ?lang= as the title's link does (no cookie in a third-party
    # iframe), and a web address is left as it is.
    also_at = (("/srv/arkiv/plan.pdf", "0123456789abcdef"), ("https://region.se/plan.pdf", "f1"))
    page = _render(app, replace(HIT, also_at=also_at), doc_target="_top", doc_query="?lang=en&x=1")
    links = [(a["href"], a["target"]) for a in page.select("dl.meta dd a")[:2]]
    assert links == [
        ("/documents/0123456789abcdef?lang=en&x=1", "_top"),
        ("https://region.se/plan.pdf", "_top"),
    ]
