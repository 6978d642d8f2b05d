"""Metadata that leads somewhere: a hit's and a document's facet values as links to the search
filtered on each value, built from the facet registry (kb.facets.registry), never per field.

Every facet that declares ``of_hit`` (focus area, region, municipality, publisher, type...) is a
row of links; on the document page the values come from ``Facet.values_of`` and a rolled-up
facet adds the values its members roll up to (the regions a document's municipalities belong
to). A value no document holds (a publisher the facet does not know) shows as plain text, so no
link leads to an empty page. ``init_app`` makes ``hit_meta`` and ``document_meta`` template
globals; the results page passes its own ``facet_url`` so the embed's links stay in the embed.
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


def view_facet_url(url: Callable[[SearchRequest], str]) -> FacetUrl:
    """``facet_search_url`` under a results page's own URL builder (the embed keeps ``lang``)."""

    def build(facet_id: str, value: str) -> str:
        return url(SearchRequest(filters={facet_id: (value,)}))

    return build


def hit_meta(hit: Hit, facet_url: FacetUrl | None = None) -> list[MetaRow]:
    """The metadata rows of a search hit with at least one link, in the registry's order."""
    rows = []
    for facet in current_kb().facets.multi:
        if facet.of_hit is not None:
            rows.append(_row(facet, facet.of_hit(hit), facet_url or facet_search_url))
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
        rows.append(_row(facet, values, facet_url or facet_search_url))
    return [r for r in rows if r.links]


def _row(facet: Facet, values: Iterable[str], facet_url: FacetUrl) -> MetaRow:
    known = _linkable(facet)
    # A page links the same values on many hits (ten hits, one municipality): each link is made
    # once per request and facet_url, then reused.
    made: dict[tuple[FacetUrl, str, str], MetaLink] = g.setdefault("facet_links_made", {})
    links = []
    for v in dict.fromkeys(v for v in values if v):
        link = made.get((facet_url, facet.id, v))
        if link is None:
            url = facet_url(facet.id, v) if known is None or v in known else ""
            link = made[(facet_url, facet.id, v)] = MetaLink(_label(facet.id, v), url, v)
        links.append(link)
    return MetaRow(facet.id, _row_name(facet), tuple(links))


def _row_name(facet: Facet) -> str:
    names: dict[str, str] = g.setdefault("facet_links_names", {})
    name = names.get(facet.id)
    if name is None:
        key = f"meta_{facet.id}"
        name = translate(key) if key in STRINGS else translate(facet.legend_key)
        names[facet.id] = name
    return name


def _label(facet_id: str, value: str) -> str:
    # One labeler per request: the language and the label tables looked up once.
    labeler = g.get("facet_links_labeler")
    if labeler is None:
        labeler = g.facet_links_labeler = request_labeler()
    return labeler(facet_id, value)


def _linkable(facet: Facet) -> frozenset[str] | None:
    # Taxonomy values are always valid filters; a stored value only when a document holds it.
    if facet.source == "taxonomy":
        return None
    # Once per request: asking the KnowledgeBase checks the index generation on disk.
    cache: dict[str, frozenset[str]] = g.setdefault("facet_links_known", {})
    if facet.id not in cache:
        cache[facet.id] = current_kb().indexed_values(facet.id)
    return cache[facet.id]


def init_app(app: Flask) -> None:
    """Make the metadata rows available in every template."""
    app.add_template_global(hit_meta)
    app.add_template_global(document_meta)
