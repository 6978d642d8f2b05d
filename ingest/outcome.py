"""What writing a document means against what is stored: its stored record, whether its given
corrections are already its corrections, the outcome of writing it over the record (added, updated
or unchanged, with the reason) and a dry run's preview of it with the given values laid over.

Pure reads of the store and the curations; ingest.pipeline decides with these at the commit, under
the writer lock, and a dry run decides with them alone. Imports kb, never whoosh or the web.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ingest.model import ReadOnlyView
from ingest.report import Outcome
from kb.curation.apply import curated_document
from kb.curation.model import Correction, Curation, Value, now_iso
from kb.document import Document, document_id
from kb.errors import KbError, NotFoundError
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy

LOG = logging.getLogger(__name__)


def curated_as(kb: KnowledgeBase | ReadOnlyView, doc_id: str, checked: dict[str, Value]) -> bool:
    """Whether ``doc_id`` already carries exactly the corrections ``checked``."""
    if isinstance(kb, KnowledgeBase):
        return kb.curator.matches(doc_id, checked)
    return kb.curations is None or kb.curations.matches(doc_id, checked)


def stored(kb: KnowledgeBase | ReadOnlyView, location: str) -> Document | None:
    """The stored version of ``location``; its id follows from the source, so no scan is needed."""
    try:
        return kb.store.load(document_id(location))
    except NotFoundError:
        return None
    except KbError as err:  # a damaged record: the new version will replace it
        LOG.warning("stored record of %s unreadable: %s", location, err)
        return None


def decide(
    outcome: Outcome, current: Document | None, already_curated: bool, force: bool, indexed: bool
) -> Outcome:
    """The outcome of writing ``outcome.document`` over ``current`` (the committed record);
    ``already_curated``: the given values are the document's corrections already (as
    ``curated_as`` says)."""
    doc = outcome.document
    assert doc is not None
    if current is None:
        return replace(outcome, status="added", reason="")
    same_bytes = current.content_sha256 == doc.content_sha256
    if not indexed:
        reason = "saknades i indexet / was missing from the index"
    elif same_bytes and already_curated:
        if not force:
            return replace(outcome, status="unchanged", reason="", document=current)
        reason = "omläst / re-read (--force)"
    elif same_bytes:
        reason = "ändrade uppgifter / changed metadata"
    else:
        reason = "nytt innehåll / new content"
    return replace(outcome, status="updated", reason=reason)


def preview_of(doc: Document, checked: dict[str, Value], by: str, taxonomy: Taxonomy) -> Document:
    """``doc`` with the given values laid over it, as a dry run shows it."""
    if not checked:
        return doc
    at = now_iso()
    corrections = {f: Correction(f, v, by, at, "ingest") for f, v in checked.items()}
    return curated_document(doc, Curation(doc.id, corrections), taxonomy)
