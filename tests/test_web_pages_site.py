"""The site's own pages through Flask's test client: the start page, the footer, the language
switch, the accessibility statement, OpenSearch, unique element ids, favicon and robots.txt."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.web_corpus import WebCorpus, soup

# One corpus and app for the three test_web_pages_* modules, as when they were one file.
WEB_CORPUS_GROUP = "web_pages"

# -- start page ---------------------------------------------------------------------------------


def test_start_page_has_labelled_search_box_focus_areas_regions_and_newest(
    client: FlaskClient, corpus: WebCorpus, app_kb: KnowledgeBase
) -> None:
    page = soup(client.get("/"))
    label = page.find("label", attrs={"for": "q"})
    assert label.get_text(strip=True) == "Sök i kunskapsbanken"
    assert page.find("input", id="q")["type"] == "search"
    # The five focus areas, each an entry point with its document count.
    infra = sum("digital-infrastruktur" in d.values("focus_areas") for d in corpus.all)
    links = {a["href"]: a for a in page.select("#focus-heading ~ ul a")}
    assert len(links) == 5
    entry = links["/search?focus_area=digital-infrastruktur"]
    assert entry.get_text(strip=True) == "Digital infrastruktur"
    assert f"{infra} dokument" in entry.parent.get_text()
    region_links = [a["href"] for a in page.select("#regions-heading ~ ul a")]
    assert "/search?region=fyrbodal" in region_links and "/search?region=sjuharad" in region_links
    fyrbodal = page.find("a", href="/search?region=fyrbodal").parent.get_text()
    expected = app_kb.search(SearchRequest(filters={"region": ("fyrbodal",)})).total
    assert f"{expected} dokument" in fyrbodal
    # New in the bank: the documents added last first (tests/test_feeds_added.py orders them),
    # each with its own date and the day it was added.
    newest = [h.get_text(strip=True) for h in page.select("#newest-heading ~ ol .hit-title")]
    latest = app_kb.search(SearchRequest(sort="added", page_size=6)).hits
    assert newest == [h.title for h in latest]
    first = page.select("#newest-heading ~ ol .hit")[0].get_text(" ", strip=True)
    assert f"Datum {latest[0].date}" in first and f"Tillagt {latest[0].added[:10]}" in first


def test_start_page_links_opensearch_and_accessibility_statement(client: FlaskClient) -> None:
    page = soup(client.get("/"))
    link = page.find("link", rel="search")
    assert link["type"] == "application/opensearchdescription+xml"
    assert link["href"] == "/opensearch.xml"
    assert page.find("a", href="/tillganglighet")
    assert page.find("a", class_="skip-link")["href"] == "#main"
    assert page.find("main", id="main")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_footer_api_link_opens_the_readable_api_page(client: FlaskClient, lang: str) -> None:
    footer = soup(client.get(f"/?lang={lang}")).find("footer")
    name = "Öppet API (JSON)" if lang == "sv" else "Open API (JSON)"
    link = footer.find("a", string=name)
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert soup(response).html["lang"] == lang


# -- language -----------------------------------------------------------------------------------


def test_english_switch_is_remembered_in_a_cookie(client: FlaskClient) -> None:
    response = client.get("/search?q=e-arkiv&lang=en")
    page = soup(response)
    assert page.html["lang"] == "en"
    assert (
        page.find("label", attrs={"for": "q"}).get_text(strip=True) == "Search the knowledge bank"
    )
    assert page.title.get_text() == "Search: e-arkiv – Kunskapsbanken"
    assert "kb_lang=en" in response.headers["Set-Cookie"]
    switch = page.find("a", attrs={"hreflang": "sv"})
    assert switch["href"] == "/search?q=e-arkiv&lang=sv" and switch["lang"] == "sv"
    # The next page without ?lang stays English (cookie); Swedish titles get lang="sv".
    later = soup(client.get("/search?q=e-arkiv"))
    assert later.html["lang"] == "en"
    assert later.select_one("#results .hit-title a")["lang"] == "sv"
    assert "Focus area" in [f.legend.get_text(strip=True) for f in later.select("#facets fieldset")]
    back = soup(client.get("/?lang=sv"))
    assert back.html["lang"] == "sv"


def test_accessibility_statement(client: FlaskClient) -> None:
    page = soup(client.get("/tillganglighet"))
    assert page.h1.get_text(strip=True) == "Tillgänglighetsredogörelse"
    text = page.get_text(" ", strip=True)
    assert "2018:1937" in text and "WCAG" in text and "DIGG" in text
    english = soup(client.get("/tillganglighet?lang=en"))
    assert english.h1.get_text(strip=True) == "Accessibility statement"


def test_opensearch_description(client: FlaskClient) -> None:
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    root = ElementTree.fromstring(response.data)
    assert root.findtext("os:ShortName", namespaces=ns) == "Kunskapsbanken"
    html_url = root.find("os:Url[@type='text/html']", ns)
    assert html_url is not None
    assert html_url.get("template") == "http://localhost/search?q={searchTerms}"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search",
        "/search?q=e-arkiv&municipality=1485&municipality=1490&focus_area=digital-infrastruktur",
        "/embed?q=e-arkiv",
    ],
)
def test_element_ids_are_unique(client: FlaskClient, url: str) -> None:
    # Duplicate ids break label/checkbox pairs and the in-place update of the results.
    page = soup(client.get(url))
    ids = [e["id"] for e in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for label in page.find_all("label", attrs={"for": True}):
        assert page.find(id=label["for"]) is not None, label


def test_crawlers_and_old_clients_get_answers_not_errors(client: FlaskClient) -> None:
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data().lstrip().startswith(b"<svg")
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    rules = robots.get_data(as_text=True).splitlines()
    # Result pages are endless filter combinations; documents are what a crawler should find.
    assert "Disallow: /search" in rules and "Disallow: /api" in rules
    assert not any(r.startswith("Disallow: /documents") for r in rules)
