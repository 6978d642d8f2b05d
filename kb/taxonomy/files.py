"""Reading and validating the taxonomy data files in corpus/taxonomy/.

Owns the file formats (TOML for focus areas, document types and regions; tab-separated text for
counties and municipalities) and their rules; every problem becomes a TaxonomyError naming the file
and the line or entry. kb.taxonomy owns the values and lookups; this module builds them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kb.errors import TaxonomyError
from kb.taxonomy.model import (
    DOC_TYPE_IDS,
    FOCUS_AREA_IDS,
    County,
    DocType,
    FocusArea,
    Membership,
    Municipality,
    Region,
    name_key,
)

_ID = re.compile(r"[a-z][a-z0-9-]*\Z")
_YES, _NO = frozenset({"yes", "ja", "true", "1"}), frozenset({"no", "nej", "false", "0"})


def read_directory(directory: Path) -> dict[str, Any]:
    """Read and validate the five files in ``directory``.

    Returns:
        The Taxonomy fields: focus_areas, counties, municipalities, regions, doc_types.

    Raises:
        TaxonomyError: a file is missing or invalid.
    """
    if not directory.is_dir():
        raise TaxonomyError(f"{directory}: taxonomy folder missing")
    counties = _load_counties(directory / "counties.tsv")
    municipalities = _load_municipalities(directory / "municipalities.tsv", counties)
    return {
        "focus_areas": _load_focus_areas(directory / "focus_areas.toml"),
        "counties": counties,
        "municipalities": municipalities,
        "regions": _load_regions(directory / "regions.toml", municipalities),
        "doc_types": _load_doc_types(directory / "doc_types.toml"),
    }


class _Entry:
    """One TOML table or TSV row, with checked field access so errors name file and entry."""

    def __init__(self, path: Path, where: str, data: dict[str, Any], allowed: Iterable[str]):
        self.path, self.where, self.data = path, where, data
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            raise self.error(f"unknown field {unknown[0]!r} (allowed: {', '.join(allowed)})")

    def error(self, message: str) -> TaxonomyError:
        return TaxonomyError(f"{self.path}: {self.where}: {message}")

    def text(self, key: str, required: bool = True) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            raise self.error(f"{key!r} must be text")
        if required and not value.strip():
            raise self.error(f"{key!r} is missing or empty")
        return value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):  # a TSV cell: "a; b; c"
            value = [v for v in value.split(";") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"{key!r} must be a list of non-empty texts")
        items = tuple(v.strip() for v in value)
        if (dup := _first_duplicate(items)) is not None:
            raise self.error(f"{key!r} lists {dup!r} twice")
        return items

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        raise self.error(f"{key!r} must be a date such as 2024-01-01, not {value!r}")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # -sig: tolerate a BOM from spreadsheets
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file missing") from None
    except UnicodeDecodeError as err:
        raise TaxonomyError(f"{path}: not UTF-8 text (byte {err.start})") from err
    except OSError as err:
        raise TaxonomyError(f"{path}: cannot be read ({err.strerror})") from err


def _toml_entries(path: Path, table: str, allowed: tuple[str, ...]) -> list[_Entry]:
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as err:
        raise TaxonomyError(f"{path}: invalid TOML: {err}") from err
    if extra := sorted(set(data) - {table}):
        raise TaxonomyError(f"{path}: unknown table {extra[0]!r} (expected [[{table}]])")
    items = data.get(table)
    if not isinstance(items, list) or not items:
        raise TaxonomyError(f"{path}: no [[{table}]] entries")
    entries = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise TaxonomyError(f"{path}: entry #{n} of {table!r} is not a [[{table}]] table")
        ident = item.get("id")
        where = f"[[{table}]] #{n}" + (f" (id {ident!r})" if isinstance(ident, str) else "")
        entries.append(_Entry(path, where, item, allowed))
    return entries


def _tsv_entries(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> list[_Entry]:
    header: list[str] | None = None
    entries = []
    for lineno, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            missing = [c for c in required if c not in cells]
            unknown = [c for c in cells if c not in required + optional or cells.count(c) > 1]
            if missing or unknown:
                problem = f"lacks column {missing[0]!r}" if missing else f"has extra {unknown[0]!r}"
                raise TaxonomyError(
                    f"{path}: line {lineno}: header {problem}; columns are {', '.join(required)}"
                    f"{', ' if optional else ''}{', '.join(optional)}, separated by tabs"
                )
            header = cells
        elif not len(required) <= len(cells) <= len(header):
            raise TaxonomyError(
                f"{path}: line {lineno}: {len(cells)} cells, the header has {len(header)} columns"
                " (columns are separated by tabs)"
            )
        else:  # a missing trailing cell is an empty one, as some spreadsheets drop them
            row = dict(zip(header, cells, strict=False))
            entries.append(_Entry(path, f"line {lineno}", row, header))
    if header is None:
        raise TaxonomyError(f"{path}: no header line")
    return entries


def _first_duplicate(items: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for item in items:
        if item.casefold() in seen:
            return item
        seen.add(item.casefold())
    return None


def _check_id(entry: _Entry, ident: str, seen: dict[str, Any]) -> None:
    if not _ID.match(ident):
        raise entry.error(f"id {ident!r} must be lowercase a-z, 0-9 and '-'")
    if ident in seen:
        raise entry.error(f"duplicate id {ident!r}")


def _load_focus_areas(path: Path) -> dict[str, FocusArea]:
    texts = ("id", "label_sv", "label_en", "description_sv", "description_en")
    areas: dict[str, FocusArea] = {}
    owner: dict[str, str] = {}  # keyword -> focus area id: a keyword tags one area only
    for e in _toml_entries(path, "focus_area", (*texts, "aliases", "keywords", "also")):
        keywords = e.texts("keywords")
        area = FocusArea(
            **{f: e.text(f) for f in texts},
            aliases=e.texts("aliases"),
            keywords=keywords,
            also=_also(e, keywords),
        )
        _check_id(e, area.id, areas)
        if area.id not in FOCUS_AREA_IDS:
            raise e.error(
                f"unknown focus area {area.id!r}; the ids are {', '.join(FOCUS_AREA_IDS)}"
            )
        if not area.keywords:
            raise e.error("'keywords' is missing or empty")
        for word in area.keywords:
            if (other := owner.setdefault(word.casefold(), area.id)) != area.id:
                raise e.error(f"keyword {word!r} is already a keyword of {other!r}")
        areas[area.id] = area
    if missing := [i for i in FOCUS_AREA_IDS if i not in areas]:
        raise TaxonomyError(f"{path}: focus area {missing[0]!r} is missing")
    return areas


def _also(entry: _Entry, keywords: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The ``also`` table: keyword of this area = id of the second area it counts for."""
    value = entry.data.get("also", {})
    if not isinstance(value, dict):
        raise entry.error('\'also\' must be a table: { "keyword" = "focus-area-id" }')
    own = {k.casefold() for k in keywords}
    pairs = []
    for word, other in value.items():
        if word.casefold() not in own:
            raise entry.error(f"'also': {word!r} is not one of this area's keywords")
        if other not in FOCUS_AREA_IDS or other == entry.data.get("id"):
            raise entry.error(f"'also': {word!r} names {other!r}, not another focus area id")
        pairs.append((word, other))
    return tuple(pairs)


def _load_doc_types(path: Path) -> dict[str, DocType]:
    types: dict[str, DocType] = {}
    fields = ("id", "label_sv", "label_en", "keywords", "broader")
    for e in _toml_entries(path, "doc_type", fields):
        doc_type = DocType(
            e.text("id"),
            e.text("label_sv"),
            e.text("label_en"),
            e.texts("keywords"),
            e.text("broader", required=False),
        )
        _check_id(e, doc_type.id, types)
        if doc_type.broader and doc_type.broader not in DOC_TYPE_IDS:
            core = ", ".join(DOC_TYPE_IDS)
            raise e.error(f"broader type {doc_type.broader!r} must be one of {core}")
        types[doc_type.id] = doc_type
    if missing := [i for i in DOC_TYPE_IDS if i not in types]:
        raise TaxonomyError(f"{path}: document type {missing[0]!r} is missing")
    if wrong := [t.id for t in types.values() if t.id in DOC_TYPE_IDS and t.broader]:
        raise TaxonomyError(f"{path}: core document type {wrong[0]!r} cannot have a broader type")
    return types


def _load_counties(path: Path) -> dict[str, County]:
    counties: dict[str, County] = {}
    for e in _tsv_entries(path, ("code", "name"), ("name_en", "forms")):
        county = County(e.text("code"), e.text("name"), e.text("name_en", False), e.texts("forms"))
        if not re.fullmatch(r"\d\d", county.code):
            raise e.error(f"county code {county.code!r} must be 2 digits")
        if county.code in counties:
            raise e.error(f"duplicate county code {county.code}")
        counties[county.code] = county
    return counties


def _load_municipalities(path: Path, counties: dict[str, County]) -> dict[str, Municipality]:
    munis: dict[str, Municipality] = {}
    owner: dict[str, str] = {}  # name form -> code: a form must denote one municipality
    for e in _tsv_entries(path, ("code", "name", "county_code", "ambiguous", "forms"), ()):
        code, name, county = e.text("code"), e.text("name"), e.text("county_code")
        if not re.fullmatch(r"\d{4}", code):
            hint = " (did a spreadsheet drop the leading zero?)" if code.isdigit() else ""
            raise e.error(f"municipality code {code!r} must be 4 digits{hint}")
        if code in munis:
            raise e.error(f"duplicate municipality code {code}")
        if county not in counties:
            raise e.error(f"unknown county code {county!r} (not in counties.tsv)")
        if code[:2] != county:
            raise e.error(f"code {code} does not start with its county code {county}")
        if (flag := e.text("ambiguous").casefold()) not in _YES | _NO:
            raise e.error(f"'ambiguous' must be yes or no, not {flag!r}")
        forms = _with_genitives(e.texts("forms"))
        if not forms or name_key(name) in {name_key(f) for f in forms}:
            raise e.error("'forms' must list the official name and other forms, not the bare name")
        for form in (name, *forms):
            if (other := owner.setdefault(name_key(form), code)) != code:
                raise e.error(f"name form {form!r} is also a form of municipality {other}")
        munis[code] = Municipality(code, name, county, forms, flag in _YES)
    if empty := [c for c in counties if not any(m.county_code == c for m in munis.values())]:
        raise TaxonomyError(f"{path}: no municipality in county {empty[0]}")
    return munis


def _with_genitives(forms: tuple[str, ...]) -> tuple[str, ...]:
    """Add "Uddevalla kommuns", "Borås Stads", "Region Gotlands": documents use them."""
    out = list(forms)
    known = {name_key(f) for f in forms}
    for form in forms:
        words = name_key(form).split()
        organisation = words[-1] in ("kommun", "stad") or words[0] == "region"
        if organisation and form[-1] not in "sxz" and name_key(form + "s") not in known:
            out.append(form + "s")
    return tuple(out)


def _load_regions(path: Path, munis: dict[str, Municipality]) -> dict[str, Region]:
    text_fields = ("id", "name", "short_name", "kind", "description", "source")
    regions: dict[str, Region] = {}
    today = date.today()
    for e in _toml_entries(path, "region", (*text_fields, "aliases", "members", "associates")):
        rid = e.text("id")
        _check_id(e, rid, regions)
        raw = e.data.get("members")
        if not isinstance(raw, list) or not raw:
            raise e.error("'members' must be a non-empty list of SCB codes")
        memberships = tuple(_membership(e, item, munis) for item in raw)
        if (dup := _first_duplicate(m.code for m in memberships)) is not None:
            raise e.error(f"member {dup} is listed twice")
        associates = e.texts("associates")
        for code in associates:
            if code not in munis or code in {m.code for m in memberships}:
                raise e.error(f"associate {code!r} is unknown or also a member")
        regions[rid] = Region(
            rid,
            e.text("name"),
            e.text("short_name"),
            e.text("kind"),
            e.texts("aliases"),
            tuple(m.code for m in memberships if m.valid_on(today)),
            e.text("description"),
            memberships,
            associates,
            e.text("source", required=False),
        )
    return regions


def _membership(entry: _Entry, item: object, munis: dict[str, Municipality]) -> Membership:
    if isinstance(item, str):
        item = {"code": item}
    if not isinstance(item, dict):
        raise entry.error(f'member {item!r} must be an SCB code such as "1490"')
    member = _Entry(entry.path, entry.where, item, ("code", "valid_from", "valid_to"))
    code = member.text("code")
    if code not in munis:
        raise entry.error(f"member {code!r} is not a municipality code in municipalities.tsv")
    start, end = member.day("valid_from"), member.day("valid_to")
    if start and end and start > end:
        raise entry.error(f"member {code}: valid_from is after valid_to")
    return Membership(code, start, end)
