"""SearchRequest: what a user asks for, validated and clamped in one place.

The CLI, the pages and the JSON API all build a SearchRequest and pass it to the one search
function, so a parameter means the same everywhere. Filters are keyed by the facet ids of the
registry (kb.facets.registry), the public names used in URLs; the year range has its own fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from kb.errors import ValidationError

Sort = Literal["relevance", "newest", "added"]
SORTS = ("relevance", "newest", "added")

MAX_QUERY_CHARS = 500
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
# Deep paging past this many hits is not useful to a person and costs memory; clamp.
MAX_RESULT_WINDOW = 10_000
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class SearchRequest:
    """A search: query text, multi-select filters, sort and paging.

    ``filters`` maps a facet id to its selected values: values within one filter combine with OR,
    filters combine with AND; a missing or empty entry means "no filter". ``q`` may be empty:
    then the request browses by filters.
    """

    q: str = ""
    # Left out of the hash (a dict is not hashable); equality still compares it.
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    year_from: int | None = None
    year_to: int | None = None
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # The officer's own region (not a filter): its documents rank a little higher.
    home_region: str = ""

    def clamped(self) -> SearchRequest:
        """A copy with the query trimmed and page, page size and years brought into range.

        Raises:
            ValidationError: when ``sort`` is unknown or the year range is reversed.
        """
        if self.sort not in SORTS:
            raise ValidationError(
                f"Okänd sortering / unknown sort order (sort): {self.sort!r} "
                "(relevance, newest, added)"
            )
        page_size = min(max(int(self.page_size), 1), MAX_PAGE_SIZE)
        # A page past the window is the one just past its last, which has no hits: a client
        # paging on until an empty page stops (it got the window's last page again, forever).
        page = min(max(int(self.page), 1), last_page(page_size) + 1)
        year_from = _clamp_year(self.year_from)
        year_to = _clamp_year(self.year_to)
        if year_from is not None and year_to is not None and year_from > year_to:
            raise ValidationError(
                f"Året från är senare än året till / year_from is later than year_to "
                f"(year_from={year_from}, year_to={year_to})"
            )
        return replace(
            self,
            q=" ".join(self.q.split())[:MAX_QUERY_CHARS],
            page=page,
            page_size=page_size,
            year_from=year_from,
            year_to=year_to,
            filters=_clean(self.filters),
            home_region=str(self.home_region or "").strip(),
        )

    def values(self, facet: str) -> tuple[str, ...]:
        """The selected values of ``facet`` (empty when it is not filtered)."""
        return tuple(self.filters.get(facet, ()))

    def with_values(self, facet: str, values: tuple[str, ...]) -> SearchRequest:
        """A copy with the filter ``facet`` set to ``values`` (empty removes it)."""
        filters = {k: v for k, v in self.filters.items() if k != facet}
        if values:
            filters[facet] = tuple(values)
        return replace(self, filters=filters)

    @property
    def has_filters(self) -> bool:
        return any(self.filters.values()) or self.year_from is not None or self.year_to is not None


def last_page(page_size: int) -> int:
    """The last page of ``page_size`` hits within MAX_RESULT_WINDOW (later pages have none)."""
    return max(MAX_RESULT_WINDOW // page_size, 1)


def _clamp_year(year: int | None) -> int | None:
    if year is None:
        return None
    return min(max(int(year), MIN_YEAR), MAX_YEAR)


def _clean(filters: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out = {str(k): _dedup(v) for k, v in filters.items()}
    return {k: v for k, v in out.items() if v}


def _dedup(values: tuple[str, ...] | str) -> tuple[str, ...]:
    if isinstance(values, str):  # one value given without a tuple
        values = (values,)
    seen: dict[str, None] = {}
    for v in values:
        v = str(v).strip()
        if v:
            seen.setdefault(v, None)
    return tuple(seen)
