"""Staging: read one original (an uploaded file or a URL) into a Document without writing anything.

The web admin shows staff the extracted text and the proposed tags before they publish. It must
not import ingest (web and ingest stand side by side on kb), so the composition root (kbcli) hands
it a ``Stager``: this module's one job is to run fetch, extract, enrich and normalise for a single
source and return the document, the original bytes and any notes, or the reason it failed, the
same reason and code `kb ingest` would report. Nothing reaches the store or the index here:
publishing is one ``KnowledgeBase.writer()`` commit of the staged document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.extract.dispatch import ExtractOptions
from ingest.extract.ocr import OcrOptions
from ingest.fetch.download import FetchOptions, fetch
from ingest.fetch.urls import ALLOWED_SCHEMES, looks_like_url, normalise_url, scheme_of
from ingest.media import READABLE
from ingest.model import Fetched, Overrides, Source
from ingest.normalise import resolve_overrides
from ingest.workers import process
from kb.config import Settings
from kb.document import Document
from kb.taxonomy.model import Taxonomy

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Staged:
    """One staged original.

    Attributes:
        document: the document as it would be published, or None when the original failed.
        original: the bytes to keep beside it (empty when it failed before they were read).
        notes: extraction warnings ("2 pages need OCR", "text cut at N characters").
        error: why it failed, one line as in the ingest report ("" on success).
        code: the stable key of the failure ("too-large", "encrypted", "corrupt", ...).
    """

    document: Document | None
    original: bytes = field(default=b"", repr=False)
    notes: tuple[str, ...] = ()
    error: str = ""
    code: str = ""


class Stager:
    """Reads one source at a time for the web admin (thread-safe: it keeps no state per call).

    Args:
        settings: size and text limits (``max_document_bytes``, ``max_text_chars``).
        ocr_command: Tesseract for scanned PDFs ("" turns OCR off).
        timeout: seconds to wait for a server when staging a URL.
    """

    def __init__(self, settings: Settings, ocr_command: str = "tesseract", timeout: float = 20.0):
        self.max_bytes = settings.max_document_bytes
        # pypdf logs how it recovers from damaged files; the staged result already says what
        # failed and why (as `kb ingest` does).
        logging.getLogger("pypdf").setLevel(logging.CRITICAL)
        self.fetch_options = FetchOptions(
            max_bytes=settings.max_document_bytes, timeout=timeout, deadline=max(60.0, timeout * 3)
        )
        self.extract_options = ExtractOptions(
            ocr=OcrOptions(command=ocr_command or "tesseract", enabled=bool(ocr_command)),
            max_text_chars=settings.max_text_chars,
        )

    @property
    def accepted_suffixes(self) -> tuple[str, ...]:
        """File name suffixes of the types ingest reads (for the upload field's ``accept``)."""
        return tuple(s for media in READABLE for s in media.suffixes)

    def stage_file(self, path: Path, taxonomy: Taxonomy) -> Staged:
        """Read the file at ``path`` (its absolute path becomes the document's source)."""
        source = Source(str(Path(path).absolute()), "file", origin="admin upload")
        suffix = Path(path).suffix.lower()
        if suffix and suffix not in self.accepted_suffixes:
            # Named as a type ingest does not read (a spreadsheet, a slide deck): refused by
            # name too, so "tabell.xlsx" is not read as a DOCX only because both are ZIP files.
            accepted = ", ".join(self.accepted_suffixes)
            return Staged(
                None,
                error=f"Filtypen {suffix} tas inte emot / file type not accepted "
                f"(tas emot / accepted: {accepted})",
                code="unsupported-type",
            )
        return self._stage(source, taxonomy)

    def stage_url(self, url: str, taxonomy: Taxonomy) -> Staged:
        """Download ``url`` (http or https) and read it."""
        raw = url.strip()
        if not looks_like_url(raw) or scheme_of(raw) not in ALLOWED_SCHEMES:
            return Staged(
                None,
                error="Ange en adress som börjar med http:// eller https:// / "
                "give an http or https address",
                code="bad-url",
            )
        try:
            source = Source(normalise_url(raw), "url", origin="admin url")
        except ValueError as err:
            return Staged(None, error=f"Ogiltig URL / invalid URL: {err}", code="bad-url")
        return self._stage(source, taxonomy)

    def _stage(self, source: Source, taxonomy: Taxonomy) -> Staged:
        try:
            fetched: Fetched = fetch(source, self.fetch_options)
        except IngestError as err:
            return Staged(None, error=str(err), code=err.code)
        given = resolve_overrides(Overrides(), taxonomy)
        processed = process(fetched, given, self.extract_options, taxonomy)
        if processed.document is None:
            error = processed.error or IngestError("Okänt fel / unknown error", "internal")
            return Staged(None, fetched.data, error=str(error), code=error.code)
        notes = processed.notes
        if processed.hub is not None:  # staff named it: shown with a warning, as kb ingest does
            # Nothing is added until staff publish: worded as `kb ingest --dry-run` words it.
            notes += (processed.hub.warning(dry_run=True),)
        return Staged(processed.document, fetched.data, notes)
