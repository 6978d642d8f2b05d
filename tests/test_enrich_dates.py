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


@pytest.mark.parametrize(
    "text",
    [
        "Under 2010-talet växte e-tjänsterna snabbt i kommunerna.",
        "Arkivet har vuxit sedan 1990-talets början.",
        "Reformerna på 1990- och 2000-talen lade grunden.",
        "Since the 1990s, councils have digitised their archives.",
        "Datorerna kom in i skolan på 80-talet.",
    ],
)
def test_a_decade_is_not_a_year(text: str) -> None:
    assert value(text) is None


def test_an_anchored_day_before_1990_is_a_date_but_an_old_bare_year_is_not() -> None:
    directive = "Departement: Arbetsdepartementet\nBeslut: 1987-10-08\nDir 1987:42 (ur texten)"
    assert value(directive) == "1987-10-08"
    assert value("Beslut vid regeringssammanträde den 8 oktober 1987.") == "1987-10-08"
    statute = "Tryckfrihetsförordning\nUtfärdad: 1949-04-05\nIkraft: 1950-01-01"
    assert value(statute) == "1949-04-05"
    # Unanchored old dates and old bare years stay history, not the document's date.
    assert value("Föreningen bildades den 3 maj 1965 i Skövde.") is None
    assert value("Kommunen har arkiverat digitalt sedan 1987.") is None


def test_a_series_designation_names_the_documents_year() -> None:
    text = "Sammanfattning\nUtredaren föreslår en ny lag om e-arkiv."
    assert value(text, title="Spelreglerna på arbetsmarknaden, Dir. 1987:42") == "1987"
    cover = "Statens offentliga utredningar\nSOU 2023:12\nEtt starkare e-arkiv\n\n" + text
    assert value(cover) == "2023"
    assert value("Ds 2019:1\nDigital förvaltning\n") == "2019"


def test_a_designation_takes_an_anchored_date_of_its_year_and_ignores_other_years() -> None:
    # An SOU carries its directive as an appendix: decided years before the report.
    report = (
        "SOU 2023:12\nEtt starkare e-arkiv\n\nBetänkande av E-arkivutredningen\n"
        + "Utredningen föreslår en ny lag om e-arkiv.\n" * 20
        + "Bilaga 1\nKommittédirektiv Dir. 2021:15\nBeslut vid regeringssammanträde den "
        "25 mars 2021\n"
    )
    assert value(report, meta=("2022-12-01",)) == "2023"
    directive = "Dir. 1994:103\nBeslut vid regeringssammanträde den 15 september 1994\n"
    assert value(directive) == "1994-09-15"


def test_a_cited_designation_a_statute_and_a_riksmote_give_no_year() -> None:
    # Cited in a sentence, a statute (SFS) and a proposition's riksmöte (1994/95: autumn 1994
    # or spring 1995; the government's signing date decides) say nothing on their own.
    assert value("Definitionen följer SOU 2009:86 om öppna standarder.") is None
    assert value("SFS 2018:218\nLag med kompletterande bestämmelser") is None
    assert value("Prop. 1994/95:72\nOmprövning av avregleringen") is None
    assert value("Kort text.", title="Yttrande över betänkandet (SOU 2023:12)") is None
    prop = (
        "Regeringens proposition\n1994/95:72\nStockholm den 27 oktober 1994\n"
        "Avregleringen skjuts upp så att alla beslut kan meddelas före den 1 januari 1995.\n"
    )
    assert value(prop) == "1994-10-27"


def test_a_page_is_dated_by_its_publication_not_its_revision() -> None:
    page = "Ny lag om bokföring\n\nPublicerad 01 januari 1999 · Uppdaterad 02 april 2015\n"
    assert value(page) == "1999-01-01"
    # "Senast uppdaterad" is a revision, not a deadline ("senast"): it dates a page that only
    # says that, ahead of a loose year in its text.
    revised = "E-tjänster i Skövde\nSenast uppdaterad: 12 mars 2024\n\nPlanen gäller sedan 2019."
    assert value(revised) == "2024-03-12"


def test_a_deadline_before_a_date_is_not_the_date() -> None:
    text = "Kommunstyrelsen\nBeslut ska fattas före den 1 januari 2025.\nDatum: 2024-10-01"
    assert value(text) == "2024-10-01"


def test_an_abbreviated_month_after_a_version_dates_a_cover() -> None:
    cover = "Guide\nÖppna upp upphandlingsdata\nv.1.2 - Okt 2020\n\nDen här guiden är för dig."
    assert value(cover, meta=("2021-01-22T10:00:00",)) == "2020-10"
    assert value("Meetup 3 nov 2020\nDataportalen") == "2020-11-03"
    # A bare "jul" is Christmas, not July.
    assert value("Julbord jul 2020 i Skövde.") == "2020"
