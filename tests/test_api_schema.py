"""The JSON API keeps to its OpenAPI description (/api/openapi.json), and every field it sends is
described there: real responses of the web test corpus are validated with jsonschema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from kb.facets.registry import DEFAULT_FACETS
from kbcli.main import cli
from tests.web_corpus import UDDEVALLA, WebCorpus


@pytest.fixture(scope="module")
def spec(app: Any) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data: dict[str, Any] = response.json
    return data


def _check(spec: dict[str, Any], name: str, instance: Any) -> None:
    schema = {**spec, "$ref": f"#/components/schemas/{name}"}
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(instance), key=str)
    assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"
    _all_described(spec, name, instance)


def _all_described(spec: dict[str, Any], name: str, instance: Any) -> None:
    """Every key the API sends is a documented property (a new field needs its description)."""
    schema = spec["components"]["schemas"][name]
    props = schema.get("properties", {})
    if not isinstance(instance, dict) or schema.get("additionalProperties") not in (None, False):
        return
    assert set(instance) <= set(props), f"{name}: undocumented {set(instance) - set(props)}"
    for key, value in instance.items():
        ref = props[key].get("$ref") or props[key].get("items", {}).get("$ref")
        if ref:
            child = ref.rsplit("/", 1)[-1]
            for item in value if isinstance(value, list) else [value]:
                _all_described(spec, child, item)


@pytest.mark.parametrize(
    "query",
    [
        "q=e-arkiv",
        f"q=e-arkiv&municipality={UDDEVALLA}&doc_type=guide&year_from=2019&sort=newest",
        "region=fyrbodal&page=2&page_size=3",
        "q=bygglov",  # a PDF hit with a page number
        "q=earkv",  # few hits: a suggestion
        "q=zzzqqq",  # nothing
    ],
)
def test_search_responses_conform(client: FlaskClient, spec: dict[str, Any], query: str) -> None:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 200
    _check(spec, "SearchResult", response.json)
    for hit in response.json["results"]:
        _all_described(spec, "Hit", hit)
    for values in response.json["facets"].values():
        for value in values:
            _all_described(spec, "FacetValue", value)


def test_document_responses_conform(
    client: FlaskClient, spec: dict[str, Any], corpus: WebCorpus
) -> None:
    for doc in (corpus.pdf, corpus.hostile):
        response = client.get(f"/api/documents/{doc.id}")
        assert response.status_code == 200
        _check(spec, "Document", response.json)
        for tag in response.json["focus_areas"]:
            _all_described(spec, "Tag", tag)


@pytest.mark.parametrize(
    "query",
    [
        "region=fyrbodal",
        f"region=sjuharad&municipality={UDDEVALLA}&q=e-arkiv&doc_type=guide&on=2020-01-01",
        "focus_area=digital-trygghet&lang=en",
        "",  # every municipality
    ],
)
def test_compare_responses_conform(client: FlaskClient, spec: dict[str, Any], query: str) -> None:
    response = client.get(f"/api/v1/compare?{query}")
    assert response.status_code == 200
    _check(spec, "Comparison", response.json)


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?page=abc",
        "/api/search?municipality=9999",
        "/api/documents/0000",
        "/api/v1/compare?region=atlantis",
    ],
)
def test_error_responses_conform(client: FlaskClient, spec: dict[str, Any], url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404)
    _check(spec, "Error", response.json)


def test_the_cli_json_is_the_api_shape(corpus: WebCorpus, spec: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        cli, ["search", "e-arkiv", "--json", "--data-dir", str(corpus.settings.data_dir)]
    )
    assert result.exit_code == 0, result.output
    _check(spec, "SearchResult", json.loads(result.output))


def test_every_facet_is_a_described_parameter(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/api/v1/search"]["get"]
    params = {p["name"]: p for p in operation["parameters"] if "name" in p}
    compare = spec["paths"]["/api/v1/compare"]["get"]
    compare_params = {p["name"] for p in compare["parameters"] if "name" in p}
    for facet in DEFAULT_FACETS.multi:
        assert params[facet.id]["schema"]["type"] == "array"
        assert facet.id in compare_params
    assert {"q", "year_from", "year_to", "sort", "page", "page_size"} <= set(params)


def test_every_parameter_is_described_for_the_readable_page(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    # /api/v1/docs lists each parameter with its description: an empty cell tells no one the
    # page size's limit or where paging stops.
    undescribed = [
        (path, p["name"])
        for path, item in spec["paths"].items()
        for p in item["get"].get("parameters", [])
        if "name" in p and not p.get("description")
    ]
    assert undescribed == []
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "1-100 (default 10)" in page and "10,000" in page


@pytest.mark.parametrize("query", ["q=jonk", "q=e-ark&lang=en", "q=handlingsplan", "q=zz", "q="])
def test_suggest_responses_conform(client: FlaskClient, spec: dict[str, Any], query: str) -> None:
    response = client.get(f"/api/v1/suggest?{query}")
    assert response.status_code == 200
    _check(spec, "Suggestions", response.json)
    opensearch = client.get(f"/api/v1/suggest?{query}&format=opensearch")
    assert opensearch.mimetype == "application/x-suggestions+json"
    _check(spec, "OpenSearchSuggestions", opensearch.json)


def test_a_query_past_its_max_length_is_cut_as_the_description_says(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    # The schema's maxLength 500 is accepted and cut, not refused: the description must say so
    # (schemathesis's negative checks found a longer q answered 200 without a word of why).
    for path in ("/api/v1/search", "/api/v1/compare"):
        q = next(p for p in spec["paths"][path]["get"]["parameters"] if p.get("name") == "q")
        assert q["schema"]["maxLength"] == 500
        assert "cut at 500 characters" in q["description"]
    words = ("arkiv " * 100)[:500]
    cut = client.get("/api/v1/search", query_string={"q": words}).json
    longer = client.get("/api/v1/search", query_string={"q": words + " bygglov" * 20}).json
    assert longer["total"] == cut["total"] and longer["results"] == cut["results"]
