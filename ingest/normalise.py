"""Normalise: build the final Document from what was fetched, extracted and enriched.

``build_document`` joins fetched bytes, extracted text and enrichment into a
``kb.document.Document``. Overrides are resolved once (``ingest.enrich.given.resolve_overrides``,
re-exported here) and applied once, by enrichment; a given field replaces the automatic one
entirely. The pipeline records what a person gave as curated corrections (``given_corrections``)
and builds the stored document from the automatic tags alone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import PurePosixPath

from ingest.enrich.compose import Enrichment
from ingest.enrich.given import Given, resolve_overrides
from ingest.enrich.other_publisher import looks_like_person
from ingest.media import download_name
from ingest.model import Extracted, Fetched
from kb.curation.model import Value
from kb.document import Document, document_id, source_name
from kb.lead_text import lead_text

__all__ = [
    "NO_GIVEN",
    "Given",
    "auto_fields",
    "build_document",
    "given_corrections",
    "resolve_overrides",
]

NO_GIVEN = Given()

TAG_FIELDS = ("focus_areas", "municipalities", "regions")


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
        enrichment: the tags from ``ingest.enrich.compose``, given values already applied.
        given: the resolved overrides the enrichment applied (the title and publisher given
            win over any fallback here).
        now: the ingest time (UTC now by default).
    """
    source = fetched.source
    title = (
        given.title
        or enrichment.title
        # The enrichment refused the extracted title (a speaker line, "Innehåll", logo text):
        # the file's name says more than it.
        or _title_from_name(source.filename)
        or extracted.title
        or source.location
    )
    date_given = enrichment.date_source == "given"
    return Document(
        id=document_id(source.location),
        source=source.location,
        title=title,
        pages=extracted.pages,
        content_sha256=fetched.sha256,
        content_type=extracted.content_type,
        filename=download_name(source.filename, extracted.content_type),
        date=enrichment.date,
        date_source="given" if date_given else "auto",
        language=enrichment.language or extracted.language or "sv",
        summary=extracted.summary or lead_text(extracted.text, 300),
        publisher=given.publisher or enrichment.publisher_name or _publisher(fetched, extracted),
        publisher_org=enrichment.publisher,
        doc_type=enrichment.doc_type,
        focus_areas=enrichment.focus_areas,
        municipalities=enrichment.municipalities,
        mentions=enrichment.mentions,
        regions=enrichment.regions,
        ocr=extracted.ocr,
        added=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
    )


def _title_from_name(filename: str) -> str:
    # A short number that only orders the files ("519_diggs-syn…", "03 - Bilaga") is not the name.
    stem = re.sub(r"^\d{1,3}\s*[_ -]+\s*(?=[^\W\d_])", "", PurePosixPath(filename).stem)
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize()


_DEFAULT_AUTHORS = frozenset(
    ("microsoft office user", "windows user", "user", "admin", "administrator", "administratör")
)


def _publisher(fetched: Fetched, extracted: Extracted) -> str:
    meta = extracted.metadata
    if meta.get("og:site_name"):
        return meta["og:site_name"]
    if fetched.source.kind == "url":
        return source_name(fetched.source.location)
    # A file's author field names whoever typed it: an office ("Kommunledningskontoret") is
    # worth showing, a person ("Anna Ek") or a program's default ("Microsoft Office User") is
    # not the publisher, and the page then shows where the file came from instead.
    author = " ".join(meta.get("author", "").split())
    if looks_like_person(author) or author.casefold() in _DEFAULT_AUTHORS:
        return ""
    return author


def given_corrections(given: Given) -> dict[str, Value]:
    """The values a person gave at ingest, as curated corrections (field -> stored value).

    They are recorded as corrections (kb.curation) rather than baked into the stored document,
    so a later plain re-ingest or a reindex cannot undo them.
    """
    values: dict[str, Value] = {
        "title": given.title,
        "publisher": given.publisher,
        "doc_type": given.doc_type.value if given.doc_type else None,
        "date": given.date,
        "language": given.language,
    }
    for name in TAG_FIELDS:
        tags = getattr(given, name)
        values[name] = tuple(t.value for t in tags) if tags else None
    return {k: v for k, v in values.items() if v}


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
