"""What lifts a match without filtering: the officer's home region, a query naming the
publisher, an adjective's other forms, and words that stand together (proximity).
"""

from __future__ import annotations

import pytest

from kb.errors import ValidationError
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document


def test_home_region_ranks_its_documents_higher_without_filtering(kb: KnowledgeBase) -> None:
    text = "Kommunen inför en e-tjänst för bygglov."
    add_documents(
        kb,
        [
            make_document("https://a.se/gbg", "Bygglov i Göteborg", text, municipalities=("1480",)),
            make_document(
                "https://a.se/udd", "Bygglov i Uddevalla", text, municipalities=("1485",)
            ),
        ],
    )
    plain = [h.title for h in kb.search(SearchRequest(q="bygglov")).hits]
    for region, first in (
        ("goteborgsregionen", "Bygglov i Göteborg"),
        ("fyrbodal", "Bygglov i Uddevalla"),
    ):
        ranked = kb.search(SearchRequest(q="bygglov", home_region=region))
        assert ranked.total == 2 and ranked.hits[0].title == first
    assert sorted(plain) == ["Bygglov i Göteborg", "Bygglov i Uddevalla"]
    with pytest.raises(ValidationError, match="hemregion"):
        kb.search(SearchRequest(q="bygglov", home_region="atlantis"))


def test_a_query_that_names_the_publisher_finds_its_pages(kb: KnowledgeBase) -> None:
    from dataclasses import replace

    from kb.document import Tag

    def published(doc, name: str, org: str):  # type: ignore[no-untyped-def]
        return replace(doc, publisher=name, publisher_org=Tag(org, "auto"))

    add_documents(
        kb,
        [
            published(
                make_document("https://rh.se/lankar", "Länkar", "Skriv tydliga länktexter."),
                "Region Halland",
                "region:halland",
            ),
            published(
                make_document("https://kb.se/lankar", "Länkar", "Länktexter ska vara tydliga."),
                "Kungsbacka kommun",
                "kommun:1384",
            ),
            make_document("https://x.se/lankar", "Länkar", "Om länktexter i Halland."),
        ],
    )
    # "Halland" names Region Halland: its page matches although the text never says Halland.
    named = kb.search(SearchRequest(q="halland länktexter"))
    full = [h.url for h in named.hits if not h.partial]
    assert sorted(full) == ["https://rh.se/lankar", "https://x.se/lankar"]
    # Kungsbacka's page holds only "länktexter": a partial match, below both.
    assert [h.url for h in named.hits[2:]] == ["https://kb.se/lankar"] and named.hits[2].partial
    # A generic word of a name names nobody: "kommun" does not find Kungsbacka kommun's page.
    generic = kb.search(SearchRequest(q="kommun länktexter"))
    assert generic.partial_total == generic.total  # every hit lacks "kommun"


def test_an_adjective_finds_its_other_forms(kb: KnowledgeBase) -> None:
    # öppen/öppna and säker/säkra are stemmed apart (öppna and säkra are verbs too).
    add_documents(
        kb,
        [
            make_document("https://a.se/oppen", "Licens", "Materialet har en öppen licens."),
            make_document("https://a.se/oppna", "Licenser", "Vi väljer öppna licenser."),
            make_document("https://a.se/saker", "Inloggning", "En säker inloggning krävs."),
            make_document("https://a.se/saken", "Beslut", "Saken är avgjord av nämnden."),
        ],
    )
    for query in ("öppen licens", "öppna licenser"):
        found = kb.search(SearchRequest(q=query))
        assert sorted(h.url for h in found.hits if not h.partial) == [
            "https://a.se/oppen",
            "https://a.se/oppna",
        ], query
    assert [h.url for h in kb.search(SearchRequest(q="säkra")).hits] == ["https://a.se/saker"]
    assert "<mark>" in kb.search(SearchRequest(q="säkra")).hits[0].snippet
    # A verb and a noun that look alike are not joined: "sakna" does not find "saken".
    assert kb.search(SearchRequest(q="sakna")).total == 0


def test_words_joined_by_a_stop_word_rank_higher_together(kb: KnowledgeBase) -> None:
    filler = " ".join(["Nämnden behandlade budgeten och lokalerna."] * 4)
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/far",
                "Protokoll",
                f"En strategi antogs, strategin gäller. {filler} Digitalisering, digitalisering.",
            ),
            make_document(
                "https://a.se/near",
                "Protokoll",
                f"En strategi för digitalisering antogs. {filler} Inget mer om saken.",
            ),
        ],
    )
    # The far page says both words twice; the near one wins on proximity.
    result = kb.search(SearchRequest(q="strategi för digitalisering"))
    assert [h.url for h in result.hits] == ["https://a.se/near", "https://a.se/far"]


def test_the_other_form_of_an_adjective_counts_for_proximity(kb: KnowledgeBase) -> None:
    filler = " ".join(["Nämnden behandlade budgeten och lokalerna."] * 4)
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/far",
                "Material",
                f"Öppna frågor, öppna svar. {filler} Licenser, licenser.",
            ),
            make_document(
                "https://a.se/near", "Material", f"Bilderna har en öppen licens. {filler} Slut."
            ),
        ],
    )
    # "öppen licens" is "öppna licenser" in the singular: it stands together, so it ranks first.
    result = kb.search(SearchRequest(q="öppna licenser"))
    assert [h.url for h in result.hits] == ["https://a.se/near", "https://a.se/far"]


def test_words_the_thesaurus_widens_keep_their_proximity(kb: KnowledgeBase) -> None:
    filler = " ".join(["Nämnden behandlade budgeten och lokalerna."] * 4)
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/far",
                "Rapport",
                f"Öppna frågor, öppna svar i kommunen. {filler} Data, data och data.",
            ),
            make_document(
                "https://a.se/near", "Rapport", f"Kommunen publicerar öppna data. {filler} Slut."
            ),
        ],
    )
    # "öppna data" is a thesaurus entry (open data): the typed words still count as a pair.
    result = kb.search(SearchRequest(q="öppna data kommunen"))
    assert "open data" in result.expanded
    assert [h.url for h in result.hits] == ["https://a.se/near", "https://a.se/far"]
