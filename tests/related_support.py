"""The two lists of a document page worked out apart, each alone: the reference the tests hold
``KnowledgeBase.related`` to (kb.search.similar.related_hits, which gives a document to one list
only). The service has no use for either alone, so they live here rather than on it.
"""

from __future__ import annotations

from kb.search.results import Hit
from kb.search.similar import other_municipality_hits, similar_hits
from kb.service import KnowledgeBase


def similar(kb: KnowledgeBase, doc_id: str, limit: int = 5) -> tuple[Hit, ...]:
    """The documents most like ``doc_id`` (more like this), best first."""
    return similar_hits(kb._context(), kb.document(doc_id), limit)


def other_municipalities(kb: KnowledgeBase, doc_id: str, limit: int = 5) -> tuple[Hit, ...]:
    """The best document like ``doc_id`` from each other municipality in its focus areas."""
    return other_municipality_hits(kb._context(), kb.document(doc_id), limit)
