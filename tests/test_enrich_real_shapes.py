"""Document type and publisher from what a reader sees, on small real-world-shaped files run
through the real pipeline (extract, enrich, normalise): slides, a kallelse, a web handbook page
whose site is named only in the browser title, a saved article whose pictures come from its
site, and a minister's press release."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from kb.taxonomy.model import Taxonomy
from tests.ingest_support import FONT, ingest, make_pdf

TAXONOMY = Taxonomy.load()


def slides(creator: str) -> bytes:
    """Eight slides: a heading and three short bullets each, as PowerPoint exports them."""
    pdf = FPDF(orientation="landscape")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_creator(creator)
    topics = ["Bakgrund", "Nuläge", "Mål 2025", "Arkitektur", "Förvaltning", "Risker",
              "Tidplan", "Frågor?"]  # fmt: skip
    for number, topic in enumerate(topics, start=1):
        pdf.add_page()
        pdf.set_font("DejaVu", size=28)
        pdf.cell(0, 20, f"{topic}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=16)
        for bullet in ("Öppna API:er för e-tjänster", "Gemensam plattform", f"Steg {number}"):
            pdf.cell(0, 12, f"• {bullet}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_slides_exported_from_presentation_software_are_a_presentation(tmp_path: Path) -> None:
    path = tmp_path / "nosad-meetup.pdf"
    path.write_bytes(slides("Microsoft® PowerPoint® 2019"))
    doc = ingest(path)
    assert doc.doc_type.value == "presentation"
    assert any("PowerPoint" in e for e in doc.doc_type.evidence)
    assert TAXONOMY.label("doc_type", "presentation") == "Presentation"


def test_a_report_of_full_pages_is_no_presentation(tmp_path: Path) -> None:
    body = (
        "Kommunerna har under året arbetat med gemensamma e-tjänster och en ny plattform för "
        "ärendehantering. Utvärderingen visar att handläggningstiden minskade och att fler "
        "invånare använder de digitala kanalerna. " * 6
    )
    path = tmp_path / "slutrapport.pdf"
    path.write_bytes(make_pdf([body] * 8, heading="Slutrapport: Gemensamma e-tjänster"))
    doc = ingest(path)
    assert doc.doc_type.value == "report"


def test_a_kallelse_is_a_notice_of_meeting_counted_among_decisions(tmp_path: Path) -> None:
    path = tmp_path / "kallelse.md"
    path.write_text(
        "# Kallelse\n\nNämnden för Service\n\nTid: torsdag 22 februari 2024 kl. 13.00\n"
        "Plats: Stadshuset, Kungsbacka\n\n## Föredragningslista\n\n"
        "1. Val av justerare\n2. Årsrapport dataskydd 2023\n3. Informationsbeskrivning\n",
        encoding="utf-8",
    )
    doc = ingest(path)
    assert doc.doc_type.value == "notice"
    assert TAXONOMY.doc_types["notice"].core == "decision"
    assert TAXONOMY.label("doc_type", "notice") == "Kallelse"


HANDBOOK_PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Rubriker - design.regionhalland.se</title></head><body>
<header><nav><a href="/">Start</a> <a href="/webbhandbok">Webbhandbok</a></nav></header>
<main><h1>Rubriker</h1>
<p>Rubriker ska alltid ha det viktigaste ordet först. En bra rubrik säger vad sidan handlar om
och hjälper besökaren att hitta rätt när hen söker på webbplatsen eller i en sökmotor.</p>
<p>Undvik att skriva rubriker med versaler och undvik punkt efter en rubrik. Håll rubriken kort,
gärna under sextio tecken, så att den syns hel i sökresultaten.</p>
</main><footer><p>Kontakt</p></footer></body></html>"""


def test_a_page_names_its_site_in_the_browser_title_only(tmp_path: Path) -> None:
    path = tmp_path / "rubriker.html"
    path.write_text(HANDBOOK_PAGE, encoding="utf-8")
    doc = ingest(path)
    assert doc.title == "Rubriker"
    assert doc.publisher_org is not None and doc.publisher_org.value == "lan:13"
    assert doc.publisher == "Region Halland"
    assert any("design.regionhalland.se" in e for e in doc.publisher_org.evidence)


def test_a_web_page_of_no_other_type_is_a_web_page_not_other(tmp_path: Path) -> None:
    path = tmp_path / "oppettider.html"
    path.write_text(
        "<html><head><title>Öppettider</title></head><body><main><h1>Öppettider</h1>"
        "<p>Kontaktcenter har öppet vardagar klockan 8 till 17. Under sommaren stänger vi "
        "klockan 16. Ring eller skriv till oss när det passar dig.</p></main></body></html>",
        encoding="utf-8",
    )
    assert ingest(path).doc_type.value == "webpage"
    path = tmp_path / "oppettider.txt"
    path.write_text("Öppettider\n\nKontaktcenter har öppet vardagar 8–17.\n", encoding="utf-8")
    assert ingest(path).doc_type.value == "other"


SAVED_ARTICLE = """---
title: 'De skapade sin egen robotkollega'
author: Karin Berg
---

I kommunen har tjänstemännen byggt robotar som tar över enformiga uppgifter.

[![Porträtt](https://www.suntarbetsliv.se/wp-content/uploads/2019/05/portratt.jpg)](https://www.suntarbetsliv.se/wp-content/uploads/2019/05/portratt.jpg)
– Roboten gör det tråkiga, säger förändringsledaren.

Medarbetarna var med från början och valde själva vilka uppgifter som skulle automatiseras.
"""


def test_a_saved_article_is_published_by_the_site_its_pictures_come_from(tmp_path: Path) -> None:
    path = tmp_path / "robotkollega.md"
    path.write_text(SAVED_ARTICLE, encoding="utf-8")
    doc = ingest(path)
    assert doc.publisher_org is not None and doc.publisher_org.value == "org:suntarbetsliv"
    assert doc.publisher == "Suntarbetsliv"  # the site, not the journalist


def test_one_borrowed_picture_names_no_publisher(tmp_path: Path) -> None:
    path = tmp_path / "notis.md"
    path.write_text(
        "# Notis\n\nEn bild lånad från en annan webbplats.\n\n"
        "![Bild](https://www.suntarbetsliv.se/wp-content/uploads/bild.jpg)\n",
        encoding="utf-8",
    )
    doc = ingest(path)
    assert doc.publisher_org is None or doc.publisher_org.value != "org:suntarbetsliv"


def test_a_ministers_visit_is_published_by_the_government_offices(tmp_path: Path) -> None:
    path = tmp_path / "besok.md"
    path.write_text(
        "# Ministrarna besöker äldreboende i Tyresö\n\n"
        "Äldre- och socialförsäkringsminister Anna Tenje och civilminister Erik Slottner besöker "
        "ett äldreboende för personer med demenssjukdom.\n\n"
        "I samband med besöket finns möjlighet för media att delta.\n",
        encoding="utf-8",
    )
    doc = ingest(path)
    assert doc.publisher_org is not None and doc.publisher_org.value == "org:regeringskansliet"
    assert any("minister" in e for e in doc.publisher_org.evidence)


def test_an_agency_visited_is_not_the_publisher(tmp_path: Path) -> None:
    path = tmp_path / "besok-sundsvall.md"
    path.write_text(
        "# Civilminister Erik Slottner besöker Sundsvall\n\n"
        "Digitaliseringspolitiken är i fokus för besöket.\n\n"
        "Vid besöket på SPV kommer civilministern att dela ut en utmärkelse till myndighetens "
        "generaldirektör. Hon har tidigare arbetat på SPV och på Försäkringskassan.\n",
        encoding="utf-8",
    )
    doc = ingest(path)
    assert doc.publisher_org is not None and doc.publisher_org.value == "org:regeringskansliet"


def _pdf_by(author: str) -> bytes:
    """A one-page report with no letterhead, signature or site: only the file's author field."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_author(author)
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(
        0,
        6,
        "Uppföljning av arbetet med digitala möten\n\nUnder året har fler möten hållits "
        "digitalt. Medarbetarna har fått stöd i att använda verktygen och rutinerna har setts "
        "över. Erfarenheterna sammanfattas nedan.",
    )
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("author", "shown"),
    [
        ("Kommunledningskontoret", "Kommunledningskontoret"),  # an office: worth showing
        ("Ragnhild Larsson", ""),  # whoever typed the file is not its publisher
        ("Anna G. Bengtsson", ""),  # an initial does not make a name an organisation's
        ("IT AB", "IT AB"),  # an acronym does
        ("Microsoft Office User", ""),  # a program's default
    ],
)
def test_a_files_author_field_is_shown_as_publisher_only_when_it_names_no_person(
    tmp_path: Path, author: str, shown: str
) -> None:
    path = tmp_path / "uppfoljning.pdf"
    path.write_bytes(_pdf_by(author))
    assert ingest(path).publisher == shown
