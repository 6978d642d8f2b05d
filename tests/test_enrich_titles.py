"""The title a reader sees (ingest.enrich.titles): what slide software leaves in the metadata
gives way to the visible heading, and a heading set on several lines is read whole."""

from __future__ import annotations

import pytest

from ingest.enrich.titles import choose_title

SLIDES = (
    "Råd för delning och\nanvändning av\nöppen källkod\n\n"
    "• Sakområdesgruppen för arkitektur\n• Enkät, intervjuer"
)


@pytest.mark.parametrize(
    "metadata_title",
    ["Instruktioner för ppt-mallen", "Startsida med bild", "Title and Content", "SKR template"],
)
def test_a_template_or_layout_name_gives_way_to_the_heading(metadata_title: str) -> None:
    assert choose_title(metadata_title, SLIDES) == "Råd för delning och användning av öppen källkod"


def test_a_heading_stops_at_a_line_that_starts_anew() -> None:
    text = "Årsrapport dataskydd\nService 2023\n\nInledning"
    assert choose_title("", text) == "Årsrapport dataskydd"


def test_a_template_document_keeps_its_own_title() -> None:
    assert choose_title("Mall för avropsförfrågan", SLIDES) == "Mall för avropsförfrågan"


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # A speaker line, then prose: nothing names the document (normalise uses the file name).
        ("Adam Panzer (DIGG)", "Adam Panzer (DIGG)\n" + "Ett långt stycke text. " * 10, ""),
        ("Innehåll", "Innehåll\nIntroduktion till öppen programvara\n- Per Holm (LU)",
         "Introduktion till öppen programvara"),
        ("Saknas ett projekt?", "Saknas ett projekt?\n" + "Lägg till det här. " * 10, ""),
        ("Contributor: Lunds universitet, Eva Lind och Per Holm.", "", ""),
        ("ALLS, Ef", "ALLS, Ef\nEE || HJ\nVägledning för öppna data\nText",
         "Vägledning för öppna data"),
        ("Statens jordbruksverks", "Statens jordbruksverks\nförfattningssamling\nJönköping",
         "Statens jordbruksverks författningssamling"),
        ("1. Avropsf ö rfr å gan", "", "Avropsförfrågan"),
        ("A vropsvägledning", "", "Avropsvägledning"),
        ("Uppdrag friskare arbetsplatser &#8211; så gjorde vi", "",
         "Uppdrag friskare arbetsplatser – så gjorde vi"),
        ("Ny bokföringslag ID-nummer: prop. 1998/99:130", "",
         "Ny bokföringslag (prop. 1998/99:130)"),
        ("Guide", "Guide\nÖppna upp\nupphandlingsdata\nv.1.2 - Okt 2020",
         "Öppna upp upphandlingsdata"),
    ],
)  # fmt: skip
def test_furniture_bylines_and_broken_lines_are_not_titles(
    title: str, text: str, expected: str
) -> None:
    assert choose_title(title, text) == expected


def test_a_real_title_with_lone_words_is_kept() -> None:
    title = "Associeringsavtal mellan EU, å ena sidan, och Centralamerika, å andra sidan"
    assert choose_title(title, "") == title


def test_a_long_title_is_shortened_rather_than_replaced() -> None:
    title = "Uppdrag att stödja cybersäkerhetsarbetet " + "inför och efter valen " * 8
    chosen = choose_title(title, f"{title}\n\nNCSC ska särskilt:\n" + "Text. " * 40)
    assert chosen.startswith("Uppdrag att stödja") and chosen.endswith("…")
    assert len(chosen) <= 160
