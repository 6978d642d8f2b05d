"""The tagging rules of one taxonomy, built once: the one cache of gazetteer, classifiers and
publisher registry.

Building the rules reads every name form and keyword of the taxonomy, which costs more than
tagging a document, so each process keeps one ``Rules`` per taxonomy object (a worker process
gets its taxonomy once, see ``ingest.pipeline``). Imports kb and ingest only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.enrich.meta import TypeClassifier
from ingest.enrich.organisations import Registry, load_organisations
from ingest.enrich.places import Gazetteer
from ingest.enrich.topics import TopicTagger

if TYPE_CHECKING:
    from kb.taxonomy.model import Taxonomy


@dataclass(frozen=True)
class Rules:
    """Everything enrichment derives from one taxonomy."""

    taxonomy: Taxonomy
    gazetteer: Gazetteer
    types: TypeClassifier
    topics: TopicTagger
    organisations: Registry

    @classmethod
    def build(cls, taxonomy: Taxonomy) -> Rules:
        return cls(
            taxonomy,
            Gazetteer(taxonomy),
            TypeClassifier(taxonomy),
            TopicTagger(taxonomy),
            Registry(load_organisations(taxonomy)),
        )


_CACHE: dict[int, Rules] = {}


def rules_for(taxonomy: Taxonomy) -> Rules:
    """The rules of ``taxonomy``, built once per taxonomy object."""
    cached = _CACHE.get(id(taxonomy))
    if cached is None or cached.taxonomy is not taxonomy:
        cached = Rules.build(taxonomy)
        _CACHE[id(taxonomy)] = cached
    return cached
