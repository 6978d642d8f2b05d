"""Lay a document's corrections over its automatic tags: what the index and the pages show.

``curated_document`` is called at every index write (kb.index.builds asks for it through
``KnowledgeBase``), so a correction wins over whatever a re-ingest, a reindex or a new taxonomy
produces. Corrected tags get source "given" and evidence naming the editor and the day; a value
the current taxonomy no longer knows is left out (and comes back if the taxonomy gets it back).
Imports kb values and the taxonomy only.
"""

from __future__ import annotations

import logging

from kb.curation.model import Correction, Curation
from kb.document import Document, Tag
from kb.taxonomy.model import Taxonomy

LOG = logging.getLogger(__name__)
_KINDS = {"municipalities": "municipality", "focus_areas": "focus_area", "regions": "region"}


def evidence_of(correction: Correction) -> tuple[str, ...]:
    """The evidence line of a corrected tag ("rättad av redaktör / corrected by editor, DAY").

    The editor's name stays in the curation history: evidence is public (pages, API).
    """
    day = correction.at[:10]
    if correction.via == "ingest":
        return (f"angiven vid import / given at ingest, {day}",)
    return (f"rättad av redaktör / corrected by editor, {day}",)


def curated_document(doc: Document, curation: Curation, taxonomy: Taxonomy) -> Document:
    """``doc`` with every correction of ``curation`` in place of the automatic value."""
    if not curation.corrections:
        return doc
    changes: dict[str, object] = {}
    for name, correction in curation.corrections.items():
        value = correction.value
        evidence = evidence_of(correction)
        if name in _KINDS:
            known = taxonomy.ids(_KINDS[name])
            values = tuple(v for v in (value or ()) if v in known)
            if len(values) != len(value or ()):
                LOG.warning("%s: %s has values the taxonomy lacks: %s", doc.id, name, value)
            changes[name] = tuple(Tag(v, "given", evidence) for v in values)
        elif name == "doc_type":
            if isinstance(value, str) and value in taxonomy.doc_types:
                changes[name] = Tag(value, "given", evidence)
        elif name == "date":
            changes["date"] = value
            changes["date_source"] = "given"
        elif isinstance(value, str):  # title, publisher, language
            changes[name] = value
    if "municipalities" in changes:
        concerned = {t.value for t in changes["municipalities"]}  # type: ignore[attr-defined]
        # A municipality the document concerns is not also one it merely mentions.
        changes["mentions"] = tuple(t for t in doc.mentions if t.value not in concerned)
    return doc.with_changes(**changes)
