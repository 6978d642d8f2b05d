"""Facet filters and facet values: a request's filter masks, each facet's counts and listing.

Owns what the search engine (kb.search.engine) does with facets around the text match: the
filter mask of each facet the request narrows (values within a facet OR, the year as a range),
each facet's counts over the matched documents and every filter but its own (Solr's
tag/exclude), and the labelled, ordered and nested FacetValue rows built from those counts as
the facet registry (kb.facets.registry) declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter

import numpy as np

from kb.facets.registry import DEFAULT_FACETS, Facet, FacetRegistry
from kb.search.facets import BITSET_VALUES, pack_bits
from kb.search.request import SearchRequest
from kb.search.results import FacetValue
from kb.search.snapshot import Snapshot
from kb.taxonomy.model import Taxonomy

_LABEL = attrgetter("label")
_COUNT = attrgetter("count")
_NEW = object.__new__


def _value(
    value: str,
    label: str,
    count: int,
    selected: bool,
    children: tuple[FacetValue, ...] = (),
) -> FacetValue:
    """``FacetValue(value, label, count, selected)`` without the frozen dataclass's __init__ (an
    ``object.__setattr__`` call per field): a search lists up to ~300 values (docs/benchmarks.md,
    "Matching speed, 2026-12-07"). tests/test_facet_counts.py checks it makes an equal value."""
    fv: FacetValue = _NEW(FacetValue)
    fv.__dict__.update(value=value, label=label, count=count, selected=selected, children=children)
    return fv


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
    # Every facet the request does not filter counts under the same mask (all the filters):
    # made, and packed into bits for the facets of few values, once.
    shared = _narrowed(matched, filters.values())
    packed: np.ndarray | None = None
    for facet in facets:
        table = snap.facets[facet.id]
        if facet.id in filters:
            base = _narrowed(matched, (m for f, m in filters.items() if f != facet.id))
            counts[facet.id] = table.counts(base)
        else:
            if packed is None and len(table.values) <= BITSET_VALUES:
                packed = pack_bits(shared)
            base = shared
            counts[facet.id] = table.counts(shared, packed)
        if snap.copies:  # a value counts one original once: the hits a click on it shows
            snap.copies.uncount(table, base, counts[facet.id])
    return build_facet_values(tax, req, counts, facets, children)


def _narrowed(matched: np.ndarray, masks: Iterable[np.ndarray]) -> np.ndarray:
    """``matched`` ANDed with each of ``masks`` (``matched`` itself when there are none)."""
    out = matched
    for m in masks:
        out = out & m if out is matched else np.logical_and(out, m, out=out)
    return out


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
        labelled = False
        if facet.order == "count" and isinstance(candidates, tuple):
            # The taxonomy's values, or a value's members: the same in every search.
            candidates = _by_label(tax, facet.id, candidates, label)
            labelled = True
        mine = made.get(facet.id)
        if mine is None:
            # Every value this facet lists anywhere: those counted, and those chosen.
            mine = made[facet.id] = {
                v: _value(v, label(v), n, v in chosen) for v, n in c.items() if n
            }
            for v in chosen:
                if v not in mine:
                    mine[v] = _value(v, label(v), c.get(v, 0), True)
        get = mine.get
        rows: list[FacetValue]
        if facet.order == "taxonomy":  # every value, zero counts too
            rows = [get(v) or _value(v, label(v), 0, False) for v in candidates]
        else:
            rows = [fv for v in candidates if (fv := get(v)) is not None]
        if facet.order == "count":
            # Most documents first, ties by label: two stable sorts with C key functions give
            # the order of the key (-count, label). Taxonomy values come in label order already.
            if not labelled:
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
                _value(
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


_LABEL_ORDER: dict[tuple[str, tuple[str, ...]], tuple[Taxonomy, tuple[str, ...]]] = {}


def _by_label(
    tax: Taxonomy, facet_id: str, values: tuple[str, ...], label: Callable[[str], str]
) -> tuple[str, ...]:
    """``values`` sorted by their labels (stable), kept per taxonomy: a facet's taxonomy values
    and a region's members are listed in every search."""
    kept = _LABEL_ORDER.get((facet_id, values))
    if kept is not None and kept[0] is tax:
        return kept[1]
    ordered = tuple(sorted(values, key=label))
    if len(_LABEL_ORDER) > 1000:
        _LABEL_ORDER.clear()
    _LABEL_ORDER[(facet_id, values)] = (tax, ordered)
    return ordered


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
