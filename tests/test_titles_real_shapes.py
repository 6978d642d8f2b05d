"""Titles a reader accepts, on small real-world-shaped files run through the real pipeline
(extract, enrich, normalise): a workshop summary whose headings are speaker lines, a page that
opens with its table of contents, a sidebar's call to action, slides whose largest text is a
logo, a PDF heading set on several lines and a protocol whose metadata title is a field label.
Each file is written here (PDFs with fpdf2); none is copied from the dev set."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from tests.ingest_support import FONT, ingest, make_pdf

PROSE = (
    "Deltagarna diskuterade hur offentliga organisationer kan dela programvara och data med "
    "varandra, vilka licenser som passar och hur ansvaret för förvaltningen kan fördelas. "
)


def test_speaker_headings_give_way_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Sammanfattning-workshop-1-Öppna-licenser.md"
    path.write_text(
        f"## Eva Lind (DIGG)\n* {PROSE * 2}\n\n## Per Holm (PRV)\n* {PROSE * 2}\n",
        encoding="utf-8",
    )
    assert ingest(path).title == "Sammanfattning workshop 1 öppna licenser"


def test_a_byline_line_is_not_the_title(tmp_path: Path) -> None:
    path = tmp_path / "diggs-syn-pa-ekosystem.md"
    path.write_text(
        "[Sammanfattning från workshop 15/9 | Eva Lind (DIGG) | Se även: [Presentation](a.pdf)]"
        f"\n\n* {PROSE * 2}\n* Återanvändning och samutveckling\n",
        encoding="utf-8",
    )
    assert ingest(path).title == "Diggs syn pa ekosystem"


def test_a_table_of_contents_heading_gives_way_to_the_first_section(tmp_path: Path) -> None:
    path = tmp_path / "workshop-3.md"
    path.write_text(
        "## Innehåll\n* [Introduktion till öppen programvara](#del1)\n  - Per Holm (LU)\n\n"
        f"## Introduktion till öppen programvara\n{PROSE * 2}\n",
        encoding="utf-8",
    )
    assert ingest(path).title == "Introduktion till öppen programvara"


def test_a_sidebar_question_is_not_the_title(tmp_path: Path) -> None:
    path = tmp_path / "katalog-over-oppen-programvara.md"
    path.write_text(
        f"{PROSE * 2}\n\n### Saknas ett projekt?\n\nLägg till det på sidan.\n",
        encoding="utf-8",
    )
    assert ingest(path).title == "Katalog over oppen programvara"


def test_an_html_sidebar_heading_is_not_taken_for_the_missing_h1(tmp_path: Path) -> None:
    path = tmp_path / "sida.html"
    path.write_text(
        "<html lang='sv'><head><title>Vägledning för öppen källkod</title></head><body>"
        f"<main><h2>Saknas ett projekt?</h2><p>{PROSE * 3}</p></main></body></html>",
        encoding="utf-8",
    )
    assert ingest(path).title == "Vägledning för öppen källkod"


def test_a_page_named_by_an_invitation_keeps_its_name(tmp_path: Path) -> None:
    # "Logga in" alone is a button; "Logga in med e-legitimation" is what a guide is called.
    path = tmp_path / "jonkoping-logga-in.html"
    path.write_text(
        "<html lang='sv'><head><title>Logga in med e-legitimation</title></head><body>"
        "<header><a href='/login'>Logga in</a></header>"
        f"<main><h1>Logga in med e-legitimation</h1><p>{PROSE * 3}</p></main></body></html>",
        encoding="utf-8",
    )
    assert ingest(path).title == "Logga in med e-legitimation"


def test_a_long_question_can_be_a_title(tmp_path: Path) -> None:
    path = tmp_path / "fraga.md"
    path.write_text(
        f"# Har du fått ett beslut om bygglov som du vill överklaga?\n\n{PROSE * 2}\n",
        encoding="utf-8",
    )
    assert ingest(path).title == "Har du fått ett beslut om bygglov som du vill överklaga?"


def test_a_pdf_heading_wrapped_onto_three_lines_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    heading = "Rapport om\nstrategiska vägval för\ne-arkiv"
    path.write_bytes(make_pdf([PROSE * 6], heading=heading))
    assert ingest(path).title == "Rapport om strategiska vägval för e-arkiv"


def test_a_logo_line_in_the_largest_font_gives_way_to_the_heading(tmp_path: Path) -> None:
    pdf = FPDF(orientation="landscape")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_title("PowerPoint-presentation")
    pdf.add_page()
    pdf.set_font("DejaVu", size=40)
    pdf.cell(0, 20, "Ha 7 AO", new_x="LMARGIN", new_y="NEXT")  # a logo read as text
    pdf.set_font("DejaVu", size=28)
    pdf.multi_cell(0, 14, "Öppna data för ett\nhållbart transportsystem", new_x="LMARGIN")
    for bullet in ("Bakgrund och syfte", "Data som delas i dag", "Nästa steg"):
        pdf.add_page()
        pdf.set_font("DejaVu", size=16)
        pdf.multi_cell(0, 9, f"{bullet}\n{PROSE}", new_x="LMARGIN")
    path = tmp_path / "trafikdata.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert ingest(path).title == "Öppna data för ett hållbart transportsystem"


def test_a_field_label_in_the_metadata_gives_way_to_the_file_name(tmp_path: Path) -> None:
    body = (
        "Plats och tid Kommunhuset, måndagen den 8 januari 2007\n"
        "Beslutande Eva Lind (c), ordförande\nPer Holm (s)\nAnna Berg (m)\n"
        "Övriga deltagande\nRäddningschef Olof Ek\n" + PROSE * 5
    )
    path = tmp_path / "ks-2007-01-08-protokoll.pdf"
    path.write_bytes(make_pdf([body], title="Plats och tid"))
    assert ingest(path).title == "Ks 2007 01 08 protokoll"


def _record_page(title: str, heading: str, content: str, head: str = "") -> str:
    """A record of an old database: the site's name as <title> and as the <h1> of a banner
    beside its logo; the record's own name, if any, a bold line of the content."""
    return (
        f"<!DOCTYPE html><html lang='sv'><head><title>{title}</title>{head}</head><body>"
        "<div class='header wrapper'><div class='header-logo'>"
        "<img src='/Images/logo.png' alt='Myndighetens logotyp'></div>"
        f"<div class='header-text'><h1>{heading}</h1></div>"
        "<div class='header-desc'>Arkivet innehåller beslut och riktlinjer.</div></div>"
        "<div class='content'><div class='hits'>Post <strong>1</strong> av <strong>3</strong>"
        " träffar</div>"
        "<div class='box bold'>Diarienummer · 2019:12 · <a href='/reg?id=12'>Visa</a></div>"
        f"{content}<div class='text'><p>{PROSE * 3}</p></div></div></body></html>"
    )


def test_a_heading_that_is_the_sites_name_gives_way_to_the_records_bold_name(
    tmp_path: Path,
) -> None:
    path = tmp_path / "record-2019-12.html"
    content = (
        "<div class='box'><span class='bold'>Riktlinje för öppna data\n(2019:12)</span></div>"
        "<div class='box'><span class='bold'>Departement:</span> Finansdepartementet</div>"
    )
    page = _record_page("Myndighetens rättsarkiv", "Myndighetens rättsarkiv", content)
    path.write_text(page, encoding="utf-8")
    assert ingest(path).title == "Riktlinje för öppna data (2019:12)"


def test_the_sites_name_stays_when_the_content_names_nothing_better(tmp_path: Path) -> None:
    path = tmp_path / "record-2019-13.html"
    content = "<div class='box'><span class='bold'>Departement:</span> Finansdepartementet</div>"
    page = _record_page("Myndighetens rättsarkiv", "Myndighetens rättsarkiv", content)
    path.write_text(page, encoding="utf-8")
    assert ingest(path).title == "Myndighetens rättsarkiv"


def test_a_heading_equal_to_og_site_name_gives_way_to_the_contents_heading(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nyhet.html"
    path.write_text(
        "<!DOCTYPE html><html lang='sv'><head><title>Öppna Skolan</title>"
        "<meta property='og:site_name' content='Öppna Skolan'></head><body>"
        "<main><h1>Öppna Skolan</h1><h2>Ny plattform för delning av läromedel</h2>"
        f"<p>{PROSE * 3}</p></main></body></html>",
        encoding="utf-8",
    )
    assert ingest(path).title == "Ny plattform för delning av läromedel"


def test_a_pages_own_heading_beside_a_logo_in_its_article_stays(tmp_path: Path) -> None:
    path = tmp_path / "artikel.html"
    path.write_text(
        "<!DOCTYPE html><html lang='sv'><head><title>Delad förvaltning av e-arkiv</title>"
        "</head><body><header><a href='/'><img src='/logo.svg' alt='Kommunens logotyp'>"
        "Kommunen</a></header><main><article><header><img src='/partner-logo.png' alt='logo'>"
        "<h1>Delad förvaltning av e-arkiv</h1></header><p><b>Bakgrund och syfte med arbetet</b>"
        f"</p><p>{PROSE * 3}</p></article></main></body></html>",
        encoding="utf-8",
    )
    assert ingest(path).title == "Delad förvaltning av e-arkiv"
