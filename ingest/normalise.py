"""Normalise: resolve a person's overrides against the taxonomy and build the final Document.

``resolve_overrides`` turns typed values ("Uddevalla", "digital ledning", "Sjuhärad", "2024-03")
into taxonomy ids with source "given", or raises ``ValidationError`` naming the bad value.
``build_document`` joins fetched bytes, extracted text and enrichment into a
``kb.document.Document``; a given field replaces the automatic one entirely. ``same_given``
decides "unchanged".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from ingest.enrich.compose import (
    Enrichment,
    resolve_doc_type,
    resolve_focus_area,
    resolve_municipality,
    resolve_region,
)
from ingest.extract.cleanup import first_sentences
from ingest.extract.dates import iso_date
from ingest.model import Extracted, Fetched, Overrides
from kb.document import Document, Tag, document_id
from kb.errors import ValidationError
from kb.taxonomy.model import Taxonomy

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
        doc_type=_given(resolve_doc_type(taxonomy, overrides.doc_type))
        if overrides.doc_type
        else None,
        focus_areas=_resolve_all(overrides.focus_areas, resolve_focus_area, taxonomy),
        municipalities=_resolve_all(overrides.municipalities, resolve_municipality, taxonomy),
        regions=_resolve_all(overrides.regions, resolve_region, taxonomy),
        language=overrides.language.strip().lower()[:2] if overrides.language else None,
        publisher=overrides.publisher.strip() if overrides.publisher else None,
    )


def _given(value: str) -> Tag:
    return Tag(value, source="given", evidence=("angiven vid import / given at ingest",))


def _resolve_all(
    values: tuple[str, ...], resolve: Callable[[Taxonomy, str], str], taxonomy: Taxonomy
) -> tuple[Tag, ...]:
    ids = dict.fromkeys(resolve(taxonomy, v) for v in values if v.strip())
    return tuple(_given(ident) for ident in ids)


def build_document(
    fetched: Fetched,
    extracted: Extracted,
    enrichment: Enrichment,
    given: Given,
    now: datetime | None = None,
) -> Document:
    """The Document for one source: extracted text, automatic tags, then given values on top.

    Args:
        fetched: the original and its source (its location is the document's source and id).
        extracted: text and metadata from the extractor.
        enrichment: the tags from ``ingest.enrich.compose``.
        given: resolved overrides; each given field replaces the automatic one.
        now: the ingest time (UTC now by default).
    """
    source = fetched.source
    title = (
        given.title
        or enrichment.title
        or extracted.title
        or _title_from_name(source.filename)
        or source.location
    )
    date_given = bool(given.date) or enrichment.date_source == "given"
    return Document(
        id=document_id(source.location),
        source=source.location,
        title=title,
        pages=extracted.pages,
        content_sha256=fetched.sha256,
        content_type=extracted.content_type,
        filename=_filename(source.filename, extracted.content_type),
        date=given.date or enrichment.date,
        date_source="given" if date_given else "auto",
        language=given.language or enrichment.language or extracted.language or "sv",
        summary=extracted.summary or first_sentences(extracted.text, 300),
        publisher=given.publisher or _publisher(fetched, extracted),
        doc_type=given.doc_type or enrichment.doc_type,
        focus_areas=given.focus_areas or enrichment.focus_areas,
        municipalities=given.municipalities or enrichment.municipalities,
        regions=given.regions or enrichment.regions,
        ocr=extracted.ocr,
        added=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
    )


# Suffixes a kept copy of each type may have; the first is added when the name has none of them.
_SUFFIXES = {
    "application/pdf": (".pdf",),
    "text/html": (".html", ".htm", ".xhtml"),
    "text/plain": (".txt", ".text"),
    "text/markdown": (".md", ".markdown", ".mdown", ".mkd"),
}


def _filename(name: str, content_type: str) -> str:
    """The download name of the kept copy: the source's name, with a suffix that fits its type."""
    suffixes = _SUFFIXES.get(content_type, ("",))
    name = name or "dokument"
    return name if PurePosixPath(name).suffix.lower() in suffixes else name + suffixes[0]


def _title_from_name(filename: str) -> str:
    stem = PurePosixPath(filename).stem
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize()


def _publisher(fetched: Fetched, extracted: Extracted) -> str:
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
