"""Focus areas from one digital item in long minutes, without the signature page's words."""

from __future__ import annotations

from ingest.enrich.passages import clean, passages
from ingest.enrich.rules import rules_for
from kb.taxonomy.model import Taxonomy

ITEM = "Kommunen redovisar ekonomin, personalen och verksamhetens resultat för året."
FILLER = "\n\n".join(f"§ {n} Ärende om budget och lokaler. {ITEM} {ITEM}" for n in range(1, 40))
SIGNATURE = """
Justering: Digital justering, 2025-10-10
Signerat av Anna Berg med Mobilt BankID
NAMN UNDERTECKNARE IDENTITET TID E-LEGITIMATION
"""


def areas(title: str, text: str) -> list[str]:
    return [t.value for t in rules_for(Taxonomy.load()).topics.tags(title, text)]


def test_one_digital_item_in_long_minutes_is_found_with_its_passage() -> None:
    text = FILLER + "\n\n§ 41 Ny e-tjänst för bygglov\nNämnden inför en e-tjänst.\n\n" + FILLER
    tags = rules_for(Taxonomy.load()).topics.tags("Protokoll", text)
    assert [t.value for t in tags] == ["digital-innovation"]
    assert any(e.startswith("stycke: § 41 Ny e-tjänst för bygglov") for e in tags[0].evidence)


def test_signature_pages_and_leadership_courses_tag_nothing() -> None:
    text = FILLER + "\n\n§ 40 Kurs i utvecklande ledarskap för chefer.\n" + SIGNATURE
    assert areas("Protokoll", text) == []


def test_passages_end_at_blank_lines_items_and_headings() -> None:
    found = passages("Inledning\nmer text\n\n1. Första ärendet\n2. Andra ärendet\n# Rubrik\nText")
    assert [p.text for p in found] == [
        "Inledning\nmer text",
        "1. Första ärendet",
        "2. Andra ärendet",
        "# Rubrik\nText",
    ]
    assert "BankID" not in clean(SIGNATURE)


def test_a_signing_log_and_a_privacy_notice_tag_no_security() -> None:
    text = (
        FILLER
        + "\n\nf60698219206b0d6ed  11:08:13 CET   E-LEGITIMATION\n\n"
        + "Behandling av personuppgifter\nHantering av kakor\n\n"
        + "Ansökan: personuppgifter i formuläret sparas i två år.\n"
    )
    assert areas("Protokoll", text) == []


def test_a_one_row_data_protection_report_in_a_long_agenda_is_found() -> None:
    text = FILLER + "\n\n| 7. | Årsrapport dataskydd Service 2023 | 2024-00012 |\n\n" + FILLER
    assert areas("Kallelse", text) == ["digital-trygghet"]


def test_the_accessibility_link_in_a_page_footer_tags_nothing() -> None:
    footer = "Kontakt\n\nDigital tillgänglighet Digital tillgänglighet\n\nKakor\n"
    page = "\n\n".join(f"Adhd kan ge svårigheter med uppmärksamhet. {ITEM}" for _ in range(40))
    assert "Digital tillgänglighet" not in clean(page + footer)
    assert areas("Adhd - för vårdpersonal", page + footer) == []


def test_a_company_name_in_a_budget_line_is_not_a_digital_item() -> None:
    budget = "\n\nPrognosen för Kungsbacka Bredbandsnät drift visar ett nollresultat.\n"
    register = "\n\nAvropsberättigad\nHalmstad Stadsnät AB\n556532-6187\n"
    assert areas("Protokoll", FILLER + budget + register + FILLER) == []
    item = "\n\n§ 12 Bredbandsutbyggnad på landsbygden\nNämnden beviljar bidrag till bredband.\n"
    assert areas("Protokoll", FILLER + item + FILLER) == ["digital-infrastruktur"]


def test_a_broadband_grant_from_pts_inside_a_budget_item_is_found() -> None:
    item = (
        "\n\n4. Ombudgetering och resultatfond 2025 Föredragande: ekonomichefen. Nämnden godkänner "
        "begäran om ombudgetering avseende exploateringsprojekt och avseende bidrag för "
        "skolmåltider. Nämnden godkänner också ombudgetering avseende investeringsbidrag från "
        "Post- och telestyrelsen (PTS) för kommunens bredbandsnät med nettobelopp 501 000 kronor.\n"
    )
    assert areas("Kallelse", FILLER + item + FILLER) == ["digital-infrastruktur"]


def test_training_about_a_digital_subject_is_digital_competence() -> None:
    item = "\n\n§ 5 Utbildning om NIS 2 för kommunstyrelsen, 13.00–13.30\n"
    tags = rules_for(Taxonomy.load()).topics.tags("Kallelse", FILLER + item + FILLER)
    assert sorted(t.value for t in tags) == ["digital-kompetens", "digital-trygghet"]
    competence = next(t for t in tags if t.value == "digital-kompetens")
    assert any(e.startswith("stycke: § 5 Utbildning om NIS 2") for e in competence.evidence)
    # Training in anything else is not.
    other = "\n\n§ 5 Utbildning i offentlig upphandling för kommunstyrelsen\n"
    assert areas("Kallelse", FILLER + other + FILLER) == []


def test_a_short_infrastructure_item_in_long_signed_minutes_is_the_only_area() -> None:
    # The item names its subject once; the signature page, BankID and a leadership course
    # around it add nothing.
    item = "\n\n§ 17 Avtal om driftmiljö för kommunens verksamhetssystem\n"
    course = "\n\n§ 18 Kurs i utvecklande ledarskap för enhetschefer.\n"
    tags = rules_for(Taxonomy.load()).topics.tags(
        "Protokoll", FILLER + item + course + FILLER + SIGNATURE
    )
    assert [t.value for t in tags] == ["digital-infrastruktur"]
    assert any(e.startswith("stycke: § 17 Avtal om driftmiljö") for e in tags[0].evidence)


def test_a_sentence_that_points_to_another_web_site_tags_nothing() -> None:
    # A care page's pointer to 1177.se names what that site offers, not what the page is about.
    page = (
        "Vuxna med adhd\n\nMånga vuxna med adhd får stöd av sin vårdcentral. Vårdpersonalen gör "
        "en utredning och ger råd om behandling, arbete och vardag. "
        * 25
        + "\n\nPå 1177.se finns information och e-tjänster för dig som invånare.\n"
    )
    assert areas("Vuxna med adhd", page) == []
    assert "e-tjänster" not in clean("Mer information finns på www.1177.se om e-tjänster.")
    # The same words said about the text's own subject still count.
    news = page + "\n\nRegionen inför nya e-tjänster för bokning. E-tjänsterna öppnar i maj.\n"
    assert areas("Vuxna med adhd", news) == ["digital-innovation"]
