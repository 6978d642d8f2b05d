"""Check and normalise the values an editor gives, against the taxonomy.

``checked_value`` turns what a person typed (names, labels, aliases, codes, a date) into the
stored form (taxonomy ids, "YYYY-MM-DD" / "YYYY-MM" / "YYYY") or raises a ``ValidationError``
naming the field and the bad value. ``current_value`` reads a field's value off a Document, so
history can say old -> new. Imports kb.taxonomy and kb values only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date as Date

from kb.curation.model import CURATED_FIELDS, LIST_FIELDS, Value, canonical_field
from kb.document import Document
from kb.errors import ValidationError
from kb.taxonomy.model import Taxonomy
from kb.taxonomy.resolve import (
    resolve_doc_type,
    resolve_focus_area,
    resolve_municipality,
    resolve_region,
)

MAX_TITLE = 500
MAX_PUBLISHER = 200
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_RESOLVERS: dict[str, Callable[[Taxonomy, str], str]] = {
    "municipalities": resolve_municipality,
    "focus_areas": resolve_focus_area,
    "regions": resolve_region,
}


def field_name(name: str) -> str:
    """The curated field ``name`` denotes ("concerns" -> "municipalities").

    Raises:
        ValidationError: no such field (the message lists the fields).
    """
    try:
        return canonical_field(name)
    except ValueError:
        raise ValidationError(
            f"Okänt fält / unknown field: {name!r} (fält / fields: {', '.join(CURATED_FIELDS)})"
        ) from None


def checked_value(name: str, raw: object, taxonomy: Taxonomy) -> Value:
    """The stored form of ``raw`` for field ``name``.

    List fields take a list (or one string; "a; b" is split); an empty list is a valid
    correction ("concerns no municipality"). Text fields must not be empty.

    Raises:
        ValidationError: an unknown field, an unknown taxonomy value, a bad date, an empty or
            too long text; the message names the field and the value.
    """
    name = field_name(name)
    if name in LIST_FIELDS:
        items = _items(raw)
        resolve = _RESOLVERS[name]
        return tuple(dict.fromkeys(resolve(taxonomy, item) for item in items))
    if isinstance(raw, list | tuple):
        raise ValidationError(f"{name}: ett värde, inte en lista / one value, not a list: {raw!r}")
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationError(f"{name}: tomt värde / empty value (use revert to undo a correction)")
    if name == "title":
        return _bounded(name, text, MAX_TITLE)
    if name == "publisher":
        return _bounded(name, text, MAX_PUBLISHER)
    if name == "doc_type":
        return resolve_doc_type(taxonomy, text)
    if name == "date":
        return checked_date(text)
    # language
    code = text.lower()
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ValidationError(f"Ogiltigt språk / invalid language: {text!r} (ISO 639-1, e.g. sv)")
    return code


def checked_date(text: str) -> str:
    """``text`` as "YYYY-MM-DD", "YYYY-MM" or "YYYY" when it is a real date.

    Raises:
        ValidationError: anything else ("2023-13", "2023-02-30", "igår").
    """
    match = _DATE.fullmatch(text.strip())
    bad = ValidationError(f"Ogiltigt datum / invalid date: {text!r} (YYYY-MM-DD, YYYY-MM or YYYY)")
    if match is None:
        raise bad
    year, month, day = match.groups()
    try:
        Date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise bad from None
    if not 1900 <= int(year) <= 2100:
        raise bad
    parts = [year] + [p.zfill(2) for p in (month, day) if p]
    return "-".join(parts)


def current_value(doc: Document, name: str) -> Value:
    """The value of field ``name`` as ``doc`` shows it (for history's old -> new)."""
    if name in LIST_FIELDS:
        return doc.values(name)
    if name == "doc_type":
        return doc.doc_type.value
    value = getattr(doc, name)
    return None if value is None else str(value)


def _items(raw: object) -> list[str]:
    if raw is None:
        return []
    values: Iterable[object] = (
        raw if isinstance(raw, list | tuple) else str(raw).replace("|", ";").split(";")
    )
    return [str(v).strip() for v in values if str(v).strip()]


def _bounded(name: str, text: str, limit: int) -> str:
    if len(text) > limit:
        raise ValidationError(f"{name}: för lång / too long ({len(text)} > {limit} tecken / chars)")
    return text
