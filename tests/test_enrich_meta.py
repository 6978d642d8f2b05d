"""Document-type classification and language detection (ingest.enrich_meta)."""

from __future__ import annotations

import pytest

from ingest.enrich.meta import detect_language
from ingest.enrich.rules import rules_for
from kb.document import Tag
from kb.taxonomy.model import Taxonomy


def classify(title: str, text: str) -> Tag:
    return rules_for(Taxonomy.load()).types.classify(title, text)


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "",
            "UDDEVALLA KOMMUN\nKommunstyrelsen\nSAMMANTRÄDESPROTOKOLL\n\n§ 112 Dnr KS 2022/418\n"
            "Införande av e-arkiv. Kommunstyrelsen beslutar enligt förslaget.",
            "decision",
        ),
        ("KF 2019-03-25 § 34 Bredbandsstrategi", "Ärendet gäller en ny strategi.", "decision"),
        ("Handlingsplan för informationssäkerhet 2022–2023", "Antagen av kommunstyrelsen.", "plan"),
        ("Bredbandsstrategi för Jönköpings län", "Alla ska ha bredband.", "strategy"),
        ("Vägledning: Digitala sammanträden", "Så deltar du i ett sammanträde.", "guide"),
        ("Informationssäkerhet i vardagen", "Vägledning för medarbetare\n\nLösenord.", "guide"),
        ("Projektplan: Digital besöksguide för Österlen", "Projektmål och tidplan.", "project"),
        ("Slutrapport: Automatisering", "Projektperiod: 2019–2020. Resultat.", "report"),
        ("Förstudie: Gemensam växel", "Nuläge och alternativ.", "report"),
        ("Final report – Cross-border e-health pilot", "Summary of results.", "report"),
        ("Project description: Open Data Platform", "Background and objectives.", "project"),
        ("Inbjudan: Utbildningsdag", "Kommunfullmäktiges ledamöter bjuds in.", "other"),
        ("Minnesanteckningar", "Nätverket träffades. Beslut om nästa möte.", "other"),
        ("Nu kan du signera bygglovsansökan digitalt", "Från i dag kan du signera.", "other"),
    ],
)
def test_document_types(title: str, text: str, expected: str) -> None:
    tag = classify(title, text)
    assert tag.value == expected
    assert tag.source == "auto"


def test_the_type_carries_its_evidence() -> None:
    tag = classify("Protokollsutdrag KF § 34", "Kommunfullmäktige\nSammanträdesdatum 2019-03-25")
    assert tag.value == "decision"
    assert "rubrik: protokollsutdrag" in tag.evidence
    assert "§ i inledningen" in tag.evidence


def test_type_words_deep_in_the_body_do_not_decide() -> None:
    body = (
        "Inledning om arbetet.\n" * 40 + "Beslutet fattades av kommunstyrelsen enligt protokollet."
    )
    assert classify("Om vårt arbete", body).value == "other"


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        (
            "Kommunen har beslutat att införa e-arkiv och det ska vara klart under året. " * 3,
            None,
            "sv",
        ),
        (
            "The city will replace the existing portal with a modern platform for open data. " * 3,
            None,
            "en",
        ),
        ("The city will replace the portal with a platform for all of the data. " * 3, "sv", "en"),
        ("Kort text.", "en", "en"),
        ("Kort text.", None, "sv"),
        ("", None, "sv"),
    ],
)
def test_language(text: str, declared: str | None, expected: str) -> None:
    assert detect_language(text, declared) == expected


def test_text_that_addresses_the_reader_reads_as_guidance() -> None:
    body = (
        "När du skriver en rubrik ska du tänka på vad läsaren letar efter. Använd ord som "
        "dina besökare känner igen, och gör rubriken kort. Om ni har många sidor bör ni "
        "samordna rubrikerna så att de följer samma mönster på hela webbplatsen. "
    ) * 3
    assert classify("Rubriker", body).value == "guide"


def test_a_government_assignment_is_a_decision() -> None:
    text = "Regeringen uppdrar åt Myndigheten för digital förvaltning att föreslå en lösning."
    assert classify("Uppdrag att föreslå en statlig e-legitimation", text).value == "decision"


def test_a_type_word_in_an_articles_first_paragraph_does_not_make_its_type() -> None:
    text = (
        "Kommunen tog fram en handlingsplan för friskare arbetsplatser, och personalen var med "
        "från början. I dag är sjukfrånvaron lägre än på flera år, berättar enhetschefen.\n"
    )
    assert classify("Så blev arbetsplatsen friskare", text).value == "other"


def test_a_paragraph_that_opens_with_the_governments_decision_is_a_decision() -> None:
    text = (
        "Bidrag till införandet av säker digital kommunikation\n\n"
        "Regeringen beviljar Sveriges Kommuner och Regioner 5 000 000 kronor för att stötta "
        "kommunerna när de inför den nya infrastrukturen. Bidraget betalas ut efter rekvisition."
    )
    result = classify("Bidrag till införandet av säker digital kommunikation", text)
    assert result.value == "decision"


def test_a_decision_word_opening_a_late_paragraph_does_not_decide() -> None:
    paragraph = "Kommunen har byggt en ny e-tjänst för bygglov. " * 4
    text = "\n\n".join([paragraph] * 5) + "\n\nBeslut om nästa steg fattades i maj."
    assert classify("Ny e-tjänst för bygglov", text).value != "decision"


def test_a_page_of_instructions_reads_as_guidance() -> None:
    text = (
        "Bilder\n\nBilder ska tillföra information som inte finns i texten. Använd bara bilder "
        "som organisationen har rätt att publicera. Undvik text i bilder, den kan inte läsas "
        "upp av skärmläsare. Skriv en alternativtext som beskriver det bilden visar. Välj "
        "liggande format när bilden ska visas överst på sidan."
    )
    result = rules_for(Taxonomy.load()).types.classify("Bilder", text, content_type="text/html")
    assert result.value == "guide"


def test_a_law_cited_by_paragraph_does_not_make_a_leaflet_minutes() -> None:
    text = (
        "När ditt barn har omhändertagits\n\nOmedelbart omhändertagande sker enligt § 6 LVU "
        "när ett barn behöver skyddas och vården inte kan ges frivilligt. Socialtjänsten tar "
        "samma dag över omvårdnaden om ditt barn, och du får besked om beslutet från "
        "förvaltningsrätten. Du har rätt till ett ombud, och du kan alltid ringa din handläggare."
    )
    assert classify("När ditt barn har omhändertagits", text).value == "guide"


def test_minutes_with_paragraph_headings_are_decisions() -> None:
    text = "Kommunstyrelsen\n\n§ 41 Val av justerare\n\n§ 42 Ny e-tjänst för bygglov"
    assert classify("Sammanträde 2025-03-18", text).value == "decision"


def test_a_feature_article_about_a_plan_is_no_plan() -> None:
    """A story that quotes people tells what happened; "Planen togs fram" is not its kind."""
    text = (
        "Fler hälsoinspiratörer och högre friskvårdsbidrag. Det är två av de saker som regionen "
        "har gjort med stöd av en lokal handlingsplan för friskare arbetsplatser.\n\n"
        "Planen togs fram gemensamt av parterna och klubbades av styrelsen i juni.\n\n"
        "– Det har gått bra, säger HR-strategen Hans Eriksson.\n\n"
        "– Facket deltar i uppföljningen, säger hon."
    )
    assert classify("Uppdrag friskare arbetsplatser – så gjorde regionen", text).value == "other"


def test_a_speakers_role_does_not_make_a_project() -> None:
    text = (
        "I Uppsala har arbetsgivare och fackförbund samarbetat för att ändra kurs.\n"
        "– Det viktigaste har varit att lyssna på medarbetarna, säger projektledare Marie Berg.\n\n"
        "För några år sedan brottades staden med stora problem i socialförvaltningen."
    )
    assert classify("Uppsala bryter trist trend för socialsekreterare", text).value == "other"


def test_the_longest_type_word_wins_across_types() -> None:
    """A project's words ("projektplan", "tidplan") are not a plan's."""
    title, text = "Projektplan för e-arkiv", "Tidplan\n\nProjektet pågår 2024–2025."
    assert classify(title, text).value == "project"
    assert "plan" not in rules_for(Taxonomy.load()).types.scores(title, text)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Samarbete kring öppna data: en fallstudie av två plattformar", "Vi beskriver två fall."),
        ("Benchmarking och rekommendationer för 2020", "Spaningar i omvärlden."),
        ("Lokalisering av IT-incidentcentrum", "Utredaren föreslår att verksamheten flyttas."),
    ],
)
def test_studies_benchmarks_and_inquiries_are_reports(title: str, text: str) -> None:
    assert classify(title, text).value == "report"


def test_dashes_in_a_list_do_not_make_a_plan_an_article() -> None:
    text = (
        "Handlingsplanen beskriver kommunens digitala arbete 2024–2026.\n\n"
        "– Mål 1: fler e-tjänster\n– Mål 2: säkrare drift\n– Mål 3: bättre kompetens"
    )
    assert classify("Digital agenda för kommunen", text).value == "plan"


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # a type word in the plural names what a page collects, not what it is
        (
            "Policys och vägledningar kring öppen programvara",
            "Sammanställning av bärande dokument från andra länder, med länkar.",
            "other",
        ),
        ("Rapporter från e-rådet", "Här finns e-rådets årliga uppföljningar.", "other"),
        ("Kommunernas digitaliseringsstrategier", "En jämförelse av tolv kommuner.", "other"),
        # the singular still names the document
        ("Policy för öppen programvara", "Kommunen väljer öppna licenser.", "strategy"),
    ],
)
def test_a_type_word_in_the_plural_names_what_a_text_collects(
    title: str, text: str, expected: str
) -> None:
    assert classify(title, text).value == expected


def test_a_text_that_says_its_subject_is_a_project_describes_a_project() -> None:
    tag = classify(
        "Digilär",
        "**Sammanfattning** | Digilär, digitalt lärande i Fyrbodal, var ett projekt för "
        "gemensamma lärplattformar i skolorna 2019–2021. Här finns projektets resultat och "
        "filmerna från slutseminariet.",
    )
    assert tag.value == "project"
    assert tag.evidence[0] == "inledning: lärande i Fyrbodal, var ett projekt"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # the project is something else than what the title names
        (
            "Öppen programvara i Exempelby kommun",
            "Kommunens webbplatser bygger på Wordpress. Wordpress är ett öppet "
            "programvaruprojekt som tusentals organisationer bidrar till.",
        ),
        # an article tells the story of a project
        (
            "Digilär lyfte lärarnas samarbete",
            "Digilär var ett projekt för gemensamma lärplattformar. – Vi lärde oss mycket, "
            "säger Anna Berg. – Nu delar vi material, berättar Per Ek, rektor.",
        ),
    ],
)
def test_a_project_named_in_passing_is_no_project_description(title: str, text: str) -> None:
    assert classify(title, text).value != "project"
