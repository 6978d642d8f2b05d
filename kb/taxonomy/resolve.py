"""Resolve what a person typed ("Uddevalla", "digital ledning", "Vägledning") to taxonomy ids.

The one place where names, labels and aliases become ids for values a person gives: flags and
manifest rows at ingest (ingest.enrich.given) and an editor's corrections (kb.curation). Each
function raises a ``ValidationError`` that names the bad value. Imports kb.taxonomy only.
"""

from __future__ import annotations

from collections.abc import Mapping

from kb.errors import ValidationError
from kb.taxonomy.model import Taxonomy


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
        raise ValidationError(
            f"Okänd region / unknown region: {value!r}{_choose(taxonomy.regions)}"
        )
    return found.id


def resolve_focus_area(taxonomy: Taxonomy, value: str) -> str:
    """The id of a focus area given by id, label or alias ("digital ledning").

    Raises:
        ValidationError: no such focus area.
    """
    found = taxonomy.focus_area_by_alias(value.strip())
    if found is None:
        raise ValidationError(
            f"Okänt fokusområde / unknown focus area: {value!r}{_choose(taxonomy.focus_areas)}"
        )
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
    raise ValidationError(
        f"Okänd dokumenttyp / unknown document type: {value!r}{_choose(taxonomy.doc_types)}"
    )


def _choose(values: Mapping[str, object]) -> str:
    """The ids to write instead, as the API's 400 names them: a person at `kb ingest` or
    `kb edit` should not have to look them up. (Municipalities are too many to list.)"""
    return f"; välj bland / choose from: {', '.join(values)}"
