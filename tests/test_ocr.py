"""OCR of scanned PDFs with the real Tesseract (Swedish model), and the report when it is absent.

The scanned PDFs are made here: Swedish text rendered to an image with Pillow, placed in a PDF with
fpdf2, with no text layer. Absence is simulated by pointing the OCR command at a path that does not
exist, exactly as a person would misconfigure it.
"""

from __future__ import annotations

import io
import shutil

import pytest
from fpdf import FPDF

from ingest.errors import NeedsOcrError
from ingest.extract.ocr import OcrOptions, availability
from ingest.extract.pdf import PdfOptions, extract_pdf
from tests.ingest_support import FONT, make_scanned_pdf, render_text_image

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="tesseract-ocr-swe and poppler-utils not installed (CI installs them)",
)
MISSING = OcrOptions(command="/nonexistent/tesseract")
LINES = [
    "Beslut om bygglov",
    "Kommunstyrelsen i Uddevalla kommun",
    "beslutade att införa e-tjänster",
    "för ansökan om bygglov.",
]


def mixed_pdf() -> bytes:
    """Page 1: an image with an invisible text layer (a searchable scan); page 2: image only."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.image(io.BytesIO(render_text_image(["Bilden på sidan ett"])), x=0, y=0, w=210)
    pdf.set_font("DejaVu", size=12)
    pdf.text_mode = "INVISIBLE"
    pdf.set_xy(10, 200)
    pdf.cell(0, 10, "Textlagret från skannern säger vägledning")
    pdf.add_page()
    page_two = render_text_image(["Sidan två handlar om", "digital kompetens"])
    pdf.image(io.BytesIO(page_two), x=0, y=0, w=210)
    return bytes(pdf.output())


@needs_tesseract
def test_a_scanned_pdf_is_read_by_tesseract() -> None:
    result = extract_pdf(make_scanned_pdf([LINES]), PdfOptions())
    assert result.ocr
    text = result.text
    for word in ("bygglov", "Kommunstyrelsen", "Uddevalla", "e-tjänster", "ansökan"):
        assert word in text
    assert result.title == "Beslut om bygglov"


@needs_tesseract
def test_only_pages_without_a_text_layer_are_ocr_read() -> None:
    result = extract_pdf(mixed_pdf(), PdfOptions())
    assert result.ocr
    assert result.pages[0].text == "Textlagret från skannern säger vägledning"
    assert "digital kompetens" in result.pages[1].text


@needs_tesseract
def test_without_pdftoppm_the_embedded_page_image_is_read() -> None:
    options = PdfOptions(ocr=OcrOptions(renderer="/nonexistent/pdftoppm"))
    result = extract_pdf(make_scanned_pdf([LINES]), options)
    assert result.ocr and "Uddevalla" in result.text


def test_missing_tesseract_reports_the_packages_to_install() -> None:
    assert availability(MISSING) is not None
    with pytest.raises(NeedsOcrError) as err:
        extract_pdf(make_scanned_pdf([LINES]), PdfOptions(ocr=MISSING))
    assert err.value.code == "needs-ocr"
    assert "apt-get install tesseract-ocr tesseract-ocr-swe" in str(err.value)


def test_ocr_turned_off_says_the_pdf_is_scanned() -> None:
    with pytest.raises(NeedsOcrError) as err:
        extract_pdf(make_scanned_pdf([LINES]), PdfOptions(ocr=OcrOptions(enabled=False)))
    assert err.value.code == "needs-ocr"
    assert str(err.value).startswith("Skannad PDF utan textlager; OCR är avstängt (--no-ocr")
    assert "scanned PDF without a text layer; OCR is turned off" in str(err.value)


def test_missing_tesseract_on_a_partly_scanned_pdf_keeps_the_text_and_notes_the_pages() -> None:
    result = extract_pdf(mixed_pdf(), PdfOptions(ocr=MISSING))
    assert not result.ocr
    assert result.pages[0].text.startswith("Textlagret")
    assert result.pages[1].text == ""
    assert any("2" in note and "tesseract-ocr-swe" in note for note in result.notes)


@needs_tesseract
def test_a_missing_language_model_is_named() -> None:
    reason = availability(OcrOptions(language="swe+xyz"))
    assert reason is not None and "xyz" in reason
