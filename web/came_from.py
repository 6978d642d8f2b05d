"""The results page a document page was opened from: its "back to the results" link.

Every search state lives in the results page's URL, and a browser sends that URL as the
``Referer`` of a link followed from it (same origin, ``strict-origin-when-cross-origin``; with
JavaScript the page's in-place updates keep its URL current). The document page reads it back,
without a cookie, a session or a parameter in every hit link (which would give one document many
URLs and spoil the hit markup kept per document). The address is rebuilt from the parameters it
parses to, never echoed: an address of another site or a parameter the search does not read
gives no link.

From one document to a similar one the ``Referer`` is the first document's page, which names no
search. So the document page's links to other documents (similar, other municipalities, other
copies) and its language switch carry the results as one parameter, ``back`` (the results' query
string); a document
page reads it only when followed from a document page of this site (a link typed in, bookmarked
or sent from elsewhere gets no link, as without ``back``), and rebuilds it as the ``Referer``.
Only these links carry it, so a document's address on the results page stays one per document.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from kb.errors import ValidationError
from kb.search.request import SearchRequest
from web.context import current_kb
from web.params import parse_search_args, query_string, request_params

BACK = "back"
MAX_CHARS = 8000


def results_came_from() -> tuple[str, SearchRequest] | None:
    """(URL, search) of the results page this request was linked from, directly or through
    document pages (``back``), or None (typed in, bookmarked, from another site or another page
    of the service, or a search that cannot be read)."""
    referrer = request.referrer
    if not referrer or len(referrer) > MAX_CHARS:
        return None
    try:
        parts = urlsplit(referrer)  # ValueError: no URL ("http://[::1/")
        if parts.netloc != request.host:
            return None
        if parts.path == url_for("pages.search"):
            query = parts.query
        elif parts.path.startswith(_documents_prefix()) and BACK in request.args:
            query = request.args.get(BACK, "")
            if len(query) > MAX_CHARS:  # refused, not cut: a cut one can read as another search
                return None
        else:
            return None
        # ValueError: more fields than a search has.
        args = MultiDict(parse_qsl(query, keep_blank_values=True, max_num_fields=500))
        req = parse_search_args(args, current_kb().facets)
    except (ValidationError, ValueError):  # the client's header: a page without the link
        return None
    return url_for("pages.search") + query_string(request_params(req)), req


def back_query(came_from: tuple[str, SearchRequest] | None) -> str:
    """The query string (``?back=...``, or empty) that a document page's links to other documents
    keep, so the next document page still leads back to the same results."""
    return query_string(back_params(came_from))


def back_params(came_from: tuple[str, SearchRequest] | None) -> list[tuple[str, str]]:
    """``[("back", results' query string)]``, or none: what a link from a document page to
    another page of it (another document, the same one in the other language) keeps."""
    if came_from is None:
        return []
    return [(BACK, query_string(request_params(came_from[1])).removeprefix("?"))]


def _documents_prefix() -> str:
    """The path every document page starts with (``/documents/``, under the app's root)."""
    return url_for("pages.document", doc_id="0" * 16).removesuffix("0" * 16)
