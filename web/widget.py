"""The drop-in search widget: its script for other sites and the page that explains it.

``/widget/kb-search.js`` serves web/static/widget/kb-search.js (the ``<kb-search>`` element) to any
origin with a day of caching; ``/widget`` shows the snippet to copy, the attributes, what a host's
CSP must allow, and a live example. The widget itself only calls the JSON API (web/api.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, send_from_directory, url_for

from web.context import current_kb, label

bp = Blueprint("widget", __name__)

SCRIPT_NAME = "kb-search.js"
# Intranet pages load the script on every view: a day in caches, then a cheap ETag revalidation.
# The URL carries no version, so longer would keep old code on intranets after an upgrade.
SCRIPT_MAX_AGE = 24 * 3600


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
    """The widget script, readable from any origin (also for ``crossorigin`` and COEP hosts)."""
    folder = Path(current_app.static_folder or "static") / "widget"
    response = send_from_directory(
        folder, SCRIPT_NAME, mimetype="text/javascript", max_age=SCRIPT_MAX_AGE
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    # A host sending Cross-Origin-Embedder-Policy: require-corp may only load marked resources.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
