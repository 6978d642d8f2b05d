"""Enrichment: the automatic tags of one document, with what a person gave taking precedence.

Composes publisher, places (concerns and mentions), focus areas, document type, title, date and
language into one ``Enrichment`` and applies the person's ``Given`` values (resolved once by
``ingest.enrich.given``; a given field replaces the automatic value, source "given"). Imports kb
and ingest only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ingest.enrich.dates import find_date
from ingest.enrich.given import Given, resolve_overrides
from ingest.enrich.meta import detect_language
from ingest.enrich.organisations import Registry
from ingest.enrich.other_publisher import other_publisher
from ingest.enrich.publisher import Publisher, find_publisher
from ingest.enrich.rules import rules_for
from ingest.enrich.salience import find_places
from ingest.enrich.titles import choose_title
from ingest.model import Extracted, Overrides
from kb.document import Tag, TagSource

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
        doc_type: one document-type tag (an id of doc_types.toml: "decision", "notice", "plan",
            "strategy", "guide", "project", "report", "presentation", "webpage", "other").
        focus_areas: at most two focus-area tags, best first.
        municipalities: SCB-code tags of the municipalities the document concerns, best first.
        mentions: SCB-code tags of municipalities it only mentions, best first.
        regions: region-id tags, best first.
        publisher: the publishing organisation ("org:digg", "kommun:1384"), or None.
        publisher_name: the publisher's name as shown, "" when unknown.
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
    mentions: tuple[Tag, ...] = ()
    publisher: Tag | None = None
    publisher_name: str = ""

    @property
    def concerns(self) -> tuple[Tag, ...]:
        """The municipalities the document is about (the facet filters on these)."""
        return self.municipalities

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
    overrides: Given | Overrides | None = None,
    today: date | None = None,
    metadata: dict[str, str] | None = None,
    pages: tuple[str, ...] = (),
    content_type: str = "",
) -> Enrichment:
    """Tag one document.

    Args:
        title: the extracted title.
        text: the full text.
        url: where the document was published (its host hints at the publisher).
        meta_dates: dates from the file's metadata, best first.
        declared_language: the language the document declares (HTML lang), a hint.
        taxonomy: ``Taxonomy.load()``.
        overrides: what a person gave, resolved (``Given``) or as typed (``Overrides``, resolved
            here with ``resolve_overrides``); each set field replaces the automatic value.
        today: reference day for ignoring future dates (default: today).
        metadata: the file's other metadata ("og:site_name", "author"), publisher evidence.
        pages: the page texts of a paginated file (PDF): slides have many short pages.
        content_type: the media type; an HTML page of no other type is a "webpage".

    Raises:
        ValidationError: typed overrides name an unknown municipality, region, focus area,
            document type, or are not a date.
    """
    given = overrides if isinstance(overrides, Given) else None
    if isinstance(overrides, Overrides):
        given = resolve_overrides(overrides, taxonomy)
    given = given or Given()
    rules = rules_for(taxonomy)
    text = text[:MAX_CHARS]
    # A page headed with its site's name offers its content's own headings instead.
    instead = (
        (metadata or {}).get("title_candidates", "") if (metadata or {}).get("site_title") else ""
    )
    shown = given.title or choose_title(title, text, tuple(filter(None, instead.split("\n"))))
    # A refused title (a byline, a site's menu line, a slide's logo line) is still the
    # document's words: the publisher may be named there, and the tags keep it as evidence
    # when no title is shown, as they did before it was refused.
    refused = " ".join(title.split()).casefold() != shown.casefold()
    named = f"{shown}\n{title}" if shown and title and refused and not given.title else shown
    named = named or title
    title = shown or title
    publisher = find_publisher(named, text, url, metadata or {}, rules.organisations)
    publisher = _given_publisher(given, rules.organisations) or publisher
    org = rules.organisations.by_id.get(publisher.tag.value) if publisher else None
    kind, _, ident = org.id.partition(":") if org else ("", "", "")
    region = taxonomy.regions.get(ident) if kind == "region" else None
    members = frozenset(region.members) if region else frozenset()
    municipality = org.municipality if org else ""
    places = find_places(title, text, url, rules.gazetteer, municipality, members)
    if given.date:
        date_value: str | None = given.date
        date_source: TagSource = "given"
        date_evidence = ""
    else:
        choice = find_date(title, text, meta_dates, today=today, url=url)
        date_value = choice.value if choice else None
        date_source, date_evidence = "auto", choice.evidence if choice else ""
    concerns = given.municipalities or places.municipalities
    given_codes = {t.value for t in concerns}
    return Enrichment(
        title=shown,
        doc_type=given.doc_type
        or rules.types.classify(
            title, text, pages=pages, content_type=content_type, metadata=metadata
        ),
        focus_areas=given.focus_areas or rules.topics.tags(title, text),
        municipalities=concerns,
        mentions=tuple(t for t in places.mentions if t.value not in given_codes),
        regions=given.regions or places.regions,
        date=date_value,
        date_source=date_source,
        date_evidence=date_evidence,
        language=given.language or detect_language(text, declared_language),
        publisher=publisher.tag if publisher else None,
        publisher_name=given.publisher
        or (publisher.name if publisher else other_publisher(text, url, metadata or {})),
    )


def _given_publisher(given: Given, registry: Registry) -> Publisher | None:
    """The organisation a given publisher name names ("Digg"), as a given tag."""
    if not given.publisher:
        return None
    for mention in registry.scan(given.publisher):
        if mention.end - mention.start >= 0.6 * len(given.publisher):
            org = registry.by_id[mention.org]
            return Publisher(Tag(org.id, "given"), given.publisher)
    return None


def enrich_extracted(
    extracted: Extracted,
    *,
    url: str | None,
    taxonomy: Taxonomy,
    overrides: Given | Overrides | None = None,
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
        metadata=extracted.metadata,
        pages=tuple(p.text for p in extracted.pages) if len(extracted.pages) > 1 else (),
        content_type=extracted.content_type,
    )
