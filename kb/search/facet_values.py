"""Facet filters and facet values: a request's filter masks, each facet's counts and listing.

Owns what the search engine (kb.search.engine) does with facets around the text match: the
filter mask of each facet the request narrows (values within a facet OR, the year as a range),
each facet's counts over the matched documents and every filter but its own (Solr's
tag/exclude), and the labelled, ordered and nested FacetValue rows built from those counts as
the facet registry (kb.facets.registry) declares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter

import numpy as np

from kb.facets.registry import DEFAULT_FACETS, Facet, FacetRegistry
from kb.search.request import SearchRequest
from kb.search.results import FacetValue
from kb.search.snapshot import Snapshot
from kb.taxonomy.model import Taxonomy

_LABEL = attrgetter("label")
_COUNT = attrgetter("count")


def filter_masks(
    req: SearchRequest, snap: Snapshot, facets: FacetRegistry
) -> dict[str, np.ndarray]:
    """Facet id -> the documents its selected values (or the year range) allow; unfiltered
    facets are absent."""
    masks: dict[str, np.ndarray] = {}
    for facet in facets.multi:
        values = req.values(facet.id)
        if values:
            masks[facet.id] = snap.facets[facet.id].mask(values)
    bounds = year_bounds(req)
    if bounds is not None and facets.year is not None:
        lo, hi = bounds
        year_of = snap.year_of
        masks[facets.year.id] = (year_of >= lo) & (year_of <= hi) & (year_of >= 0)
    return masks


def list_facets(
    snap: Snapshot,
    tax: Taxonomy,
    facets: FacetRegistry,
    children: Mapping[str, Mapping[str, Sequence[str]]],
    req: SearchRequest,
    matched: np.ndarray,
    filters: dict[str, np.ndarray],
) -> dict[str, tuple[FacetValue, ...]]:
    """Each facet's listed values, counted over ``matched`` and every filter but its own."""
    counts: dict[str, dict[str, int]] = {}
    for facet in facets:
        base = matched
        others = [m for f, m in filters.items() if f != facet.id]
        if others:
            base = matched.copy()
            for m in others:
                base &= m
        counts[facet.id] = snap.facets[facet.id].counts(base)
    return build_facet_values(tax, req, counts, facets, children)


def build_facet_values(
    tax: Taxonomy,
    req: SearchRequest,
    counts: dict[str, dict[str, int]],
    facets: FacetRegistry = DEFAULT_FACETS,
    children: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
) -> dict[str, tuple[FacetValue, ...]]:
    """Label, order and nest the raw counts as each facet's declaration says (kb.facets.registry).

    A hierarchical facet (a region) lists the values beneath each of its values (the member
    municipalities) with their own counts.
    """
    if children is None:
        children = facets.children(tax)
    # A value's FacetValue is the same wherever it is listed (a municipality under its region,
    # its county and in its own facet): made once per call.
    made: dict[str, dict[str, FacetValue]] = {}

    def listed(facet: Facet, candidates: Sequence[str] | None) -> tuple[FacetValue, ...]:
        c = counts.get(facet.id, {})
        label = facet.labeler(tax)
        if facet.selection == "range":
            return tuple(
                FacetValue(v, label(v), n, v.isdigit() and year_selected(req, int(v)))
                for v, n in sorted(c.items(), key=lambda kv: kv[0], reverse=True)
            )
        chosen = set(req.values(facet.id))
        if candidates is None:
            candidates = [*c, *(v for v in req.values(facet.id) if v not in c)]
        keep_zero = facet.order == "taxonomy"
        mine = made.setdefault(facet.id, {})
        count_of = c.get
        rows: list[FacetValue] = []
        for v in candidates:
            fv = mine.get(v)
            if fv is None:
                # Whether a value is listed depends only on the facet and the value, so one made
                # before was kept by the same test.
                n = count_of(v, 0)
                if not (keep_zero or n or v in chosen):
                    continue
                fv = mine[v] = FacetValue(v, label(v), n, v in chosen)
            rows.append(fv)
        if facet.order == "count":
            # Most documents first, ties by label: two stable sorts with C key functions give
            # the order of the key (-count, label).
            rows.sort(key=_LABEL)
            rows.sort(key=_COUNT, reverse=True)
        elif facet.order == "value_desc":
            rows.sort(key=lambda fv: fv.value, reverse=True)
        return tuple(rows)

    out: dict[str, tuple[FacetValue, ...]] = {}
    for facet in facets:
        values = listed(facet, facet.known_values(tax))
        if facet.rollup_of:
            beneath = children.get(facet.id, {})
            child_facet = facets[facet.rollup_of]
            values = tuple(
                FacetValue(
                    fv.value,
                    fv.label,
                    fv.count,
                    fv.selected,
                    listed(child_facet, beneath.get(fv.value, ())),
                )
                for fv in values
            )
        out[facet.id] = values
    return out


def year_bounds(req: SearchRequest) -> tuple[int, int] | None:
    """The inclusive year range of the request, open ends widened; None when unfiltered."""
    if req.year_from is None and req.year_to is None:
        return None
    lo = req.year_from if req.year_from is not None else -(10**6)
    hi = req.year_to if req.year_to is not None else 10**6
    return lo, hi


def year_selected(req: SearchRequest, year: int) -> bool:
    bounds = year_bounds(req)
    return bounds is not None and bounds[0] <= year <= bounds[1]
