"""Matching a compound written out: its parts apart, head first, as a partial match ranked by
its score, and compound queries beside exclusions, misspellings and folded letters.
"""

from __future__ import annotations

import pytest

from kb.document import Document
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document


def test_a_compound_written_out_head_first_is_a_partial_match_too(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document("https://a.se/1", "Plan", "Bredbandsutbyggnaden i kommunen är klar."),
            make_document("https://a.se/2", "Landsbygd", "Utbyggnaden av bredband fortsätter."),
            make_document("https://a.se/3", "Nät", "Bredband finns. Utbyggnaden av vägar dröjer."),
        ],
    )
    result = kb.search(SearchRequest(q="bredbandsutbyggnad"))
    # "utbyggnad av bredband" is how the compound is written out; the other order, words
    # apart, is about something else.
    assert [(h.url, h.partial) for h in result.hits] == [
        ("https://a.se/1", False),
        ("https://a.se/2", True),
    ]
    assert result.hits[1].missing[0].startswith("bredbandsutbyggnad")


def test_a_compound_written_out_ranks_by_its_score_among_the_full_matches(
    kb: KnowledgeBase,
) -> None:
    # A page about "design av tjänster" answers "tjänstedesign" better than a long report that
    # names the word once: it ranks first, still marked as lacking the word as typed.
    filler = " ".join(["Nämnden beslutade om budgeten för lokalerna och vägarna."] * 30)
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/rapport", "Rapport", f"{filler} Tjänstedesign nämns. {filler}"
            ),
            make_document(
                "https://a.se/design",
                "Så arbetar vi",
                "Design av tjänster: vi gör design av tjänster med invånarna, och design av "
                "tjänster börjar i deras behov.",
            ),
            *_unrelated_minutes(6),
        ],
    )
    hits = kb.search(SearchRequest(q="tjänstedesign")).hits
    assert [(h.url, h.partial) for h in hits] == [
        ("https://a.se/design", True),
        ("https://a.se/rapport", False),
    ]


def _unrelated_minutes(count: int) -> list[Document]:
    """Minutes that share no word with the compound queries below: the other documents the two
    server-error regression tests search among."""
    return [
        make_document(f"https://b.se/{i}", f"Protokoll {i}", "Nämnden beslutade om budgeten.")
        for i in range(count)
    ]


def test_excluding_a_compound_beside_a_compound_query_answers(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document("https://a.se/1", "Plan", "Bredbandsutbyggnaden i kommunen är klar."),
            make_document("https://a.se/2", "Nät", "Utbyggnaden av bredband fortsätter."),
            make_document("https://a.se/3", "Bygd", "Utbyggnaden av bredband når bygden i landet."),
            make_document("https://a.se/4", "Landsbygd", "Bredbandsutbyggnad på landsbygden."),
            *_unrelated_minutes(12),
        ],
    )
    # Both words are compounds whose parts can stand apart: the exclusion's own bookkeeping
    # must not meet the query's (this query failed with a server error).
    result = kb.search(SearchRequest(q="bredbandsutbyggnad -landsbygd"))
    assert "https://a.se/4" not in [h.url for h in result.hits]
    assert [h.url for h in result.hits][:1] == ["https://a.se/1"]


def test_a_misspelt_word_beside_a_written_out_compound_answers(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document("https://a.se/1", "Plan", "Bredbandsutbyggnaden i kommunen är klar."),
            make_document("https://a.se/2", "Nät", "Utbyggnad av bredband i kommunen."),
            make_document("https://a.se/3", "Väg", "Kommunen bygger vägar."),
            *_unrelated_minutes(12),
        ],
    )
    # The paraphrase bookkeeping of the query (over its candidates) must not meet the spelling
    # check's evaluation over every document (this query failed with a server error).
    result = kb.search(SearchRequest(q="bredbandsutbyggnad kommunenn"))
    assert [h.url for h in result.hits][:1] == ["https://a.se/1"]


def test_a_compound_typed_without_a_ring_or_dots_ranks_as_typed_with_them(
    kb: KnowledgeBase,
) -> None:
    # "informationssakerhet" is read as informationssäkerhet; its parts written apart (the
    # compound rule) count the same way, so the order does not depend on the keyboard.
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/riktlinje",
                "Riktlinje",
                "Riktlinje för informationssäkerhet i kommunens verksamheter och bolag.",
            ),
            make_document(
                "https://a.se/kampanj",
                "Kampanj",
                "Informationssäkerhet: information om säkerhet, säkerhet i information, "
                "säker information och information om säkerheten på nätet.",
            ),
            *_unrelated_minutes(8),
        ],
    )
    typed = kb.search(SearchRequest(q="informationssäkerhet"))
    folded = kb.search(SearchRequest(q="informationssakerhet"))
    assert [h.url for h in folded.hits] == [h.url for h in typed.hits]
    assert [h.score for h in folded.hits] == pytest.approx([h.score for h in typed.hits])
