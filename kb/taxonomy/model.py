"""Taxonomy: focus areas, counties, municipalities, regions and document types.

Owns the value classes and the lookups other modules use (facet labels, name forms, region
membership); kb.taxonomy_files reads and validates the editable data files in corpus/taxonomy/
(see corpus/README.md). Loaded once per directory and process. Standard library only.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kb.config import DEFAULT_CORPUS_DIR
from kb.errors import NotFoundError, ValidationError

FOCUS_AREA_IDS = (
    "digital-kompetens",
    "digital-trygghet",
    "digital-innovation",
    "digitalt-ledarskap",
    "digital-infrastruktur",
)
DOC_TYPE_IDS = ("guide", "project", "decision", "plan", "report", "other")
# The kinds of values the taxonomy lists (a facet's ``taxonomy_kind``) -> the Taxonomy attribute.
KINDS = {
    "focus_area": "focus_areas",
    "municipality": "municipalities",
    "region": "regions",
    "county": "counties",
    "doc_type": "doc_types",
}
# A form holding one of these words names the municipal organisation, so it is never ambiguous.
_ORG_WORDS = frozenset({"kommun", "kommuns", "stad", "stads", "region", "city"})


@dataclass(frozen=True)
class FocusArea:
    """A sub-goal of the national digitalisation strategy, with its tagging keywords."""

    id: str
    label_sv: str
    label_en: str
    description_sv: str
    description_en: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    # (keyword, other area id): a keyword of this area that the strategy's own vocabulary puts in
    # a second area too ("e-legitimation" is security and shared infrastructure); it counts there
    # with less weight. The keyword still belongs to this area (the reason shown for a tag).
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class County:
    """A county (län): SCB code "14", name "Västra Götalands län"."""

    code: str
    name: str
    name_en: str = ""
    forms: tuple[str, ...] = ()  # e.g. the regional body: "Region Skåne"


@dataclass(frozen=True)
class Municipality:
    """A municipality (kommun). ``forms`` holds every name form except the bare ``name``,
    official name first; ``ambiguous`` means the bare name often means something else."""

    code: str
    name: str
    county_code: str
    forms: tuple[str, ...]
    ambiguous: bool

    @property
    def official_name(self) -> str:
        """The name of the organisation: "Borås Stad", "Region Gotland", "Uddevalla kommun"."""
        return self.forms[0] if self.forms else self.name

    @property
    def bare_forms(self) -> tuple[str, ...]:
        """The name and the forms without "kommun"/"stad"/"Region" (genitive "Vänersborgs")."""
        return (self.name, *(f for f in self.forms if not _is_org_form(f)))

    @property
    def safe_forms(self) -> tuple[str, ...]:
        """Forms that may be matched in free text without context: the bare forms only when
        the name is not ambiguous."""
        org = tuple(f for f in self.forms if _is_org_form(f))
        return org if self.ambiguous else (*self.bare_forms, *org)


@dataclass(frozen=True)
class Membership:
    """One municipality's membership of a region, optionally limited in time (inclusive)."""

    code: str
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        """Whether the membership holds on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Region:
    """A group of municipalities (kommunalförbund, e-råd). ``members`` are the SCB codes of the
    members valid when the taxonomy was loaded; ``memberships`` keeps the dated history."""

    id: str
    name: str
    short_name: str
    kind: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    description: str
    memberships: tuple[Membership, ...] = ()
    associates: tuple[str, ...] = ()  # take part without being members (adjungerade)
    source: str = ""

    def members_on(self, day: date) -> tuple[str, ...]:
        """SCB codes of the members on ``day``."""
        return tuple(m.code for m in self.memberships if m.valid_on(day))


@dataclass(frozen=True)
class DocType:
    """A document type (vägledning, projektbeskrivning, beslut...) with classifying keywords."""

    id: str
    label_sv: str
    label_en: str
    keywords: tuple[str, ...]
    # The broader of the six core types this one is a kind of ("kallelse" is a decision, a
    # presentation is "other"); "" for the core types themselves.
    broader: str = ""

    @property
    def core(self) -> str:
        """The core type id this type counts as (itself for the six core types)."""
        return self.broader or self.id


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """All taxonomy data; each mapping is id/code -> object in file order. Treat as read-only:
    one instance is shared by the whole process."""

    focus_areas: dict[str, FocusArea]
    counties: dict[str, County]
    municipalities: dict[str, Municipality]
    regions: dict[str, Region]
    doc_types: dict[str, DocType]
    directory: Path

    @classmethod
    def load(cls, directory: Path | None = None) -> Taxonomy:
        """Load and validate the files in ``directory`` (default: corpus/taxonomy), cached.

        Raises:
            TaxonomyError: a file is missing or invalid; the message names the file and line
                or entry.
        """
        path = Path(directory) if directory is not None else DEFAULT_CORPUS_DIR / "taxonomy"
        return _load_cached(path.resolve())

    def county_of(self, code: str) -> County:
        """The county of the municipality with SCB code ``code``."""
        return self.counties[self._municipality(code).county_code]

    def regions_of(self, code: str, on: date | None = None) -> tuple[Region, ...]:
        """Regions the municipality ``code`` is a member of (today, or on the date ``on``)."""
        self._municipality(code)
        if on is None:
            return tuple(r for r in self.regions.values() if code in r.members)
        return tuple(r for r in self.regions.values() if code in r.members_on(on))

    def municipalities_in(self, county_code: str) -> tuple[Municipality, ...]:
        """The municipalities of a county, in SCB code order."""
        return tuple(m for m in self.municipalities.values() if m.county_code == county_code)

    def municipality_by_name(self, name: str) -> Municipality | None:
        """The municipality a name or name form denotes ("Borås Stad", "uddevalla", "Vanersborgs").

        Case-insensitive; diacritics are ignored only when that leaves a single candidate
        ("Habo" is Habo, not Håbo). None when unknown.
        """
        codes = self._name_index.get(name_key(name))
        if codes is None:
            codes = self._folded_index.get(_fold(name), ())
        return self.municipalities[codes[0]] if len(codes) == 1 else None

    def focus_area_by_alias(self, text: str) -> FocusArea | None:
        """The focus area whose id, label or alias is ``text`` ("digital ledning"), or None."""
        return _find(
            self.focus_areas.values(), text, lambda f: (f.id, f.label_sv, f.label_en, *f.aliases)
        )

    def region_by_name(self, text: str) -> Region | None:
        """The region whose id, name, short name or alias is ``text`` ("Sjuhärad"), or None."""
        return _find(
            self.regions.values(), text, lambda r: (r.id, r.name, r.short_name, *r.aliases)
        )

    def ids(self, kind: str) -> tuple[str, ...]:
        """The ids of one kind of value ("focus_area", "municipality"...), in file order.

        Raises:
            ValidationError: an unknown kind.
        """
        return tuple(self._table(kind))

    def label(self, kind: str, value: str | int, lang: str = "sv") -> str:
        """The display label of a taxonomy value; an unknown value is shown as itself.

        Raises:
            ValidationError: an unknown kind or language.
        """
        key = str(value)
        found = self.label_table(kind, lang).get(key)
        return key if found is None else found

    def label_table(self, kind: str, lang: str = "sv") -> Mapping[str, str]:
        """Every value of ``kind`` -> its display label in ``lang`` (what ``label`` gives): one
        table per kind and language, made once, for pages that label hundreds of values.

        Raises:
            ValidationError: an unknown kind or language.
        """
        table = self._label_tables.get((kind, lang))
        return table if table is not None else self._label_table(kind, lang)

    def _label_table(self, kind: str, lang: str) -> dict[str, str]:
        if lang not in ("sv", "en"):
            raise ValidationError(f"Okänt språk / unknown language: {lang!r} (sv, en)")
        table = {code: _label_of(item, lang) for code, item in self._table(kind).items()}
        self._label_tables[(kind, lang)] = table
        return table

    @functools.cached_property
    def _label_tables(self) -> dict[tuple[str, str], dict[str, str]]:
        return {}

    def _table(self, kind: str) -> dict[str, Any]:
        if kind not in KINDS:
            raise ValidationError(f"Okänd taxonomityp / unknown taxonomy kind: {kind!r}")
        table: dict[str, Any] = getattr(self, KINDS[kind])
        return table

    def _municipality(self, code: str) -> Municipality:
        try:
            return self.municipalities[code]
        except KeyError:
            raise NotFoundError(f"Okänd kommunkod / unknown municipality code: {code!r}") from None

    @functools.cached_property
    def _name_index(self) -> dict[str, tuple[str, ...]]:
        return _index(self.municipalities.values(), name_key)

    @functools.cached_property
    def _folded_index(self) -> dict[str, tuple[str, ...]]:
        return _index(self.municipalities.values(), _fold)


def _is_org_form(form: str) -> bool:
    return any(word in _ORG_WORDS for word in name_key(form).split())


def name_key(text: str) -> str:
    """Lookup key for a name: case-insensitive, "Upplands-Bro" equals "upplands bro"."""
    return " ".join(text.casefold().replace("-", " ").split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name_key(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _index(munis: Iterable[Municipality], keyfn: Any) -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for m in munis:
        for form in (m.name, *m.forms):
            codes = index.get(keyfn(form), ())
            if m.code not in codes:
                index[keyfn(form)] = (*codes, m.code)
    return index


def _find(items: Iterable[Any], text: str, names: Any) -> Any:
    wanted = _fold(text)
    return next((item for item in items if wanted in {_fold(n) for n in names(item)}), None)


@functools.lru_cache(maxsize=8)
def _load_cached(directory: Path) -> Taxonomy:
    # Imported here because kb.taxonomy_files builds the value classes defined above.
    from kb.taxonomy.files import read_directory

    return Taxonomy(**read_directory(directory), directory=directory)


def _label_of(item: Any, lang: str) -> str:
    """The display label of one taxonomy object in ``lang`` ("sv" or "en")."""
    if isinstance(item, FocusArea | DocType):
        return str(item.label_en if lang == "en" else item.label_sv)
    if isinstance(item, Region):
        return str(item.short_name)
    if isinstance(item, County) and lang == "en" and item.name_en:
        return str(item.name_en)
    return str(item.name)
