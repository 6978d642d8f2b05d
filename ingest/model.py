"""The frozen values that cross the stage boundaries of the ingest pipeline.

sources -> ``Source``; fetch -> ``Fetched``; extract -> ``Extracted``; enrich and normalise turn an
``Extracted`` into a ``kb.document.Document``. ``Rejected`` is a source that never reached
extraction (a missing file, a link a crawl skipped). All values pickle, so extraction can run in
worker processes. Imports only kb.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

from kb.curation.files import CurationStore
from kb.document import Page
from kb.index.store import Store
from kb.taxonomy.model import Taxonomy

SourceKind = Literal["file", "url"]


@dataclass(frozen=True)
class Overrides:
    """Metadata given by a person (CLI flags or a manifest row); these tags get source "given".

    Values are as typed by the person: focus areas and regions by id or name, municipalities by SCB
    code or name, dates as "YYYY-MM-DD", "YYYY-MM" or "YYYY". ``ingest.normalise`` resolves them.
    """

    title: str | None = None
    date: str | None = None
    doc_type: str | None = None
    focus_areas: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    language: str | None = None
    publisher: str | None = None

    def merged(self, other: Overrides) -> Overrides:
        """These overrides with every field that ``other`` sets replaced by ``other``'s value."""
        changes = {f.name: getattr(other, f.name) for f in fields(other) if getattr(other, f.name)}
        return replace(self, **changes)

    def given_fields(self) -> tuple[str, ...]:
        """Names of the fields that are set."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name))

    def __bool__(self) -> bool:
        return bool(self.given_fields())


@dataclass(frozen=True)
class Source:
    """Where one document comes from.

    Attributes:
        location: an absolute file path or a normalised http(s) URL; it becomes ``Document.source``.
        kind: "file" or "url".
        overrides: metadata given for this source.
        origin: how it was found ("argument", "folder", "manifest line 3", "sitemap", "crawl").
        password: for an encrypted PDF (never stored).
        local_path: a local copy to read instead of downloading ``location`` (a manifest row that
            gives both a path and the document's public URL: the file is read, the URL is kept).
    """

    location: str
    kind: SourceKind
    overrides: Overrides = field(default_factory=Overrides)
    origin: str = "argument"
    password: str | None = field(default=None, repr=False)
    local_path: str | None = None

    @property
    def filename(self) -> str:
        """The last path segment (the name a download of the kept copy gets)."""
        path = urlsplit(self.location).path if self.kind == "url" else self.location
        return PurePosixPath(path.replace("\\", "/")).name


@dataclass(frozen=True)
class Fetched:
    """The original bytes of a source and what the transport said about them.

    Attributes:
        source: the source that was fetched.
        data: the original bytes (the ``bytes`` of the design notes; renamed to keep the builtin).
        content_type: the media type the server sent or the file extension suggests, lower case,
            without parameters ("" when unknown). Only a hint: extraction sniffs the bytes.
        final_url: the URL after redirects (None for files).
        headers: the HTTP response headers, lower-case names (empty for files).
    """

    source: Source
    data: bytes = field(repr=False)
    content_type: str = ""
    final_url: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of ``data``: the key of the kept copy in the store."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class DateFound:
    """A date seen in a document, for enrichment to choose from.

    Attributes:
        value: "YYYY-MM-DD", "YYYY-MM" or "YYYY".
        kind: "published", "modified" or "created".
        origin: where it was found ("meta article:published_time", "time element", ...).
    """

    value: str
    kind: str
    origin: str


@dataclass(frozen=True)
class Extracted:
    """The text and metadata extracted from one original, before enrichment.

    Attributes:
        title: the document's own title ("" when none was found; normalise falls back to the name).
        pages: the text page by page (PDF) or as one page (HTML, text, Markdown).
        content_type: "application/pdf", "text/html", "text/plain" or "text/markdown" (sniffed).
        summary: meta description, PDF subject or Markdown front-matter description.
        language: ISO 639-1 code declared by the document, or None.
        canonical_url: ``<link rel=canonical>`` (absolute), or None.
        dates: dates found in metadata and markup.
        metadata: other fields (author, keywords, producer, og:site_name, ...), as strings.
        ocr: True when some page text came from OCR.
        notes: things the user should know although extraction succeeded ("2 pages need OCR").
    """

    title: str
    pages: tuple[Page, ...]
    content_type: str
    summary: str = ""
    language: str | None = None
    canonical_url: str | None = None
    dates: tuple[DateFound, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    ocr: bool = False
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """All page texts joined by blank lines."""
        return "\n\n".join(p.text for p in self.pages if p.text)


@dataclass(frozen=True)
class Rejected:
    """A source that was not ingested before extraction: failed, or skipped on purpose.

    Attributes:
        location: the path or URL.
        code: a short stable key ("missing", "http-404", "off-site", "robots", "scheme", ...).
        reason: one clear line for people.
        skipped: True for things left out on purpose (a link to another site); these do not make
            the run fail.
    """

    location: str
    code: str
    reason: str
    skipped: bool = False


@dataclass(frozen=True)
class ReadOnlyView:
    """What a dry run needs of a knowledge base: the store (to tell "unchanged") and the taxonomy.

    Opening a KnowledgeBase creates an index; a dry run must write nothing, not even that.
    """

    store: Store
    taxonomy: Taxonomy
    curations: CurationStore | None = None
