"""PDF extraction on real PDFs written by fpdf2 (and encrypted by pypdf) in the tests."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from ingest.errors import EncryptedPdfError, ExtractError
from ingest.extract.dispatch import ExtractOptions, extract
from ingest.extract.pdf import PdfOptions, extract_pdf
from ingest.model import Fetched, Source
from tests.ingest_support import make_pdf

PAGES = [
    "Första sidan om bygglov.\nKommunen arbetar med digitali-\nsering av e-\ntjänster.",
    "Andra sidan handlar om IT-\nstöd i skolan och om kommun-\nens arkiv.",
    "Tredje sidan: bygg-\noch miljönämnden beslutade.",
]


def encrypt(data: bytes, user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user_password, owner_password="ägare", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_is_kept_per_page_with_page_numbers() -> None:
    result = extract_pdf(make_pdf(PAGES, title="Handlingsplan för e-tjänster"), PdfOptions())
    assert [p.number for p in result.pages] == [1, 2, 3]
    assert "bygglov" in result.pages[0].text
    assert "arkiv" in result.pages[1].text
    assert result.title == "Handlingsplan för e-tjänster"
    assert result.content_type == "application/pdf"
    assert not result.ocr


def test_words_hyphenated_across_lines_are_joined_but_compounds_keep_their_hyphen() -> None:
    text = extract_pdf(make_pdf(PAGES), PdfOptions()).text
    assert "digitalisering" in text
    assert "kommunens arkiv" in text
    assert "e-tjänster" in text  # a one-letter prefix is a real compound
    assert "IT-stöd" in text  # so is an abbreviation
    assert "bygg- och miljönämnden" in text  # a suspended compound keeps hyphen and space


def test_running_headers_and_footers_are_dropped() -> None:
    data = make_pdf(PAGES, header="Uddevalla kommun · Handlingsplan", footer="Sida {n} av {total}")
    result = extract_pdf(data, PdfOptions())
    for page in result.pages:
        assert "Handlingsplan" not in page.text
        assert "Sida" not in page.text
    assert result.pages[2].text.startswith("Tredje sidan")


def test_two_pages_are_too_few_to_call_a_line_a_running_header() -> None:
    data = make_pdf(PAGES[:2], header="Uddevalla kommun")
    result = extract_pdf(data, PdfOptions())
    assert all("Uddevalla kommun" in p.text for p in result.pages)


def test_title_comes_from_the_first_heading_when_metadata_has_none() -> None:
    data = make_pdf(
        PAGES, heading="Vägledning för digitala möten", title="Microsoft Word - Dokument1"
    )
    result = extract_pdf(data, PdfOptions())
    assert result.title == "Vägledning för digitala möten"


def test_title_falls_back_to_the_first_line() -> None:
    result = extract_pdf(make_pdf(["Protokoll kommunstyrelsen\nParagraf 12 beslut."]), PdfOptions())
    assert result.title == "Protokoll kommunstyrelsen"


def test_creation_date_is_reported_for_enrichment() -> None:
    result = extract_pdf(make_pdf(PAGES), PdfOptions())
    assert [d.kind for d in result.dates] == ["created"]
    assert result.dates[0].value[:2] == "20"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"%PDF-1.4\n" + b"garbage " * 200,
        lambda data: data[: len(data) // 2],
        lambda data: data[:300],
    ],
    ids=["garbage", "truncated-half", "truncated-head"],
)
def test_a_corrupt_pdf_fails_with_a_clear_reason(damage: object) -> None:
    data = damage(make_pdf(PAGES))  # type: ignore[operator]
    with pytest.raises(ExtractError) as err:
        extract_pdf(data, PdfOptions())
    assert err.value.code == "corrupt"
    assert "PDF" in str(err.value)


def test_an_encrypted_pdf_asks_for_the_password() -> None:
    data = encrypt(make_pdf(PAGES), "hemligt")
    with pytest.raises(EncryptedPdfError) as missing:
        extract_pdf(data, PdfOptions())
    assert missing.value.code == "encrypted"
    assert "--password" in str(missing.value)
    with pytest.raises(EncryptedPdfError) as wrong:
        extract_pdf(data, PdfOptions(password="fel"))
    assert wrong.value.code == "wrong-password"
    result = extract_pdf(data, PdfOptions(password="hemligt"))
    assert "bygglov" in result.pages[0].text


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_an_aes_encrypted_pdf_opens_with_its_password(algorithm: str) -> None:
    # Most PDFs published today use AES; pypdf reads it with the 'cryptography' package.
    data = encrypt(make_pdf(PAGES), "hemligt", algorithm)
    with pytest.raises(EncryptedPdfError) as missing:
        extract_pdf(data, PdfOptions())
    assert missing.value.code == "encrypted"
    assert "bygglov" in extract_pdf(data, PdfOptions(password="hemligt")).pages[0].text
    assert "bygglov" in extract_pdf(encrypt(make_pdf(PAGES), "", algorithm), PdfOptions()).text


def test_a_pdf_encrypted_only_against_editing_opens_without_a_password() -> None:
    result = extract_pdf(encrypt(make_pdf(PAGES), ""), PdfOptions())
    assert "bygglov" in result.text


def test_a_blank_page_is_kept_and_not_sent_to_ocr() -> None:
    result = extract_pdf(make_pdf(["Innehåll på första sidan.", " "]), PdfOptions())
    assert [p.text for p in result.pages] == ["Innehåll på första sidan.", ""]
    assert not result.ocr and not result.notes


def test_content_decides_not_the_name_a_pdf_named_html_is_read_as_pdf() -> None:
    fetched = Fetched(Source("/docs/plan.html", "file"), make_pdf(PAGES), "text/html")
    result = extract(fetched, ExtractOptions())
    assert result.content_type == "application/pdf"
    assert len(result.pages) == 3


def test_text_named_pdf_is_not_a_pdf() -> None:
    fetched = Fetched(Source("/docs/plan.pdf", "file"), b"just some words", "application/pdf")
    with pytest.raises(ExtractError) as err:
        extract(fetched, ExtractOptions())
    assert "%PDF" in str(err.value)


def test_pdf_of_many_one_line_pages_keeps_every_line() -> None:
    # One short line per page ("Beslut 17"): digit-masked, every line looks like a running footer.
    # The real case had 3,000 pages; 240 pages show the same rule and keep the test fast.
    pages = [f"Beslut {n} om e-tjänst" for n in range(1, 241)]
    fetched = Fetched(Source("/srv/beslut.pdf", "file"), make_pdf(pages), "application/pdf")
    result = extract(fetched, ExtractOptions())
    assert len(result.pages) == 240
    assert result.pages[16].text == "Beslut 17 om e-tjänst"
    assert all(page.text for page in result.pages)


def test_running_line_rule_never_empties_a_3000_page_document() -> None:
    from ingest.extract.cleanup import drop_running_lines

    pages = [f"Rad {n} i protokollet" for n in range(1, 3001)]
    assert drop_running_lines(pages) == pages
    with_footer = [f"Rad {n} i protokollet\nmer text {n}\nSida {n}" for n in range(1, 3001)]
    kept = drop_running_lines(with_footer)
    assert all("Rad " in page for page in kept)
