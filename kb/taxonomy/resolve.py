"""Resolve what a person typed ("Uddevalla", "digital ledning", "Vägledning") to taxonomy ids.

The one place where names, labels and aliases become ids for values a person gives: flags and
manifest rows at ingest (ingest.enrich.given) and an editor's corrections (kb.curation). Each
function raises a ``ValidationError`` that names the bad value. Imports kb.taxonomy only.
"""

from __future__ import annotations

import re
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
    """The id of a document type given by id or label ("Vägledning" -> "guide"), or by one side
    of a label that joins two ("Beslut och protokoll": "beslut", "protokoll"; "Report or
    study": "report") when only one type's label has it.

    Raises:
        ValidationError: no such document type.
    """
    wanted = " ".join(value.split()).casefold()
    types = taxonomy.doc_types.values()
    for doc_type in types:
        if wanted in (doc_type.id, doc_type.label_sv.casefold(), doc_type.label_en.casefold()):
            return doc_type.id
    # Staff write the word they use ("Beslut", "Protokoll", "Rapport"), not the whole label.
    sides = [t.id for t in types if wanted in _sides(t.label_sv) | _sides(t.label_en)]
    if len(sides) == 1:
        return sides[0]
    named = ", ".join(f"{t.id} ({t.label_sv})" for t in types)
    raise ValidationError(
        f"Okänd dokumenttyp / unknown document type: {value!r}; välj bland / choose from: {named}"
    )


def _sides(label: str) -> set[str]:
    """The two sides of a label that joins two names ("Rapport och utredning"), else none."""
    parts = re.split(r"\s+(?:och|eller|and|or)\s+", label.casefold())
    return set(parts) if len(parts) > 1 else set()


def _choose(values: Mapping[str, object]) -> str:
    """The ids to write instead, as the API's 400 names them: a person at `kb ingest` or
    `kb edit` should not have to look them up. (Municipalities are too many to list.)"""
    return f"; välj bland / choose from: {', '.join(values)}"
