"""Publisher cues of the 2026-12-07 pass, on small documents written here: a short name the
document defines for its issuer, the contact point for questions, a speaker's affiliation in the
title of a summary."""

from __future__ import annotations

from ingest.enrich.compose import Enrichment, enrich
from ingest.enrich.organisations import Mention, with_defined_names
from ingest.enrich.rules import rules_for
from ingest.enrich.site_evidence import contact_us
from kb.taxonomy.model import Taxonomy


def run(title: str, text: str) -> Enrichment:
    return enrich(title, text, taxonomy=Taxonomy.load())


def publisher(result: Enrichment) -> str:
    return result.publisher.value if result.publisher is not None else ""


# A call-off guide for a framework agreement: the issuer is named once, with the short name the
# rest of the guide uses, and the contact for questions is its own address.
CALL_OFF_GUIDE = """Ramavtal för tolktjänster 2024
Diarienummer 23-4567

Innehåll
1 Inledning ........................................ 3
2 Avrop ............................................ 4

1 Inledning
Detta dokument beskriver hur myndigheter gör avrop från ramavtalet. Vid frågor kontakta
Kammarkollegiet (nedan Inköpscentralen) via e-post inkopscentralen@kammarkollegiet.se eller
telefon 08-700 08 00.

Inköpscentralen har genomfört upphandlingen för statliga myndigheters räkning. Ramavtalet
gäller från den 1 april 2024 till den 31 mars 2026.

2 Avrop
Avrop görs genom förnyad konkurrensutsättning. Leverantörerna ska varje kvartal redovisa
sina avrop till Inköpscentralen. Om en leverantör inte uppfyller sina åtaganden ska
myndigheten kontakta Inköpscentralen och informera oss om detta.
"""


def test_a_short_name_the_document_defines_counts_as_the_organisation() -> None:
    registry = rules_for(Taxonomy.load()).organisations
    mentions = with_defined_names(CALL_OFF_GUIDE, registry.scan(CALL_OFF_GUIDE))
    uses = [m for m in mentions if m.text.startswith("Inköpscentralen")]
    assert len(uses) == 3  # after the definition, never the definition itself
    assert {m.org for m in uses} == {"org:kammarkollegiet"}


def test_a_short_name_is_only_defined_right_after_the_name() -> None:
    text = "Kammarkollegiet upphandlar. Byrån (nedan Byrån) svarar. Byrån svarar igen."
    mentions = [Mention("org:kammarkollegiet", 0, 15, "Kammarkollegiet")]
    assert with_defined_names(text, mentions) == mentions


def test_the_contact_for_questions_about_a_guide_is_its_issuer() -> None:
    registry = rules_for(Taxonomy.load()).organisations
    found = list(contact_us(CALL_OFF_GUIDE, registry))
    assert [f.org for f in found] == ["org:kammarkollegiet"]
    result = run("Avropsvägledning", CALL_OFF_GUIDE)
    assert publisher(result) == "org:kammarkollegiet"


def test_a_person_named_for_questions_gives_their_organisation() -> None:
    text = (
        "Webbinarium om e-arkiv\n\nVälkommen till ett webbinarium om e-arkiv den 4 mars.\n\n"
        "Har du frågor, kontakta Karin Berg, karin.berg@esamverka.se."
    )
    registry = rules_for(Taxonomy.load()).organisations
    assert [f.org for f in contact_us(text, registry)] == ["org:esam"]


def test_an_address_mentioned_without_the_cue_is_not_a_contact() -> None:
    text = "Frågor om deklarationen besvaras av Skatteverket, skatteverket@skatteverket.se."
    registry = rules_for(Taxonomy.load()).organisations
    assert list(contact_us(text, registry)) == []


def test_the_speakers_organisation_in_a_summarys_title_is_not_its_publisher() -> None:
    title = "Sammanfattning från seminariet 12/3 Anna Ek (Skatteverket)"
    text = (
        f"{title}\n\n"
        "Anna Ek, utvecklare på Skatteverket, berättade om hur myndigheten publicerar öppna "
        "data om skattesatser. Hon visade hur datamängderna beskrivs och hur de används av "
        "kommuner och företag. Efter presentationen diskuterade deltagarna i grupper hur fler "
        "myndigheter kan göra detsamma och vilka hinder som finns i dag.\n\n"
        "Flera grupper lyfte att det saknas tid och att juridiken upplevs som svår. Andra "
        "menade att en gemensam specifikation gör arbetet enklare, eftersom alla då beskriver "
        "sina data på samma sätt. Gruppen som arbetat med licenser föreslog att nätverket tar "
        "fram ett stöd för vilken licens som passar vilka data, och att det delas på wikin "
        "tillsammans med presentationen och inspelningen från dagen."
    )
    assert publisher(run(title, text)) != "org:skatteverket"


def test_a_name_with_its_acronym_is_one_mention() -> None:
    body = (
        "Utgiven av {name}\n\nRapporten beskriver hur kommuner kan återanvända "
        "gemensamma byggblock. {name} har intervjuat tolv kommuner under våren.\n"
    )
    plain = run("Byggblock i kommunerna", body.format(name="Myndigheten för digital förvaltning"))
    both = run(
        "Byggblock i kommunerna", body.format(name="Myndigheten för digital förvaltning (Digg)")
    )
    assert publisher(plain) == publisher(both) == "org:digg"
    assert both.publisher.score == plain.publisher.score  # type: ignore[union-attr]


# A supplier's slides: the first slide after the title is a chart of savings per customer.
SUPPLIER_SLIDES = """Leverantörsfakturor som öppna data
Slutseminarium
12 maj 2023

Nyttoanalys
Uppsala kommun – ca 1,2 mnkr
Västerås stad – ca 0,8 mnkr
Färre frågor från allmänheten om vilka leverantörer kommunen anlitar.

Så gör vi
Inventera datamängder, välj kolumner enligt specifikationen och maskera personuppgifter
innan filen publiceras i datakatalogen. Publicera varje månad och följ upp hur filerna används.
"""


def test_a_name_before_a_figure_is_a_table_row_not_a_letterhead() -> None:
    result = run("Leverantörsfakturor som öppna data", SUPPLIER_SLIDES)
    assert publisher(result) not in ("kommun:0380", "kommun:1980")


def test_a_letterhead_with_a_date_is_still_a_letterhead() -> None:
    text = "Uppsala kommun 2023-05-12\nKommunstyrelsen\n\n" + SUPPLIER_SLIDES.split("\n\n", 1)[1]
    assert publisher(run("Nyttoanalys", text)) == "kommun:0380"


def test_the_networks_english_name_is_a_form_of_it() -> None:
    registry = rules_for(Taxonomy.load()).organisations
    found = registry.scan("NOSAD – Network Open Source and Data")
    assert {m.org for m in found} == {"org:nosad"}


# A network's wiki page summarising one talk of a webinar: the speaker's agency opens the lines.
TALK_SUMMARY = """Sammanfattning från webbinariet 3/5 | Karin Berg (Skatteverket)

Karin Berg, utvecklare på Skatteverket, inledde med att beskriva myndighetens arbete med öppna data.
Skatteverket publicerar i dag tolv datamängder, bland annat om skattesatser per kommun.
Skatteverket ser ett stort intresse från företag som bygger tjänster på datan.
Hon avslutade med att visa hur myndighetens API dokumenteras och hur frågor från användare tas
om hand i ett öppet forum, där andra myndigheter också kan delta och dela sina erfarenheter.
"""


def test_a_summary_of_a_talk_is_not_published_by_the_speakers_organisation() -> None:
    result = run("Skatteverkets arbete med öppna data", TALK_SUMMARY)
    assert publisher(result) != "org:skatteverket"


def test_a_summary_of_a_report_keeps_its_publisher() -> None:
    text = TALK_SUMMARY.replace(
        "Sammanfattning från webbinariet 3/5 | Karin Berg (Skatteverket)",
        "Skatteverket\nSammanfattning av rapporten Öppna data 2024",
    )
    assert publisher(run("Öppna data 2024", text)) == "org:skatteverket"


# A consultant's report for an agency: the contact slide, then an appendix listing whom they met.
REPORT_WITH_APPENDIX = (
    "Omvärldsanalys öppna data 2024\nleverans till uppdragsgivaren 2024-02-01\n\n"
    + "Spaningar i omvärlden. Fler organisationer publicerar data via API:er och "
    "samarbetar kring gemensamma specifikationer. Behovet av stöd är stort.\n\n"
    * 12
    + "Tack!\nKarin Berg\nkarin.berg@skr.se\n070-123 45 67\n\n"
    "BILAGA 1 GENOMFÖRDA INTERVJUER\n\n"
    "Skatteverket\nhttps://www.skatteverket.se/oppnadata\n"
    "Lantmäteriet\nhttps://www.lantmateriet.se/oppnadata\n"
    "Bolagsverket\nhttps://www.bolagsverket.se/\n"
    "Vinnova\nhttps://www.vinnova.se/\n"
)


def test_the_signature_stands_before_the_appendix() -> None:
    result = run("Omvärldsanalys öppna data 2024", REPORT_WITH_APPENDIX)
    assert publisher(result) == "org:skr"
    assert any(e.startswith("kontakt:") for e in result.publisher.evidence)  # type: ignore[union-attr]


def test_an_appendixs_list_is_no_signature() -> None:
    text = REPORT_WITH_APPENDIX.replace("Tack!\nKarin Berg\nkarin.berg@skr.se\n", "")
    assert publisher(run("Omvärldsanalys öppna data 2024", text)) not in (
        "org:skatteverket", "org:lantmateriet", "org:bolagsverket", "org:vinnova",
    )  # fmt: skip


def test_a_municipality_written_without_the_genitive_s_is_named() -> None:
    registry = rules_for(Taxonomy.load()).organisations
    for text, org in (
        ("Vilka projekt Helsingborg stad jobbar med", "kommun:1283"),
        ("Göteborg stad har beslutat", "kommun:1480"),
        ("Lund kommun inför e-tjänster", "kommun:1281"),
    ):
        assert [m.org for m in registry.scan(text)] == [org], text
    assert registry.scan("Borå stad") == []  # "Borås Stad" has no genitive to drop


def test_an_appendix_named_under_a_paragraph_is_no_end_of_the_body() -> None:
    # Minutes of a network: "Bilaga 2" belongs to § 4, and the contact stands after § 5.
    text = (
        "Minnesanteckningar nätverksträff e-arkiv\n\n"
        + "Deltagarna gick igenom läget i respektive organisation och delade erfarenheter.\n" * 10
        + "§ 4 Remiss om gemensam specifikation\nBilaga 2 Yttrande över remissen\n\n"
        "§ 5 Nästa möte\nNästa träff hålls digitalt i september.\n\n"
        "Kontakt\nKarin Berg\nkarin.berg@skr.se\n"
    )
    result = run("Minnesanteckningar nätverksträff e-arkiv", text)
    assert publisher(result) == "org:skr"


def test_a_sentence_about_an_appendix_is_no_heading() -> None:
    sentence = REPORT_WITH_APPENDIX.replace(
        "BILAGA 1 GENOMFÖRDA INTERVJUER", "Bilaga 1 visar vilka som intervjuades."
    )
    without = REPORT_WITH_APPENDIX.replace("BILAGA 1 GENOMFÖRDA INTERVJUER", "")
    title = "Omvärldsanalys öppna data 2024"
    assert run(title, sentence).publisher == run(title, without).publisher
