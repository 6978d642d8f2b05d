"""web.place_filters: which words of a query are read as a place whose filter is offered."""

from __future__ import annotations

import pytest

from kb.facets.registry import DEFAULT_FACETS
from kb.search.request import SearchRequest
from kb.taxonomy.model import Taxonomy
from web.place_filters import MAX_COUNTED, place_filters

UDDEVALLA = "1485"


def offers(q: str) -> list[tuple[str, str]]:
    """(place, the offered search's query) for ``q``, every place held by some document."""
    found = place_filters(
        SearchRequest(q=q),
        lambda req: req.q,
        Taxonomy.load(),
        DEFAULT_FACETS,
        lambda facet_id: {UDDEVALLA, "fyrbodal"},
        lambda offered: 1,
    )
    return [(o.name, o.url) for o in found]


@pytest.mark.parametrize(
    ("q", "left"),
    [
        ("e-arkiv uddevalla", "e-arkiv"),
        ('"Uddevalla kommun" e-arkiv', "e-arkiv"),
    ],
)
def test_a_place_searched_as_a_word_offers_its_filter(q: str, left: str) -> None:
    assert offers(q) == [("Uddevalla kommun", left)]


@pytest.mark.parametrize(
    "q",
    [
        "e-arkiv -uddevalla",  # excluded: its filter is the opposite of what was asked
        "e-arkiv NOT uddevalla",
        "bredband OR uddevalla",  # one side of an OR: the filter would drop the other side
        "uddevalla | bredband",
        '"e-arkiv uddevalla"',  # a word of a phrase: "e-arkiv would be left, an open quote
        "(bredband OR fyrbodal)",
    ],
)
def test_a_place_in_the_query_syntax_is_not_offered(q: str) -> None:
    assert offers(q) == []


def test_the_offer_filters_on_the_place_alone_keeping_the_other_filters() -> None:
    # Places already ticked would leave the offered filter no place: municipalities combine as
    # one OR (Trollhättan or Uddevalla: no filter on Uddevalla) and a region, a county and a
    # municipality as an AND (Uddevalla in Boråsregionen: no hits). The topic filter stays.
    req = SearchRequest(
        q="e-arkiv uddevalla",
        filters={
            "focus_area": ("digital-trygghet",),
            "region": ("sjuharad",),
            "municipality": ("1488",),
            "county": ("14",),
        },
    )
    found = place_filters(
        req,
        lambda r: repr(r.filters),
        Taxonomy.load(),
        DEFAULT_FACETS,
        lambda _: {UDDEVALLA},
        lambda offered: 1,
    )
    assert [o.url for o in found] == [
        repr({"focus_area": ("digital-trygghet",), "municipality": (UDDEVALLA,)})
    ]


def test_a_place_whose_filter_finds_nothing_is_not_offered() -> None:
    # "bygglov uddevalla": documents mention Uddevalla, but none tagged with it says bygglov.
    # The next place of the query still gets its turn.
    def count(offered: SearchRequest) -> int:
        return 0 if offered.values("municipality") else 3

    found = place_filters(
        SearchRequest(q="bygglov uddevalla fyrbodal"),
        lambda r: r.q,
        Taxonomy.load(),
        DEFAULT_FACETS,
        lambda _: {UDDEVALLA, "fyrbodal"},
        count,
    )
    assert [(o.name, o.url, o.count) for o in found] == [
        ("Fyrbodals kommunalförbund", "bygglov uddevalla", 3)
    ]


def test_places_are_counted_with_a_bounded_number_of_searches() -> None:
    # A query of many place names whose filters find nothing costs a few searches, not one each.
    searched: list[SearchRequest] = []

    def count(offered: SearchRequest) -> int:
        searched.append(offered)
        return 0

    many = " ".join(["uddevalla", "fyrbodal"] * 5)
    found = place_filters(
        SearchRequest(q=many),
        lambda r: r.q,
        Taxonomy.load(),
        DEFAULT_FACETS,
        lambda _: {UDDEVALLA, "fyrbodal"},
        count,
    )
    assert found == []
    assert 0 < len(searched) <= MAX_COUNTED
