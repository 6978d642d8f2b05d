"""PDF extraction with pypdf: text page by page, title, dates and language; OCR for scanned pages.

Page numbers are kept so a hit can link to ``#page=N``. Words hyphenated across lines are joined and
running headers and footers dropped (``ingest.extract.cleanup``). Pages without a text layer but
with an image are read by Tesseract (``ingest.extract.ocr``) when it is installed; otherwise a
wholly scanned PDF fails with ``NeedsOcrError`` naming the packages to install.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.errors import EncryptedPdfError, ExtractError, NeedsOcrError, OcrError
from ingest.extract import ocr
from ingest.extract.cleanup import clean_text, drop_running_lines, join_hyphenated
from ingest.media import PDF
from ingest.model import DateFound, Extracted
from kb.document import Page

LOG = logging.getLogger(__name__)
# Fewer visible characters than this on a page with an image: a scan (or a stray text layer).
_MIN_PAGE_CHARS = 10
_JUNK_TITLE = re.compile(
    r"^(untitled|namnlös|title|titel|dokument\d*|document\d*|presentation\d*|mall|template|"
    r"microsoft word.*|powerpoint.*|slide \d+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PdfOptions:
    """Options for PDF extraction: a password for encrypted files and how to OCR."""

    password: str | None = None
    ocr: ocr.OcrOptions = field(default_factory=ocr.OcrOptions)


def extract_pdf(data: bytes, options: PdfOptions) -> Extracted:
    """Extract the text and metadata of a PDF.

    Raises:
        EncryptedPdfError: password-protected and no or a wrong password.
        NeedsOcrError: no page has a text layer and OCR is not available.
        ExtractError: the file is damaged.
    """
    reader = _open(data, options.password)
    try:
        count = len(reader.pages)
    except Exception as err:
        raise ExtractError(f"Trasig PDF / corrupt PDF: {_why(err)}") from err
    if count == 0:
        raise ExtractError("PDF utan sidor / PDF without pages", code="empty")
    texts: list[str] = []
    runs: list[tuple[str, float]] = []
    notes: list[str] = []
    for index in range(count):
        texts.append(_page_text(reader, index, runs if index == 0 else None, notes))
    scanned = [
        i + 1 for i, t in enumerate(texts) if len(t.split()) == 0 or _visible(t) < _MIN_PAGE_CHARS
    ]
    scanned = [n for n in scanned if _has_image(reader, n - 1)]
    used_ocr = False
    if scanned:
        used_ocr = _ocr_into(data, reader, scanned, texts, options, notes)
    pages_text = drop_running_lines([join_hyphenated(clean_text(t)) for t in texts])
    pages = tuple(Page(i + 1, clean_text(t)) for i, t in enumerate(pages_text))
    meta = _metadata(reader)
    title = _meta_title(meta.get("title", "")) or _heading(runs) or _first_line(pages)
    return Extracted(
        title=title,
        pages=pages,
        content_type=PDF,
        summary=meta.pop("subject", ""),
        language=_language(reader),
        dates=_dates(reader),
        metadata={k: v for k, v in meta.items() if v},
        ocr=used_ocr,
        notes=tuple(notes),
    )


def _open(data: bytes, password: str | None) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as err:  # pypdf raises many types on damaged files
        raise ExtractError(f"Trasig PDF / corrupt PDF: {_why(err)}") from err
    if not reader.is_encrypted:
        return reader
    try:
        # Many PDFs are encrypted only to restrict printing: the empty user password opens them.
        result = reader.decrypt(password or "")
    except DependencyError as err:
        raise EncryptedPdfError(
            "PDF:en är AES-krypterad och kräver paketet 'cryptography' / "
            "AES-encrypted PDF needs the 'cryptography' package",
            code="encrypted-unsupported",
        ) from err
    except Exception as err:
        raise ExtractError(f"Trasig krypterad PDF / corrupt encrypted PDF: {_why(err)}") from err
    if result == PasswordType.NOT_DECRYPTED:
        if password:
            raise EncryptedPdfError(
                "Fel lösenord för PDF:en / wrong PDF password", code="wrong-password"
            )
        raise EncryptedPdfError(
            "PDF:en är lösenordsskyddad; ange --password / PDF is encrypted: give --password"
        )
    return reader


def _page_text(
    reader: PdfReader, index: int, runs: list[tuple[str, float]] | None, notes: list[str]
) -> str:
    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if runs is not None and text.strip():
            scale = abs(float(tm[3]) * float(cm[3])) or 1.0
            runs.append((text.strip(), round(float(size) * scale, 1)))

    try:
        return reader.pages[index].extract_text(visitor_text=visit if runs is not None else None)
    except Exception as err:
        # One bad page must not lose the rest of the document.
        LOG.warning("PDF page %d could not be read: %s", index + 1, err)
        notes.append(f"Sidan {index + 1} kunde inte läsas / page {index + 1} unreadable")
        return ""


def _visible(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _has_image(reader: PdfReader, index: int) -> bool:
    try:
        return len(reader.pages[index].images) > 0
    except Exception:
        return False


def _ocr_into(
    data: bytes,
    reader: PdfReader,
    numbers: list[int],
    texts: list[str],
    options: PdfOptions,
    notes: list[str],
) -> bool:
    """OCR the scanned pages ``numbers`` into ``texts``; True when any page was read by OCR."""
    missing = ocr.availability(options.ocr)
    if missing is not None:
        if all(_visible(t) < _MIN_PAGE_CHARS for t in texts):
            raise NeedsOcrError(missing)
        pages = ", ".join(map(str, numbers))
        notes.append(f"Sidor utan textlager / pages need OCR: {pages}. {missing}")
        return False
    used = False
    with tempfile.TemporaryDirectory(prefix="kb-ocr-") as tmp:
        workdir = Path(tmp)
        pdf_path = workdir / "document.pdf"
        pdf_path.write_bytes(data)
        for number in numbers:
            try:
                if ocr.can_render(options.ocr):
                    image = ocr.render_page(
                        pdf_path, number, workdir, options.ocr, options.password
                    )
                else:
                    image = _largest_image(reader, number - 1, workdir)
                text = ocr.recognise(image, options.ocr)
            except OcrError as err:
                LOG.warning("OCR of page %d failed: %s", number, err)
                notes.append(f"OCR av sidan {number} misslyckades / OCR failed: {err}")
                continue
            if text.strip():
                texts[number - 1] = text
                used = True
    if not used and all(_visible(t) < _MIN_PAGE_CHARS for t in texts):
        raise OcrError("OCR hittade ingen text / OCR found no text: " + "; ".join(notes)[:300])
    return used


def _largest_image(reader: PdfReader, index: int, workdir: Path) -> Path:
    try:
        images = list(reader.pages[index].images)
    except Exception as err:
        raise OcrError(
            f"Sidans bilder kunde inte läsas / page images unreadable: {_why(err)}"
        ) from err
    if not images:
        raise OcrError("Sidan har ingen bild / page has no image")
    best = max(images, key=lambda img: len(img.data))
    path = workdir / f"image-{index + 1}{Path(best.name).suffix or '.png'}"
    path.write_bytes(best.data)
    return path


def _metadata(reader: PdfReader) -> dict[str, str]:
    try:
        info: dict[Any, Any] = dict(reader.metadata or {})
        raw = {str(k).lstrip("/").lower(): v for k, v in info.items()}
    except Exception as err:
        LOG.warning("PDF metadata unreadable: %s", err)
        raw = {}
    keep = ("title", "author", "subject", "keywords", "creator", "producer")
    return {k: " ".join(str(raw[k]).split()) for k in keep if k in raw and raw[k] is not None}


def _meta_title(title: str) -> str:
    title = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", title.strip())
    title = re.sub(r"\.(docx?|pptx?|odt|pdf|rtf)$", "", title, flags=re.IGNORECASE).strip()
    if len(title) < 3 or _JUNK_TITLE.match(title) or not any(c.isalpha() for c in title):
        return ""
    return title


def _heading(runs: list[tuple[str, float]]) -> str:
    """The first run(s) on page 1 set in the largest font, when that font is larger than body."""
    if not runs:
        return ""
    weights: Counter[float] = Counter()
    for text, size in runs:
        weights[size] += len(text)
    body = weights.most_common(1)[0][0]
    largest = max(size for _, size in runs)
    if largest < body * 1.15:
        return ""
    parts: list[str] = []
    for text, size in runs:
        if size == largest:
            parts.append(text)
        elif parts:
            break
    return " ".join(" ".join(parts).split())[:200]


def _first_line(pages: tuple[Page, ...]) -> str:
    for page in pages:
        for line in page.text.split("\n"):
            if line.strip():
                line = line.strip()
                return line if len(line) <= 150 else ""
    return ""


def _language(reader: PdfReader) -> str | None:
    try:
        lang = reader.trailer["/Root"].get_object().get("/Lang")  # type: ignore[union-attr]
    except Exception:
        return None
    code = str(lang or "").strip().lower()[:2]
    return code if code.isalpha() and len(code) == 2 else None


def _dates(reader: PdfReader) -> tuple[DateFound, ...]:
    found: list[DateFound] = []
    for attr, kind, origin in (
        ("creation_date", "created", "pdf CreationDate"),
        ("modification_date", "modified", "pdf ModDate"),
    ):
        try:
            value = getattr(reader.metadata, attr, None) if reader.metadata else None
        except Exception:
            value = None
        if value is not None and 1900 < value.year < 2100:
            found.append(DateFound(value.date().isoformat(), kind, origin))
    return tuple(found)


def _why(err: BaseException) -> str:
    return (str(err) or type(err).__name__).splitlines()[0][:200]
