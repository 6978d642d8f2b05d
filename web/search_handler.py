"""The one search handler: parse the URL once, run the one search, build the view.

The results page (/search) and the embed (/embed) render the same search through
``render_search``; the JSON API and the Atom feed read the same parameters with
``requested_search`` (web/params.py parses them), so every entry point means the same by one URL.
Titles and feed links of a search live here too, so no handler module imports another.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from flask import Flask, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import ValidationError
from kb.facets.registry import Facet
from kb.search.request import SearchRequest, last_page
from kb.search.results import SearchResult
from kb.taxonomy.model import Taxonomy
from web.context import current_kb, request_labeler
from web.facet_links import view_facet_url
from web.facet_markup import GROUPS_CACHE
from web.i18n import current_language, translate
from web.markup_cache import Same, app_cache, install
from web.params import parse_search_args, query_string, request_params
from web.place_filters import place_filters
from web.search_view import UrlBuilder, build_view, layout, url_builder

# Parameters the feed sets itself (newest first, one page): a feed link leaves them out.
FEED_OWN_PARAMS = ("sort", "page", "page_size")
# Whole results pages of searches asked again (the same URL, language and result), per app, as
# the UTF-8 bytes sent (~46 KB; as text ~92 KB, since the narrow no-break space of Swedish numbers
# makes a str two bytes a character). The entries hold their results, which kb's result cache
# (256 entries) mostly holds too: ~3 MB per worker.
PAGES_CACHE = "pages"
PAGES_ENTRIES = 64


def requested_search(*, public_names: bool = False) -> SearchRequest:
    """The SearchRequest in the current request's URL (``public_names``: errors name the URL
    parameters, for the JSON API).

    Raises:
        ValidationError: a parameter that cannot be read (a 400 page or the API's JSON envelope).
    """
    kb = current_kb()
    req = parse_search_args(request.args, kb.facets, public_names=public_names)
    # Unknown filter values, told in the request's language (kb's own message is Swedish and
    # names the facet's id): the facet's label on a page, the URL parameter in the API.
    for facet_id, values in req.filters.items():
        facet = kb.facets[facet_id]
        unknown = facet.unknown_values(values, kb.taxonomy)
        if unknown:
            name = facet_id if public_names else translate(facet.legend_key)
            message = translate("bad_value", name=name, values=", ".join(unknown[:3])[:120])
            raise ValidationError(f"{message}. {value_hint(facet, unknown[0], kb.taxonomy)}")
    if req.home_region and req.home_region not in kb.taxonomy.regions:
        raise ValidationError(translate("bad_home_region", value=req.home_region[:60]))
    return req


# A facet with at most this many values lists them all in an unknown value's message.
LISTED_VALUES = 12


def value_hint(facet: Facet, value: str, taxonomy: Taxonomy) -> str:
    """What to write instead of ``value``: the id whose label (or id) it spells, case, å, ä, ö
    and hyphens aside ('Fyrbodal' -> fyrbodal, 'Uddevalla' -> 1485), else the values when they
    are few, else where they are listed. An intranet writes ids by hand in a widget attribute
    or an iframe address, and the labels are what it sees on the pages."""
    known = facet.known_values(taxonomy) or ()
    value_id = spelled_value(facet, value, taxonomy)
    if value_id is not None:
        # The label shown is in the message's language, whichever language's label was written.
        shown = taxonomy.label_table(facet.taxonomy_kind, current_language())
        label = shown.get(value_id) or taxonomy.label_table(facet.taxonomy_kind, "sv")[value_id]
        return translate("bad_value_mean", value=value_id, label=label)
    if len(known) <= LISTED_VALUES:
        return translate("bad_value_choose", values=", ".join(known))
    return translate("bad_value_listed")


def spelled_value(facet: Facet, value: str, taxonomy: Taxonomy) -> str | None:
    """The known id ``value`` is or spells (its Swedish or English label, or the id, case,
    å, ä, ö and hyphens aside), or None (a facet of free values, or nothing it spells)."""
    known = facet.known_values(taxonomy)
    if known is None:
        return None
    if value in known:
        return value
    key = _folded(value)
    for lang in ("sv", "en"):
        labels = taxonomy.label_table(facet.taxonomy_kind, lang)
        for value_id in known:
            if key in (_folded(value_id), _folded(labels.get(value_id, ""))):
                return value_id
    return None


def corrected_search_url() -> str | None:
    """The results page asked for with each filter value that spells a known one written as
    its id (``region=Fyrbodal`` -> ``region=fyrbodal``): the way out of the 400 page a
    hand-written intranet link leads to. None when a value spells none, nothing needed it, or
    the URL has another fault. Rebuilt from the parameters it parses to, never echoed."""
    kb = current_kb()
    args = request.args.copy()
    changed = False
    for facet in kb.facets.multi:
        values = args.getlist(facet.id)
        if not values or facet.known_values(kb.taxonomy) is None:
            continue
        fixed = [spelled_value(facet, value, kb.taxonomy) for value in values]
        if None in fixed:
            return None
        changed = changed or fixed != values
        args.setlist(facet.id, list(dict.fromkeys(v for v in fixed if v is not None)))
    if not changed:
        return None
    try:
        req = parse_search_args(args, kb.facets)
    except ValidationError:
        return None
    if any(kb.facets[f].unknown_values(v, kb.taxonomy) for f, v in req.filters.items()):
        return None
    if req.home_region and req.home_region not in kb.taxonomy.regions:
        return None
    return url_for("pages.search") + query_string(request_params(req))


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(text.casefold().replace("-", " ").split()))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def render_search(
    template: str,
    endpoint: str,
    *,
    extra: Sequence[tuple[str, str]] = (),
    doc_target: str | None = None,
) -> str | bytes | BaseResponse:
    """Search with the URL's parameters and render ``template`` with the view of the result.

    Args:
        template: the page around the results (``search.html``, ``embed.html``).
        endpoint: the view whose URL the form, facets and paging links point back to.
        extra: parameters every link of this page keeps (the embed's ``lang``).
        doc_target: where document links open (``_top`` from an iframe), None for the same frame.

    Returns:
        The page (its UTF-8 when kept for a search asked again), or a redirect to the last page
        when the URL asks for a page past the end (an old link, a hand-edited URL).
    """
    kb = current_kb()
    req = requested_search()
    result = kb.search(req)
    form_action = url_for(endpoint)
    url = url_builder(form_action, extra)
    if result.total and not result.hits and req.page > 1:
        return redirect(url(replace(req, page=min(result.pages, last_page(req.page_size)))))
    if req.page == 1:
        # Zero- and few-hit searches are counted (no personal data: kb/query_stats.py).
        kb.query_stats.record(req, result.total - result.partial_total, result.total)
    if not kb.settings.result_cache_entries:  # every result is new: no page can be asked again
        return _render(template, req, result, url, form_action, extra, doc_target)
    # The page is made of the URL (path, parameters, application root), the language and the
    # result. kb answers a search asked again in the same index generation and thesaurus with
    # the very same result object, and a new generation with new ones: the result, held and
    # compared by identity, ties the page to its generation.
    page_of = (template, endpoint, tuple(extra), doc_target, layout())
    url_of = (request.script_root, request.path, request.query_string, current_language())
    key = (Same(result), page_of, url_of)
    # Kept as the UTF-8 Flask would send: half the memory of the text, no encoding per answer.
    return app_cache(PAGES_CACHE).get_or_make(
        (),
        key,
        lambda: _render(template, req, result, url, form_action, extra, doc_target).encode(),
    )


def _render(
    template: str,
    req: SearchRequest,
    result: SearchResult,
    url: UrlBuilder,
    form_action: str,
    extra: Sequence[tuple[str, str]],
    doc_target: str | None,
) -> str:
    kb = current_kb()
    # The zero-hit page's ways out and the place offers need only their totals: no facets, no
    # snippets, and no spelling suggestion, which for a word no document holds was most of each
    # search's CPU (6 words alone: up to ~180 ms at 100k documents; bench/zero_hits_cpu.py).
    count_only = partial(kb.search, facets=False, snippets=False, did_you_mean=False)
    view = build_view(
        req,
        result,
        url,
        request_labeler(),
        search=count_only,
        facets=kb.facets,
        show_all=request.args.getlist("show_all")[:10],
        groups_cache=app_cache(GROUPS_CACHE),
    )
    if req.page == 1:
        view.places = place_filters(
            req,
            url,
            kb.taxonomy,
            kb.facets,
            kb.indexed_values,
            lambda offered: count_only(replace(offered, page=1, page_size=1)).total,
        )
    return render_template(
        template,
        view=view,
        page_title=search_title(req.q, result.page, [chip.label for chip in view.chips]),
        form_action=form_action,
        doc_target=doc_target,
        doc_query=query_string(extra),
        extra_params=tuple(extra),
        feed_url=feed_url(req),
        # The downloads (/search.csv, /search.json) and the comparison take the same search.
        export_query=query_string(request_params(req, with_page=False)),
        facet_url=view_facet_url(url, req.home_region),
    )


# Filters named in a page title at most; more are "…" (the chips list them all).
TITLE_FILTERS = 3


def search_title(q: str, page: int, filters: Sequence[str] = ()) -> str:
    """``Sök: e-arkiv – Uddevalla, Vägledning – sida 2 – Kunskapsbanken`` (the filters' part
    only with filters, the page part only after page 1): tabs and history entries of different
    filters (Fyrbodal, Skaraborg) must not share one title (WCAG 2.4.2)."""
    parts = [translate("search_title_q", q=q) if q else translate("search_title")]
    if filters:
        parts.append(filters_named(filters))
    if page > 1:
        parts.append(translate("page_suffix", n=page))
    parts.append(translate("site_name"))
    return " – ".join(parts)


def filters_named(filters: Sequence[str]) -> str:
    """The first filters' labels for a title ("Uddevalla, Vägledning, …")."""
    return ", ".join(filters[:TITLE_FILTERS]) + (", …" if len(filters) > TITLE_FILTERS else "")


def feed_url(req: SearchRequest) -> str:
    """The Atom feed of the search ``req`` (its sort and paging are the feed's own)."""
    kept = [(k, v) for k, v in request_params(req, with_page=False) if k not in FEED_OWN_PARAMS]
    return url_for("feeds.search_feed") + query_string(kept)


def search_page_url(req: SearchRequest, *, external: bool = False) -> str:
    """The results page of ``req`` (page 1)."""
    return url_for("pages.search", _external=external) + query_string(
        request_params(req, with_page=False)
    )


def init_app(app: Flask) -> None:
    """Give ``app`` its cache of finished results pages."""
    install(app, PAGES_CACHE, PAGES_ENTRIES)
