"""``/api/v1/suggest?q=``: completions as you type, for the results page, the widget and browsers.

kb.search.suggest finds facet values, titles and frequent words starting with the typed prefix
(folded the Swedish way: "jonk" finds Jönköping); this module labels them in the request's
language and gives each the URL it leads to: a facet value to the search filtered on it, a word to
the search for it, a title to its document. ``format=opensearch`` answers in the OpenSearch
suggestions format (``application/x-suggestions+json``: ``[q, [texts], [descriptions], [urls]]``)
that browsers read from the OpenSearch description. Described in web/openapi.json.

The search's filters (``region=fyrbodal``, a widget's attributes) keep the suggestions within
them: counted there, titles of documents there, and the links carry them (kb.search.suggest_scope).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from kb.errors import ValidationError
from kb.search.request import SearchRequest
from kb.search.suggest import Suggestion
from web.context import current_kb, label
from web.i18n import count_text, format_number, language_params, translate, translate_count
from web.params import MAX_INT_CHARS, query_string, request_params

DEFAULT_LIMIT = 8
MAX_LIMIT = 20
MAX_Q_CHARS = 100
OPENSEARCH_TYPE = "application/x-suggestions+json"


def suggest(scope: SearchRequest | None = None) -> Response:
    """Completions of ``q`` (up to ``limit``, 1–20; kb gives at most 12), as JSON or OpenSearch,
    within ``scope``'s filters and years (its query is not read) when given.

    Raises:
        ValidationError: (a 400) when ``limit`` is no whole number or is below 1.
    """
    q = request.args.get("q", "")[:MAX_Q_CHARS]
    limit = _limit(request.args.get("limit", ""))
    if scope is not None:  # only the filters: the query, sort and paging are no scope
        scope = SearchRequest(
            filters=scope.filters, year_from=scope.year_from, year_to=scope.year_to
        )
    found = current_kb().suggest(q, limit, label, scope) if q.strip() else []
    within = request_params(scope) if scope is not None else []
    items = [_item(s, within) for s in found]
    if request.args.get("format") == "opensearch":
        body = [q, [i["text"] for i in items], [i["description"] for i in items]]
        body.append([i["url"] for i in items])
        response = jsonify(body)
        response.mimetype = OPENSEARCH_TYPE
        return response
    return jsonify({"q": q, "suggestions": items})


def _limit(raw: str) -> int:
    if not raw.strip():
        return DEFAULT_LIMIT
    # As search's page_size (web/params.py): text that is no whole number ("many", "2.5") and a
    # number below 1 are 400s that say which (a client asking for 0 suggestions has a bug it
    # should hear of, not one suggestion); above MAX_LIMIT is cut to it, as documented.
    digits = raw.strip().removeprefix("-").removeprefix("+")
    if not digits.isdigit() or not digits.isascii() or len(digits) > MAX_INT_CHARS:
        raise ValidationError(translate("bad_integer", name="limit", value=raw[:40]))
    limit = int(raw)
    if limit < 1:
        raise ValidationError(
            translate("bad_page_size_range", name="limit", value=limit, most=MAX_LIMIT)
        )
    return min(limit, MAX_LIMIT)


def _item(s: Suggestion, within: list[tuple[str, str]]) -> dict[str, Any]:
    """One suggestion as JSON: what it is, what to show, how many documents, where it leads
    (a search within the filters ``within``, as URL parameters)."""
    item: dict[str, Any] = {"kind": s.kind, "text": s.text, "count": s.count}
    if s.kind == "facet":
        item["facet"] = s.facet
        item["value"] = s.value
        item["url"] = url_for("pages.search", _external=True) + query_string(
            [*within, (s.facet, s.value), *language_params()]
        )
        facet_name = translate(current_kb().facets[s.facet].legend_key)
        item["description"] = f"{facet_name}, {count_text(s.count)}"
    elif s.kind == "title":
        item["id"] = s.doc_id
        item["url"] = url_for(
            "pages.document", doc_id=s.doc_id, _external=True, **dict(language_params())
        )
        item["description"] = translate("suggest_document")
    else:
        item["url"] = url_for("pages.search", _external=True) + query_string(
            [("q", s.text), *within, *language_params()]
        )
        word = s.text.split()[-1] if s.text.split() else s.text
        item["description"] = translate_count(
            "suggest_word_docs", s.count, word=word, n=format_number(s.count)
        )
    return item
