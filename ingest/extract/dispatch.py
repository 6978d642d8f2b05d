"""Extract: decide what an original really is from its bytes, then run the matching extractor.

The file extension and the HTTP Content-Type are hints only: a ".pdf" that holds HTML is read as
HTML, and an image or ZIP is refused whatever it is called. ``extract`` is a plain top-level
function over picklable values so ``--jobs`` can run it in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ingest.errors import EmptyDocumentError, ExtractError, IngestError, UnsupportedTypeError
from ingest.extract.charset import charset_param, utf16_codec
from ingest.extract.html import extract_html
from ingest.extract.ocr import OcrOptions
from ingest.extract.office import extract_office, office_kind
from ingest.extract.pdf import PdfOptions, extract_pdf
from ingest.extract.text import extract_text
from ingest.media import (
    BINARY_SIGNATURES,
    DOCX,
    HTML,
    MARKDOWN,
    ODT,
    PDF,
    SITEMAP,
    TEXT,
    XHTML,
    ZIP_SIGNATURE,
    is_markdown_name,
)
from ingest.model import Extracted, Fetched
from kb.document import Page

_HTML_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<title",
    b"<meta",
    b"<div",
    b"<p>",
)


@dataclass(frozen=True)
class ExtractOptions:
    """Options for extraction: a PDF password, how to OCR scanned pages, and the most characters
    of text kept per document (Settings.max_text_chars)."""

    password: str | None = None
    ocr: OcrOptions = field(default_factory=OcrOptions)
    max_text_chars: int = 2_000_000


def sniff(data: bytes, hint: str = "", filename: str = "") -> str:
    """The media type of ``data`` judged by its content: PDF, DOCX, ODT, HTML, sitemap, Markdown
    or text.

    Args:
        data: the original bytes.
        hint: the Content-Type sent by a server or guessed from a file name.
        filename: used only to tell Markdown from plain text (the bytes cannot).

    Raises:
        UnsupportedTypeError: an image, archive, Office file or other binary.
    """
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(ZIP_SIGNATURE):
        kind = office_kind(data)
        if kind is None:
            raise UnsupportedTypeError(
                "Inte ett dokument som stöds: ZIP-arkiv eller annan Office-fil än DOCX och ODT "
                "(spara den som PDF) / unsupported: ZIP archive or an Office file other than "
                "DOCX or ODT (save it as PDF)"
            )
        return kind
    for magic, what_sv, what_en in BINARY_SIGNATURES:
        if data.startswith(magic):
            raise UnsupportedTypeError(
                f"Inte ett dokument som stöds: {what_sv} / unsupported: {what_en}"
            )
    head = _ascii_head(data)
    if (
        head.startswith(b"<?xml")
        or head.startswith(b"<urlset")
        or head.startswith(b"<sitemapindex")
    ):
        if b"<urlset" in head or b"<sitemapindex" in head:
            return SITEMAP
        # An XHTML page may open with a long prolog (comments, a doctype) before <html>.
        head = _ascii_head(data, 16384)
        if b"<html" not in head:
            raise UnsupportedTypeError("XML som inte är HTML / XML that is not HTML or a sitemap")
    if any(marker in head for marker in _HTML_MARKERS):
        return HTML
    if b"\x00" in data[:8192] and not _is_utf16(data):
        raise UnsupportedTypeError("Binärfil / binary file, not a document")
    if hint == PDF:
        raise ExtractError("Filen är ingen PDF (saknar %PDF) / not a PDF: no %PDF header")
    if hint in (DOCX, ODT):
        # Word and OpenDocument files are ZIP archives; other bytes so named are damaged, not
        # text to index (random bytes without a NUL were added with a title of mojibake).
        raise ExtractError(
            "Filen är inget Word- eller OpenDocument-dokument (inget ZIP-arkiv) / "
            "not a DOCX or ODT: no ZIP archive"
        )
    if hint in (HTML, XHTML):
        return HTML
    if hint == MARKDOWN or is_markdown_name(filename):
        return MARKDOWN
    return TEXT


def _ascii_head(data: bytes, size: int = 2048) -> bytes:
    head = data[:size]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = data[: 2 * size].decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    elif codec := utf16_codec(data):
        head = data[: 2 * size].decode(codec, errors="ignore").encode("ascii", errors="ignore")
    head = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    return head


def _is_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or utf16_codec(data) is not None


def extract(fetched: Fetched, options: ExtractOptions) -> Extracted:
    """Extract text and metadata from ``fetched`` according to its sniffed type.

    Raises:
        IngestError: a subclass naming what is wrong (corrupt, encrypted, needs OCR, empty, ...).
    """
    if not fetched.data.strip():
        raise EmptyDocumentError("Tom fil / empty file")
    kind = sniff(fetched.data, fetched.content_type, fetched.source.filename)
    charset = charset_param(fetched.header("content-type"))
    try:
        if kind == PDF:
            password = fetched.source.password or options.password
            result = extract_pdf(fetched.data, PdfOptions(password=password, ocr=options.ocr))
        elif kind in (DOCX, ODT):
            result = extract_office(fetched.data, kind)
        elif kind == HTML:
            result = extract_html(
                fetched.data, charset, fetched.final_url or None, options.max_text_chars
            )
        elif kind == SITEMAP:
            raise UnsupportedTypeError(
                "En webbplatskarta, inget dokument / a sitemap, not a document"
            )
        else:
            result = extract_text(fetched.data, kind, charset)
    except IngestError:
        raise
    except RecursionError as err:
        raise ExtractError("Dokumentet är för djupt nästlat / nested too deeply") from err
    except Exception as err:  # a parser bug on hostile input must not abort the batch
        raise ExtractError(
            f"Kunde inte tolka / could not parse ({type(err).__name__}: {str(err)[:160]})"
        ) from err
    if not result.text.strip():
        raise EmptyDocumentError("Ingen text hittades / no text found")
    return cap_text(result, options.max_text_chars)


def cap_text(result: Extracted, max_chars: int) -> Extracted:
    """``result`` with at most ``max_chars`` characters of page text, cut at a word boundary and
    noted; page numbers of the kept pages stay as they were."""
    total = sum(len(page.text) for page in result.pages)
    if total <= max_chars:
        return result
    pages: list[Page] = []
    room = max_chars
    for page in result.pages:
        if room <= 0:
            break
        if len(page.text) > room:
            cut = page.text.rfind(" ", 0, room)
            pages.append(Page(page.number, page.text[: cut if cut > room // 2 else room].rstrip()))
            break
        pages.append(page)
        room -= len(page.text)
    note = (
        f"Texten kapades vid {max_chars} av {total} tecken / text cut at {max_chars} "
        f"of {total} characters (KB_MAX_TEXT_CHARS)"
    )
    return replace(result, pages=tuple(pages), notes=(*result.notes, note))
