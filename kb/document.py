"""The Document value: the one contract between ingest, the store and the index.

A Document is frozen; the store keeps it as JSON beside the original bytes (kb.index.store) so
``kb reindex`` can rebuild the index from the store alone. Every tag records whether it was set
automatically (with its evidence) or given by a person. Imports no third party.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlsplit

TagSource = Literal["auto", "given"]


# How a focus area's evidence quotes the passage that supports it among its words (ingest writes
# it, the document page shows the passage on its own line).
PASSAGE_EVIDENCE = "stycke: "


@dataclass(frozen=True)
class Tag:
    """One tag value (a focus-area id, an SCB code, a region id, a doc-type id).

    Attributes:
        value: the taxonomy id.
        source: "auto" when enrichment set it, "given" when a flag or manifest did.
        evidence: the words or rules that led to an automatic tag, shown on the document page
            (a quoted passage starts with ``PASSAGE_EVIDENCE``).
        score: the enrichment score for automatic tags (0 for given ones).
    """

    value: str
    source: TagSource = "auto"
    evidence: tuple[str, ...] = ()
    score: float = 0.0


@dataclass(frozen=True)
class Page:
    """The text of one page (PDF) or of the whole document (HTML, text: page 1)."""

    number: int
    text: str


def source_name(source: str) -> str:
    """What a source is called: the host of a web address without ``www.``, else the file name."""
    if source.startswith(("http://", "https://")):
        host = urlsplit(source).hostname or ""
        if host:
            return host.removeprefix("www.")
    return source.rsplit("/", 1)[-1]


def document_id(source: str) -> str:
    """The stable id of the document at ``source`` (a canonical URL or an absolute path)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


# What may be a document id: ``document_id`` gives 16 hex digits; ids in older stores and tests may
# use letters, digits, "-" and "_". Anything else (a path, "..") cannot name a stored document.
DOCUMENT_ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
_DOCUMENT_ID = re.compile(DOCUMENT_ID_PATTERN)


def is_document_id(text: str) -> bool:
    """True when ``text`` has the shape of a document id (the store and the web URLs check this)."""
    return _DOCUMENT_ID.fullmatch(text) is not None


@dataclass(frozen=True)
class Document:
    """A normalised, enriched document ready for the index.

    Attributes:
        id: stable id derived from ``source`` (see ``document_id``).
        source: the source URL or absolute file path; new content at the same source replaces it.
        title: the title shown in results.
        pages: the text, page by page (numbers start at 1).
        content_sha256: hash of the original bytes, the key of the kept copy in the store.
        content_type: "application/pdf", "text/html", "text/plain" or "text/markdown".
        filename: the original's file name, used when the kept copy is downloaded.
        date: ISO date "YYYY-MM-DD" (or "YYYY-MM" / "YYYY") of the decision or publication.
        date_source: "auto" or "given".
        language: ISO 639-1 code, "sv" by default.
        summary: a short description (HTML meta description or the first sentences).
        publisher: who published it (site or organisation), the name as shown.
        doc_type: one document-type tag.
        focus_areas / municipalities / regions: tags; municipality values are SCB codes.
            ``municipalities`` are the municipalities the document concerns (is about), what
            the municipality facet filters on; ``concerns`` is the same tuple by that name.
        mentions: SCB-code tags of municipalities the document only mentions in passing.
        publisher_org: the publishing organisation as a tag ("org:digg", "kommun:1384",
            "lan:13", "region:fyrbodal"), or None when unknown (and in records stored before
            publishers were recognised).
        ocr: True when the text came from OCR of a scanned PDF.
        added: ISO timestamp (UTC) of when the document entered the bank; a new version of the
            same source keeps it ("new in the bank" and the feeds sort by it). Records from
            before may lack it ("").
    """

    id: str
    source: str
    title: str
    pages: tuple[Page, ...]
    content_sha256: str
    content_type: str
    filename: str = ""
    date: str | None = None
    date_source: TagSource = "auto"
    language: str = "sv"
    summary: str = ""
    publisher: str = ""
    doc_type: Tag = field(default_factory=lambda: Tag("other"))
    focus_areas: tuple[Tag, ...] = ()
    municipalities: tuple[Tag, ...] = ()
    regions: tuple[Tag, ...] = ()
    ocr: bool = False
    added: str = ""
    mentions: tuple[Tag, ...] = ()
    publisher_org: Tag | None = None

    @property
    def concerns(self) -> tuple[Tag, ...]:
        """The municipalities the document is about (the municipality facet's values)."""
        return self.municipalities

    @property
    def text(self) -> str:
        """All page texts joined by blank lines."""
        return "\n\n".join(p.text for p in self.pages)

    @property
    def year(self) -> int | None:
        """The year of ``date``, or None when the date is unknown."""
        if self.date and self.date[:4].isdigit():
            return int(self.date[:4])
        return None

    def values(self, name: str) -> tuple[str, ...]:
        """The tag values of ``name`` ("focus_areas", "municipalities", "mentions", "regions")."""
        tags: tuple[Tag, ...] = getattr(self, name)
        return tuple(t.value for t in tags)

    def with_changes(self, **changes: Any) -> Document:
        """A copy with the given fields replaced."""
        return replace(self, **changes)
