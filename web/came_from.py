"""The results page a document page was opened from: its "back to the results" link.

Every search state lives in the results page's URL, and a browser sends that URL as the
``Referer`` of a link followed from it (same origin, ``strict-origin-when-cross-origin``; with
JavaScript the page's in-place updates keep its URL current). The document page reads it back,
without a cookie, a session or a parameter in every hit link (which would give one document many
URLs and spoil the hit markup kept per document). The address is rebuilt from the parameters it
parses to, never echoed: an address of another site or a parameter the search does not read
gives no link.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from kb.errors import ValidationError
from kb.search.request import SearchRequest
from web.context import current_kb
from web.params import parse_search_args, query_string, request_params


def results_came_from() -> tuple[str, SearchRequest] | None:
    """(URL, search) of the results page this request was linked from, or None (typed in,
    bookmarked, from another site or another page of the service, or a search that cannot be
    read)."""
    referrer = request.referrer
    if not referrer or len(referrer) > 8000:
        return None
    try:
        parts = urlsplit(referrer)  # ValueError: no URL ("http://[::1/")
        if parts.netloc != request.host or parts.path != url_for("pages.search"):
            return None
        # ValueError: more fields than a search has.
        args = MultiDict(parse_qsl(parts.query, keep_blank_values=True, max_num_fields=500))
        req = parse_search_args(args, current_kb().facets)
    except (ValidationError, ValueError):  # the client's header: a page without the link
        return None
    return url_for("pages.search") + query_string(request_params(req)), req
