"""Municipality and region tagging (ingest.enrich_places) against the real taxonomy."""

from __future__ import annotations

import pytest

from ingest.enrich.rules import rules_for
from ingest.enrich.salience import Places, find_places
from kb.taxonomy.model import Taxonomy


def places(text: str, title: str = "", url: str | None = None) -> Places:
    return find_places(title, text, url, rules_for(Taxonomy.load()).gazetteer)


def codes(text: str, title: str = "", url: str | None = None) -> list[str]:
    """Every municipality the text refers to, whether it concerns or only mentions it."""
    found = places(text, title, url)
    return sorted({t.value for t in found.municipalities + found.mentions})


def regions(text: str, title: str = "", url: str | None = None) -> list[str]:
    return sorted(t.value for t in places(text, title, url).regions)


def test_a_municipality_is_tagged_by_its_scb_code_with_evidence() -> None:
    found = places("Uddevalla kommun har beslutat att införa e-arkiv. Uddevalla leder.")
    tags = found.municipalities + found.mentions
    assert [t.value for t in tags] == ["1485"]
    assert tags[0].source == "auto"
    assert "Uddevalla kommun ×1" in tags[0].evidence and "Uddevalla ×1" in tags[0].evidence


@pytest.mark.parametrize(
    "text",
    [
        "Det kan vara bra att informera fastighetsägarna i tid.",
        "Fiberkabeln förläggs i mark på minst 0,35 meters djup.",
        "Mark och exploatering ansvarar för markanvisningar.",
        "Boden vid stranden har byggts om till ett servicehus.",
        "- Vara ett första stöd för kollegor som behöver hjälp.",
        "Anders Lund (V) reserverar sig mot beslutet.",
        "Vi besökte Ales stenar vid Kåseberga.",
        "Jonas Berg från förvaltningen presenterade förslaget.",
    ],
)
def test_names_used_as_ordinary_words_are_not_municipalities(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Vara kommun antar en ny bredbandsstrategi.", "1470"),
        ("VARA KOMMUN\nKommunfullmäktige", "1470"),
        ("Antalet personer över 80 år i Mark väntas öka.", "1463"),
        ("Marks kommuns nattpatrull kör långa sträckor.", "1463"),
        ("Hon flyttade från Boden till Luleå.", "2582"),
        ("Invånare och företagare i Ale ska kunna göra ärenden digitalt.", "1440"),
        ("Nämnden för Götene, Lidköping, Vara, Grästorp och Essunga.", "1470"),
        ("Medlemmarna Bollebygd, Borås, Herrljunga, Mark och Svenljunga.", "1463"),
    ],
)
def test_ambiguous_names_count_with_context(text: str, code: str) -> None:
    assert code in codes(text)


def test_a_firm_mention_lets_bare_ambiguous_names_add_to_the_score() -> None:
    only_firm = places("Lunds kommun har en ny vägledning.").concerns[0]
    with_bare = places("Lunds kommun har en ny vägledning. Kontakt: Kommunkontoret, Lund.")
    assert with_bare.concerns[0].value == "1281"
    assert with_bare.concerns[0].score > only_firm.score


@pytest.mark.parametrize(
    "text",
    [
        "Forskare vid Stockholms universitet och Lunds universitet har gjort studien.",
        "I samarbete med forskare vid Högskolan i Borås.",
        "Strategin antogs av Region Jönköpings län.",
        "Tillgången är lägst i Norrbottens, Jämtlands och Gotlands län.",
    ],
)
def test_names_inside_other_organisations_names_are_no_concern(text: str) -> None:
    found = places(text)
    assert found.municipalities == ()
    assert all("namn på annan organisation" in t.evidence for t in found.mentions)


@pytest.mark.parametrize(
    ("text", "code", "not_code"),
    [
        ("Upplands Väsby kommun inför digitala sammanträden.", "0114", "0139"),
        ("Dals-Eds kommun samarbetar med Bengtsfors.", "1438", None),
        ("Lilla Edets kommun inför e-förslag.", "1462", None),
        ("Avtalet med Norrköping förlängs.", "0581", "1983"),
        ("Habo kommun bygger ut nätet.", "0643", "0305"),
        ("Håbo kommun inför riktlinjer för AI.", "0305", "0643"),
    ],
)
def test_the_longest_and_exact_name_wins(text: str, code: str, not_code: str | None) -> None:
    found = codes(text)
    assert code in found
    assert not_code not in found


def test_regional_names_are_regions_not_their_namesake_municipality() -> None:
    text = "Göteborgsregionen och Jönköpings län samverkar. GR:s kansli samordnar."
    assert codes(text) == []
    assert regions(text) == ["goteborgsregionen", "jonkopings-lan"]


def test_names_typed_without_diacritics_are_recognised() -> None:
    assert codes("Samarbete mellan Goteborg och Skovde.") == ["1480", "1496"]


def test_lower_case_names_are_not_names() -> None:
    assert codes("uddevalla kommun och borås stad") == []


def test_the_url_host_names_the_publisher() -> None:
    tags = places("Handlingsplan för e-tjänster.", url="https://www.uddevalla.se/a/plan.pdf")
    assert [t.value for t in tags.municipalities] == ["1485"]
    assert "webbplats www.uddevalla.se" in tags.municipalities[0].evidence
    assert regions("Rapport.", url="https://www.fyrbodal.se/rapport.pdf") == ["fyrbodal"]


def test_a_host_two_names_share_proves_nothing() -> None:
    # Håbo and Habo both fold to "habo": the host cannot tell them apart.
    assert codes("Riktlinjer.", url="https://www.habo.se/riktlinjer.pdf") == []
    assert codes("Riktlinjer.", url="https://www.example.com/riktlinjer.pdf") == []


def test_a_region_is_inferred_when_nearly_all_members_are_named() -> None:
    text = (
        "Mätningen omfattade Essunga, Falköping, Grästorp, Gullspång, Hjo, Karlsborg, Lidköping, "
        "Mariestad, Skara kommun, Skövde, Tibro, Tidaholm, Töreboda, Vara och Götene."
    )
    assert len(codes(text)) == 15
    tag = places(text).regions[0]
    assert tag.value == "skaraborg"
    assert "15 av 15 medlemskommuner nämns" in tag.evidence
    assert places(text).municipalities == ()  # a list of names: each is only mentioned
    assert regions("Protokoll för Götene, Lidköping och Essunga.") == []


def test_the_central_municipality_scores_highest() -> None:
    tags = places(
        "Skövde kommun har antagit en strategi. Skövde satsar på e-tjänster och Skövde "
        "samverkar med andra. Liknande arbete pågår i Malmö.",
        title="Digitaliseringsstrategi för Skövde kommun",
    )
    assert [t.value for t in tags.municipalities] == ["1496"]
    assert [t.value for t in tags.mentions] == ["1280"]
    assert tags.municipalities[0].score > 2 * tags.mentions[0].score
    assert "i rubriken" in tags.municipalities[0].evidence


def test_empty_text_gives_no_places() -> None:
    assert places("") == Places((), (), ())


def concern_codes(text: str, title: str = "") -> list[str]:
    return [t.value for t in places(text, title).concerns]


@pytest.mark.parametrize(
    "text",
    [
        "Kommunstyrelsen i Vara beslutade att införa en e-tjänst för bygglov.",
        "Vara kommun inför e-tjänster för bygglov. Det kan vara bra för företagen.",
        "Socialnämnden i Vara följer upp arbetet med digitala trygghetslarm.",
    ],
)
def test_a_brief_notice_is_about_the_one_municipality_it_names_as_an_organisation(
    text: str,
) -> None:
    assert concern_codes(text) == ["1470"]


def test_a_brief_text_with_an_example_municipality_further_down_is_not_about_it() -> None:
    words = " ".join(["Öppna data ska publiceras i maskinläsbara format."] * 20)
    text = f"{words} Örebro kommun hade däremot valt att ha dem kvar."
    assert concern_codes(text) == []
    assert "1880" in codes(text)


def test_a_brief_text_naming_two_municipalities_concerns_neither_from_brevity() -> None:
    assert concern_codes("Vara kommun och Skara kommun samarbetar om e-arkiv.") == []


def test_a_long_text_is_not_about_a_municipality_named_once() -> None:
    words = " ".join(["Digitaliseringen ställer krav på ledningen och verksamheten."] * 60)
    assert concern_codes(f"Vara kommun berättar. {words}") == []
