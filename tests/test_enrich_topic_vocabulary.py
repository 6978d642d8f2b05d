"""Focus areas from vocabulary real documents use: information governance items in minutes,
cyber threats, and generic words that must not outweigh what a document is about."""

from __future__ import annotations

from ingest.enrich.compose import enrich
from kb.taxonomy.model import Taxonomy

FILLER = "\n\n".join(
    f"| {n}. | Ärende {n} om detaljplan för kvarteret Eken {n} | Nämnden godkänner "
    "redovisningen och överlämnar den till kommunfullmäktige för beslut. |"
    for n in range(2, 30)
)


def areas(title: str, text: str) -> list[str]:
    result = enrich(title, text, taxonomy=Taxonomy.load())
    return [t.value for t in result.focus_areas]


def test_an_information_governance_item_in_long_minutes_tags_digital_leadership() -> None:
    item = (
        "| 1. | Klassificeringsstruktur för nämnden, föredragande arkivarie | Nämnden antar "
        "klassificeringsstruktur version 2. Klassificeringsstruktur version 1, antagen "
        "tillsammans med dokumenthanteringsplan 2021, upphör därmed att gälla. |"
    )
    text = f"KALLELSE\n\nNämnden för kultur och fritid\n\n{item}\n\n{FILLER}\n"
    assert len(text) > 3000
    assert "digitalt-ledarskap" in areas("Kallelse nämnden för kultur och fritid", text)


def test_cyber_threats_tag_digital_security() -> None:
    text = (
        "Regeringen ger myndigheten i uppdrag att stärka skyddet mot cyberhot. Cyberattacker "
        "och cyberangrepp mot kommuner har ökat, och kommunerna behöver stöd i cyberfrågor."
    )
    assert areas("Uppdrag om skydd mot cyberhot", text)[:1] == ["digital-trygghet"]


def test_generic_words_do_not_outweigh_what_a_guide_is_about() -> None:
    text = (
        "Den här guiden visar hur en kommun kan publicera sina inköp som öppna data. Öppna data "
        "gör det möjligt för andra att bygga nya tjänster, och öppen källkod gör verktygen fria. "
        "Innan publicering prövas sekretess för varje fält, och personer ska kunna lita på att "
        "deras integritet skyddas. Publicera öppna data regelbundet och öppna data om avtal."
    )
    assert areas("Guide: öppna inköpsdata", text) == ["digital-innovation"]


def test_a_phrase_keyword_matches_with_a_compound_as_its_last_word() -> None:
    text = (
        "Kommunen publicerar öppna upphandlingsdata varje månad. Öppna inköpsdata och öppen data "
        "om leverantörer gör det lättare att granska hur skattepengar används."
    )
    assert areas("Därför publicerar vi inköpen", text) == ["digital-innovation"]


def test_a_teaser_for_another_article_does_not_tag_this_one() -> None:
    story = "\n\n".join(
        f"Ekonomienheten berättar om vecka {n}: fakturorna bokförs nu av kollegorna på kvällen, "
        "och handläggarna har fått mer tid till samtal med leverantörer och revisorer."
        for n in range(1, 25)
    )
    text = f"{story}\n\nLäs också: 8 tips för en bättre digital arbetsmiljö\n"
    assert len(text) > 3000
    assert "digital-kompetens" not in areas("Ekonomienhetens nya vardag", text)


def test_a_web_editors_handbook_is_digital_competence() -> None:
    text = (
        "Följ riktlinjerna i webbhandboken när du skriver för webben. Bilder ska alltid ha "
        "alternativtexter som beskriver vad bilden föreställer, så att den som använder "
        "skärmläsare får samma information. Som webbredaktör ansvarar du för att sidan går att "
        "hitta: sökmotoroptimering börjar med en rubrik som beskriver vad sidan handlar om."
    )
    assert areas("Bilder på webben", text) == ["digital-kompetens"]


def test_earkiv_and_digital_preservation_are_digital_infrastructure() -> None:
    text = (
        "Myndighetens eArkiv bygger på standarder för digitalt bevarande. eArkivet tar emot "
        "paket från verksamhetssystemen, och det digitala bevarandet följer OAIS."
    )
    assert areas("Fjärde generationens metadatamodell för eArkiv", text) == [
        "digital-infrastruktur"
    ]


def test_information_management_and_digital_first_are_digital_leadership() -> None:
    text = (
        "Framtidens informationshantering kräver att organisationen styr informationen genom "
        "hela dess livscykel. Tänk digitalt först när verksamheten utvecklas."
    )
    assert areas("Framtidens informationshantering", text) == ["digitalt-ledarskap"]


def test_a_software_robot_is_digital_innovation() -> None:
    text = (
        "Roboten tar hand om bokföringen av leverantörsfakturor på natten. Robotar som den här "
        "tar fram underlag, och ekonomerna granskar det som roboten inte klarar. Med roboten "
        "har handläggarna fått mer tid för analys och för samtal med verksamheterna."
    )
    assert areas("Roboten fixar bokföringen", text) == ["digital-innovation"]


def test_e_identification_and_pki_are_digital_security() -> None:
    text = (
        "Inloggning i systemen sker med SITHS-kort eller Freja eID. Avropet gäller förvaltning "
        "av den nationella PKI-tjänsten och utfärdande av certifikat för SITHS."
    )
    assert areas("Inloggningsmetoder", text) == ["digital-trygghet"]


def test_the_vocabulary_of_the_open_data_law_is_digital_innovation() -> None:
    text = (
        "Kommunen beskriver sina datamängder och anmäler dem till Sveriges dataportal, så att "
        "företag och forskare kan vidareutnyttja informationen. Vidareutnyttjandet är avgiftsfritt."
    )
    assert areas("Så tillgängliggör vi våra data", text) == ["digital-innovation"]


def test_connectivity_and_operations_are_digital_infrastructure() -> None:
    text = (
        "De nya larmen kommunicerar via mobilnät i stället för det gamla kopparnätet. Brukaren "
        "behöver ingen egen uppkoppling, och larmen tas emot i kommunens driftmiljö, där "
        "servrarna står i en serverhall med reservkraft."
    )
    assert areas("Nya larm i hemtjänsten", text) == ["digital-infrastruktur"]


def test_it_strategy_and_digital_questions_are_digital_leadership() -> None:
    text = (
        "Kommunens IT-strategi ersätts av en strategi för digitala frågor. Strategin anger hur "
        "verksamhetsarkitekturen styrs och hur IT-politiken följs upp."
    )
    assert areas("Strategi för digitala frågor", text) == ["digitalt-ledarskap"]
