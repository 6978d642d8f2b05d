"""HTML extraction: main content without page furniture, metadata, dates and any character set."""

from __future__ import annotations

import codecs

import pytest

from ingest.errors import EmptyDocumentError
from ingest.extract.charset import decode
from ingest.extract.dispatch import ExtractOptions, extract
from ingest.extract.html import extract_html
from ingest.model import Fetched, Source

PAGE = """<!DOCTYPE html>
<html lang="sv-SE">
<head>
  <meta charset="utf-8">
  <title>Bygglov – Uddevalla kommun</title>
  <meta name="description" content="Så ansöker du om bygglov digitalt.">
  <meta property="article:published_time" content="2024-03-05T10:00:00+01:00">
  <meta property="og:site_name" content="Uddevalla kommun">
  <link rel="canonical" href="/bygga-bo/bygglov?utm=1#top">
  <script>var tracking = "spårningskod";</script>
  <style>.x { color: red }</style>
  <script type="application/ld+json">{"@type": "Article", "dateModified": "2024-04-01"}</script>
</head>
<body>
  <div id="cookie-consent">Vi använder kakor. <button>Godkänn</button></div>
  <header class="site-header"><nav><ul><li><a href="/">Startsida</a></li>
    <li><a href="/omsorg">Omsorg och stöd</a></li></ul></nav></header>
  <div class="breadcrumbs"><a href="/">Hem</a> / Bygglov</div>
  <main>
    <article>
      <h1>Ansök om bygglov</h1>
      <p>Du kan <a href="/e-tjanst">ansöka om bygglov</a> i vår e-tjänst dygnet runt.</p>
      <p>Handläggningen tar <strong>tio veckor</strong>.</p>
      <p>Publicerad <time datetime="2024-03-06">6 mars 2024</time></p>
      <aside class="related">Relaterade sidor: Strandskydd</aside>
    </article>
  </main>
  <footer><p>Uddevalla kommun, 451 81 Uddevalla. Kontakta oss.</p></footer>
  <noscript>Aktivera javascript</noscript>
</body>
</html>"""


def test_main_content_without_navigation_banners_footer_or_scripts() -> None:
    result = extract_html(PAGE.encode(), None, "https://www.uddevalla.se/bygga-bo/bygglov")
    text = result.text
    assert "Du kan ansöka om bygglov i vår e-tjänst dygnet runt." in text  # link kept in sentence
    assert "tio veckor" in text
    for furniture in (
        "kakor",
        "Godkänn",
        "Startsida",
        "Omsorg",
        "Hem /",
        "Strandskydd",
        "451 81",
        "javascript",
        "spårningskod",
        "color",
    ):
        assert furniture not in text, furniture
    assert len(result.pages) == 1 and result.pages[0].number == 1


def test_metadata_title_description_language_canonical_and_dates() -> None:
    result = extract_html(PAGE.encode(), None, "https://www.uddevalla.se/bygga-bo/bygglov")
    assert result.title == "Ansök om bygglov"
    assert result.summary == "Så ansöker du om bygglov digitalt."
    assert result.language == "sv"
    assert result.canonical_url == "https://www.uddevalla.se/bygga-bo/bygglov?utm=1"
    assert result.metadata["og:site_name"] == "Uddevalla kommun"
    found = {(d.value, d.kind, d.origin) for d in result.dates}
    assert ("2024-03-05", "published", "meta article:published_time") in found
    assert ("2024-03-06", "published", "time element") in found
    assert ("2024-04-01", "modified", "json-ld dateModified") in found


def test_title_falls_back_to_the_title_element() -> None:
    page = b"<html><head><title>  Protokoll   KS </title></head><body><p>Text.</p></body></html>"
    assert extract_html(page).title == "Protokoll KS"


SWEDISH = "Överförmyndarnämnden – “digitala” möten på måndag, 5 € per år"


def test_windows_1252_without_any_declaration_is_detected() -> None:
    page = f"<html><body><p>{SWEDISH}</p></body></html>".encode("cp1252")
    assert SWEDISH in extract_html(page).text


def test_latin1_label_means_windows_1252_as_in_browsers() -> None:
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{SWEDISH}</p></body></html>'
    assert SWEDISH in extract_html(page.encode("cp1252")).text


def test_the_http_charset_wins_over_a_wrong_meta_charset() -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{SWEDISH}</p></body></html>'
    result = extract_html(page.encode("cp1252"), http_charset="windows-1252")
    assert SWEDISH in result.text


def test_a_bom_wins_over_a_wrong_http_charset() -> None:
    page = f"<html><body><p>{SWEDISH}</p></body></html>"
    data = codecs.BOM_UTF8 + page.encode("utf-8")
    assert SWEDISH in extract_html(data, http_charset="iso-8859-1").text
    utf16 = codecs.BOM_UTF16_LE + page.encode("utf-16-le")
    assert SWEDISH in extract_html(utf16).text


def test_mostly_utf8_with_one_stray_byte_stays_utf8() -> None:
    data = "Åtgärder för ökad tillgänglighet i Härnösand".encode() + b" \xff"
    text, codec = decode(data)
    assert codec == "utf-8" and text.startswith("Åtgärder för ökad")


def test_broken_and_deeply_nested_html_still_gives_text() -> None:
    page = "<html><body><p>Början" + "<div><span>" * 3000 + "djupt inne</b></i><p>slut"
    result = extract_html(page.encode())
    assert "Början" in result.text and "djupt inne" in result.text and "slut" in result.text


def test_a_file_named_pdf_that_holds_html_is_read_as_html() -> None:
    fetched = Fetched(Source("/docs/rapport.pdf", "file"), PAGE.encode(), "application/pdf")
    result = extract(fetched, ExtractOptions())
    assert result.content_type == "text/html"
    assert result.title == "Ansök om bygglov"


def test_a_page_without_content_is_empty() -> None:
    page = b"<html><head><title>Tom</title><script>x()</script></head><body><nav>Meny</nav></body>"
    with pytest.raises(EmptyDocumentError):
        extract(Fetched(Source("/a.html", "file"), page, "text/html"), ExtractOptions())


def test_the_largest_article_is_the_content_when_there_is_no_main() -> None:
    page = (
        "<html><body><div class='menu'>Meny Meny Meny</div>"
        "<article><p>Kort puff.</p></article>"
        "<article><h1>Riktig artikel</h1><p>En lång text om digital kompetens i skolan "
        "och hur lärare får stöd.</p></article></body></html>"
    )
    result = extract_html(page.encode())
    assert result.title == "Riktig artikel"
    assert "digital kompetens" in result.text and "Kort puff" not in result.text


def test_a_wrapper_named_like_furniture_that_holds_the_article_is_kept() -> None:
    page = (
        "<html><body><div class='page menu-closed'><div class='hero banner'>"
        "<h1>Digitala tjänster</h1></div><nav class='menu'>Meny</nav>"
        "<article><p>Här finns kommunens e-tjänster.</p></article></div></body></html>"
    )
    result = extract_html(page.encode())
    assert result.title == "Digitala tjänster"
    assert "kommunens e-tjänster" in result.text and "Meny" not in result.text
