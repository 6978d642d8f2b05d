"""Suggestions within a search's filters (kb.search.suggest_scope, /api/v1/suggest with filters):
what an intranet's widget scoped to its municipality or region suggests as you type.

Before, the suggestions ignored the scope: a widget of Uddevalla offered other municipalities'
titles, counted words over the whole bank ("e-arkiv finns i 21 dokument" where its search found
4), and a focus area led to the whole bank's search, out of the widget's scope.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask.testing import FlaskClient

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document
from tests.web_corpus import BORAS, JONKOPING, UDDEVALLA

WEB_CORPUS_GROUP = "web_api"


def _suggest(client: FlaskClient, query: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/suggest?" + query)
    assert response.status_code == 200, response.json
    suggestions: list[dict[str, Any]] = response.json["suggestions"]
    return suggestions


def _total(client: FlaskClient, url: str) -> int:
    """The hits the search an URL leads to finds (the API's search of its parameters)."""
    params = parse_qsl(urlsplit(url).query)
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.json
    total: int = response.json["total"]
    return total


def test_a_scoped_answer_counts_and_links_within_the_scope(client: FlaskClient) -> None:
    everywhere = _suggest(client, "q=e-ar")
    scoped = _suggest(client, f"q=e-ar&municipality={UDDEVALLA}")
    words = {s["text"]: s["count"] for s in scoped if s["kind"] == "word"}
    all_words = {s["text"]: s["count"] for s in everywhere if s["kind"] == "word"}
    assert words and all(words[w] < all_words[w] for w in words)  # fewer: Uddevalla's only
    for s in scoped:
        assert ("municipality", UDDEVALLA) in parse_qsl(urlsplit(s["url"]).query) or (
            s["kind"] == "title"
        ), s
        if s["kind"] == "title":
            doc = client.get(f"/api/v1/documents/{s['id']}").json
            assert UDDEVALLA in [m["value"] for m in doc["municipalities"]], s
    assert any(s["kind"] == "title" for s in scoped)
    # A filter value leads to the scope's search narrowed by it, and counts what that finds.
    focus = _suggest(client, f"q=digital&municipality={UDDEVALLA}")
    values = [s for s in focus if s["kind"] == "facet"]
    assert values
    for s in values:
        assert s["facet"] != "municipality"  # the scope fixes the municipality
        assert s["count"] == _total(client, s["url"]) > 0, s


def test_a_scope_the_bank_has_nothing_of_suggests_nothing(client: FlaskClient) -> None:
    assert _suggest(client, "q=e-ar&municipality=0114") == []  # Upplands Väsby: no documents


def test_an_unknown_scope_value_is_a_400_as_on_search(client: FlaskClient) -> None:
    response = client.get("/api/v1/suggest?q=e-ar&region=Fyrbodal")
    assert response.status_code == 400
    assert "fyrbodal" in response.json["error"]["message"]


def test_the_description_lists_the_filters_of_suggest(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    names = {p.get("name") for p in spec["paths"]["/api/v1/suggest"]["get"]["parameters"]}
    assert {"municipality", "region", "focus_area", "doc_type", "year_from"} <= names


def test_kb_counts_words_values_and_titles_within_the_scope(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document(
                "https://example.se/u",
                "Bredband i Uddevalla",
                "Bredband till alla hushåll.",
                focus_areas=("digital-infrastruktur",),
                municipalities=(UDDEVALLA,),
            ),
            make_document(
                "https://example.se/j1",
                "Bredbandsstrategi för Jönköping",
                "Bredband och bredbandsstrategi.",
                focus_areas=("digital-infrastruktur",),
                municipalities=(JONKOPING,),
            ),
            make_document(
                "https://example.se/j2",
                "Bredband på landsbygden",
                "Bredband i byarna.",
                focus_areas=("digital-infrastruktur", "digital-kompetens"),
                municipalities=(JONKOPING,),
            ),
        ],
    )
    scope = SearchRequest(filters={"municipality": (UDDEVALLA,)})
    found = kb.suggest("bred", scope=scope)
    assert [s.text for s in found if s.kind == "title"] == ["Bredband i Uddevalla"]
    assert {s.text: s.count for s in found if s.kind == "word"} == {"bredband": 1}
    found = kb.suggest("digital", scope=scope)
    assert [(s.value, s.count) for s in found if s.kind == "facet"] == [
        ("digital-infrastruktur", 1)
    ]
    # Unscoped, and a scope of no filter, suggest over the whole bank as before.
    for unscoped in (None, SearchRequest()):
        words = {s.text: s.count for s in kb.suggest("bred", scope=unscoped) if s.kind == "word"}
        assert words["bredband"] == 3
    assert kb.suggest("bred", scope=SearchRequest(filters={"municipality": (BORAS,)})) == []
