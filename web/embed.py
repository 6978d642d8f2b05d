"""The chrome-less search page that municipal intranets put in an iframe.

Same search and templates as /search without header and footer; framing is allowed for the origins
in Settings.frame_ancestors (web/security.py). The language stays in the URL because a framed page
may not receive our cookie. Hits link to the full site in the top window.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from web.app import get_kb, label
from web.pages import search_title
from web.params import parse_search_args, query_string
from web.search_view import build_view, url_builder

bp = Blueprint("embed", __name__, url_prefix="/embed")


@bp.get("", strict_slashes=False)
def embed() -> str | BaseResponse:
    """The embeddable search: search box, facets and hits."""
    kb = get_kb()
    req = parse_search_args(request.args)
    result = kb.search(req)
    extra = (("lang", g.lang),) if g.get("lang_from_url") else ()
    url = url_builder(url_for("embed.embed"), extra)
    if result.total and not result.hits and req.page > 1:
        return redirect(url(replace(req, page=result.pages)))
    view = build_view(req, result, url, label, search=kb.search)
    return render_template(
        "embed.html",
        view=view,
        page_title=search_title(req.q, result.page),
        form_action=url_for("embed.embed"),
        doc_target="_top",
        doc_query=query_string(extra),
        extra_params=extra,
    )
