"""Lead texts (kb.lead_text): the first real sentences of a document, never page furniture or
half a sentence carried over from a previous page; stored summaries that are such get replaced."""

from __future__ import annotations

from kb.lead_text import good_lead, lead_text
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

MENU_PAGE = (
    "Hoppa till innehåll\nMeny\nSök\nStartsida > Kommun och politik\nDigitaliseringsstrategi\n"
    "Uddevalla kommun har antagit en ny strategi för digitalisering. Den gäller 2022–2025."
)
LETTERHEAD = (
    "Sida 1 av 12\nDnr KS 2021/123\n2021-05-04\n"
    "om e-arkivet och därför beslutade nämnden. Kommunstyrelsen beslutar att införa e-arkiv i "
    "alla förvaltningar under 2023. Arbetet leds av arkivarien."
)
CONTENTS = (
    "Innehållsförteckning\n1. Inledning .......... 3\n2. Bakgrund .......... 4\nInledning\n"
    "Denna plan beskriver hur kommunen ska arbeta med informationssäkerhet de kommande åren."
)


def test_the_lead_skips_menus_letterheads_and_contents() -> None:
    assert lead_text(MENU_PAGE).startswith("Uddevalla kommun har antagit")
    assert lead_text(LETTERHEAD).startswith("Kommunstyrelsen beslutar")  # not "om e-arkivet ..."
    assert lead_text(CONTENTS).startswith("Denna plan beskriver")


def test_a_paragraph_wrapped_over_lines_is_read_from_its_first_sentence() -> None:
    # A PDF wraps a paragraph into lines; the sentence that wraps onto a line starting with a
    # name ("Vårgårda.") is not where the lead begins.
    wrapped = (
        "Förstudie om e-arkiv\nSammanfattning\n"
        "Förstudien har undersökt förutsättningarna för ett gemensamt e-arkiv för de åtta\n"
        "medlemskommunerna Borås, Bollebygd, Herrljunga, Mark, Tranemo, Ulricehamn och\n"
        "Vårgårda. Slutsatsen är att ett gemensamt e-arkiv är både möjligt och fördelaktigt\n"
        "jämfört med att varje kommun bygger en egen lösning.\n"
    )
    assert lead_text(wrapped).startswith("Förstudien har undersökt")
    # A heading of six words or more before a new paragraph is still no lead.
    headed = "Handlingsplan för e-arkiv i Uddevalla kommun\nKommunen inför e-arkiv i alla nämnder."
    assert lead_text(headed) == "Kommunen inför e-arkiv i alla nämnder."


def test_the_lead_is_whole_sentences_within_the_limit() -> None:
    text = "Kommunen inför e-arkiv i alla förvaltningar. " * 20
    lead = lead_text(text, 120)
    assert len(lead) <= 120 and lead.endswith(".")
    assert lead_text("Kort text utan punkt") == "Kort text utan punkt"  # nothing better: as is


def test_an_authors_summary_stands_and_a_cut_one_does_not() -> None:
    assert good_lead("Läs om kommunens arbete med e-arkiv")
    assert not good_lead("och därför beslutade nämnden att")
    assert not good_lead("Hoppa till innehåll Meny Sök")


def test_a_hit_without_matching_words_shows_the_lead(kb: KnowledgeBase) -> None:
    doc = make_document(
        "https://example.se/strategi", "Digitaliseringsstrategi", MENU_PAGE, summary=""
    )
    add_documents(kb, [doc])
    hit = kb.search(SearchRequest()).hits[0]
    assert hit.snippet.startswith("Uddevalla kommun har antagit")
    assert "Hoppa till" not in hit.snippet
