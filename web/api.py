"""The JSON API for intranets and scripts: the same search as the pages, read-only, CORS ``*``.

``GET /api/search`` takes the same parameters as ``/search`` and returns SearchResult.to_dict();
``GET /api/documents/<id>`` returns the document. A ``url`` (and a document's ``source``) is
public: the original's http(s) URL or our link to the kept copy, never a server file path.
Errors use the one envelope (web/errors.py); CORS headers and the no-cookie rule are added in
web/security.py for every /api path.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for

from web.context import current_kb
from web.hits import public_url
from web.search_handler import requested_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    """Search; the JSON shape is ``kb search --json``'s."""
    data = current_kb().search(requested_search()).to_dict()
    for hit in data["results"]:
        hit["url"] = public_url(hit["url"], hit["id"])
    return jsonify(data)


@bp.get("/documents/<doc_id:doc_id>")
def document(doc_id: str) -> Response:
    """One document with its text, tags and the links a client needs."""
    doc = current_kb().document(doc_id)
    data = doc.to_dict()
    data["url"] = data["source"] = public_url(doc.source, doc.id)
    data["links"] = {
        "page": url_for("pages.document", doc_id=doc.id, _external=True),
        "kept_copy": url_for("pages.original", doc_id=doc.id, _external=True),
    }
    return jsonify(data)
