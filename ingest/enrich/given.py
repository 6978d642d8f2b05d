"""What a person gave at ingest, resolved once against the taxonomy.

Owns ``Given`` and ``resolve_overrides``: typed values ("Uddevalla", "digital ledning",
"Sjuhärad", "Vägledning", "2024-03") become taxonomy ids with source "given", or a
``ValidationError`` names the bad value. The CLI checks flags with it before any work, the pipeline
resolves each distinct set of overrides with it once, and enrichment applies the result; nothing
else resolves overrides. Imports kb and ingest only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.extract.dates import iso_date
from ingest.model import Overrides
from kb.document import Tag
from kb.errors import ValidationError
from kb.taxonomy.model import Taxonomy
from kb.taxonomy.resolve import (
    resolve_doc_type,
    resolve_focus_area,
    resolve_municipality,
    resolve_region,
)

__all__ = [
    "Given",
    "resolve_doc_type",
    "resolve_focus_area",
    "resolve_municipality",
    "resolve_overrides",
    "resolve_region",
]

GIVEN_EVIDENCE = ("angiven vid import / given at ingest",)


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
        raw = overrides.date.strip()
        date = iso_date(raw) if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", raw) else None
        if date is None or not date[:4].isdigit():
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
    return Tag(value, source="given", evidence=GIVEN_EVIDENCE)


def _resolve_all(
    values: tuple[str, ...], resolve: Callable[[Taxonomy, str], str], taxonomy: Taxonomy
) -> tuple[Tag, ...]:
    ids = dict.fromkeys(i for v in values if v.strip() for i in _listed(v, resolve, taxonomy))
    return tuple(_given(ident) for ident in ids)


def _listed(value: str, resolve: Callable[[Taxonomy, str], str], taxonomy: Taxonomy) -> list[str]:
    """The ids of one typed value, which may be a list written with commas ("Digital kompetens,
    Digitalt ledarskap" in a spreadsheet cell or one flag): a spreadsheet's CSV separates its
    cells with ";", so that is how a list in a cell is written. A value that is a name as a whole
    (an alias may hold a comma) wins; else every part must be one, and the first unknown part is
    named in the error."""
    try:
        return [resolve(taxonomy, value)]
    except ValidationError:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if len(parts) < 2:
            raise
        return [resolve(taxonomy, part) for part in parts]
