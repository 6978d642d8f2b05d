"""The one search function: SearchRequest -> SearchResult (hits, snippets, facets, suggestion).

Facets are multi-select: values within a facet combine with OR, facets with AND, and each facet's
counts apply every filter but its own (Solr's tag/exclude). The text query is scored by
kb.scoring; filters and counts are numpy masks over the snapshot (kb.facets).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.analyzer import normalize
from kb.errors import ValidationError
from kb.search.query import AllOf, AnyOf, Node, Phrase, Word, parse
from kb.search.request import SearchRequest
from kb.search.results import FacetValue, Hit, SearchResult
from kb.search.scoring import QueryScorer
from kb.search.snapshot import FACETS, Snapshot
from kb.search.snippets import PAGE_BREAK, make_snippet
from kb.search.spelling import suggest
from kb.taxonomy.model import Taxonomy

# Request attribute holding each facet's selected values.
_SELECTED = {
    "focus_area": "focus_areas",
    "municipality": "municipalities",
    "region": "regions",
    "county": "counties",
    "doc_type": "doc_types",
}
SUGGEST_BELOW = 3  # offer "Menade du ...?" when fewer hits than this


@dataclass(frozen=True)
class Analysis:
    """The analysis functions search needs (kb.analysis in production)."""

    query_terms: Callable[[str], list[str]]
    index_terms: Callable[[str], frozenset[str]]
    tokenize: Callable[[str], list[tuple[str, int, int]]]


@dataclass
class SearchContext:
    searcher: Searcher
    snapshot: Snapshot
    taxonomy: Taxonomy
    analysis: Analysis


def validate(request: SearchRequest, taxonomy: Taxonomy) -> SearchRequest:
    """Clamp the request and reject facet values the taxonomy does not know (ValidationError)."""
    req = request.clamped()
    known: dict[str, Mapping[str, object]] = {
        "focus_areas": taxonomy.focus_areas,
        "municipalities": taxonomy.municipalities,
        "regions": taxonomy.regions,
        "counties": taxonomy.counties,
        "doc_types": taxonomy.doc_types,
    }
    for attr, values in known.items():
        unknown = [v for v in getattr(req, attr) if v not in values]
        if unknown:
            raise ValidationError(f"Okänt värde för {attr}: {', '.join(unknown[:3])[:120]}")
    return req


def run_search(ctx: SearchContext, request: SearchRequest, facets: bool = True) -> SearchResult:
    """Search with facets (unless ``facets`` is False); see the module docstring for semantics."""
    req = validate(request, ctx.taxonomy)
    snap = ctx.snapshot
    parsed = parse(req.q)
    scorer = QueryScorer(ctx.searcher, snap, ctx.analysis.query_terms)
    scores: np.ndarray | None = None
    if req.q:
        scores = scorer.evaluate(parsed.root)
        matched = (scores > 0) & snap.live if scores is not None else np.zeros(snap.n_docs, bool)
    else:
        matched = snap.live.copy()
    filters = _filter_masks(req, snap)
    final = matched.copy()
    for mask in filters.values():
        final &= mask
    total = int(final.sum())
    facet_values = _facets(ctx, req, matched, filters) if facets else {}
    order = _top(final, scores, snap, req)
    terms = positive_terms(parsed.root, ctx.analysis.query_terms) if req.q else []
    hits = tuple(
        make_hit(ctx, int(d), float(scores[d]) if scores is not None else 0.0, terms) for d in order
    )
    suggestion = None
    if req.q and total < SUGGEST_BELOW and not parsed.fallback:
        suggestion = suggest(ctx.searcher, scorer, parsed, final_filter(filters, snap), total)
    return SearchResult(
        total=total,
        hits=hits,
        facets=facet_values,
        suggestion=suggestion,
        fallback=parsed.fallback,
        page=req.page,
        page_size=req.page_size,
    )


def final_filter(filters: dict[str, np.ndarray], snap: Snapshot) -> np.ndarray:
    out = snap.live.copy()
    for mask in filters.values():
        out &= mask
    return out


def positive_terms(node: Node, analyze: Callable[[str], list[str]]) -> list[str]:
    """Index terms of the words that must or may match (for highlighting)."""
    if isinstance(node, Word):
        return analyze(node.text)
    if isinstance(node, Phrase):
        return [t for w in node.words for t in analyze(w)]
    if isinstance(node, AnyOf):
        return [t for c in node.children for t in positive_terms(c, analyze)]
    if isinstance(node, AllOf):
        return [t for c in node.must for t in positive_terms(c, analyze)]
    return [normalize(node.text)]  # Prefix: marked by its prefix


def _filter_masks(req: SearchRequest, snap: Snapshot) -> dict[str, np.ndarray]:
    masks: dict[str, np.ndarray] = {}
    for facet, attr in _SELECTED.items():
        values = getattr(req, attr)
        if values:
            masks[facet] = snap.facets[facet].mask(values)
    bounds = _year_bounds(req)
    if bounds is not None:
        lo, hi = bounds
        masks["year"] = (snap.year_of >= lo) & (snap.year_of <= hi) & (snap.year_of >= 0)
    return masks


def _facets(
    ctx: SearchContext, req: SearchRequest, matched: np.ndarray, filters: dict[str, np.ndarray]
) -> dict[str, tuple[FacetValue, ...]]:
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        base = matched
        others = [m for f, m in filters.items() if f != facet]
        if others:
            base = matched.copy()
            for m in others:
                base &= m
        counts[facet] = ctx.snapshot.facets[facet].counts(base)
    return build_facet_values(ctx.taxonomy, req, counts)


def build_facet_values(
    tax: Taxonomy, req: SearchRequest, counts: dict[str, dict[str, int]]
) -> dict[str, tuple[FacetValue, ...]]:
    """Label, order and nest the raw counts (regions and counties list their municipalities)."""
    muni_counts = counts["municipality"]
    selected_munis = set(req.municipalities)

    def muni_values(codes: list[str]) -> tuple[FacetValue, ...]:
        rows = [
            FacetValue(c, tax.label("municipality", c), muni_counts.get(c, 0), c in selected_munis)
            for c in codes
            if muni_counts.get(c, 0) or c in selected_munis
        ]
        return tuple(sorted(rows, key=lambda v: (-v.count, v.label)))

    def flat(
        facet: str, ids: list[str], selected: tuple[str, ...], keep_zero: bool
    ) -> tuple[FacetValue, ...]:
        c = counts[facet]
        return tuple(
            FacetValue(v, tax.label(facet, v), c.get(v, 0), v in selected)
            for v in ids
            if keep_zero or c.get(v, 0) or v in selected
        )

    regions = tuple(
        FacetValue(
            r.id,
            tax.label("region", r.id),
            counts["region"].get(r.id, 0),
            r.id in req.regions,
            muni_values(list(r.members)),
        )
        for r in tax.regions.values()
    )
    by_county: dict[str, list[str]] = {}
    for code, m in tax.municipalities.items():
        by_county.setdefault(m.county_code, []).append(code)
    counties = tuple(
        sorted(
            (
                FacetValue(
                    cc,
                    tax.label("county", cc),
                    counts["county"].get(cc, 0),
                    cc in req.counties,
                    muni_values(by_county.get(cc, [])),
                )
                for cc in tax.counties
                if counts["county"].get(cc, 0) or cc in req.counties
            ),
            key=lambda v: (-v.count, v.label),
        )
    )
    years = tuple(
        FacetValue(y, y, n, _year_selected(req, int(y)))
        for y, n in sorted(counts["year"].items(), key=lambda kv: kv[0], reverse=True)
    )
    return {
        "focus_area": flat("focus_area", list(tax.focus_areas), req.focus_areas, True),
        "municipality": muni_values(list(tax.municipalities)),
        "region": regions,
        "county": counties,
        "doc_type": flat("doc_type", list(tax.doc_types), req.doc_types, True),
        "year": years,
    }


def _year_bounds(req: SearchRequest) -> tuple[int, int] | None:
    """The inclusive year range of the request, open ends widened; None when unfiltered."""
    if req.year_from is None and req.year_to is None:
        return None
    lo = req.year_from if req.year_from is not None else -(10**6)
    hi = req.year_to if req.year_to is not None else 10**6
    return lo, hi


def _year_selected(req: SearchRequest, year: int) -> bool:
    bounds = _year_bounds(req)
    return bounds is not None and bounds[0] <= year <= bounds[1]


def _top(
    final: np.ndarray, scores: np.ndarray | None, snap: Snapshot, req: SearchRequest
) -> np.ndarray:
    idx = np.flatnonzero(final)
    start = (req.page - 1) * req.page_size
    end = start + req.page_size
    if start >= len(idx):
        return idx[:0]
    date = snap.date_rank[idx].astype(np.float64)
    score = scores[idx].astype(np.float64) if scores is not None else np.zeros(len(idx))
    if req.sort == "newest" or scores is None:
        key = date * 1e4 + np.minimum(score, 9999.0)
    else:
        key = score + date * 1e-9
    # Ties broken by docnum so paging is stable.
    key = -key
    part = np.argpartition(key, end - 1)[:end] if end < len(idx) else np.arange(len(idx))
    part = part[np.lexsort((idx[part], key[part]))]
    return idx[part[start:end]]


def make_hit(ctx: SearchContext, docnum: int, score: float, terms: list[str]) -> Hit:
    stored = ctx.searcher.stored_fields(docnum)
    meta: dict[str, Any] = json.loads(stored["meta"])
    pages = zlib.decompress(stored["text_z"]).decode("utf-8").split(PAGE_BREAK)
    snip = make_snippet(
        pages,
        list(meta.get("pages") or [1]),
        terms,
        ctx.analysis.tokenize,
        ctx.analysis.index_terms,
        fallback=meta.get("summary", ""),
    )
    return hit_from_meta(meta, snip.html, snip.page, score)


def hit_from_meta(meta: dict[str, Any], snippet: str, page: int | None, score: float) -> Hit:
    date = meta.get("date")
    return Hit(
        id=meta["id"],
        title=meta.get("title") or meta["source"].rsplit("/", 1)[-1],
        url=meta["source"],
        source=meta.get("publisher") or _source_name(meta["source"]),
        date=date,
        year=int(date[:4]) if date and date[:4].isdigit() else None,
        doc_type=meta.get("doc_type", "other"),
        focus_areas=tuple(meta.get("focus_areas", ())),
        municipalities=tuple(meta.get("municipalities", ())),
        regions=tuple(meta.get("regions", ())),
        snippet=snippet,
        page=page,
        score=score,
        content_type=meta.get("content_type", ""),
        publisher=meta.get("publisher", ""),
        language=meta.get("language") or "sv",
    )


def _source_name(source: str) -> str:
    if "://" in source:
        host = source.split("://", 1)[1].split("/", 1)[0]
        return host.removeprefix("www.")
    return source.rsplit("/", 1)[-1]
