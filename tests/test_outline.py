"""Headings and lead: what a reader sees first counts for more than a word deep in the text."""

from __future__ import annotations

from kb.index.outline import MAX_HEADINGS, headings, lead
from kb.index.record import index_fields
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

ARTICLE = """Riktlinje för arbetsmiljö

Inledning

Kommunen arbetar med arbetsmiljön på alla arbetsplatser. Detta gäller alla.

Digital arbetsmiljö och stress

Många upplever stress av system som inte fungerar.
• Punktlista som inte är en rubrik
Det här är en lång mening som slutar med punkt.

Meny

Meny
"""


def test_headings_are_short_lines_standing_alone_each_once() -> None:
    found = headings([ARTICLE], title="Riktlinje för arbetsmiljö")
    # The title has its own field; sentences, list items and a run of short lines (the menu at
    # the end) are no headings.
    assert found == ["Inledning", "Digital arbetsmiljö och stress"]


def test_a_menu_or_a_line_glued_to_its_paragraph_is_no_heading() -> None:
    menu = "Start\n\nNyheter\n\nKontakt\n\nVälkommen till vår webbplats om kommunens arbete."
    assert headings([menu]) == ["Kontakt"]
    assert headings(["Vi publicerar data\nsom alla kan använda.\n\nMer text här."]) == []
    # A heading counts once however often it is repeated.
    assert headings(["Mål\n\nText om mål.\n\nMål\n\nMer text om mål."]) == ["Mål"]


def test_headings_are_bounded_so_a_long_report_cannot_win_on_their_number() -> None:
    pages = ["\n\n".join(f"Avsnitt nummer {i}\n\nText i avsnittet." for i in range(200))]
    assert len(headings(pages)) == MAX_HEADINGS


def test_the_lead_is_the_summary_else_the_first_words() -> None:
    assert lead("Kort sammanfattning.", ["Lång text"]) == "Kort sammanfattning."
    words = " ".join(f"ord{i}" for i in range(200))
    assert lead("", [words]).split() == [f"ord{i}" for i in range(60)]


def test_index_record_holds_headings_and_lead() -> None:
    doc = make_document("https://a.se/r", "Riktlinje", ARTICLE, summary="Om arbetsmiljö.")
    fields = index_fields(doc)
    assert "Digital arbetsmiljö och stress" in fields["headings"].split("\n")
    assert fields["lead"] == "Om arbetsmiljö."


def test_a_word_in_a_heading_ranks_above_the_same_word_in_passing(kb: KnowledgeBase) -> None:
    filler = " ".join(["Kommunen redovisar sitt arbete under året."] * 10)
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/passing",
                "Årsredovisning",
                f"Årets arbete\n\n{filler} Vi har också sett över informationssäkerhet. {filler}",
                summary="Kommunens årsredovisning.",
            ),
            make_document(
                "https://a.se/heading",
                "Årsredovisning",
                # A longer body: without the heading's weight this one would rank second.
                f"Årets arbete\n\n{filler}\n\nInformationssäkerhet\n\nVi har sett över den. "
                f"{filler} {filler}",
                summary="Kommunens årsredovisning.",
            ),
        ],
    )
    result = kb.search(SearchRequest(q="informationssäkerhet"))
    assert [h.url for h in result.hits] == ["https://a.se/heading", "https://a.se/passing"]
