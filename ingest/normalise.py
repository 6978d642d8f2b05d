"""Normalise: resolve a person's overrides against the taxonomy and build the final Document.

``resolve_overrides`` turns typed values ("Uddevalla", "digital ledning", "Sjuhärad", "2024-03")
into taxonomy ids with source "given", or raises ``ValidationError`` naming the bad value.
``build_document`` joins fetched bytes, extracted text and enrichment into a
``kb.document.Document``; a given field replaces the automatic one entirely. ``same_given``
decides "unchanged".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ingest.cleanup import first_sentences
from ingest.dates import iso_date
from ingest.model import Extracted, Fetched, Overrides
from kb.document import Document, Tag, document_id
from kb.errors import ValidationError
from kb.taxonomy import Taxonomy

TAG_FIELDS = ("focus_areas", "municipalities", "regions")


@dataclass(frozen=True)
class Given:
    """Overrides resolved to taxonomy ids; every tag has source "given"."""

    title: str | None = None
    date: str | None = None
    doc_type: Tag | None = None
    focus_areas: tuple[Tag, ...] = ()
    municipalities: tuple[Tag, ...] = ()
    regions: tuple[Tag, ...] = ()
    language: str | None = None
    publisher: str | None = None


def resolve_overrides(overrides: Overrides, taxonomy: Taxonomy) -> Given:
    """Check and resolve ``overrides`` against ``taxonomy``.

    Raises:
        ValidationError: an unknown focus area, municipality, region or document type, or a date
            that is not "YYYY-MM-DD", "YYYY-MM" or "YYYY".
    """
    date = None
    if overrides.date:
        date = iso_date(overrides.date)
        if date is None or not date[:4].isdigit() or len(overrides.date.strip()) > 10:
            raise ValidationError(
                f"Ogiltigt datum / invalid date: {overrides.date!r} (YYYY-MM-DD, YYYY-MM or YYYY)"
            )
    return Given(
        title=" ".join(overrides.title.split()) if overrides.title else None,
        date=date,
        doc_type=_given(_doc_type(overrides.doc_type, taxonomy)) if overrides.doc_type else None,
        focus_areas=tuple(_given(_focus_area(v, taxonomy)) for v in _unique(overrides.focus_areas)),
        municipalities=tuple(
            _given(_municipality(v, taxonomy)) for v in _unique(overrides.municipalities)
        ),
        regions=tuple(_given(_region(v, taxonomy)) for v in _unique(overrides.regions)),
        language=overrides.language.strip().lower()[:2] if overrides.language else None,
        publisher=overrides.publisher.strip() if overrides.publisher else None,
    )


def _given(value: str) -> Tag:
    return Tag(value, source="given", evidence=("angiven vid import / given at ingest",))


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def _doc_type(value: str, taxonomy: Taxonomy) -> str:
    wanted = value.strip().casefold()
    for dt in taxonomy.doc_types.values():
        if wanted in (dt.id.casefold(), dt.label_sv.casefold(), dt.label_en.casefold()):
            return dt.id
    known = ", ".join(taxonomy.doc_types)
    raise ValidationError(f"Okänd dokumenttyp / unknown document type: {value!r} (known: {known})")


def _focus_area(value: str, taxonomy: Taxonomy) -> str:
    found = taxonomy.focus_area_by_alias(value.strip())
    if found is None:
        known = ", ".join(taxonomy.focus_areas)
        raise ValidationError(f"Okänt fokusområde / unknown focus area: {value!r} (known: {known})")
    return found.id


def _municipality(value: str, taxonomy: Taxonomy) -> str:
    value = value.strip()
    if value in taxonomy.municipalities:
        return value
    found = taxonomy.municipality_by_name(value)
    if found is None:
        raise ValidationError(
            f"Okänd kommun / unknown municipality: {value!r} "
            "(SCB code or name, e.g. 1485 or Uddevalla)"
        )
    return found.code


def _region(value: str, taxonomy: Taxonomy) -> str:
    found = taxonomy.region_by_name(value.strip())
    if found is None:
        known = ", ".join(taxonomy.regions)
        raise ValidationError(f"Okänd region / unknown region: {value!r} (known: {known})")
    return found.id


def build_document(
    fetched: Fetched,
    extracted: Extracted,
    enrichment: Any,
    given: Given,
    now: datetime | None = None,
) -> Document:
    """The Document for one source: extracted text, automatic tags, then given values on top.

    Args:
        fetched: the original and its source (its location is the document's source and id).
        extracted: text and metadata from the extractor.
        enrichment: the ``ingest.enrich`` result (doc_type, focus_areas, municipalities, regions,
            date and optionally language/publisher).
        given: resolved overrides; each given field replaces the automatic one.
        now: the ingest time (UTC now by default).
    """
    source = fetched.source
    auto_date = getattr(enrichment, "date", None)
    auto_date_source = getattr(enrichment, "date_source", "auto") or "auto"
    title = given.title or extracted.title or _title_from_name(source.filename) or source.location
    text = extracted.text
    return Document(
        id=document_id(source.location),
        source=source.location,
        title=title,
        pages=extracted.pages,
        content_sha256=fetched.sha256,
        content_type=extracted.content_type,
        filename=source.filename or "document",
        date=given.date or auto_date,
        date_source="given" if given.date else ("given" if auto_date_source == "given" else "auto"),
        language=given.language
        or extracted.language
        or getattr(enrichment, "language", None)
        or "sv",
        summary=extracted.summary or first_sentences(text, 300),
        publisher=given.publisher or _publisher(fetched, extracted, enrichment),
        doc_type=given.doc_type or getattr(enrichment, "doc_type", None) or Tag("other"),
        focus_areas=given.focus_areas or tuple(getattr(enrichment, "focus_areas", ())),
        municipalities=given.municipalities or tuple(getattr(enrichment, "municipalities", ())),
        regions=given.regions or tuple(getattr(enrichment, "regions", ())),
        ocr=extracted.ocr,
        added=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
    )


def _title_from_name(filename: str) -> str:
    stem = PurePosixPath(filename).stem
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize()


def _publisher(fetched: Fetched, extracted: Extracted, enrichment: Any) -> str:
    auto = getattr(enrichment, "publisher", None)
    if auto:
        return str(auto)
    meta = extracted.metadata
    if meta.get("og:site_name"):
        return meta["og:site_name"]
    if fetched.source.kind == "url":
        return (urlsplit(fetched.source.location).hostname or "").removeprefix("www.")
    return meta.get("author", "")


def same_given(existing: Document, given: Given) -> bool:
    """True when ``existing`` already carries exactly these given values (and no others)."""
    for name in TAG_FIELDS:
        old = tuple(t.value for t in getattr(existing, name) if t.source == "given")
        if old != tuple(t.value for t in getattr(given, name)):
            return False
    old_type = existing.doc_type.value if existing.doc_type.source == "given" else None
    if old_type != (given.doc_type.value if given.doc_type else None):
        return False
    old_date = existing.date if existing.date_source == "given" else None
    if old_date != given.date:
        return False
    if given.title and existing.title != given.title:
        return False
    if given.language and existing.language != given.language:
        return False
    return not (given.publisher and existing.publisher != given.publisher)


def auto_fields(doc: Document) -> list[str]:
    """Names of the fields whose values were set automatically (for `kb list --json`)."""
    names = [
        n
        for n in TAG_FIELDS
        if getattr(doc, n) and all(t.source == "auto" for t in getattr(doc, n))
    ]
    if doc.doc_type.source == "auto":
        names.insert(0, "doc_type")
    if doc.date and doc.date_source == "auto":
        names.append("date")
    return names
