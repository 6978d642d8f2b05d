"""The public JSON of kb: search results, hits, facet values and documents.

The one serializer of what leaves kb as JSON: ``/api/search`` and ``kb search --json``
(search_json), ``/api/documents/<id>`` (document_json) and ``kb list --json``
(document_summary_json), ``/api/v1/compare`` and the comparison page's JSON (comparison_json).
The shapes are documented in web/openapi.json, and
tests/test_api_schema.py checks the API against it. The store's record (kb.index.store) and the
index record (kb.index.record) are internal and may change; these shapes may only grow.

Municipalities: ``concerns`` are those a document is about (the municipality facet filters on
them; ``municipalities`` is the same list under its first name, kept for existing clients),
``mentions`` those it only names in passing. ``municipality_regions`` gives the regions (e-råd,
kommunalförbund) each listed municipality is a member of, from the taxonomy passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kb.curation.model import Curation
from kb.document import Document, Tag, source_name
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.search.compare import Comparison
from kb.search.results import FacetValue, Hit, SearchResult
from kb.taxonomy.model import Taxonomy

# (source, document id) -> the address a client may see (the web's kept-copy link for a file).
PublicUrl = Callable[[str, str], str]


def search_json(
    result: SearchResult,
    public_url: PublicUrl | None = None,
    taxonomy: Taxonomy | None = None,
) -> dict[str, Any]:
    """A search result: total, paging, suggestion, the hits and the facet counts.

    ``public_url`` rewrites each hit's ``url`` (the API never shows a path on the server's disk);
    ``taxonomy`` gives each hit's municipalities their regions.
    """
    return {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "suggestion": result.suggestion,
        "fallback": result.fallback,
        "partial_total": result.partial_total,
        "related_total": result.related_total,
        "expanded": list(result.expanded),
        "also_excluded": list(result.also_excluded),
        "missing": list(result.missing_words),
        "results": [hit_json(h, public_url, taxonomy) for h in result.hits],
        "facets": {k: [facet_value_json(v) for v in vs] for k, vs in result.facets.items()},
    }


def hit_json(
    hit: Hit, public_url: PublicUrl | None = None, taxonomy: Taxonomy | None = None
) -> dict[str, Any]:
    """One hit; ``snippet`` is escaped HTML whose only tags are ``<mark>``."""
    return {
        "id": hit.id,
        "title": hit.title,
        "url": public_url(hit.url, hit.id) if public_url else hit.url,
        "source": hit.source,
        "date": hit.date,
        "year": hit.year,
        "doc_type": hit.doc_type,
        "focus_areas": list(hit.focus_areas),
        "municipalities": list(hit.municipalities),
        "regions": list(hit.regions),
        "snippet": hit.snippet,
        "page": hit.page,
        "score": round(hit.score, 4),
        "content_type": hit.content_type,
        "publisher": hit.publisher,
        "language": hit.language,
        "partial": hit.partial,
        "missing": list(hit.missing),
        "related": hit.related,
        "added": hit.added or None,
        "also_at": also_at_json(hit.also_at, public_url),
        "concerns": list(hit.municipalities),
        "municipality_regions": municipality_regions(hit.municipalities, taxonomy),
    }


def also_at_json(
    also_at: Sequence[tuple[str, str]], public_url: PublicUrl | None = None
) -> list[dict[str, str]]:
    """The other addresses of one original (a hit's or a document's ``also_at``): each one's
    ``url`` (rewritten by ``public_url``), ``id`` and ``name``, what the pages show for it."""
    return [
        {
            "url": public_url(url, doc_id) if public_url else url,
            "id": doc_id,
            "name": copy_name(url),
        }
        for url, doc_id in also_at
    ]


def copy_name(source: str) -> str:
    """What the pages show for a copy at ``source``: a web address itself (linked to it), a
    file by its name (linked to its document page: a path on the server opens nothing)."""
    return source if source.startswith(("http://", "https://")) else source_name(source)


def facet_value_json(value: FacetValue) -> dict[str, Any]:
    """A facet value with its count; ``children`` only when values roll up beneath it."""
    data: dict[str, Any] = {
        "value": value.value,
        "label": value.label,
        "count": value.count,
        "selected": value.selected,
    }
    if value.children:
        data["children"] = [facet_value_json(c) for c in value.children]
    return data


def document_json(
    doc: Document, public_url: PublicUrl | None = None, taxonomy: Taxonomy | None = None
) -> dict[str, Any]:
    """One document with its text page by page and every tag with where it came from.

    ``public_url`` rewrites ``source`` and ``url`` (the API never shows a server path);
    ``taxonomy`` gives the municipalities it concerns and mentions their regions.
    """
    source = public_url(doc.source, doc.id) if public_url else doc.source
    return {
        "id": doc.id,
        "source": source,
        "url": source,
        "title": doc.title,
        "pages": [{"number": p.number, "text": p.text} for p in doc.pages],
        "content_sha256": doc.content_sha256,
        "content_type": doc.content_type,
        "filename": doc.filename,
        "date": doc.date,
        "date_source": doc.date_source,
        "year": doc.year,
        "language": doc.language,
        "summary": doc.summary,
        "publisher": doc.publisher,
        "doc_type": _tag(doc.doc_type),
        "focus_areas": [_tag(t) for t in doc.focus_areas],
        "municipalities": [_tag(t) for t in doc.municipalities],
        "regions": [_tag(t) for t in doc.regions],
        "ocr": doc.ocr,
        "added": doc.added,
        "mentions": [_tag(t) for t in doc.mentions],
        "publisher_org": _tag(doc.publisher_org) if doc.publisher_org else None,
        "concerns": [_tag(t) for t in doc.concerns],
        "municipality_regions": municipality_regions(
            (*doc.values("municipalities"), *doc.values("mentions")), taxonomy
        ),
    }


def curation_json(curation: Curation) -> dict[str, Any]:
    """Which fields of a document people corrected (field -> when, and whether by an editor or
    given at ingest), and its withdrawal by the source; editors' names are not published."""
    withdrawal = curation.withdrawal
    return {
        "curated": {
            name: {"at": c.at, "via": "ingest" if c.via == "ingest" else "editor"}
            for name, c in curation.corrections.items()
        },
        "withdrawn": None
        if withdrawal is None
        else {"since": withdrawal.since, "reason": withdrawal.reason},
    }


def document_summary_json(doc: Document, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """A document in a listing: its facts and tag values, without text or evidence."""
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.source,
        "content_type": doc.content_type,
        "date": doc.date,
        "year": doc.year,
        "doc_type": doc.doc_type.value,
        "focus_areas": list(doc.values("focus_areas")),
        "municipalities": list(doc.values("municipalities")),
        "regions": list(doc.values("regions")),
        "ocr": doc.ocr,
        "concerns": list(doc.values("municipalities")),
        "mentions": list(doc.values("mentions")),
        "municipality_regions": municipality_regions(
            (*doc.values("municipalities"), *doc.values("mentions")), taxonomy
        ),
    }


def municipality_regions(codes: Sequence[str], taxonomy: Taxonomy | None) -> dict[str, list[str]]:
    """Each municipality's regions (ids of e-råd and kommunalförbund it is a member of today);
    {} without a taxonomy. A code the taxonomy does not know gets no regions."""
    if taxonomy is None:
        return {}
    return {
        code: [r.id for r in taxonomy.regions_of(code)] if code in taxonomy.municipalities else []
        for code in dict.fromkeys(codes)
    }


def comparison_json(
    comparison: Comparison,
    taxonomy: Taxonomy,
    lang: str = "sv",
    facets: FacetRegistry = DEFAULT_FACETS,
) -> dict[str, Any]:
    """A comparison: per row (municipality) its label, total and one count per column (focus
    area), in the order of ``columns``; labels in ``lang``."""
    row_facet, col_facet = facets[comparison.row_facet], facets[comparison.column_facet]
    return {
        "row_facet": comparison.row_facet,
        "column_facet": comparison.column_facet,
        "regions": [
            {"id": r, "label": facets["region"].label(taxonomy, r, lang)}
            for r in comparison.regions
        ],
        "on": comparison.on.isoformat() if comparison.on else None,
        "total": comparison.total,
        "empty_cells": comparison.empty_cells,
        "columns": [
            {"value": c, "label": col_facet.label(taxonomy, c, lang), "total": n}
            for c, n in zip(comparison.columns, comparison.column_totals, strict=True)
        ],
        "rows": [
            {
                "value": r,
                "label": row_facet.label(taxonomy, r, lang),
                "total": n,
                "counts": list(counts),
            }
            for r, n, counts in zip(
                comparison.rows, comparison.row_totals, comparison.counts, strict=True
            )
        ],
    }


def _tag(tag: Tag) -> dict[str, Any]:
    return {
        "value": tag.value,
        "source": tag.source,
        "evidence": list(tag.evidence),
        "score": tag.score,
    }
