"""The publisher a reader would name, on small documents written here: who decides, who is
quoted, who writes as "we", a municipal board's own text, a letterhead, a stated publisher."""

from __future__ import annotations

import pytest

from ingest.enrich.compose import Enrichment, enrich
from kb.taxonomy.model import Taxonomy


def run(title: str, text: str, url: str | None = None) -> Enrichment:
    return enrich(title, text, url=url, taxonomy=Taxonomy.load())


def publisher(result: Enrichment) -> str:
    return result.publisher.value if result.publisher is not None else ""


GOVERNMENT_ASSIGNMENT = """Uppdrag till PTS att kartlägga mobiltäckningen längs järnvägen

Regeringen ger Post- och telestyrelsen (PTS) i uppdrag att kartlägga mobiltäckningen längs
de större järnvägarna och föreslå åtgärder.

PTS ska samråda med Trafikverket och Sveriges Kommuner och Regioner.

PTS ska redovisa uppdraget till Regeringskansliet (Finansdepartementet) senast den 1 mars 2026.
"""


def test_a_government_assignment_is_published_by_the_government_not_the_agency() -> None:
    result = run("Uppdrag till PTS att kartlägga mobiltäckningen", GOVERNMENT_ASSIGNMENT)
    assert publisher(result) == "org:regeringskansliet"
    assert any(e.startswith("beslutar:") for e in result.publisher.evidence)  # type: ignore[union-attr]


def test_an_agency_told_it_has_an_assignment_is_not_the_publisher() -> None:
    text = (
        "Uppdrag att flytta delar av Bolagsverket till Sundsvall\n\n"
        "Bolagsverket har fått i uppdrag av regeringen att flytta delar av verksamheten. "
        "Regeringen beslutar samtidigt om ett tillägg i myndighetens instruktion."
    )
    assert publisher(run("Uppdrag att flytta delar av Bolagsverket", text)) == (
        "org:regeringskansliet"
    )


def test_a_press_release_that_quotes_a_minister_is_the_governments() -> None:
    text = (
        "Nytt stöd till digitala vårdmöten\n\n"
        "Fler kommuner ska kunna erbjuda digitala vårdmöten i hemtjänsten. Stödet fördelas av "
        "Socialstyrelsen under året.\n\n"
        "– Det här gör vardagen enklare för många äldre, säger socialminister Jakob Forssmed."
    )
    result = run("Nytt stöd till digitala vårdmöten", text)
    assert publisher(result) == "org:regeringskansliet"


def test_a_quoted_municipal_official_does_not_make_the_article_the_municipalitys() -> None:
    text = (
        "Så minskade sjukfrånvaron\n\n"
        "Personalen har fått mer inflytande över schemat och sjukfrånvaron har minskat. "
        "– Vi ser tydliga resultat, säger Kungsbacka kommuns personaldirektör Eva Ek."
    )
    assert publisher(run("Så minskade sjukfrånvaron", text)) != "kommun:1384"


def test_a_project_that_writes_as_we_is_the_publisher() -> None:
    text = (
        "Öppna inköpsdata\n\nAtt publicera leverantörsreskontra sparar tid för alla. "
        "Inom projektet Open Up! har vi tagit fram en mall för publicering som kommuner "
        "kan använda fritt."
    )
    assert publisher(run("Öppna inköpsdata", text)) == "org:okfse"


def test_a_board_proposal_naming_its_municipality_once_is_the_municipalitys() -> None:
    text = (
        "Intern kontrollplan 2026\n\nFörslag till beslut\n\nBarn- och utbildningsnämnden "
        "beslutar att anta intern kontrollplan för 2026.\n\nBeskrivning av ärendet\n\n"
        "Varje nämnd ska följa upp den interna kontrollen. Planen lämnas till kommunstyrelsen "
        "senast i februari, enligt Policy för intern kontroll, Varbergs kommun.\n\n"
        "Beslutet påverkar inte förvaltningens ekonomi."
    )
    result = run("Intern kontrollplan 2026", text)
    assert publisher(result) == "kommun:1383"


def test_a_letterhead_for_the_municipalitys_own_tariff_names_it() -> None:
    text = (
        "Taxa för Linköpings kommuns allmänna vatten- och avloppsanläggning\n"
        "Antagen av kommunfullmäktige 2026-04-28\n\n§ 1 Avgifter tas ut för anslutning."
    )
    assert publisher(run("VA-taxa", text)) == "kommun:0580"


def test_an_agency_report_names_its_publisher_after_utgiven_av() -> None:
    text = (
        "Vägledning för e-arkiv i kommuner\n\nUtgiven av Riksarkivet, 2024\n\n"
        "Regeringen gav 2022 myndigheten i uppdrag att stödja kommunerna. Skatteverket och "
        "Sveriges Kommuner och Regioner har lämnat synpunkter."
    )
    assert publisher(run("Vägledning för e-arkiv i kommuner", text)) == "org:riksarkivet"


def test_a_web_page_is_published_by_the_site_it_came_from() -> None:
    text = "Bygglov\n\nHär ansöker du om bygglov. Läs mer hos Boverket om vilka regler som gäller."
    result = run("Bygglov", text, url="https://www.kungsbacka.se/bygga-bo/bygglov")
    assert publisher(result) == "kommun:1384"


def test_a_visit_by_two_ministers_is_the_governments_news() -> None:
    text = (
        "Två ministrar besöker Umeå\n\n"
        "Under besöket på ett bokföringsföretag kommer socialministern och civilministern "
        "diskutera hur AI kan användas i äldreomsorgen. Media är välkomna att närvara."
    )
    assert publisher(run("Två ministrar besöker Umeå", text)) == "org:regeringskansliet"


def test_slides_made_on_an_agencys_template_are_the_agencys() -> None:
    text = (
        "Öppen källkod för digitalt bevarande\nAnna Ek\nNOSAD 2021-12-07\n\nVad är öppen källkod?"
    )
    result = enrich(
        "Öppen källkod för digitalt bevarande",
        text,
        taxonomy=Taxonomy.load(),
        metadata={"title": "Skatteverkets mall för presentationer"},
    )
    assert publisher(result) == "org:skatteverket"


def test_the_organisation_after_the_closing_thanks_is_the_speakers() -> None:
    text = "Standarder för e-arkiv\nKarin Ek, metadatastrateg\n\n" + "Punkt om standarder.\n" * 90
    text += "\nTack!\n\nSYDARKIVERA"
    assert publisher(run("Standarder för e-arkiv", text)) == "org:sydarkivera"


def test_a_university_letterhead_names_the_university() -> None:
    text = (
        "Förutsättningar för datadelning genom öppna ekosystem\n"
        "Professor Anna Berg, Ph.D.\nSoftware Systems Research Group\nHögskolan i Skövde\n"
        "anna.berg@his.se\nFörord\nDenna rapport presenterar ett perspektiv på datadelning."
    )
    result = run("Förutsättningar för datadelning genom öppna ekosystem", text)
    assert publisher(result) == "org:his"
    assert result.publisher_name == "Högskolan i Skövde"


def test_the_speakers_address_on_the_closing_slide_names_the_organisation() -> None:
    text = (
        "Framtidens informationshantering\nDigitalisering kan inte väljas bort\n\n"
        "Informationens livscykel\n\nTillämpningar\n\n"
        "Kontakt\nKarin Ek\nEpost karin.ek(@)skr.se\nTel. 08-452 70 00"
    )
    assert publisher(run("Framtidens informationshantering", text)) == "org:skr"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "Öppna data för godstransporter",
            "Öppna data för ett hållbart godstransportsystem\n"
            "• Vilken roll har ett datalabb för datadelning\n"
            "Johanna Lind (Luleå tekniska universitet)\n"
            "• Avslutande paneldiskussion",
            id="affiliation-in-parentheses",
        ),
        pytest.param(
            "Leverantörsreskontra som öppna data",
            "Leverantörsreskontra som öppna data\n\nKlara enligt specifikation och publicerat:\n"
            "● DIGG - egen lösning för utdrag\n● Södertälje - automatisk export\n"
            "● Umeå - egen lösning för utdrag\n",
            id="item-of-a-list",
        ),
    ],
)
def test_a_name_near_the_top_that_is_not_the_sender_names_no_publisher(
    title: str, text: str
) -> None:
    """A speaker's affiliation in parentheses or one item of a bulleted list is no letterhead."""
    assert publisher(run(title, text)) == ""


def test_a_quoted_official_speaking_for_her_agency_is_not_the_writer() -> None:
    text = (
        "När digitala möten görs mer tillgängliga fungerar de bättre för alla.\n\n"
        "– Även hos oss på Myndigheten för delaktighet har de anställda flyttat hem kontoret, "
        "säger Eva Lind.\n\n– Vi har tagit fram en checklista, säger hon."
    )
    assert publisher(run("Digitala möten som fungerar för alla", text)) == ""
