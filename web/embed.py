"""The chrome-less search page that municipal intranets put in an iframe.

Same search and templates as /search without header and footer; framing is allowed for the origins
in Settings.frame_ancestors (web/security.py). The language stays in the URL because a framed page
may not receive our cookie. Hits link to the full site in the top window.
"""

from __future__ import annotations

from flask import Blueprint, g
from werkzeug.wrappers import Response as BaseResponse

from web.search_handler import render_search

bp = Blueprint("embed", __name__, url_prefix="/embed")


@bp.get("", strict_slashes=False)
def embed() -> str | bytes | BaseResponse:
    """The embeddable search: search box, facets and hits."""
    extra = (("lang", g.lang),) if g.get("lang_from_url") else ()
    return render_search("embed.html", "embed.embed", extra=extra, doc_target="_top")
