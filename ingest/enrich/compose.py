"""Enrichment: the automatic tags of one document, with what a person gave taking precedence.

Composes places, focus areas, document type, date and language into one ``Enrichment``, applies
``Overrides`` (a given field replaces the automatic value, source "given") and resolves typed
names ("Uddevalla", "digital ledning") to taxonomy ids. Imports kb and ingest only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ingest.enrich.dates import find_date
from ingest.enrich.meta import detect_language, type_classifier_for
from ingest.enrich.places import find_places, gazetteer_for
from ingest.enrich.topics import topic_tagger_for
from ingest.extract.dates import iso_date
from ingest.model import Extracted, Overrides
from kb.document import Tag, TagSource
from kb.errors import ValidationError

if TYPE_CHECKING:
    from kb.taxonomy.model import Taxonomy

# Tagging reads this much of a document: the evidence that matters stands near the top, and a
# bound keeps one huge file from stalling a batch.
MAX_CHARS = 200_000
_META_KIND_ORDER = {"published": 0, "created": 1, "modified": 2}


@dataclass(frozen=True)
class Enrichment:
    """The tags of one document. Automatic tags carry evidence and a score; given ones
    (from ``Overrides``) have source "given".

    Attributes:
        title: the given title, else the extracted one.
        doc_type: one document-type tag ("decision", "plan", "guide", "project", "report", "other").
        focus_areas: at most two focus-area tags, best first.
        municipalities: SCB-code tags, best first.
        regions: region-id tags, best first.
        date: "YYYY-MM-DD", "YYYY-MM" or "YYYY", or None when no plausible date was found.
        date_source: "given" when the date came from overrides.
        date_evidence: the words the date was read from ("Sammanträdesdatum 2023-05-10"),
            "metadata", or "" for given or missing dates.
        language: ISO 639-1 code.
    """

    title: str
    doc_type: Tag
    focus_areas: tuple[Tag, ...]
    municipalities: tuple[Tag, ...]
    regions: tuple[Tag, ...]
    date: str | None
    date_source: TagSource
    date_evidence: str
    language: str

    @property
    def year(self) -> int | None:
        """The year of ``date``, or None."""
        return int(self.date[:4]) if self.date else None


def enrich(
    title: str,
    text: str,
    *,
    url: str | None = None,
    meta_dates: tuple[str, ...] = (),
    declared_language: str | None = None,
    taxonomy: Taxonomy,
    overrides: Overrides | None = None,
    today: date | None = None,
) -> Enrichment:
    """Tag one document.

    Args:
        title: the extracted title.
        text: the full text.
        url: where the document was published (its host hints at the publisher).
        meta_dates: dates from the file's metadata, best first.
        declared_language: the language the document declares (HTML lang), a hint.
        taxonomy: ``Taxonomy.load()``.
        overrides: values a person gave; each set field replaces the automatic value.
        today: reference day for ignoring future dates (default: today).

    Raises:
        ValidationError: an override names an unknown municipality, region, focus area,
            document type, or is not a date.
    """
    given = overrides or Overrides()
    title = given.title or title
    text = text[:MAX_CHARS]
    places = find_places(title, text, url, gazetteer_for(taxonomy))
    focus = topic_tagger_for(taxonomy).tags(title, text)
    if given.doc_type:
        doc_type = _given((given.doc_type,), resolve_doc_type, taxonomy)[0]
    else:
        doc_type = type_classifier_for(taxonomy).classify(title, text)
    if given.date:
        date_value: str | None = _given_date(given.date)
        date_source: TagSource = "given"
        date_evidence = ""
    else:
        choice = find_date(title, text, meta_dates, today=today)
        date_value = choice.value if choice else None
        date_source, date_evidence = "auto", choice.evidence if choice else ""
    return Enrichment(
        title=title,
        doc_type=doc_type,
        focus_areas=_given(given.focus_areas, resolve_focus_area, taxonomy) or focus,
        municipalities=_given(given.municipalities, resolve_municipality, taxonomy)
        or places.municipalities,
        regions=_given(given.regions, resolve_region, taxonomy) or places.regions,
        date=date_value,
        date_source=date_source,
        date_evidence=date_evidence,
        language=(given.language or "").strip().lower() or detect_language(text, declared_language),
    )


def enrich_extracted(
    extracted: Extracted,
    *,
    url: str | None,
    taxonomy: Taxonomy,
    overrides: Overrides | None = None,
    today: date | None = None,
) -> Enrichment:
    """``enrich`` over an ``Extracted`` value: its title, text, metadata dates (published before
    created before modified) and declared language; ``url`` is the source URL (or None for a
    file), the canonical URL is used when the document names one."""
    dates = sorted(extracted.dates, key=lambda d: _META_KIND_ORDER.get(d.kind, 3))
    return enrich(
        extracted.title,
        extracted.text,
        url=extracted.canonical_url or url,
        meta_dates=tuple(d.value for d in dates),
        declared_language=extracted.language,
        taxonomy=taxonomy,
        overrides=overrides,
        today=today,
    )


def _given(
    values: tuple[str, ...], resolve: Callable[[Taxonomy, str], str], taxonomy: Taxonomy
) -> tuple[Tag, ...]:
    resolved: list[str] = []
    for value in values:
        ident = resolve(taxonomy, value)
        if ident not in resolved:
            resolved.append(ident)
    return tuple(Tag(ident, "given") for ident in resolved)


def resolve_municipality(taxonomy: Taxonomy, value: str) -> str:
    """The SCB code of a municipality given by code or name ("1485", "Uddevalla kommun").

    Raises:
        ValidationError: no such municipality.
    """
    value = value.strip()
    if value in taxonomy.municipalities:
        return value
    found = taxonomy.municipality_by_name(value)
    if found is None:
        raise ValidationError(f"Okänd kommun / unknown municipality: {value!r}")
    return found.code


def resolve_region(taxonomy: Taxonomy, value: str) -> str:
    """The id of a region given by id, name or alias ("Sjuhärad" -> "sjuharad").

    Raises:
        ValidationError: no such region.
    """
    found = taxonomy.region_by_name(value.strip())
    if found is None:
        raise ValidationError(f"Okänd region / unknown region: {value!r}")
    return found.id


def resolve_focus_area(taxonomy: Taxonomy, value: str) -> str:
    """The id of a focus area given by id, label or alias ("digital ledning").

    Raises:
        ValidationError: no such focus area.
    """
    found = taxonomy.focus_area_by_alias(value.strip())
    if found is None:
        raise ValidationError(f"Okänt fokusområde / unknown focus area: {value!r}")
    return found.id


def resolve_doc_type(taxonomy: Taxonomy, value: str) -> str:
    """The id of a document type given by id or label ("Vägledning" -> "guide").

    Raises:
        ValidationError: no such document type.
    """
    wanted = value.strip().casefold()
    for doc_type in taxonomy.doc_types.values():
        if wanted in (doc_type.id, doc_type.label_sv.casefold(), doc_type.label_en.casefold()):
            return doc_type.id
    raise ValidationError(f"Okänd dokumenttyp / unknown document type: {value!r}")


def _given_date(value: str) -> str:
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value.strip()):
        parsed = iso_date(value.strip())
        if parsed:
            return parsed
    raise ValidationError(f"Ogiltigt datum / invalid date: {value!r} (YYYY-MM-DD, YYYY-MM, YYYY)")
