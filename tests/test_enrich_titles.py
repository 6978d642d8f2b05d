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
