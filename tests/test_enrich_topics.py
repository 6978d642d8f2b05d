"""Focus-area tagging (ingest.enrich_topics) and the keyword matching under it (enrich_words)."""

from __future__ import annotations

import pytest

from ingest.enrich.rules import rules_for
from ingest.enrich.topics import MAX_AREAS
from ingest.enrich.words import KeywordMatcher, compound_weight, tokenize
from kb.document import Tag
from kb.taxonomy.model import Taxonomy


def tags(text: str, title: str = "") -> tuple[Tag, ...]:
    return rules_for(Taxonomy.load()).topics.tags(title, text)


def areas(text: str, title: str = "") -> list[str]:
    return [t.value for t in tags(text, title)]


@pytest.mark.parametrize(
    ("token", "keyword", "weight"),
    [
        ("e-tjänsterna", "e-tjänst", 1.0),  # inflection
        ("bredbandsstrategin", "strategi", 1.0),  # compound head, inflected
        ("it-incident", "incident", 1.0),  # hyphenated compound
        ("informationssäkerhetsarbetet", "informationssäkerhet", 0.75),  # first part
        ("personuppgiftsincident", "personuppgifter", 0.75),  # plural keyword, singular stem
        ("planering", "plan", 0.0),  # short keywords match whole words only
        ("strategiska", "strategi", 0.0),  # not an inflection, not a compound
    ],
)
def test_keywords_match_swedish_inflections_and_compounds(
    token: str, keyword: str, weight: float
) -> None:
    assert compound_weight(token, keyword) == weight


def test_acronyms_match_only_in_capitals() -> None:
    matcher = KeywordMatcher(["AI", "MSB"])
    hits = matcher.hits(tokenize("AI-baserad tjänst, MSB:s föreskrifter; ai och Msb räknas inte."))
    assert [h.keyword for h in hits] == ["AI", "MSB"]


@pytest.mark.parametrize(
    ("token", "keyword", "weight"),
    [
        ("e-fakturorna", "e-faktura", 1.0),  # an -a word's plural
        ("säkerhetschecklistor", "checklista", 1.0),  # ... as a compound's head
        ("e-hälsomyndigheten", "e-hälsa", 0.0),  # an agency's name, not e-health
    ],
)
def test_focus_keywords_ending_in_a_match_their_plurals(
    token: str, keyword: str, weight: float
) -> None:
    assert compound_weight(token, keyword, a_plurals=True) == weight
    # Document types are named in the singular: an article about "checklistor" is no checklist.
    assert compound_weight("checklistor", "checklista") == 0.0


def test_a_footnote_number_glued_to_a_word_does_not_hide_it() -> None:
    # PDF text glues footnote references to the word: "interoperabilitet21", "standarder12".
    matcher = KeywordMatcher(["interoperabilitet", "öppna standarder", "5G", "NIS2"])
    hits = matcher.hits(tokenize("Interoperabilitet21 kräver öppna standarder12, 5G och NIS2."))
    assert [h.keyword for h in hits] == ["interoperabilitet", "öppna standarder", "5G", "NIS2"]


def test_a_phrase_keyword_matches_inflected_words_and_a_compound_head() -> None:
    matcher = KeywordMatcher(["digital tillsyn", "digital kompetens"])
    hits = matcher.hits(tokenize("Digital nattillsyn kräver digitala kompetenser."))
    assert [h.keyword for h in hits] == ["digital tillsyn", "digital kompetens"]


def test_a_security_text_is_tagged_digital_trygghet_with_its_evidence() -> None:
    found = tags(
        "Informationssäkerhetsarbetet ska stärkas. Incidenter rapporteras till MSB och "
        "MSB:s föreskrifter följs. Personuppgiftsincidenter anmäls enligt GDPR."
    )
    assert [t.value for t in found] == ["digital-trygghet"]
    assert found[0].evidence[0] == "MSB ×2"
    assert "GDPR ×1" in found[0].evidence
    assert found[0].score > 0 and found[0].source == "auto"


def test_guidance_is_not_management() -> None:
    # "vägledning" and "handledning" contain "ledning" but are not digital ledning.
    text = "Vägledningen ger vägledning. Handledning ges till handledare enligt vägledningarna."
    assert "digitalt-ledarskap" not in areas(text, "Vägledning för medarbetare")


def test_cables_are_not_management() -> None:
    text = "Ledningar i mark kräver avtal. Ledningsägaren ansvarar för ledningsdragningen."
    assert areas(text) == []


def test_a_text_about_nothing_digital_gets_no_focus_area() -> None:
    text = (
        "Kommunfullmäktige beviljar föreningsbidrag till idrottsföreningar och väljer "
        "ersättare i socialnämnden. Motionen om utegym remitteras."
    )
    assert areas(text) == []


def test_at_most_two_areas_and_the_second_must_be_strong_enough() -> None:
    text = (
        "Bredbandsutbyggnaden fortsätter med fiber och stadsnät. Bredband i hela kommunen. "
        "E-tjänsterna blir fler och en e-tjänst för bygglov lanseras med automatisering. "
        "Medarbetarna får utbildning. MSB har gett råd."
    )
    found = areas(text, "Bredband och e-tjänster")
    # kompetens (utbildning) and trygghet (MSB) have one mention each: below the bar.
    assert found == ["digital-infrastruktur", "digital-innovation"]
    assert len(found) <= MAX_AREAS


def test_one_passing_mention_in_a_long_text_is_not_enough() -> None:
    filler = "Kommunen redovisar ekonomin och verksamhetens resultat för året. " * 60
    assert areas(filler + "Även informationssäkerhet nämns.") == []
    assert areas("Informationssäkerhet och dataskydd. " * 3 + filler) == ["digital-trygghet"]


def test_title_words_weigh_more() -> None:
    body = "Arbetet beskrivs nedan. Innovation nämns en gång."
    assert areas(body) == []
    assert areas(body, title="Innovation i välfärden") == ["digital-innovation"]


def test_a_brief_notice_is_tagged_from_one_specific_keyword() -> None:
    # A press notice of a few sentences says each thing once.
    notice = (
        "Civilministern besöker länsstyrelsen för att diskutera aktuella frågor och utvecklingen "
        "i länet. Även frågor om AI står på agendan. Civilministern möter också representanter "
        "för kommunerna i länet. Vid medieförfrågningar, kontakta presskontakten."
    )
    assert areas(notice, "Civilministern besöker länsstyrelsen") == ["digital-innovation"]
    # The same sentence in a long report is a passing mention.
    filler = "Kommunen redovisar ekonomin och verksamhetens resultat för året. " * 45
    assert areas(filler + notice) == []


def test_steering_digitalisation_is_digital_leadership() -> None:
    notice = (
        "Strategiska prioriteringar för digitaliseringspolitiken och hur regionen leder "
        "digitaliseringen av sin verksamhet är i fokus för besöket."
    )
    assert areas(notice, "Civilministern besöker regionen") == ["digitalt-ledarskap"]


def test_a_word_names_one_area_the_longest_keyword_wins() -> None:
    # "digitaliseringscoacher" is competence; its first part is not *digitalisering*.
    text = (
        "Digitaliseringscoacherna hjälper kollegor i vardagen. En digitaliseringscoach finns på "
        "varje enhet, och digitaliseringscoacher utbildas varje termin."
    )
    assert areas(text, "Digitaliseringscoacher i äldreomsorgen") == ["digital-kompetens"]


def test_a_strategy_for_one_subject_belongs_to_that_subject() -> None:
    # Leadership is steering digitalisation itself; "strategi" alone does not add it.
    text = (
        "Förslaget till strategi beskriver hur de digitala klyftorna kan minska. Strategin "
        "riktar sig till dem som står utanför, och digitala klyftor mäts varje år."
    )
    title = "Förslag till strategi för att minska de digitala klyftorna"
    assert areas(text, title) == ["digital-kompetens"]


def test_a_second_area_needs_specific_words_of_its_own() -> None:
    # Generic words (sekretess, integritet) support an area; one "dataskydd" beside them does
    # not make a guide to open data a security document.
    text = (
        "Guiden visar hur kommunen publicerar öppna data om sina inköp. Öppna data gör det "
        "möjligt att granska avtal, och datamängden beskrivs för Sveriges dataportal. Innan "
        "publicering prövas sekretess för varje fält, sekretess för leverantörer och "
        "sekretess för personer, och dataskydd gäller som vanligt. "
    ) + "Leverantörsreskontran exporteras varje månad och granskas av ekonomienheten. " * 40
    assert areas(text, "Guide: öppna inköpsdata") == ["digital-innovation"]
    # Two specific security words are the area's own weight.
    more = text + " Informationssäkerheten följer kommunens informationssäkerhetspolicy."
    assert areas(more, "Guide: öppna inköpsdata") == ["digital-innovation", "digital-trygghet"]


def test_in_a_brief_notice_digitalisation_is_what_it_is_about() -> None:
    notice = (
        "Under besöket kommer civilministern att träffa länsstyrelsen för att diskutera aktuella "
        "frågor och utvecklingen i länet. Även frågor om digitalisering och AI står på agendan."
    )
    assert areas(notice, "Civilministern besöker länsstyrelsen") == [
        "digital-innovation",
        "digitalt-ledarskap",
    ]
    # In a long text "digitalisering" once is a passing word and adds no area.
    report = "Kommunen redovisar ekonomin och verksamhetens resultat för året. " * 30
    ai = "AI används i ärendehanteringen, och AI-stödet prövas i fler verksamheter. "
    assert areas(report + ai * 4 + notice) == ["digital-innovation"]


def test_a_word_names_one_area_also_as_a_compounds_head() -> None:
    # "skolplattform" is a competence keyword; its head *plattform* is not infrastructure too.
    text = (
        "Så använder du skolplattformen. I skolplattformen ser du närvaro och omdömen, och "
        "skolplattformens app skickar meddelanden från lärarna."
    )
    assert areas(text, "Guide för vårdnadshavare: skolplattformen") == ["digital-kompetens"]


def test_a_document_nothing_else_reaches_gets_its_area_from_two_specific_words() -> None:
    policy = "Myndigheten utvecklar programvara för sin verksamhet och förvaltar den länge. " * 35
    text = (
        policy + "Programvaran publiceras som öppen källkod. Licens för öppen källkod väljs tidigt."
    )
    assert areas(text, "Policy för utveckling av programvara") == ["digital-innovation"]
    # One specific word, or only generic ones, is still a passing mention.
    once = policy + "Programvaran publiceras som öppen källkod."
    assert areas(once, "Policy för utveckling av programvara") == []
    generic = policy + "Strategin följs upp. Strategin revideras vart tredje år."
    assert areas(generic, "Policy för utveckling av programvara") == []


def test_a_concept_the_strategy_puts_in_two_areas_tags_both_when_it_is_the_subject() -> None:
    # Digg's Ena counts e-legitimation and säker digital kommunikation as shared digital
    # infrastructure; they are digital security too (taxonomy ``also``).
    assignment = (
        "Regeringen ger myndigheten i uppdrag att föreslå hur en statlig e-legitimation kan "
        "utformas. En statlig e-legitimation ska kunna användas av alla som behöver den, och "
        "e-legitimationen ska fungera i offentliga och privata tjänster. Förslaget ska beskriva "
        "hur e-legitimationen ges ut och vilka krav som ställs på den som utfärdar den."
    )
    title = "Uppdrag att föreslå hur en statlig e-legitimation kan utformas"
    assert set(areas(assignment, title)) == {"digital-trygghet", "digital-infrastruktur"}
    sdk = (
        "Kommunerna ansluter till säker digital kommunikation under året. Med säker digital "
        "kommunikation skickas känsliga uppgifter mellan verksamheter, och SDK ersätter fax "
        "och rekommenderade brev."
    )
    assert set(areas(sdk, "Bidrag för anslutning till SDK")) == {
        "digital-infrastruktur",
        "digital-trygghet",
    }
    # A passing mention adds no second area: the second area needs the usual evidence.
    report = "Kommunen redovisar ekonomin och verksamhetens resultat för året. " * 20
    security = (
        "Informationssäkerheten stärks: informationssäkerhetspolicyn revideras, "
        "cybersäkerheten övas och medarbetarna loggar in med e-legitimation. "
    )
    assert areas(report + security * 2) == ["digital-trygghet"]


def test_incident_reporting_about_work_accidents_is_not_digital_security() -> None:
    # "Incident" is work safety's word as much as IT security's: alone it names neither.
    safety = (
        "Koncernen arbetar systematiskt med arbetsmiljön. Incidentrapportering är grunden: "
        "tillbud och arbetsskador rapporteras i systemet, och varje incident följs upp av "
        "skyddsombudet. Incidentrapporteringen ökade med 46 procent och olyckorna minskade. "
    ) + "Medarbetarna har tagit fram nya rutiner för skyddsronder och riskbedömningar. " * 10
    assert areas(safety, "Så fick de säkerhetstänket att genomsyra allt") == []
    # Beside another security word the same incident reporting is digital security.
    it = safety.replace("tillbud och arbetsskador", "IT-incidenter och informationssäkerhet")
    assert areas(it, "Incidentrapportering") == ["digital-trygghet"]


def test_in_a_brief_notice_an_agencys_name_is_who_acts_not_a_subject() -> None:
    notice = (
        "Utredaren föreslår att verksamheten vid centret inordnas i MSB. De lokaler som är "
        "förberedda för centret då PTS flyttar kan behöva disponeras under en övergångsperiod, "
        "och samlokaliseringen med MSB ger synergieffekter."
    )
    assert areas(notice, "Lokalisering av Sveriges IT-incidentcentrum") == ["digital-trygghet"]


def test_a_page_of_a_few_hundred_words_is_brief_too() -> None:
    # A web page or notice of up to BRIEF_WORDS (300) words names its subject once.
    page = (
        "Den här sidan vänder sig till dig som arbetar med ekonomi i en kommun. Här beskriver "
        "vi hur leverantörsreskontran kan publiceras som öppna data. "
        + "Ekonomienheten sammanställer uppgifterna varje månad och granskar dem innan de "
        "lämnas vidare till förvaltningarna för uppföljning och kontroll. " * 11
    )
    assert 200 < len(page.split()) < 300
    assert areas(page, "Publicera leverantörsreskontran") == ["digital-innovation"]
