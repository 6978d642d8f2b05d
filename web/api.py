"""The versioned JSON API, /api/v1, for intranets and scripts: the same search as the pages.

Read-only: ``search`` (the /search parameters), ``suggest`` (web/suggestions.py),
``documents/<id>``, ``taxonomy``, ``facets``, ``compare`` (the comparison page's table,
web/compare.py), ``health``, the OpenAPI 3.1 description (``openapi.json``) and a readable page
about it
(``docs``, Swedish and English). ``/api/...`` is an alias of ``/api/v1/...``: the same views are
registered twice (``blueprints()``), so old clients and the widget keep working. Bodies are built by
kb.search.serialize (search, documents) or here (taxonomy, facets, health) and described by
web/openapi.json. Errors use the one envelope (web/errors.py); CORS, ETag and Cache-Control are
added in web/api_http.py for every /api path.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, url_for

from kb.search.request import MAX_PAGE_SIZE, SearchRequest
from kb.search.serialize import (
    also_at_json,
    comparison_json,
    curation_json,
    document_json,
    facet_value_json,
    search_json,
)
from web.compare import requested_comparison
from web.context import current_kb
from web.hits import public_url
from web.i18n import current_language, language_params, translate
from web.openapi import openapi_document
from web.search_handler import requested_search
from web.security import PAGE_CSP
from web.suggestions import suggest as suggestions

API_VERSION = "v1"
V1_PREFIX = "/api/v1"
ALIAS_PREFIX = "/api"


def search() -> Response:
    """Search; the JSON shape is ``kb search --json``'s."""
    kb = current_kb()
    result = kb.search(requested_search(public_names=True))
    return jsonify(search_json(result, public_url=public_url, taxonomy=kb.taxonomy))


def document(doc_id: str) -> Response:
    """One document with its text, tags and the links a client needs."""
    kb = current_kb()
    doc = kb.document(doc_id)
    data = document_json(doc, public_url=public_url, taxonomy=kb.taxonomy)
    data.update(curation_json(kb.curator.get(doc_id)))
    # The same original at other addresses (as in a hit's also_at).
    data["also_at"] = also_at_json(kb.also_at(doc_id), public_url)
    data["links"] = {
        # In the asked language: a client's link opens where the service's cookie is not set.
        "page": url_for("pages.document", doc_id=doc.id, _external=True, **dict(language_params())),
        "kept_copy": url_for("pages.original", doc_id=doc.id, _external=True),
    }
    return jsonify(data)


def taxonomy() -> Response:
    """The controlled vocabularies the filters use, with Swedish and English labels."""
    tax = current_kb().taxonomy
    return jsonify(
        {
            "focus_areas": [
                {"id": f.id, "label_sv": f.label_sv, "label_en": f.label_en}
                for f in tax.focus_areas.values()
            ],
            "doc_types": [
                {"id": d.id, "label_sv": d.label_sv, "label_en": d.label_en}
                for d in tax.doc_types.values()
            ],
            "counties": [
                {"code": c.code, "name": c.name, "name_en": c.name_en or c.name}
                for c in tax.counties.values()
            ],
            "municipalities": [
                {"code": m.code, "name": m.name, "county": m.county_code}
                for m in tax.municipalities.values()
            ],
            "regions": [
                {"id": r.id, "name": r.name, "short_name": r.short_name, "members": list(r.members)}
                for r in tax.regions.values()
            ],
        }
    )


def facets() -> Response:
    """Every filter the search takes, with each value's document count over the whole index."""
    kb = current_kb()
    counted = kb.search(SearchRequest(page_size=1)).facets
    items: list[dict[str, Any]] = []
    for facet in kb.facets:
        params = [facet.id] if facet.selection == "multi" else ["year_from", "year_to"]
        items.append(
            {
                "id": facet.id,
                "parameters": params,
                "selection": facet.selection,
                "label": translate(facet.legend_key),
                "values": [facet_value_json(v) for v in counted.get(facet.id, ())],
            }
        )
    return jsonify({"facets": items})


def health() -> Response:
    """Whether the index can be searched, and how many documents it holds."""
    total = current_kb().search(SearchRequest(page_size=1), facets=False).total
    return jsonify({"status": "ok", "version": API_VERSION, "documents": total})


def compare() -> Response:
    """Documents per focus area per municipality of a region or chosen municipalities
    (web/compare.py parses the parameters, kb.search.serialize builds the body)."""
    kb = current_kb()
    comparison = requested_comparison(public_names=True)
    return jsonify(comparison_json(comparison, kb.taxonomy, current_language(), kb.facets))


def openapi() -> Response:
    """The OpenAPI 3.1 description of this API (web/openapi.py)."""
    return jsonify(openapi_document(current_kb().facets))


def docs() -> Response:
    """A readable page about the API, in the request's language (``?lang=en``).

    A page like the others, so it gets the pages' CSP (its stylesheet), not the API's ``'none'``.
    """
    kb = current_kb()
    spec = openapi_document(kb.facets)
    html = render_template(
        "api_docs.html",
        spec=spec,
        v1=V1_PREFIX,
        alias=ALIAS_PREFIX,
        facet_ids=[f.id for f in kb.facets.multi],
        max_page_size=MAX_PAGE_SIZE,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP.format(ancestors="'self'")
    return response


def suggest() -> Response:
    """Completions as you type (web/suggestions.py), within the search's filters when the URL
    has any: a widget scoped to a region suggests what that region's search finds."""
    return suggestions(requested_search(public_names=True))


# (rule, view, endpoint) of every route; both blueprints get all of them.
ROUTES = (
    ("/search", search, "search"),
    ("/suggest", suggest, "suggest"),
    ("/documents/<doc_id:doc_id>", document, "document"),
    ("/taxonomy", taxonomy, "taxonomy"),
    ("/facets", facets, "facets"),
    ("/compare", compare, "compare"),
    ("/health", health, "health"),
    ("/openapi.json", openapi, "openapi"),
    ("/docs", docs, "docs"),
)


def _blueprint(name: str, prefix: str) -> Blueprint:
    bp = Blueprint(name, __name__, url_prefix=prefix)
    for rule, view, endpoint in ROUTES:
        bp.add_url_rule(rule, endpoint, view, methods=["GET"])
    return bp


# /api/v1 first: url_for("api_v1.search") is the canonical address.
bp_v1 = _blueprint("api_v1", V1_PREFIX)
bp = _blueprint("api", ALIAS_PREFIX)


def blueprints() -> tuple[Blueprint, Blueprint]:
    """The versioned API and its /api alias, to register (and rate-limit) on the app."""
    return bp_v1, bp
