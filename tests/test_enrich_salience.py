"""Publisher, concerns and mentions, and the title, on small real-world-shaped documents."""

from __future__ import annotations

from ingest.enrich.compose import Enrichment, enrich
from ingest.enrich.titles import choose_title
from kb.taxonomy.model import Taxonomy

MINUTES = """KALLELSE/UNDERRÄTTELSE

Upprättad 2024-02-09

Nämnden för teknik
Sammanträde torsdagen den 22 februari 2024 kl. 15.00

Anna Berg
Lerums kommun
Förvaltningen för teknik 443 80 Lerum
Besöksadress: Stationsvägen 1

Ärenden
1. Val av justerare
2. Remiss: Göteborgs Stads översiktsplan
3. Bredbandstaxa 2025
4. Rapport från kommunalförbundets nätverksmöte i Borås

Lerum den 9 februari 2024
Lerums kommun
"""

NATIONAL_REPORT = """Uppföljning av e-tjänsteplattformar 2023
Utgiven av Myndigheten för digital förvaltning (Digg)

Sammanfattning
Digg har följt upp hur kommunerna använder den gemensamma plattformen. I Mölndals stad har
plattformen ersatt fyra äldre system.

Tabell 2. Anslutna kommuner
Kommun          Anslutningsår
Ale             2021
Alingsås        2021
Härryda         2022
Kungsbacka      2022
Lerum           2022
Partille        2023
Tjörn           2023

Digg, 103 33 Stockholm
"""


def run(title: str, text: str) -> Enrichment:
    return enrich(title, text, taxonomy=Taxonomy.load())


def values(tags: tuple) -> list[str]:  # type: ignore[type-arg]
    return sorted(t.value for t in tags)


def test_minutes_concern_their_municipality_and_only_mention_the_rest() -> None:
    result = run("KALLELSE/UNDERRÄTTELSE", MINUTES)
    assert values(result.concerns) == ["1441"]  # Lerum, from its letterhead
    assert result.publisher is not None and result.publisher.value == "kommun:1441"
    assert result.publisher_name == "Lerums kommun"
    assert set(values(result.mentions)) == {"1480", "1490"}  # Göteborg and Borås in passing


def test_dateline_and_postal_address_are_no_evidence_of_concern() -> None:
    text = "Rapporten beskriver nationella e-tjänster.\n\nStockholm den 3 mars 2021\n\n"
    text += "Riksarkivet, Box 12541, 102 29 Stockholm"
    result = run("Rapport om e-arkiv", text)
    assert result.concerns == ()
    assert "0180" in values(result.mentions)
    assert result.publisher is not None and result.publisher.value == "org:riksarkivet"


def test_a_national_report_with_a_table_of_municipalities_concerns_none_of_them() -> None:
    result = run("Uppföljning av e-tjänsteplattformar 2023", NATIONAL_REPORT)
    assert result.publisher is not None and result.publisher.value == "org:digg"
    assert result.concerns == ()
    assert {"1489", "1401", "1384", "1481"} <= set(values(result.mentions))


def test_courts_schools_and_persons_named_after_a_place_concern_nothing() -> None:
    text = (
        "Mark- och miljödomstolen vid Vänersborgs tingsrätt prövade ärendet. Forskare vid "
        "Högskolan i Skövde deltog. Anders Lund (V) reserverade sig."
    )
    result = run("Yttrande", text)
    assert result.concerns == ()
    assert "1463" not in values(result.mentions)  # "Mark-" is part of the court's name


def test_a_municipality_in_the_title_and_named_as_organisation_is_a_concern() -> None:
    text = "Civilministern besökte Öckerö kommun för att tala om digitalisering i skärgården."
    result = run("Civilministern besöker Göteborg och Öckerö", text)
    assert "1407" in values(result.concerns)
    assert result.publisher is not None and result.publisher.value == "org:regeringskansliet"


def test_the_visible_heading_beats_boilerplate_titles() -> None:
    assert choose_title("RPA_rapport_slutversion_v2", "Rapport om RPA i ekonomi\n\nText") == (
        "Rapport om RPA i ekonomi"
    )
    assert choose_title("KUNGSBACKA KOMMUN SAMMANTRÄDESPROTOKOLL", "") == (
        "Kungsbacka kommun sammanträdesprotokoll"
    )
    assert choose_title("[Sammanfattning av workshop 2", "") == "Sammanfattning av workshop 2"
    assert choose_title("KALLELSE/UNDERRÄTTELSE", MINUTES) == (
        "Kallelse/underrättelse – Nämnden för teknik"
    )


AGENDA_WITH_AGREEMENT = """KUNGSBACKA KOMMUN
Kommunstyrelsen

| 12. | Godkännande av säkerhetsskyddsavtal | 2025-00150 | Kommunstyrelsen godkänner \
säkerhetsskyddsavtal mellan kommunen och Länsstyrelsen i Hallands län, Varbergs kommun, \
Falkenbergs kommun, Halmstads kommun, Hylte kommun samt Laholms kommun. |
| 13. | Svar på remiss från Mölndals stad om dagvatten | 2025-00786 | Kommunstyrelsen antar \
yttrandet. |
"""

PARTY_NAMES = [
    "Ale",
    "Alingsås",
    "Alvesta",
    "Aneby",
    "Arboga",
    "Arjeplog",
    "Arvidsjaur",
    "Arvika",
    "Askersund",
    "Avesta",
    "Bengtsfors",
    "Berg",
    "Bjurholm",
    "Bjuv",
    "Boden",
    "Bollebygd",
]
FRAMEWORK_PARTIES = "Avropsberättigade parter i ramavtalet är: " + ", ".join(
    f"{name} kommun" for name in PARTY_NAMES
)


def test_the_parties_to_an_agreement_in_minutes_are_concerns_though_they_stand_in_a_list() -> None:
    result = run("Kallelse Kommunstyrelsen", AGENDA_WITH_AGREEMENT)
    assert {"1384", "1383", "1382", "1380", "1315", "1381"} <= set(values(result.concerns))
    assert "1481" in values(result.mentions)  # a remiss from Mölndal is not about Mölndal
    assert any("part i avtal" in e for t in result.concerns for e in t.evidence)


def test_a_catalogue_of_parties_to_a_framework_agreement_stays_mentions() -> None:
    result = run("Avropsberättigade parter", FRAMEWORK_PARTIES)
    assert result.concerns == ()
    assert len(result.mentions) >= 14


def test_a_municipal_memo_naming_one_municipality_is_its_own_document() -> None:
    text = (
        "Tjänsteskrivelse\n\nBarn- och utbildningsnämnden\n\nIntern kontrollplan 2025\n\n"
        "Nämnden ska varje år anta en plan för intern kontroll. Planen lämnas till "
        "kommunstyrelsen senast i februari så att kontrollerna kan samordnas.\n\n"
        "Förvaltningen föreslår att nämnden antar planen.\n\nFalkenbergs kommun\n"
    )
    result = run("Intern kontrollplan 2025", text)
    assert values(result.concerns) == ["1382"]
    result = run("Intern kontrollplan 2025", text.replace("Falkenbergs kommun\n", ""))
    assert result.concerns == ()
