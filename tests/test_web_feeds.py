"""Atom feeds of searches: valid Atom, newest first, scoped like the search, escaped, linked."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flask import Flask
from flask.testing import FlaskClient

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.web_corpus import BORAS, HOSTILE_TITLE, UDDEVALLA
from web.context import EXTENSION_KEY

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client: FlaskClient, query: str) -> ET.Element:
    response = client.get(f"/feed.atom?{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def test_feed_lists_the_search_latest_added_first_with_links(
    client: FlaskClient, app: Flask
) -> None:
    feed = _feed(client, f"q=e-arkiv&municipality={UDDEVALLA}")
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]
    expected = kb.search(
        SearchRequest(q="e-arkiv", sort="added", filters={"municipality": (UDDEVALLA,)})
    )
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [h.title for h in expected.hits]
    updated = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert "e-arkiv" in (feed.findtext(f"{ATOM}title") or "")
    first = entries[0]
    link = first.find(f"{ATOM}link")
    assert link is not None and link.get("href", "").endswith(f"/documents/{expected.hits[0].id}")
    assert first.find(f"{ATOM}category") is not None


def test_feeds_of_different_filters_have_different_titles(client: FlaskClient) -> None:
    # A feed reader lists feeds by title: "Fyrbodal" and "Borås" must not both be "nya dokument".
    titles = {
        query: _feed(client, f"{query}&lang=sv").findtext(f"{ATOM}title")
        for query in ("region=fyrbodal", f"municipality={BORAS}", f"q=e-arkiv&municipality={BORAS}")
    }
    assert titles == {
        "region=fyrbodal": "Kunskapsbanken: nya dokument – Fyrbodal",
        f"municipality={BORAS}": "Kunskapsbanken: nya dokument – Borås",
        f"q=e-arkiv&municipality={BORAS}": "Kunskapsbanken: nya dokument om ”e-arkiv” – Borås",
    }
    english = _feed(client, "region=fyrbodal&lang=en").findtext(f"{ATOM}title")
    assert english == "Kunskapsbanken: new documents – Fyrbodal"


def test_feed_escapes_document_text(client: FlaskClient) -> None:
    response = client.get("/feed.atom?q=bygglov")
    assert b"<script>" not in response.data
    feed = ET.fromstring(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert HOSTILE_TITLE in titles  # the text survives, as text


def test_results_page_links_its_feed_and_bad_parameters_are_400(client: FlaskClient) -> None:
    page = client.get("/search?q=e-arkiv&region=fyrbodal&page_size=2&page=2").get_data(as_text=True)
    assert 'type="application/atom+xml"' in page
    assert "/feed.atom?q=e-arkiv&amp;region=fyrbodal" in page
    assert "page=2" not in page.split("/feed.atom", 1)[1].split('"', 1)[0]
    assert client.get("/feed.atom?year_from=abc").status_code == 400
    assert client.get("/feed.atom?municipality=0000").status_code == 400


def test_a_partial_hit_in_a_feed_says_which_words_it_lacks(client: FlaskClient, app: Flask) -> None:
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]
    expected = kb.search(SearchRequest(q="bygglov e-tjänst", sort="added"))
    assert any(h.partial for h in expected.hits) and not all(h.partial for h in expected.hits)
    feed = _feed(client, "q=bygglov+e-tj%C3%A4nst")
    for entry, hit in zip(feed.findall(f"{ATOM}entry"), expected.hits, strict=True):
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert summary.startswith(f"Saknar: {', '.join(hit.missing)}. ") == hit.partial


def test_feed_language_follows_the_request_and_titles_their_document(client: FlaskClient) -> None:
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    english = _feed(client, "q=e-arkiv&lang=en")
    # Was xml:lang="sv" around the English title "new documents on ...".
    assert english.get(xml_lang) == "en"
    assert (english.findtext(f"{ATOM}title") or "").startswith("Kunskapsbanken: new documents")
    titles = [e.find(f"{ATOM}title") for e in english.findall(f"{ATOM}entry")]
    assert titles and all(t is not None and t.get(xml_lang) == "sv" for t in titles)
    swedish = _feed(client, "q=e-arkiv&lang=sv")
    assert swedish.get(xml_lang) == "sv"
    entries = swedish.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}title").get(xml_lang) is None for e in entries)


def test_downloads_and_the_feed_report_errors_in_their_own_kind(client: FlaskClient) -> None:
    # A script reading /search.json or a spreadsheet import of /search.csv gets an error it can
    # read, not an HTML page.
    data = client.get("/search.json?municipality=0000")
    assert data.status_code == 400 and data.is_json
    assert (
        data.get_json()["error"]["status"] == 400 and "0000" in data.get_json()["error"]["message"]
    )
    compare = client.get("/jamfor.json?region=finns-inte")
    assert compare.status_code == 400 and compare.is_json
    for path in ("/search.csv?year_from=abc", "/feed.atom?municipality=0000"):
        response = client.get(path)
        assert response.status_code == 400 and response.mimetype == "text/plain", path
        assert "<html" not in response.get_data(as_text=True)
    assert client.get("/search?municipality=0000").mimetype == "text/html"
