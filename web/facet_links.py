"""Metadata that leads somewhere: a hit's and a document's facet values as links to the search
filtered on each value, built from the facet registry (kb.facets.registry), never per field.

Every facet that declares ``of_hit`` (focus area, region, municipality, publisher, type...) is a
row of links; on the document page the values come from ``Facet.values_of`` and a rolled-up
facet adds the values its members roll up to (the regions a document's municipalities belong
to). A value no document holds (a publisher the facet does not know) shows as plain text, so no
link leads to an empty page. ``init_app`` makes ``document_meta`` a template global; a hit's
rows (``hit_meta``) are web/hit_markup.py's, under the results page's own ``facet_url`` so the
embed's links stay in the embed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, g, url_for

from kb.document import Document
from kb.facets.registry import Facet
from kb.search.request import SearchRequest
from kb.search.results import Hit
from web.context import current_kb, request_labeler
from web.i18n import STRINGS, translate
from web.params import query_string

FacetUrl = Callable[[str, str], str]


@dataclass(frozen=True)
class MetaLink:
    """One value: its label and the search filtered on it ('' when it would find nothing)."""

    label: str
    url: str
    value: str = ""


@dataclass(frozen=True)
class MetaRow:
    """One facet's values of a hit or document (``<dt>`` name, ``<dd>`` links)."""

    facet: str
    name: str
    links: tuple[MetaLink, ...]


def facet_search_url(facet_id: str, value: str) -> str:
    """The results page filtered on one value."""
    return url_for("pages.search") + query_string([(facet_id, value)])


@dataclass(frozen=True)
class ViewFacetUrl:
    """``facet_search_url`` under a results page's own URL builder (the embed keeps ``lang``).
    Equal to another over an equal builder (web/search_view.UrlBuilder): a cache key."""

    url: Callable[[SearchRequest], str]
    home_region: str = ""  # the officer's region keeps ranking its documents higher there too

    def __call__(self, facet_id: str, value: str) -> str:
        return self.url(SearchRequest(filters={facet_id: (value,)}, home_region=self.home_region))


def view_facet_url(url: Callable[[SearchRequest], str], home_region: str = "") -> FacetUrl:
    """``facet_search_url`` under a results page's own URL builder (the embed keeps ``lang``),
    keeping the page's home region."""
    return ViewFacetUrl(url, home_region)


def hit_meta_token() -> tuple[object, ...]:
    """What a hit's metadata rows are made of besides the hit, the language and the link base:
    the KnowledgeBase (labels) and, per facet a hit shows, the index generation's set of values
    that may be linked (None for taxonomy facets). A new generation gives new sets."""
    page = _page_links()
    if page.token is None:
        page.token = (page.kb, *(page.linkable(facet) for facet, _ in page.of_hit))
    return page.token


def hit_meta(hit: Hit, facet_url: FacetUrl | None = None) -> list[MetaRow]:
    """The metadata rows of a search hit with at least one link, in the registry's order."""
    page = _page_links()
    url = facet_url or facet_search_url
    rows = [page.row(facet, of_hit(hit), url) for facet, of_hit in page.of_hit]
    # A row of plain text only (a publisher the facet does not know) stays in "Källa".
    return [r for r in rows if any(link.url for link in r.links)]


def document_meta(doc: Document, facet_url: FacetUrl | None = None) -> list[MetaRow]:
    """The linked metadata rows of a document page (roll-ups included), in the registry's order."""
    kb = current_kb()
    rollups = kb.facets.rollups(kb.taxonomy)
    rows = []
    for facet in kb.facets.multi:
        if facet.of_hit is None:
            continue
        values = list(facet.values_of(doc)) if facet.values_of is not None else []
        if facet.rollup_of:
            source = kb.facets[facet.rollup_of]
            members = source.values_of(doc) if source.values_of is not None else ()
            for member in members:
                values += [v for v in rollups[facet.id].get(member, ()) if v not in values]
        rows.append(_page_links().row(facet, values, facet_url or facet_search_url))
    return [r for r in rows if r.links]


class _PageLinks:
    """What one request has made so far. A page links the same values on many hits (ten hits,
    one municipality): each link, row name and label table is made once per request."""

    def __init__(self) -> None:
        kb = current_kb()
        self.kb = kb
        # The facets a hit shows, each with the function reading its values from a hit.
        self.of_hit: list[tuple[Facet, Callable[[Hit], Iterable[str]]]] = [
            (f, f.of_hit) for f in kb.facets.multi if f.of_hit is not None
        ]
        self._label = request_labeler()
        self._links: dict[tuple[FacetUrl, str, str], MetaLink] = {}
        self._names: dict[str, str] = {}
        self._known: dict[str, frozenset[str] | None] = {}
        self.token: tuple[object, ...] | None = None  # hit_meta_token's, once per request

    def row(self, facet: Facet, values: Iterable[str], facet_url: FacetUrl) -> MetaRow:
        known = self.linkable(facet)
        links = []
        for v in dict.fromkeys(v for v in values if v):
            link = self._links.get((facet_url, facet.id, v))
            if link is None:
                url = facet_url(facet.id, v) if known is None or v in known else ""
                link = MetaLink(self._label(facet.id, v), url, v)
                self._links[(facet_url, facet.id, v)] = link
            links.append(link)
        return MetaRow(facet.id, self._name(facet), tuple(links))

    def _name(self, facet: Facet) -> str:
        name = self._names.get(facet.id)
        if name is None:
            key = f"meta_{facet.id}"
            name = translate(key) if key in STRINGS else translate(facet.legend_key)
            self._names[facet.id] = name
        return name

    def linkable(self, facet: Facet) -> frozenset[str] | None:
        # Taxonomy values are always valid filters; a stored value only when a document holds
        # it. Asked once per request: the KnowledgeBase checks the index generation on disk.
        if facet.id not in self._known:
            taxonomy = facet.source == "taxonomy"
            self._known[facet.id] = None if taxonomy else self.kb.indexed_values(facet.id)
        return self._known[facet.id]


def _page_links() -> _PageLinks:
    page: _PageLinks | None = g.get("facet_links_page")
    if page is None:
        page = g.facet_links_page = _PageLinks()
    return page


def init_app(app: Flask) -> None:
    """Make the document page's metadata rows available in every template (a hit's rows are
    web/hit_markup.py's)."""
    app.add_template_global(document_meta)
