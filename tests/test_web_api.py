"""The JSON API: same search as the pages, CORS for any origin, no cookies, one error envelope."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.search.request import SearchRequest
from kb.search.serialize import search_json
from kb.service import KnowledgeBase
from tests.web_corpus import BORAS, UDDEVALLA, WebCorpus
from web.context import EXTENSION_KEY


@pytest.fixture
def kb(app: Flask) -> KnowledgeBase:
    return app.extensions[EXTENSION_KEY]


def test_api_search_returns_the_search_result(client: FlaskClient, kb: KnowledgeBase) -> None:
    response = client.get(
        f"/api/search?q=e-arkiv&municipality={UDDEVALLA}&municipality={BORAS}"
        "&focus_area=digital-infrastruktur&sort=newest&page=1&page_size=5"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    expected = search_json(
        kb.search(
            SearchRequest(
                q="e-arkiv",
                sort="newest",
                page_size=5,
                filters={
                    "municipality": (UDDEVALLA, BORAS),
                    "focus_area": ("digital-infrastruktur",),
                },
            )
        ),
        taxonomy=kb.taxonomy,
    )
    assert response.json == expected
    assert response.json["total"] > 0 and len(response.json["results"]) <= 5
    assert "Borås" in response.data.decode()  # Swedish letters as they are, not \u escapes


def test_api_sends_cors_and_no_cookies(client: FlaskClient) -> None:
    response = client.get("/api/search?q=arkiv&lang=en", headers={"Origin": "https://x.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options("/api/search", headers={"Origin": "https://x.example"})
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_api_document(client: FlaskClient, corpus: WebCorpus) -> None:
    response = client.get(f"/api/documents/{corpus.pdf.id}")
    assert response.status_code == 200
    data = response.json
    assert data["id"] == corpus.pdf.id and data["title"] == corpus.pdf.title
    assert [p["number"] for p in data["pages"]] == [1, 2]
    assert data["links"]["kept_copy"].endswith(f"/documents/{corpus.pdf.id}/original")
    assert data["links"]["page"].endswith(f"/documents/{corpus.pdf.id}")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    # Asked in English, the page link is the English page (the client's users have no cookie).
    english = client.get(f"/api/v1/documents/{corpus.pdf.id}?lang=en").json
    assert english["links"]["page"].endswith(f"/documents/{corpus.pdf.id}?lang=en")


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api/search?page=abc", 400),
        ("GET", "/api/search?municipality=9999", 400),
        ("GET", "/api/search?sort=sideways", 400),
        ("GET", "/api/documents/0000000000000000", 404),
        ("GET", "/api/documents/bad..id", 404),
        ("GET", "/api/documents/%C3%A5rsrapport", 404),
        ("GET", "/api/nothing-here", 404),
        ("POST", "/api/search", 405),
        ("DELETE", "/api/documents/0000000000000000", 405),
    ],
)
def test_every_api_error_uses_the_envelope(
    client: FlaskClient, method: str, url: str, status: int
) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert set(response.json) == {"error"}
    error = response.json["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers


def test_html_errors_stay_html(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Access-Control-Allow-Origin" not in response.headers
