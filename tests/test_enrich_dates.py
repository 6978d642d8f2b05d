"""Choosing a document's date from its text and metadata (ingest.enrich_dates)."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.enrich.dates import find_date

TODAY = date(2026, 11, 23)


def value(text: str, title: str = "", meta: tuple[str, ...] = ()) -> str | None:
    choice = find_date(title, text, meta, today=TODAY)
    return choice.value if choice else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sammanträdesdatum 2022-10-03\nÄrendet gäller e-arkiv.", "2022-10-03"),
        ("Protokollet justerades. Beslutsdatum: 12 maj 2023.", "2023-05-12"),
        ("Kommunstyrelsen beslutade den 3 mars 2021 att anta planen.", "2021-03-03"),
        ("Date: 15 March 2023\nBackground", "2023-03-15"),
        ("Rapport\nSektor samhällsbyggnad, oktober 2022\n\nSammanfattning", "2022-10"),
        ("Vägledning\nUtgåva 2, 2022\n\nInledning", "2022"),
    ],
)
def test_date_formats(text: str, expected: str) -> None:
    assert value(text) == expected


def test_the_meeting_date_beats_other_dates() -> None:
    text = (
        "Kommunstyrelsen\nTjänsteskrivelse 2023-04-18 finns bifogad.\n"
        "Sammanträdesdatum 2023-05-10\nJusteringens plats och tid 2023-05-15"
    )
    choice = find_date("", text, today=TODAY)
    assert choice is not None
    assert choice.value == "2023-05-10"
    assert "Sammanträdesdatum" in choice.evidence


def test_validity_ends_and_deadlines_are_not_the_date() -> None:
    text = "Riktlinjer\nGäller till: 2026-12-31\nAnmäl dig senast 2025-09-25.\nDatum: 2025-03-20"
    assert value(text) == "2025-03-20"


def test_periods_are_not_the_date() -> None:
    text = "Projektplan\nProjekttid: 2018-03-01 – 2019-06-30\nDatum: 2018-02-12"
    assert value(text) == "2018-02-12"


def test_statute_and_diary_numbers_are_not_years() -> None:
    assert value("Enligt arkivlagen (1990:782) och Dnr KS 2018/412.") is None


def test_far_future_and_too_old_dates_are_ignored() -> None:
    assert value("Målet ska nås 2045-12-31. Grundat 1850.") is None
    assert value("Visionen Skövde 2040 och beslut 2019-05-02.") == "2019-05-02"


def test_an_anchored_text_date_beats_metadata_and_metadata_beats_loose_dates() -> None:
    protocol = "SAMMANTRÄDESPROTOKOLL\nSammanträdesdatum 2015-06-15\n§ 41 Detaljplan"
    # The scan was saved in 2019; the meeting was in 2015.
    assert value(protocol, meta=("2019-02-11T10:12:00",)) == "2015-06-15"
    loose = "Rapporten skrevs under 2018 och trycktes senare."
    choice = find_date("", loose, ("2019-02-11T10:12:00",), today=TODAY)
    assert choice is not None and (choice.value, choice.evidence) == ("2019-02-11", "metadata")


def test_a_full_date_in_the_title_counts() -> None:
    assert value("Ärendet gäller e-arkiv.", title="KS 2023-05-10 § 112 E-arkiv") == "2023-05-10"


def test_a_signing_line_at_the_end_dates_a_report() -> None:
    text = "Rapport om mognad\n\nEnkäten gick ut våren 2023.\n" + "Resultat.\n" * 30
    assert value(text + "\nSkövde i oktober 2024") == "2024-10"


def test_no_date_at_all() -> None:
    assert value("Ingen tidsangivelse här.") is None
    assert value("") is None


def test_a_label_on_the_line_above_anchors_the_date() -> None:
    # Letterheads extracted from PDF tables put the label above its value.
    text = (
        "KOMMUN SAMMANTRÄDESPROTOKOLL\nNämnden för miljö\nDatum\n2026-01-15\n\n"
        "§ 4 Yttrande inför nämndens beslut om kommunbudget för 2027\n"
    )
    assert value(text) == "2026-01-15"


def test_a_year_the_text_is_about_is_not_its_date() -> None:
    text = "Kungsbacka 2026-02-03\n§ 5 Beslut om budget för 2027 och plan inför 2028."
    assert value(text) == "2026-02-03"


def test_a_web_address_dates_a_page_whose_text_has_no_date() -> None:
    url = "https://www.regeringen.se/pressmeddelanden/2023/03/civilminister-besoker-kalmar/"
    text = "Civilministern besöker Kalmar kommun för samtal om läget i kommunen."
    choice = find_date("Civilministern besöker Kalmar", text, today=TODAY, url=url)
    assert choice is not None and choice.value == "2023-03"
    pdf = "https://www.exempel.se/upphandling/avropsvagledning-2021-2025-11-21.pdf"
    assert find_date("Vägledning", "Avrop enligt ramavtalet.", today=TODAY, url=pdf).value == (
        "2025-11-21"
    )


def test_an_anchored_date_in_the_text_beats_the_address_and_a_local_path_says_nothing() -> None:
    url = "https://kommun.se/protokoll/2024/01/ks-protokoll/"
    choice = find_date("", "Sammanträdesdatum 2023-12-14\nKommunstyrelsen", today=TODAY, url=url)
    assert choice is not None and choice.value == "2023-12-14"
    assert find_date("", "Ingen datering här.", today=TODAY, url="/data/2023/03/fil.pdf") is None
