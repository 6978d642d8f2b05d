"""The JSON API for intranets and scripts: the same search as the pages, read-only, CORS ``*``.

``GET /api/search`` takes the same parameters as ``/search``; ``GET /api/documents/<id>`` returns
one document. Both bodies are built by kb.search.serialize and described by
``GET /api/openapi.json``. A ``url`` (and a document's ``source``) is public: the original's
http(s) URL or our link to the kept copy, never a server file path. Errors use the one envelope
(web/errors.py); CORS headers and the no-cookie rule are added in web/security.py for every /api
path.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for

from kb.search.serialize import document_json, search_json
from web.context import current_kb
from web.hits import public_url
from web.openapi import openapi_document
from web.search_handler import requested_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    """Search; the JSON shape is ``kb search --json``'s."""
    result = current_kb().search(requested_search())
    return jsonify(search_json(result, public_url=public_url))


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API (web/openapi.py)."""
    return jsonify(openapi_document(current_kb().facets))


@bp.get("/documents/<doc_id:doc_id>")
def document(doc_id: str) -> Response:
    """One document with its text, tags and the links a client needs."""
    doc = current_kb().document(doc_id)
    data = document_json(doc, public_url=public_url)
    data["links"] = {
        "page": url_for("pages.document", doc_id=doc.id, _external=True),
        "kept_copy": url_for("pages.original", doc_id=doc.id, _external=True),
    }
    return jsonify(data)
