"""Every error becomes a friendly page (under /embed, one that fits an intranet's frame), or
the one JSON envelope under /api (and for the JSON downloads), or a line of text for the CSV
downloads and the feed.

``{"error": {"status": 400, "message": "..."}}`` is the only error shape the API returns, for
every path under /api and /api/v1 (``/api`` itself included) and every status. kb's
ValidationError is a 400, NotFoundError a 404, an unavailable index a 503; anything unexpected
is logged and shown as a plain 500 page without a traceback.
"""

from __future__ import annotations

from flask import Flask, Response, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from kb.errors import IndexError_, KbError, NotFoundError, ValidationError
from web.context import current_kb
from web.i18n import translate
from web.params import query_string

TITLE_KEYS = {
    400: "error_400",
    403: "error_403",
    404: "error_404",
    405: "error_405",
    429: "error_429",
    500: "error_500",
    503: "error_503",
}


def is_embed_path(path: str) -> bool:
    """Whether ``path`` is the iframe search (``/embed``, ``/embed/...``), known route or not."""
    return path == "/embed" or path.startswith("/embed/")


def is_api_path(path: str) -> bool:
    """Whether ``path`` belongs to the JSON API (``/api``, ``/api/...``), known route or not."""
    return path == "/api" or path.startswith("/api/")


def error_response(
    status: int, message: str, fixed_url: str | None = None
) -> tuple[Response | str, int]:
    """The JSON envelope under /api and for JSON downloads (/search.json, /jamfor.json), one
    line of plain text for the CSV downloads and the feed, an HTML page elsewhere: a script or
    a feed reader that asked for data gets an error it can read. ``fixed_url``: the same page
    with what was wrong corrected, offered as a link on the HTML page."""
    path = request.path
    if is_api_path(path) or path.endswith(".json"):
        return jsonify({"error": {"status": status, "message": message}}), status
    if path.endswith((".csv", ".atom")):
        return Response(message + "\n", status=status, mimetype="text/plain"), status
    key = TITLE_KEYS.get(status)
    title = translate(key) if key else translate("error_generic", status=status)
    # Inside an intranet's iframe: a page without the site's header, framed as /embed is.
    if is_embed_path(path):
        again = url_for("embed.embed") + query_string(_embed_presets())
        page = render_template(
            "embed_error.html", status=status, title=title, message=message, again_url=again
        )
        return page, status
    page = render_template(
        "error.html", status=status, title=title, message=message, fixed_url=fixed_url
    )
    return page, status


def _embed_presets() -> list[tuple[str, str]]:
    """The filters of the failed /embed URL worth keeping in "Gör en ny sökning" (an intranet's
    iframe presets, e.g. region=fyrbodal), and the language when the URL chose it. Only values
    the taxonomy lists, of facets whose values it lists: the page never echoes what was typed
    (a free-text value, an unknown one, the query) back into a link."""
    params: list[tuple[str, str]] = []
    try:
        kb = current_kb()
        for facet in kb.facets.multi:
            known = facet.known_values(kb.taxonomy)
            if known is None:
                continue
            allowed = set(known)
            for value in dict.fromkeys(request.args.getlist(facet.id)):
                if value in allowed:
                    params.append((facet.id, value))
    except Exception:  # an error page must render even when the bank cannot be read
        params = []
    if g.get("lang_from_url"):
        params.append(("lang", g.lang))
    return params


def init_app(app: Flask) -> None:
    """Register the handlers on ``app``."""

    @app.errorhandler(ValidationError)
    def _bad_request(err: ValidationError) -> tuple[Response | str, int]:
        return error_response(400, str(err))

    @app.errorhandler(NotFoundError)
    def _not_found(err: NotFoundError) -> tuple[Response | str, int]:
        return error_response(404, translate("error_404_text"))

    @app.errorhandler(IndexError_)
    def _index_unavailable(err: IndexError_) -> tuple[Response | str, int]:
        # A locked, missing or outdated index is the operator's to fix (`kb reindex`); users get
        # a "try again" page and the log gets kb's message.
        app.logger.error("Index unavailable on %s: %s", request.path, err)
        return error_response(503, translate("error_503_text"))

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> tuple[Response | str, int]:
        status = err.code or 500
        if status == 404:
            return error_response(404, translate("error_404_text"))
        if status == 403:
            return error_response(403, translate("error_403_text"))
        if status == 405 and is_api_path(request.path):
            # A script needs to know what is allowed: the API is read-only.
            return error_response(405, f"{translate('error_405')}: {request.method} (GET)")
        # Werkzeug's descriptions are English developer text; users get our own sentence.
        return error_response(status, translate("error_help"))

    @app.errorhandler(KbError)
    def _kb_error(err: KbError) -> tuple[Response | str, int]:
        app.logger.error("Kunskapsbanken error on %s: %s", request.path, err)
        return error_response(500, translate("error_500_text"))

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> tuple[Response | str, int]:
        app.logger.exception("Unexpected error on %s", request.path)
        return error_response(500, translate("error_500_text"))
