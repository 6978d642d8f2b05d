"""What the results page renders, built from one SearchRequest and its SearchResult.

kb computes hits and facet counts; this module only arranges them for the templates, as the facet
registry (kb.facets.registry) declares: facet groups with checkbox ids (a region with its
municipalities beneath), removable filter chips, year links, pagination links and, for zero
results, the ways out of web/zero_hits.py.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kb.facets.registry import Facet, FacetRegistry
from kb.search.request import MAX_RESULT_WINDOW, SearchRequest
from kb.search.results import FacetValue, SearchResult
from web.i18n import current_language, translate
from web.markup_cache import MarkupCache
from web.params import (
    query_string,
    request_params,
    toggled,
    with_years,
    without_filter,
)
from web.place_filters import PlaceFilter
from web.zero_hits import DropFilter, WordAlone, filter_drops, unquoted, words_alone

# Values shown before "Visa fler"; selected values are always shown.
VISIBLE_VALUES = 8
# Values sent at most per group (visible and behind "Visa fler"); a longer group (the
# municipalities: 290) ends with "Visa alla N", which fetches the rest (``show_all=<group>``).
# Most of a results page's bytes and render time were the full municipality list.
LISTED_VALUES = 24
# Pages linked on each side of the current page.
PAGE_WINDOW = 2

Labeler = Callable[[str, str], str]
Searcher = Callable[[SearchRequest], SearchResult]


def layout() -> tuple[int, int, int]:
    """The settings above (values shown, values listed, pages linked): part of the key of a kept
    view or page, so that one made under other settings is never shown."""
    return (VISIBLE_VALUES, LISTED_VALUES, PAGE_WINDOW)


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
    total: int = 0  # values in the group, listed or not
    all_url: str = ""  # set when values were left out: the page with the whole group


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


@dataclass
class SearchView:
    """Everything the results template needs besides the hits themselves."""

    request: SearchRequest
    result: SearchResult
    url: Callable[[SearchRequest], str]
    groups: list[FacetGroup] = field(default_factory=list)
    year_legend: str = ""  # empty: no year facet, or nothing to offer on a zero-hit page
    year_options: tuple[Option, ...] = ()
    chips: list[Chip] = field(default_factory=list)
    pagination: Pagination | None = None
    drops: list[DropFilter] = field(default_factory=list)
    words_alone: list[WordAlone] = field(default_factory=list)
    unquoted: WordAlone | None = None  # the query without its quotes
    suggestion_url: str | None = None
    places: list[PlaceFilter] = field(default_factory=list)  # "Filtrera på Jönköpings kommun?"
    clear_url: str = ""
    browse_url: str = ""

    @property
    def first(self) -> int:
        return (self.result.page - 1) * self.result.page_size + 1

    @property
    def last(self) -> int:
        return min(self.first + len(self.result.hits) - 1, self.result.total)


@dataclass(frozen=True)
class UrlBuilder:
    """The URL of a SearchRequest under ``base`` (plus fixed ``extra`` params). Equal builders
    make equal URLs, so markup holding them can be cached by them (web/markup_cache.py)."""

    base: str
    extra: tuple[tuple[str, str], ...] = ()

    def __call__(self, req: SearchRequest) -> str:
        return self.base + query_string(request_params(req), self.extra)


def url_builder(base: str, extra: Sequence[tuple[str, str]] = ()) -> UrlBuilder:
    """A function giving the URL of a SearchRequest under ``base`` (plus fixed ``extra`` params)."""
    return UrlBuilder(base, tuple(extra))


def build_view(
    req: SearchRequest,
    result: SearchResult,
    url: Callable[[SearchRequest], str],
    label: Labeler,
    search: Searcher | None = None,
    *,
    facets: FacetRegistry,
    show_all: Collection[str] = (),
    groups_cache: MarkupCache | None = None,
) -> SearchView:
    """Arrange ``result`` for rendering; ``search`` (kb.search.engine) serves zero-result help.

    ``show_all``: groups listed in full (the "Visa alla" link); the others are trimmed to
    ``LISTED_VALUES``. ``groups_cache``: where the facet groups of a search asked before are
    kept (web/markup_cache.py); its entries must belong to one app (one registry and taxonomy).
    """
    view = SearchView(request=req, result=result, url=url)
    view.groups = _cached_groups(req, result, label, facets, show_all, groups_cache)
    page_url = url(req)
    view.groups = [_with_all_url(g, page_url) if g.all_url else g for g in view.groups]
    if facets.year is not None:
        view.year_legend = translate(facets.year.legend_key)
        view.year_options = _year_options(req, result, url, facets.year)
    view.chips = _chips(req, url, label, facets)
    view.clear_url = url(SearchRequest(q=req.q, sort=req.sort, page_size=req.page_size))
    view.browse_url = url(SearchRequest())
    view.pagination = _pagination(req, result, url)
    if result.suggestion:
        view.suggestion_url = url(replace(req, q=result.suggestion, page=1))
    if result.total == 0:
        _only_ways_out(view)
        if search is not None:
            view.drops = filter_drops(req, url, search, facets)
            view.words_alone = words_alone(req, url, search)
            view.unquoted = unquoted(req, url, search)
    return view


def _only_ways_out(view: SearchView) -> None:
    """Without hits, the filter column keeps the ticked values (to untick them where they were
    ticked) and the values with hits (a facet ignores its own filter: another municipality with
    hits); without a ticked filter that is nothing, and the column of zeros is left out."""

    def kept(options: Sequence[Option]) -> tuple[Option, ...]:
        out = [replace(o, children=kept(o.children)) for o in options]
        return tuple(o for o in out if o.count or o.selected or o.children)

    groups = [replace(g, visible=kept(g.visible), more=kept(g.more)) for g in view.groups]
    view.groups = [g for g in groups if g.visible or g.more]
    view.year_options = tuple(o for o in view.year_options if o.count or o.selected)
    if not view.year_options and (view.request.year_from, view.request.year_to) == (None, None):
        view.year_legend = ""


def _option(req: SearchRequest, param: str, fv: FacetValue, label: Labeler, child: str) -> Option:
    """A checkbox of the facet ``param``; ``child`` is the facet of the values beneath it."""
    return Option(
        param=param,
        value=fv.value,
        label=label(param, fv.value) or fv.label,
        count=fv.count,
        selected=fv.value in req.values(param),
        input_id=f"f-{param}-{_slug(fv.value)}",
        children=tuple(_option(req, child, c, label, "") for c in fv.children) if child else (),
    )


def _group(name: str, param: str, legend: str, options: Sequence[Option]) -> FacetGroup:
    # Values with hits, and ticked ones, first (each part in its own order): a facet listed in
    # the taxonomy's order shows every value, and a value no hit holds (a disabled checkbox)
    # must not take a visible place from one behind "Visa fler" that has hits.
    options = [o for o in options if o.count or _any_selected(o)] + [
        o for o in options if not (o.count or _any_selected(o))
    ]
    visible = [o for i, o in enumerate(options) if i < VISIBLE_VALUES or _any_selected(o)]
    more = [o for i, o in enumerate(options) if i >= VISIBLE_VALUES and not _any_selected(o)]
    return FacetGroup(name, param, legend, tuple(visible), tuple(more))


def _cached_groups(
    req: SearchRequest,
    result: SearchResult,
    label: Labeler,
    facets: FacetRegistry,
    show_all: Collection[str],
    cache: MarkupCache | None,
) -> list[FacetGroup]:
    """The trimmed facet groups, their "Visa alla" URL still to be made (``all_url`` "-"),
    kept under what they are made of: facet values and counts, selection, ``show_all``, language.
    A search asked again, sorted or paged has the same ones; keeping the same objects lets the
    page keep their markup too (web/facet_markup.py). Hashing the values of a search at 100,000
    documents costs ~0.06 ms, building the groups ~0.4 ms."""

    def make() -> list[FacetGroup]:
        groups = _facet_groups(req, result, label, facets, show_all)
        return [_trimmed(g, show_all) for g in groups]

    if cache is None:
        return make()
    selection = tuple((f.id, tuple(req.values(f.id))) for f in facets.multi)
    # The trimming limits belong to the key too (layout()): settings of the page, not the search.
    key = (tuple(result.facets.items()), selection, tuple(show_all), current_language(), layout())
    return cache.get_or_make((), key, make)


def _trimmed(group: FacetGroup, show_all: Collection[str]) -> FacetGroup:
    total = max(group.total, len(group.visible) + len(group.more))
    keep = LISTED_VALUES - len(group.visible)
    if group.name in show_all or (
        len(group.more) <= keep and total == len(group.visible) + len(group.more)
    ):
        return replace(group, total=total)
    # The URL is the page's own: made per request by _with_all_url.
    return replace(group, more=group.more[: max(keep, 0)], total=total, all_url="-")


def _with_all_url(group: FacetGroup, page_url: str) -> FacetGroup:
    joiner = "&" if "?" in page_url else "?"
    return replace(group, all_url=f"{page_url}{joiner}show_all={group.name}#facet-{group.name}")


def _any_selected(o: Option) -> bool:
    return o.selected or any(c.selected for c in o.children)


def _facet_groups(
    req: SearchRequest,
    result: SearchResult,
    label: Labeler,
    facets: FacetRegistry,
    show_all: Collection[str] = (),
) -> list[FacetGroup]:
    groups: list[FacetGroup] = []
    # Facet id -> values already shown beneath another facet's values (municipalities in regions).
    beneath: dict[str, set[str]] = {}
    for facet in facets.multi:
        values: Sequence[FacetValue] = result.facets.get(facet.id, ())
        hidden = beneath.get(facet.id, set())
        total = sum(1 for fv in values if fv.value not in hidden)
        if facet.id not in show_all and not facet.rollup_of:
            # Only the values that can be listed become options (labels cost time per value).
            picked = set(req.values(facet.id))
            listed = [fv for fv in values if fv.value not in hidden]
            values = [fv for i, fv in enumerate(listed) if i < LISTED_VALUES or fv.value in picked]
        # Children only where the page nests them (regions): a county's would be thrown away.
        child = facet.rollup_of if facet.nest_on_page else ""
        options = [_option(req, facet.id, fv, label, child) for fv in values]
        if facet.rollup_of and facet.nest_on_page:
            options = _unique_children(options)
            if options:
                shown = beneath.setdefault(facet.rollup_of, set())
                shown.update(c.value for o in options for c in o.children)
        elif facet.rollup_of:
            # Children would repeat checkboxes listed elsewhere (same name, value and id).
            options = [replace(o, children=()) for o in options]
        legend_key = facet.legend_key
        if facet.id in beneath:
            options = [o for o in options if o.value not in beneath[facet.id]]
            legend_key = facet.rest_label_key or legend_key
        if options:
            group = _group(facet.id, facet.id, translate(legend_key), options)
            groups.append(replace(group, total=max(total, len(options))))
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


def _year_options(
    req: SearchRequest, result: SearchResult, url: Callable, year_facet: Facet
) -> tuple[Option, ...]:
    opts = []
    for fv in sorted(result.facets.get(year_facet.id, ()), key=lambda v: v.value, reverse=True):
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


def filter_labels(req: SearchRequest, label: Labeler, facets: FacetRegistry) -> list[str]:
    """The active filters' labels, as their chips say them ("Uddevalla", "2020–2025")."""
    return [chip.label for chip in _chips(req, lambda _req: "", label, facets)]


def _chips(req: SearchRequest, url: Callable, label: Labeler, facets: FacetRegistry) -> list[Chip]:
    chips = []
    for facet in facets.multi:
        name = translate(facet.legend_key)
        for value in req.values(facet.id):
            chips.append(
                Chip(name, label(facet.id, value), url(toggled(req, facet.id, value, facets)))
            )
    if facets.year is not None and (req.year_from is not None or req.year_to is not None):
        a, b = req.year_from, req.year_to
        if a is not None and b is not None:
            text = translate("year_chip", a=a, b=b) if a != b else str(a)
        elif a is not None:
            text = translate("year_from_chip", a=a)
        else:
            text = translate("year_to_chip", b=b)
        chips.append(
            Chip(translate(facets.year.legend_key), text, url(without_filter(req, "year")))
        )
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


# Facet values recur on every page (some 120 checkboxes a page, a few thousand values in all).
@lru_cache(maxsize=8192)
def _slug(value: str) -> str:
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in value)
