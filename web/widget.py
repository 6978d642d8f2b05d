"""The drop-in search widget: its script for other sites and the page that explains it.

``/widget/kb-search.js`` serves web/static/widget/kb-search.js (the ``<kb-search>`` element) to any
origin with a day of caching; ``/widget`` shows the snippet to copy, the attributes, what a host's
CSP must allow, and a live example. The widget itself only calls the JSON API (web/api.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, request, url_for

from kb.facets.registry import FacetRegistry
from web.context import current_kb, label

bp = Blueprint("widget", __name__)

SCRIPT_NAME = "kb-search.js"
# Intranet pages load the script on every view: a day in caches, then a cheap ETag revalidation.
# The URL carries no version, so longer would keep old code on intranets after an upgrade.
SCRIPT_MAX_AGE = 24 * 3600
# Where the script's filter list stands; the served copy carries the registry's.
SCOPE_MARKERS = re.compile(r"/\*kb:scope\*/.*?/\*kb:scope-end\*/", re.DOTALL)


@bp.get("/widget")
def guide() -> str:
    """How to embed the search: the snippet, the attributes, the CSP a host needs, an example."""
    kb = current_kb()
    script_url = url_for("widget.script", _external=True)
    parts = urlsplit(script_url)
    return render_template(
        "widget.html",
        script_url=script_url,
        service_origin=f"{parts.scheme}://{parts.netloc}",
        regions=[(r, label("region", r)) for r in kb.taxonomy.regions],
        focus_areas=[(f, label("focus_area", f)) for f in kb.taxonomy.focus_areas],
        doc_types=[(d, label("doc_type", d)) for d in kb.taxonomy.doc_types],
    )


@bp.get(f"/widget/{SCRIPT_NAME}")
def script() -> Response:
    """The widget script, readable from any origin (also for ``crossorigin`` and COEP hosts).

    Its filter attributes are written from the facet registry (``scope_js``), so the widget
    takes every facet the search takes.
    """
    folder = Path(current_app.static_folder or "static") / "widget"
    text = (folder / SCRIPT_NAME).read_text(encoding="utf-8")
    body = SCOPE_MARKERS.sub(lambda _m: scope_js(current_kb().facets), text, count=1)
    response = Response(body, mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = SCRIPT_MAX_AGE
    response.add_etag()
    response.make_conditional(request)
    response.headers["Access-Control-Allow-Origin"] = "*"
    # A host sending Cross-Origin-Embedder-Policy: require-corp may only load marked resources.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def scope_js(facets: FacetRegistry) -> str:
    """The widget's ``SCOPE`` list, between its markers: ``[attribute, parameter, separator]`` of
    every multi-select facet (``doc_type`` -> ``doc-type``; "|" separates free-text values)."""
    scope = [
        [f.id.replace("_", "-"), f.id, "|" if f.source == "stored" else " "] for f in facets.multi
    ]
    return f"/*kb:scope*/{json.dumps(scope, ensure_ascii=False)}/*kb:scope-end*/"
