"""Snippets read only what they need: a term deep in a long document, case and å/ä/ö variants."""

from __future__ import annotations

import zlib

from kb.analysis.analyzer import index_terms, query_terms, tokenize_with_offsets
from kb.search.request import SearchRequest
from kb.search.snippets import PAGE_BREAK, snippet_from_compressed
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

FILLER = "Nämnden behandlade ärenden om budget och lokaler under året. " * 40


def _snippet(pages: list[str], query: str, summary: str = "") -> tuple[str, int | None]:
    blob = zlib.compress(PAGE_BREAK.join(pages).encode("utf-8"))
    terms = [t for w in query.split() for t in query_terms(w)]
    numbers = list(range(1, len(pages) + 1))
    snip = snippet_from_compressed(
        blob, numbers, terms, tokenize_with_offsets, index_terms, fallback=summary
    )
    return snip.html, snip.page


def test_a_term_deep_in_a_long_document_is_found_with_its_page() -> None:
    pages = [FILLER] * 60 + [FILLER + " Vi inför VÄLFÄRDSTEKNIK i hemtjänsten. " + FILLER]
    html, page = _snippet(pages, "välfärdsteknik")
    assert "<mark>VÄLFÄRDSTEKNIK</mark>" in html
    assert page == 61
    assert html.startswith("… ") and html.endswith(" …")


def test_the_passage_with_most_query_words_wins_and_text_is_escaped() -> None:
    text = (
        FILLER
        + "E-tjänsten nämns här. "
        + FILLER
        + "Vår <e-tjänst> för bygglov & andra lov ansöks digitalt. "
        + FILLER
    )
    html, _ = _snippet([text], "e-tjänst bygglov")
    assert "&lt;<mark>e-tjänst</mark>&gt; för <mark>bygglov</mark> &amp; andra" in html


def test_words_typed_without_diacritics_and_capitals_are_marked() -> None:
    html, _ = _snippet(
        [FILLER + " Informationssäkerhet är viktigt. " + FILLER], "INFORMATIONSSAKERHET"
    )
    assert "<mark>Informationssäkerhet</mark>" in html


def test_no_match_shows_the_summary_or_the_start() -> None:
    html, page = _snippet([FILLER], "bredband", summary="Kort <sammanfattning>.")
    assert html == "Kort &lt;sammanfattning&gt;." and page is None
    start, _ = _snippet([FILLER], "bredband")
    assert start.startswith("Nämnden behandlade") and start.endswith(" …")


def test_search_hits_mark_compound_parts_found_apart(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/bredband",
                "Landsbygden",
                FILLER + "Utbyggnad av bredband till alla hushåll pågår. " + FILLER,
            )
        ],
    )
    hit = kb.search(SearchRequest(q="bredbandsutbyggnad")).hits[0]
    assert "<mark>Utbyggnad</mark> av <mark>bredband</mark>" in hit.snippet
