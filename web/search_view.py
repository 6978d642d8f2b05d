"""What the results page renders, built from one SearchRequest and its SearchResult.

kb computes hits and facet counts; this module only arranges them for the templates: facet groups
with checkbox ids and toggle URLs (region with its municipalities beneath), removable filter chips,
pagination links and, for zero results, the count each active filter would give if dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from kb.search.request import MAX_RESULT_WINDOW, SearchRequest
from kb.search.results import FacetValue, SearchResult
from web.i18n import translate
from web.params import (
    FILTER_PARAMS,
    query_string,
    request_params,
    toggled,
    with_years,
    without_filter,
)

# Values shown before "Visa fler"; selected values are always shown.
VISIBLE_VALUES = 8
# Pages linked on each side of the current page.
PAGE_WINDOW = 2

Labeler = Callable[[str, str], str]
Searcher = Callable[[SearchRequest], SearchResult]


@dataclass(frozen=True)
class Option:
    """One checkbox (or year link) in a facet group.

    Checkboxes need no URL of their own (the form submits them); ``url`` is set for year links.
    """

    param: str
    value: str
    label: str
    count: int
    selected: bool
    input_id: str
    children: tuple[Option, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class FacetGroup:
    """A fieldset of options: the first ones visible, the rest behind "Visa fler"."""

    name: str
    param: str
    legend: str
    visible: tuple[Option, ...]
    more: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Chip:
    """An active filter shown above the results, with the URL that removes it."""

    facet: str
    label: str
    url: str


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None marks a gap ("…")
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    previous: str | None
    next: str | None
    links: tuple[PageLink, ...] = ()


@dataclass(frozen=True)
class DropFilter:
    """Zero-result help: the result count without one active filter."""

    facet: str
    count: int
    url: str


@dataclass
class SearchView:
    """Everything the results template needs besides the hits themselves."""

    request: SearchRequest
    result: SearchResult
    url: Callable[[SearchRequest], str]
    groups: list[FacetGroup] = field(default_factory=list)
    year_options: tuple[Option, ...] = ()
    chips: list[Chip] = field(default_factory=list)
    pagination: Pagination | None = None
    drops: list[DropFilter] = field(default_factory=list)
    suggestion_url: str | None = None
    clear_url: str = ""
    browse_url: str = ""

    @property
    def first(self) -> int:
        return (self.result.page - 1) * self.result.page_size + 1

    @property
    def last(self) -> int:
        return min(self.first + len(self.result.hits) - 1, self.result.total)


def url_builder(base: str, extra: Sequence[tuple[str, str]] = ()) -> Callable[[SearchRequest], str]:
    """A function giving the URL of a SearchRequest under ``base`` (plus fixed ``extra`` params)."""

    def build(req: SearchRequest) -> str:
        return base + query_string(request_params(req), extra)

    return build


def build_view(
    req: SearchRequest,
    result: SearchResult,
    url: Callable[[SearchRequest], str],
    label: Labeler,
    search: Searcher | None = None,
) -> SearchView:
    """Arrange ``result`` for rendering; ``search`` (kb.search.engine) serves zero-result help."""
    view = SearchView(request=req, result=result, url=url)
    view.groups = _facet_groups(req, result, label)
    view.year_options = _year_options(req, result, url)
    view.chips = _chips(req, url, label)
    view.clear_url = url(SearchRequest(q=req.q, sort=req.sort, page_size=req.page_size))
    view.browse_url = url(SearchRequest())
    view.pagination = _pagination(req, result, url)
    if result.suggestion:
        view.suggestion_url = url(replace(req, q=result.suggestion, page=1))
    if result.total == 0 and search is not None:
        view.drops = _drops(req, url, search)
    return view


def _option(req: SearchRequest, param: str, fv: FacetValue, label: Labeler) -> Option:
    selected = fv.value in getattr(req, _field(param))
    return Option(
        param=param,
        value=fv.value,
        label=label(param, fv.value) or fv.label,
        count=fv.count,
        selected=selected,
        input_id=f"f-{param}-{_slug(fv.value)}",
        children=tuple(_option(req, "municipality", c, label) for c in fv.children),
    )


def _group(name: str, param: str, legend: str, options: Sequence[Option]) -> FacetGroup:
    visible = [o for i, o in enumerate(options) if i < VISIBLE_VALUES or _any_selected(o)]
    more = [o for i, o in enumerate(options) if i >= VISIBLE_VALUES and not _any_selected(o)]
    return FacetGroup(name, param, legend, tuple(visible), tuple(more))


def _any_selected(o: Option) -> bool:
    return o.selected or any(c.selected for c in o.children)


def _facet_groups(req: SearchRequest, result: SearchResult, label: Labeler) -> list[FacetGroup]:
    facets = result.facets
    groups: list[FacetGroup] = []

    def options(name: str, param: str) -> list[Option]:
        return [_option(req, param, fv, label) for fv in facets.get(name, ())]

    focus = options("focus_area", "focus_area")
    if focus:
        groups.append(_group("focus_area", "focus_area", translate("facet_focus_area"), focus))
    regions = _unique_children(options("region", "region"))
    in_regions = {c.value for r in regions for c in r.children}
    if regions:
        groups.append(_group("region", "region", translate("facet_region"), regions))
    others = [o for o in options("municipality", "municipality") if o.value not in in_regions]
    if others:
        legend = translate("facet_other_municipalities" if regions else "facet_municipality")
        groups.append(_group("municipality", "municipality", legend, others))
    # County children would repeat the municipality checkboxes already listed (same name, value
    # and id); counties are shown flat and municipalities outside regions go to "Övriga kommuner".
    counties = [replace(o, children=()) for o in options("county", "county")]
    if counties:
        groups.append(_group("county", "county", translate("facet_county"), counties))
    doc_types = options("doc_type", "doc_type")
    if doc_types:
        groups.append(_group("doc_type", "doc_type", translate("facet_doc_type"), doc_types))
    return groups


def _unique_children(regions: list[Option]) -> list[Option]:
    # A municipality in two regions is listed under the first only: two checkboxes for one value
    # would fight (unticking one leaves the other ticked) and would share an element id.
    seen: set[str] = set()
    out = []
    for region in regions:
        kids = tuple(c for c in region.children if c.value not in seen)
        seen.update(c.value for c in kids)
        out.append(replace(region, children=kids))
    return out


def _year_options(req: SearchRequest, result: SearchResult, url: Callable) -> tuple[Option, ...]:
    opts = []
    for fv in sorted(result.facets.get("year", ()), key=lambda v: v.value, reverse=True):
        if not fv.value.isdigit():
            continue
        year = int(fv.value)
        selected = req.year_from == year and req.year_to == year
        target = with_years(req, None, None) if selected else with_years(req, year, year)
        opts.append(
            Option(
                "year", fv.value, fv.value, fv.count, selected, f"f-year-{year}", url=url(target)
            )
        )
    return tuple(opts)


def _chips(req: SearchRequest, url: Callable, label: Labeler) -> list[Chip]:
    chips = []
    for param in ("focus_area", "region", "municipality", "county", "doc_type"):
        facet = translate(f"facet_{param}")
        for value in getattr(req, _field(param)):
            chips.append(Chip(facet, label(param, value), url(toggled(req, param, value))))
    if req.year_from is not None or req.year_to is not None:
        a, b = req.year_from, req.year_to
        if a is not None and b is not None:
            text = translate("year_chip", a=a, b=b) if a != b else str(a)
        elif a is not None:
            text = translate("year_from_chip", a=a)
        else:
            text = translate("year_to_chip", b=b)
        chips.append(Chip(translate("facet_year"), text, url(without_filter(req, "year"))))
    return chips


def _pagination(req: SearchRequest, result: SearchResult, url: Callable) -> Pagination | None:
    last = min(result.pages, max(MAX_RESULT_WINDOW // result.page_size, 1))
    if last <= 1:
        return None
    current = min(result.page, last)

    def page_url(n: int) -> str:
        return url(replace(req, page=n))

    numbers = sorted(
        {1, last} | set(range(max(current - PAGE_WINDOW, 1), min(current + PAGE_WINDOW, last) + 1))
    )
    links: list[PageLink] = []
    for i, n in enumerate(numbers):
        if i and n - numbers[i - 1] > 1:
            links.append(PageLink(None))
        links.append(PageLink(n, page_url(n), n == current))
    return Pagination(
        previous=page_url(current - 1) if current > 1 else None,
        next=page_url(current + 1) if current < last else None,
        links=tuple(links),
    )


def _drops(req: SearchRequest, url: Callable, search: Searcher) -> list[DropFilter]:
    drops = []
    active = [
        p
        for p in ("focus_area", "region", "municipality", "county", "doc_type")
        if getattr(req, _field(p))
    ]
    if req.year_from is not None or req.year_to is not None:
        active.append("year")
    for param in active:
        relaxed = replace(without_filter(req, param), page_size=1)
        count = search(relaxed).total
        drops.append(
            DropFilter(
                translate(f"facet_{param}"), count, url(replace(relaxed, page_size=req.page_size))
            )
        )
    return drops


def _field(param: str) -> str:
    return FILTER_PARAMS[param]


def _slug(value: str) -> str:
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in value)
