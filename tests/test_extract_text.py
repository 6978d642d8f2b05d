"""Plain-text and Markdown extraction, and sniffing what a file really is."""

from __future__ import annotations

import pytest

from ingest.errors import EmptyDocumentError, UnsupportedTypeError
from ingest.extract.dispatch import ExtractOptions, extract, sniff
from ingest.extract.text import extract_text
from ingest.model import Fetched, Source

MARKDOWN = """---
title: Minnesanteckningar e-rådet
date: 2024-09-19
description: Anteckningar från mötet i Vänersborg.
---

# Rubriken som inte är titeln

Mötet diskuterade **e-arkiv** och [digital kompetens](https://example.se/dk) i _skolan_.

- Punkt ett om `API`
- Punkt två

![Bild på deltagarna](bild.png)
<!-- intern kommentar -->
"""


def test_markdown_front_matter_gives_title_date_and_summary() -> None:
    result = extract_text(MARKDOWN.encode(), "text/markdown")
    assert result.title == "Minnesanteckningar e-rådet"
    assert [(d.value, d.origin) for d in result.dates] == [("2024-09-19", "front matter date")]
    assert result.summary == "Anteckningar från mötet i Vänersborg."
    assert result.content_type == "text/markdown"


def test_markdown_syntax_is_removed_but_the_words_stay() -> None:
    text = extract_text(MARKDOWN.encode(), "text/markdown").text
    assert "Mötet diskuterade e-arkiv och digital kompetens i skolan." in text
    assert "Punkt ett om API" in text and "Bild på deltagarna" in text
    for markup in ("**", "](", "# ", "- Punkt", "intern kommentar", "---", "https://"):
        assert markup not in text


def test_markdown_title_is_the_first_heading_without_front_matter() -> None:
    data = "Inledning utan rubrik.\n\nTjänster för äldre\n==================\n\nText.".encode()
    assert extract_text(data, "text/markdown").title == "Tjänster för äldre"


def test_plain_text_title_is_its_first_line_and_cp1252_is_read() -> None:
    text = "Protokollsutdrag KS 2018-45\r\n\r\nKommunstyrelsen beslutar – “att anta”."
    data = text.encode("cp1252")
    result = extract_text(data)
    assert result.title == "Protokollsutdrag KS 2018-45"
    assert "beslutar – “att anta”." in result.text
    assert result.content_type == "text/plain"


def test_sniffing_trusts_the_bytes_not_the_name() -> None:
    assert sniff(b"<!DOCTYPE html><html>", "application/pdf") == "text/html"
    assert sniff(b"  \n%PDF-1.7 ...", "text/html") == "application/pdf"
    assert sniff(b"# Rubrik", "", "notes.md") == "text/markdown"
    assert sniff(b"Vanlig text", "", "notes.txt") == "text/plain"
    for data in (b"\x89PNG\r\n\x1a\n", b"PK\x03\x04rest", b"\x00\x01\x02binary"):
        with pytest.raises(UnsupportedTypeError):
            sniff(data, "application/pdf")


def test_a_word_document_gets_a_useful_reason() -> None:
    fetched = Fetched(Source("/docs/plan.docx", "file"), b"PK\x03\x04" + b"\x00" * 50, "")
    with pytest.raises(UnsupportedTypeError, match="Office"):
        extract(fetched, ExtractOptions())


def test_whitespace_only_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        extract(Fetched(Source("/a.txt", "file"), b" \n\t\n", "text/plain"), ExtractOptions())


MINUTES = (
    "Protokoll från kommunstyrelsens arbetsutskott\n\n"
    "§ 12 Införande av e-tjänst för försörjningsstöd. Arbetsutskottet föreslår att "
    "kommunstyrelsen beslutar att förvaltningen får i uppdrag att utöka tjänsten.\n"
)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_read(codec: str) -> None:
    data = MINUTES.encode(codec)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    result = extract(Fetched(Source("/srv/protokoll.txt", "file"), data, ""), ExtractOptions())
    assert result.title == "Protokoll från kommunstyrelsens arbetsutskott"
    assert "försörjningsstöd" in result.text and "\x00" not in result.text


@pytest.mark.parametrize("codec", ["cp1252", "mac-roman"])
def test_eight_bit_swedish_text_is_read_in_its_code_page(codec: str) -> None:
    data = MINUTES.replace("\n", "\r" if codec == "mac-roman" else "\r\n").encode(codec)
    result = extract(Fetched(Source("/srv/protokoll.txt", "file"), data, ""), ExtractOptions())
    assert "Införande av e-tjänst för försörjningsstöd" in result.text
    assert result.title == "Protokoll från kommunstyrelsens arbetsutskott"


def test_binary_with_zero_bytes_is_still_refused() -> None:
    data = bytes(range(256)) * 8
    with pytest.raises(UnsupportedTypeError):
        sniff(data, "")


def test_inline_html_in_a_markdown_table_leaves_words_not_tags() -> None:
    markdown = (
        "| 19. | Svar på remiss av förslag på digitala<br>lösningar för digitaliserad<br/>"
        'tillsynsvägledning | <a href="https://example.se/x">Bilaga</a> |\n'
    )
    text = extract_text(markdown.encode(), "text/markdown").text
    assert "digitala lösningar för digitaliserad tillsynsvägledning" in text
    assert "<" not in text and "Bilaga" in text


@pytest.mark.parametrize(
    ("data", "swedish", "english"),
    [
        (b"\x89PNG\r\n\x1a\n", "Inte ett dokument som stöds: PNG-bild", "unsupported: PNG image"),
        (b"\xd0\xcf\x11\xe0rest", "äldre Office-dokument (spara det som PDF)", "save it as PDF"),
        (b"PK\x03\x04" + b"\x00" * 50, "spara det som PDF", "save it as PDF"),  # damaged .docx
        (b"{\\rtf1 Protokoll", "RTF-dokument (spara det som PDF)", "RTF document"),
    ],
)
def test_a_refused_file_is_named_and_advised_on_in_swedish_first(
    data: bytes, swedish: str, english: str
) -> None:
    # Staff read these in `kb ingest` and the admin; 'save it as PDF' and the file's kind were
    # English only.
    with pytest.raises(UnsupportedTypeError) as refused:
        extract(Fetched(Source("/docs/fil.doc", "file"), data, ""), ExtractOptions())
    reason = str(refused.value)
    assert swedish in reason and english in reason
    assert reason.index(swedish) < reason.index(" / ")
