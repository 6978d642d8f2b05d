"""The composed enrichment (ingest.enrich): all tags at once, and overrides a person gives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ingest.enrich.compose import MAX_CHARS, Enrichment, enrich, enrich_extracted
from ingest.model import DateFound, Extracted, Overrides
from kb.document import Page
from kb.errors import ValidationError
from kb.taxonomy.model import Taxonomy

TODAY = date(2026, 11, 23)
PROTOCOL = """VARA KOMMUN
Kommunfullmäktige
PROTOKOLLSUTDRAG
Sammanträdesdatum: 2019-03-25

§ 34 Bredbandsstrategi för Vara kommun 2019–2025

Målet är att alla hushåll ska ha tillgång till bredband. På landsbygden är andelen med fiber
lägre. Kommunen samordnar fiberföreningar och ger snabba besked om grävtillstånd när ledningar
läggs i mark. Det kan vara bra att informera fastighetsägare tidigt.

Beslut
Kommunfullmäktige antar Bredbandsstrategi för Vara kommun 2019–2025.
"""


def run(
    title: str = "Protokollsutdrag KF § 34 Bredbandsstrategi",
    text: str = PROTOCOL,
    overrides: Overrides | None = None,
    **kwargs: Any,
) -> Enrichment:
    taxonomy = Taxonomy.load()
    return enrich(title, text, taxonomy=taxonomy, overrides=overrides, today=TODAY, **kwargs)


def test_a_protocol_gets_every_tag_automatically() -> None:
    result = run()
    assert result.doc_type.value == "decision"
    assert [t.value for t in result.municipalities] == ["1470"]
    assert result.focus_areas[0].value == "digital-infrastruktur"
    assert result.regions == ()
    assert (result.date, result.date_source, result.year) == ("2019-03-25", "auto", 2019)
    assert "Sammanträdesdatum" in result.date_evidence
    assert result.language == "sv"
    tags = [result.doc_type, *result.municipalities, *result.focus_areas]
    assert all(t.source == "auto" and t.evidence and t.score > 0 for t in tags)
    assert any(e.startswith("bredband ×") for e in result.focus_areas[0].evidence)


def test_given_values_replace_the_automatic_ones_and_are_marked_given() -> None:
    given = Overrides(
        title="Bredbandsstrategi 2019–2025",
        date="2019-04",
        doc_type="Handlingsplan",
        focus_areas=("digital ledning", "digital-infrastruktur"),
        municipalities=("Vara", "1470", "Skara kommun"),
        regions=("Skaraborg",),
        language="sv",
    )
    result = run(overrides=given)
    assert result.title == "Bredbandsstrategi 2019–2025"
    assert (result.doc_type.value, result.doc_type.source) == ("plan", "given")
    assert [(t.value, t.source) for t in result.focus_areas] == [
        ("digitalt-ledarskap", "given"),
        ("digital-infrastruktur", "given"),
    ]
    assert [t.value for t in result.municipalities] == ["1470", "1495"]  # duplicates dropped
    assert [(t.value, t.source) for t in result.regions] == [("skaraborg", "given")]
    assert (result.date, result.date_source, result.date_evidence) == ("2019-04", "given", "")


def test_fields_not_given_stay_automatic() -> None:
    result = run(overrides=Overrides(focus_areas=("digital-kompetens",)))
    assert [(t.value, t.source) for t in result.focus_areas] == [("digital-kompetens", "given")]
    assert [(t.value, t.source) for t in result.municipalities] == [("1470", "auto")]
    assert result.doc_type.source == "auto"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (Overrides(municipalities=("Atlantis",)), "kommun"),
        (Overrides(regions=("Norrland",)), "region"),
        (Overrides(focus_areas=("rymdfart",)), "fokusområde"),
        (Overrides(doc_type="roman"), "dokumenttyp"),
        (Overrides(date="i våras"), "datum"),
        (Overrides(date="2023-13-40"), "datum"),
    ],
)
def test_unknown_given_values_are_refused_with_a_clear_message(
    given: Overrides, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        run(overrides=given)


def test_the_url_host_and_metadata_date_are_used() -> None:
    result = run(
        title="Nyhet",
        text="Nu finns gratis wifi vid stranden. Nätet kräver ingen inloggning.",
        url="https://www.pitea.se/nyheter/wifi",
        meta_dates=("2026-05-22T07:45:00+02:00",),
    )
    assert [t.value for t in result.municipalities] == ["2581"]
    assert (result.date, result.date_evidence) == ("2026-05-22", "metadata")


def test_an_extracted_document_is_enriched_from_its_metadata() -> None:
    extracted = Extracted(
        title="Project description: Open Data Platform",
        pages=(Page(1, "The city will publish open data through open APIs for all of us. " * 4),),
        content_type="text/html",
        language="en",
        canonical_url="https://goteborg.se/opendata",
        dates=(
            DateFound("2023-06-01", "modified", "meta"),
            DateFound("2023-03-15", "published", "meta article:published_time"),
        ),
    )
    result = enrich_extracted(extracted, url=None, taxonomy=Taxonomy.load(), today=TODAY)
    assert result.language == "en"
    assert result.doc_type.value == "project"
    assert [t.value for t in result.municipalities] == ["1480"]  # from the canonical URL's host
    assert result.date == "2023-03-15"  # published before modified


def test_only_the_first_part_of_a_huge_text_is_read() -> None:
    filler = "Kommunen redovisar verksamhetens resultat för året. " * (MAX_CHARS // 50)
    result = run(title="Årsredovisning", text=filler + " Uddevalla kommun")
    assert result.municipalities == () and result.mentions == ()
    early = run(title="Årsredovisning", text="Uddevalla kommun " + filler)
    assert "1485" in {t.value for t in early.municipalities + early.mentions}


def test_an_empty_document_still_gets_a_complete_enrichment() -> None:
    result = run(title="", text="")
    assert result.doc_type.value == "other"
    assert (result.municipalities, result.regions, result.focus_areas) == ((), (), ())
    assert (result.date, result.language) == (None, "sv")
