"""/api/v1: the versioned API and its /api alias, one error envelope on every path and status,
public parameter names in messages, CORS by the allowlist, ETag/Cache-Control and the docs page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from kb.config import Settings
from kb.errors import ConfigError, IndexError_
from kb.service import KnowledgeBase
from tests.web_corpus import UDDEVALLA, WebCorpus
from web.app import create_app
from web.context import EXTENSION_KEY

GETS = [
    "/search?q=e-arkiv&page_size=3",
    "/taxonomy",
    "/facets",
    "/health",
    "/openapi.json",
]


def _spec(client: FlaskClient) -> dict[str, Any]:
    data: dict[str, Any] = client.get("/api/v1/openapi.json").json
    return data


def _valid(spec: dict[str, Any], name: str, instance: Any) -> None:
    schema = {**spec, "$ref": f"#/components/schemas/{name}"}
    errors = list(Draft202012Validator(schema).iter_errors(instance))
    assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"


@pytest.mark.parametrize("path", GETS)
def test_api_is_an_alias_of_v1(client: FlaskClient, path: str) -> None:
    v1 = client.get("/api/v1" + path)
    alias = client.get("/api" + path)
    assert v1.status_code == alias.status_code == 200
    assert v1.json == alias.json
    assert v1.headers["ETag"] == alias.headers["ETag"]


def test_document_under_v1(client: FlaskClient, corpus: WebCorpus) -> None:
    data = client.get(f"/api/v1/documents/{corpus.pdf.id}").json
    assert data["id"] == corpus.pdf.id and data["title"] == corpus.pdf.title
    assert data == client.get(f"/api/documents/{corpus.pdf.id}").json


def test_taxonomy_facets_and_health_answer_what_the_search_takes(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    spec = _spec(client)
    taxonomy = client.get("/api/v1/taxonomy").json
    _valid(spec, "Taxonomy", taxonomy)
    codes = {m["code"] for m in taxonomy["municipalities"]}
    assert UDDEVALLA in codes
    assert any(r["id"] == "fyrbodal" and UDDEVALLA in r["members"] for r in taxonomy["regions"])

    facets = client.get("/api/v1/facets?lang=en").json
    _valid(spec, "FacetList", facets)
    by_id = {f["id"]: f for f in facets["facets"]}
    municipality = by_id["municipality"]
    assert municipality["parameters"] == ["municipality"] and municipality["label"]
    counts = {v["value"]: v["count"] for v in municipality["values"]}
    # The counts are the documents a filtered search finds.
    filtered = client.get(f"/api/v1/search?municipality={UDDEVALLA}").json
    assert counts[UDDEVALLA] == filtered["total"] > 0

    health = client.get("/api/v1/health").json
    _valid(spec, "Health", health)
    assert health == {"status": "ok", "version": "v1", "documents": len(corpus.all)}


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api", 404),
        ("GET", "/api/v1", 404),
        ("GET", "/api/v1/", 404),
        ("GET", "/api/v1/nothing-here", 404),
        ("GET", "/api/v1/documents/0000000000000000", 404),
        ("GET", "/api/v1/search?page=abc", 400),
        ("GET", "/api/v1/search?sort=sideways", 400),
        ("POST", "/api/v1/search", 405),
        ("PUT", "/api/v1/health", 405),
        ("DELETE", "/api", 404),
    ],
)
def test_every_path_and_status_uses_the_envelope(
    client: FlaskClient, method: str, url: str, status: int
) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.json == {
        "error": {"status": status, "message": response.json["error"]["message"]}
    }
    assert response.json["error"]["message"]
    assert response.headers["Cache-Control"] == "no-store"
    _valid(_spec(client), "Error", response.json)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("year_from=abc", "year_from"),
        ("year_to=x", "year_to"),
        ("page=abc", "page"),
        ("page_size=big", "page_size"),
        ("sort=sideways", "sort"),
        ("year_from=2020&year_to=2010", "year_from"),
    ],
)
def test_api_messages_name_the_public_parameter(
    client: FlaskClient, query: str, named: str
) -> None:
    for lang in ("sv", "en"):
        message = client.get(f"/api/v1/search?{query}&lang={lang}").json["error"]["message"]
        assert named in message
        assert "Från år" not in message and "From year" not in message


def test_the_page_keeps_its_label_in_messages(client: FlaskClient) -> None:
    page = client.get("/search?year_from=abc")
    assert "Från år måste vara ett heltal" in page.get_data(as_text=True)


def test_server_error_and_unavailable_index_use_the_envelope(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    def locked(*args: object, **kwargs: object) -> None:
        raise IndexError_("index unreadable")

    for fail, status in ((broken, 500), (locked, 503)):
        monkeypatch.setattr(kb, "search", fail)
        response = client.get("/api/v1/search?q=e-arkiv")
        assert response.status_code == status
        assert response.json["error"]["status"] == status
        assert "boom" not in response.json["error"]["message"]
        assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def limited_app(corpus: WebCorpus) -> Iterator[Flask]:
    settings = replace(corpus.settings, rate_limit_api="2 per minute")
    app = create_app(settings, {"TESTING": True})
    yield app
    app.extensions[EXTENSION_KEY].close()


def test_too_many_requests_use_the_envelope(limited_app: Flask) -> None:
    client = limited_app.test_client()
    statuses = [client.get("/api/v1/health").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/health")
    assert response.json["error"]["status"] == 429
    assert int(response.headers["Retry-After"]) > 0


def test_cors_any_origin_by_default(client: FlaskClient) -> None:
    response = client.get("/api/v1/search?q=arkiv", headers={"Origin": "https://x.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/search",
        headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_a_preflight_allows_the_headers_asked_for_and_costs_no_request(limited_app: Flask) -> None:
    # An intranet's HTTP helper that sends Content-Type (or X-Requested-With) on every call made
    # the browser ask first; only If-None-Match was allowed, so every search was refused, and
    # each preflight counted against the limit (a 429 to it hid the real answer).
    client = limited_app.test_client()
    asked = {
        "Origin": "https://intranet.example.se",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "content-type, x-requested-with",
    }
    for _ in range(3):
        preflight = client.options("/api/v1/search", headers=asked)
        assert preflight.status_code == 200
        allowed = {
            h.strip().lower() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")
        }
        assert {"if-none-match", "content-type", "x-requested-with"} <= allowed
        assert "Access-Control-Request-Headers" in preflight.headers.get_all("Vary")
    assert [client.get("/api/v1/health").status_code for _ in range(3)] == [200, 200, 429]
    # Only header names are echoed back.
    odd = client.options(
        "/api/v1/search", headers={**asked, "Access-Control-Request-Headers": "x-a; x-b=1"}
    )
    assert odd.headers["Access-Control-Allow-Headers"] == "If-None-Match"
    # A line break between names is no whitespace of HTTP's: echoed, it would split the header.
    folded = client.options(
        "/api/v1/search",
        headers=asked,
        environ_overrides={"HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "x-a,\r\nx-b"},
    )
    assert folded.status_code == 200
    assert folded.headers["Access-Control-Allow-Headers"] == "If-None-Match"


@pytest.fixture
def allowlist_app(corpus: WebCorpus) -> Iterator[Flask]:
    settings = replace(
        corpus.settings, api_cors_origins="https://intranet.example.se https://insidan.example"
    )
    app = create_app(settings, {"TESTING": True})
    yield app
    app.extensions[EXTENSION_KEY].close()


def test_cors_allowlist_narrows_the_origins(allowlist_app: Flask) -> None:
    client = allowlist_app.test_client()
    listed = client.get("/api/v1/health", headers={"Origin": "https://insidan.example"})
    assert listed.headers["Access-Control-Allow-Origin"] == "https://insidan.example"
    assert "Origin" in listed.headers.get_all("Vary")
    other = client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Origin" in other.headers.get_all("Vary")
    error = client.get("/api/nothing", headers={"Origin": "https://intranet.example.se"})
    assert error.headers["Access-Control-Allow-Origin"] == "https://intranet.example.se"


@pytest.mark.parametrize("bad", ["https://a.example/path", "intranet.example", "a.example,b", ""])
def test_an_invalid_allowlist_is_refused(corpus: WebCorpus, bad: str) -> None:
    with pytest.raises(ConfigError, match="api_cors_origins"):
        create_app(replace(corpus.settings, api_cors_origins=bad), {"TESTING": True})


def test_settings_read_the_allowlist_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KB_API_CORS_ORIGINS", "https://a.example")
    assert Settings.from_env().api_cors_origins == "https://a.example"
    assert Settings().api_cors_origins == "*"


@pytest.mark.parametrize("path", GETS)
def test_etag_and_cache_control_give_304(client: FlaskClient, path: str) -> None:
    first = client.get("/api/v1" + path)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1" + path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    stale = client.get("/api/v1" + path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_another_answer_has_another_etag(client: FlaskClient) -> None:
    one = client.get("/api/v1/search?q=e-arkiv").headers["ETag"]
    two = client.get("/api/v1/search?q=bygglov").headers["ETag"]
    assert one != two


def test_openapi_describes_v1(client: FlaskClient) -> None:
    spec = _spec(client)
    assert spec["openapi"].startswith("3.1")
    for name in ("search", "documents/{id}", "taxonomy", "facets", "health", "openapi.json"):
        assert f"/api/v1/{name}" in spec["paths"]
    assert "alias" in spec["info"]["description"]
    assert client.get("/api/openapi.json").json == spec


@pytest.mark.parametrize(
    ("lang", "heading", "error_word"),
    [("sv", "JSON-API:t", "Fel"), ("en", "The JSON API", "Errors")],
)
def test_docs_page_in_both_languages(
    client: FlaskClient, lang: str, heading: str, error_word: str
) -> None:
    response = client.get(f"/api/v1/docs?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "style-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    page = BeautifulSoup(response.data, "html.parser")
    assert page.html["lang"] == lang
    assert heading in page.h1.get_text()
    assert error_word in [h.get_text() for h in page.find_all("h2")]
    addresses = [td.get_text() for td in page.select("table")[0].select("td code")]
    assert all(td.get_text(strip=True) for td in page.select("table")[0].select("td"))
    assert "GET /api/v1/search" in addresses and "GET /api/v1/health" in addresses
    params = [td.get_text() for td in page.select("table")[1].select("td code")]
    assert {"q", "municipality", "region", "year_from", "page_size"} <= set(params)
    assert page.find("a", href="/api/v1/openapi.json")
    assert "Set-Cookie" not in response.headers


def test_a_bad_sort_or_reversed_years_is_told_in_the_requested_language(
    client: FlaskClient,
) -> None:
    for query, swedish, english in (
        ("sort=bogus", "Okänd sortering (sort): ”bogus”", "Unknown sort order (sort): “bogus”"),
        ("year_from=2025&year_to=2020", "är senare än year_to (2020)", "is later than year_to"),
    ):
        sv = client.get(f"/api/v1/search?{query}")
        en = client.get(f"/api/v1/search?{query}&lang=en")
        assert sv.status_code == en.status_code == 400
        assert swedish in sv.json["error"]["message"]
        assert english in en.json["error"]["message"]


def test_an_unknown_filter_value_is_told_in_the_requested_language(client: FlaskClient) -> None:
    en = client.get("/api/v1/search?municipality=9999&lang=en")
    assert en.status_code == 400
    assert en.json["error"]["message"] == (
        "Unknown value for municipality: 9999. The values are listed at /api/v1/taxonomy."
    )
    page = client.get("/search?municipality=9999")
    message = BeautifulSoup(page.data, "html.parser").select_one(".error-message").get_text()
    assert page.status_code == 400
    assert message == "Okänt värde för Kommun: 9999. Värdena finns i /api/v1/taxonomy."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # The label written for the id, as an intranet copies it from the pages.
        ("region=Fyrbodal", "Okänt värde för region: Fyrbodal. Menade du fyrbodal (Fyrbodal)?"),
        ("region=Borasregionen", "region: Borasregionen. Menade du sjuharad (Boråsregionen)?"),
        ("municipality=Uddevalla", "Menade du 1485 (Uddevalla)?"),
        ("focus_area=Digital%20trygghet", "Menade du digital-trygghet (Digital trygghet)?"),
        ("doc_type=guide&doc_type=rapport", "Välj bland: guide, project, decision, notice, plan,"),
        ("region=Fyrbodal&lang=en", "Unknown value for region: Fyrbodal. Did you mean fyrbodal"),
        # The label in the message's language, whichever language's label was written.
        ("doc_type=Handlingsplan&lang=en", "Did you mean plan (Action plan)?"),
        ("doc_type=Action%20plan", "Menade du plan (Handlingsplan)?"),
    ],
)
def test_an_unknown_filter_value_says_what_to_write(
    client: FlaskClient, query: str, message: str
) -> None:
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert message in response.json["error"]["message"]


@pytest.mark.parametrize(
    ("query", "named", "allowed"),
    [
        ("page_size=0", "page_size", "1"),
        ("page_size=-5", "page_size", "100"),
        ("page=0", "page", "1"),
        ("page=-1", "page", "1"),
    ],
)
def test_api_refuses_paging_below_one_naming_the_range(
    client: FlaskClient, query: str, named: str, allowed: str
) -> None:
    # The schema says minimum 1: a client sending 0 hears so instead of getting page 1 silently.
    for lang in ("sv", "en"):
        response = client.get(f"/api/v1/search?q=e-arkiv&{query}&lang={lang}")
        assert response.status_code == 400
        message = response.json["error"]["message"]
        assert named in message and allowed in message
        assert query.split("=")[1] in message


def test_results_page_with_page_zero_shows_the_first_page(client: FlaskClient) -> None:
    # A hand-edited or old link on a page: the first page with the default size, not an error.
    def hits(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        return [a.get_text(" ", strip=True) for a in page.select("main h2 a, main h3 a")]

    first = hits("/search?q=e-arkiv")
    assert first
    for query in ("page=0", "page=-1", "page_size=0", "page_size=-5"):
        assert hits(f"/search?q=e-arkiv&{query}") == first, query
