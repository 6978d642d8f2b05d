"""The facet registry: one declaration per facet, read by the index, search, the CLI and the web.

A facet declared here gets, with nothing else to edit: its index field (kb.index.schema), its
values from each Document (kb.index.record), its table of the index generation
(kb.search.snapshot), validation, filtering and counts (kb.search.engine), a ``--option`` of
`kb search` (kbcli), a URL parameter, a facet group and chips (web). Its legend is the web
string ``label_key`` (web/i18n.py). Standard library and kb.document / kb.taxonomy only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kb.errors import ValidationError

if TYPE_CHECKING:
    from kb.document import Document
    from kb.taxonomy.model import Taxonomy

# Where a facet's values and their labels come from: a taxonomy list (ids, labelled by the
# taxonomy), the stored field itself (the value is its own label), or the year of the date.
ValueSource = Literal["taxonomy", "stored", "year"]
# "multi": several values combine with OR; "range": the request's year_from/year_to.
Selection = Literal["multi", "range"]
# "taxonomy": every taxonomy value in file order, zero counts included; "count": values with a
# count (or selected), most documents first then by label; "value_desc": newest year first.
Order = Literal["taxonomy", "count", "value_desc"]

Rollup = Callable[["Taxonomy"], Mapping[str, Sequence[str]]]


@dataclass(frozen=True)
class Facet:
    """One facet.

    Attributes:
        id: the public name: URL parameter, JSON key, `kb search --<id-with-dashes>`.
        field: the index field holding the values; "" for a facet only rolled up from another.
        values_of: the values a Document holds for ``field``.
        source: where the values and labels come from (see ValueSource).
        taxonomy_kind: the Taxonomy.label kind of the values when ``source`` is "taxonomy".
        multi_valued: a document may hold several values (a KEYWORD field) or one (an ID field).
        selection: multi-select values or a year range.
        order: how the counted values are listed.
        rollup_of / rollup: hierarchical facets: each value of the facet ``rollup_of`` maps to
            values of this one through ``rollup(taxonomy)`` (municipality -> region); the counts
            list the rolled-up values as children. Read at open time, so no reindex is needed.
        nest_on_page: the results page lists the children beneath each value.
        label_key: the web string naming the facet (its legend and chip); default ``facet_<id>``.
        rest_label_key: the legend when some values already show beneath another facet's values.
        cli_help: the help of the `kb search` option.
        summary: listed after the hits in `kb search`'s text output.
        of_hit: the values a search Hit shows for the facet (its stored record's), so a hit's
            metadata can link to the search filtered on each value; None: not shown on hits.
    """

    id: str
    field: str = ""
    values_of: Callable[[Document], tuple[str, ...]] | None = None
    source: ValueSource = "stored"
    taxonomy_kind: str = ""
    multi_valued: bool = True
    selection: Selection = "multi"
    order: Order = "count"
    rollup_of: str = ""
    rollup: Rollup | None = None
    nest_on_page: bool = False
    label_key: str = ""
    rest_label_key: str = ""
    cli_help: str = ""
    summary: bool = False
    # Takes a kb.search.results.Hit (typed loosely: the registry sits below kb.search).
    of_hit: Callable[[Any], tuple[str, ...]] | None = None

    @property
    def legend_key(self) -> str:
        return self.label_key or f"facet_{self.id}"

    @property
    def option_name(self) -> str:
        """The `kb search` option: ``--doc-type`` for ``doc_type``."""
        return "--" + self.id.replace("_", "-")

    def label(self, taxonomy: Taxonomy, value: str, lang: str = "sv") -> str:
        """The display label of ``value``: the taxonomy's name, or the value itself."""
        if self.source == "taxonomy":
            return taxonomy.label(self.taxonomy_kind, value, lang)
        return str(value)

    def labeler(self, taxonomy: Taxonomy, lang: str = "sv") -> Callable[[str], str]:
        """``label`` for many values of this facet: one table lookup per value."""
        if self.source == "taxonomy":
            table = taxonomy.label_table(self.taxonomy_kind, lang)
            return lambda value: table.get(value, value)
        return str

    def known_values(self, taxonomy: Taxonomy) -> tuple[str, ...] | None:
        """The allowed values (taxonomy order), or None when any value may occur."""
        if self.source == "taxonomy":
            return taxonomy.ids(self.taxonomy_kind)
        return None

    def unknown_values(self, values: Iterable[str], taxonomy: Taxonomy) -> list[str]:
        """Those of ``values`` the taxonomy does not know (none when any value may occur)."""
        known = self.known_values(taxonomy)
        if known is None:
            return []
        allowed = set(known)
        return [v for v in values if v not in allowed]


class FacetRegistry:
    """The facets in display order (the order of the page's groups, the JSON and the URL).

    Raises:
        ValueError: two facets share an id, a roll-up names an unknown facet, a facet has no
            index field and no roll-up, or more than one facet is a range.
    """

    def __init__(self, facets: Sequence[Facet]) -> None:
        self._facets = tuple(facets)
        self._by_id = {f.id: f for f in self._facets}
        if len(self._by_id) != len(self._facets):
            raise ValueError("two facets share an id")
        for f in self._facets:
            if f.rollup_of and (f.rollup_of not in self._by_id or f.rollup is None):
                raise ValueError(f"facet {f.id}: roll-up of unknown facet {f.rollup_of!r}")
            if not f.rollup_of and not f.field:
                raise ValueError(f"facet {f.id}: needs an index field or a roll-up")
            if f.field and f.values_of is None:
                raise ValueError(f"facet {f.id}: an index field needs values_of")
        if sum(1 for f in self._facets if f.selection == "range") > 1:
            raise ValueError("at most one range facet (the year)")

    def __iter__(self) -> Iterator[Facet]:
        return iter(self._facets)

    def __len__(self) -> int:
        return len(self._facets)

    def __contains__(self, facet_id: object) -> bool:
        return facet_id in self._by_id

    def __getitem__(self, facet_id: str) -> Facet:
        try:
            return self._by_id[facet_id]
        except KeyError:
            raise ValidationError(f"Okänd facett / unknown facet: {facet_id!r}") from None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    @property
    def multi(self) -> tuple[Facet, ...]:
        """The multi-select facets (URL parameters, CLI options, chips)."""
        return tuple(f for f in self._facets if f.selection == "multi")

    @property
    def year(self) -> Facet | None:
        """The range facet, filtered by the request's year_from/year_to."""
        return next((f for f in self._facets if f.selection == "range"), None)

    @property
    def indexed(self) -> tuple[Facet, ...]:
        """Facets with an index field of their own."""
        return tuple(f for f in self._facets if f.field)

    def with_facet(self, facet: Facet, after: str | None = None) -> FacetRegistry:
        """A registry with ``facet`` added (after the facet ``after``, else last)."""
        facets = list(self._facets)
        at = facets.index(self[after]) + 1 if after else len(facets)
        facets.insert(at, facet)
        return FacetRegistry(facets)

    def rollups(self, taxonomy: Taxonomy) -> dict[str, Mapping[str, Sequence[str]]]:
        """Facet id -> the roll-up mapping of each hierarchical facet, read from ``taxonomy``."""
        return {f.id: f.rollup(taxonomy) for f in self._facets if f.rollup is not None}

    def children(self, taxonomy: Taxonomy) -> dict[str, dict[str, tuple[str, ...]]]:
        """Hierarchical facet id -> its value -> the values beneath it (region -> members)."""
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for facet_id, mapping in self.rollups(taxonomy).items():
            beneath: dict[str, list[str]] = {}
            for child, parents in mapping.items():
                for parent in parents:
                    beneath.setdefault(parent, []).append(child)
            out[facet_id] = {k: tuple(v) for k, v in beneath.items()}
        return out

    def label(self, taxonomy: Taxonomy, facet_id: str, value: str, lang: str = "sv") -> str:
        """The display label of a value of ``facet_id`` (ValidationError for an unknown facet)."""
        return self[facet_id].label(taxonomy, value, lang)


def _regions_of(taxonomy: Taxonomy) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for region in taxonomy.regions.values():
        for code in region.members:
            out.setdefault(code, []).append(region.id)
    return out


def _county_of(taxonomy: Taxonomy) -> dict[str, list[str]]:
    return {code: [m.county_code] for code, m in taxonomy.municipalities.items()}


def _publisher(doc: Document) -> tuple[str, ...]:
    # Only a recognised organisation: a PDF's author field or a bare host is no publisher facet.
    return (doc.publisher,) if doc.publisher_org is not None and doc.publisher else ()


def _year(doc: Document) -> tuple[str, ...]:
    return (str(doc.year),) if doc.year else ()


DEFAULT_FACETS = FacetRegistry(
    [
        Facet(
            "focus_area",
            field="focus_area",
            values_of=lambda d: d.values("focus_areas"),
            source="taxonomy",
            taxonomy_kind="focus_area",
            order="taxonomy",
            cli_help="Focus-area id (repeatable).",
            summary=True,
            of_hit=lambda h: h.focus_areas,
        ),
        Facet(
            "region",
            # Documents may also be tagged with a region directly.
            field="region",
            values_of=lambda d: d.values("regions"),
            source="taxonomy",
            taxonomy_kind="region",
            order="taxonomy",
            rollup_of="municipality",
            rollup=_regions_of,
            nest_on_page=True,
            cli_help="Region id, e.g. fyrbodal (repeatable).",
            of_hit=lambda h: h.regions,
        ),
        Facet(
            "municipality",
            field="municipality",
            values_of=lambda d: d.values("municipalities"),
            source="taxonomy",
            taxonomy_kind="municipality",
            rest_label_key="facet_other_municipalities",
            cli_help="SCB code (repeatable).",
            of_hit=lambda h: h.municipalities,
        ),
        Facet(
            "county",
            source="taxonomy",
            taxonomy_kind="county",
            rollup_of="municipality",
            rollup=_county_of,
            cli_help="County code, e.g. 14 (repeatable).",
        ),
        Facet(
            "publisher",
            field="publisher",
            values_of=_publisher,
            multi_valued=False,
            cli_help="Publisher's name, e.g. 'Myndigheten för digital förvaltning' (repeatable).",
            of_hit=lambda h: (h.publisher,) if h.publisher else (),
        ),
        Facet(
            "doc_type",
            field="doc_type",
            values_of=lambda d: (d.doc_type.value,),
            source="taxonomy",
            taxonomy_kind="doc_type",
            multi_valued=False,
            order="taxonomy",
            cli_help="guide, project, decision, plan...",
            summary=True,
            of_hit=lambda h: (h.doc_type,),
        ),
        Facet(
            "year",
            field="year",
            values_of=_year,
            source="year",
            multi_valued=False,
            selection="range",
            order="value_desc",
        ),
    ]
)
