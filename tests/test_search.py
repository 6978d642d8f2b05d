"""The one search function: query syntax, facets, sorting, paging, snippets, suggestions."""

from __future__ import annotations

import pytest

from kb.errors import ValidationError
from kb.search import request as request_module
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests import related_support
from tests.conftest import add_documents, make_document

UDDEVALLA, TROLLHATTAN, SKOVDE, VARA, BORAS, GOTEBORG = (
    "1485",
    "1488",
    "1496",
    "1470",
    "1490",
    "1480",
)


@pytest.fixture
def small_kb(kb: KnowledgeBase) -> KnowledgeBase:
    docs = [
        make_document(
            "https://www.uddevalla.se/bygglov",
            "E-tjänst för bygglov i Uddevalla",
            "Uddevalla kommun har lanserat en e-tjänst för bygglov. Ansökan görs digitalt "
            "och handläggningen går snabbare.",
            date="2022-03-01",
            doc_type="project",
            focus_areas=("digital-innovation",),
            municipalities=(UDDEVALLA,),
        ),
        make_document(
            "https://www.trollhattan.se/bygglov-beslut",
            "Beslut om digital bygglovsprocess",
            "Kommunstyrelsen beslutade att införa en digital bygglovsprocess med e-tjänster.",
            date="2023-06-12",
            doc_type="decision",
            focus_areas=("digital-innovation", "digitalt-ledarskap"),
            municipalities=(TROLLHATTAN,),
        ),
        make_document(
            "https://www.skovde.se/informationssakerhet",
            "Handlingsplan för informationssäkerhet",
            "Skövde kommun stärker informationssäkerhetsarbetet och dataskyddet i alla nämnder.",
            date="2021-01-20",
            doc_type="plan",
            focus_areas=("digital-trygghet",),
            municipalities=(SKOVDE,),
        ),
        make_document(
            "https://www.vara.se/e-arkiv",
            "E-arkiv i Vara kommun",
            "Vara kommun inför e-arkiv tillsammans med Skövde. Bygglov arkiveras digitalt.",
            date="2024-09-30",
            doc_type="report",
            focus_areas=("digital-infrastruktur",),
            municipalities=(VARA, SKOVDE),
        ),
        make_document(
            "https://www.boras.se/kompetens",
            "Kompetenslyft för medarbetare",
            "Borås Stad satsar på digital kompetens för alla medarbetare i förvaltningen.",
            date="2019-11-05",
            doc_type="guide",
            focus_areas=("digital-kompetens",),
            municipalities=(BORAS,),
        ),
        make_document(
            "https://goteborgsregionen.se/ai",
            "AI-pilot i ärendehantering",
            "Göteborgs Stad testar AI för att sortera ärenden om bygglov och parkering.",
            date="2025-02-14",
            doc_type="project",
            focus_areas=("digital-innovation",),
            municipalities=(GOTEBORG,),
        ),
    ]
    add_documents(kb, docs)
    return kb


def titles(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.title for h in result.hits]


def test_plain_words_must_all_match(small_kb: KnowledgeBase) -> None:
    result = small_kb.search(SearchRequest(q="bygglov digital"))
    # Göteborg's document mentions bygglov but nothing digital; Borås's neither word. Documents
    # with one of the two words follow as partial matches (tests/test_matching_partial.py).
    full = [h for h in result.hits if not h.partial]
    assert list(result.hits[: len(full)]) == full
    assert {h.title for h in full} == {
        "Beslut om digital bygglovsprocess",
        "E-arkiv i Vara kommun",
        "E-tjänst för bygglov i Uddevalla",
    }
    for hit in result.hits:
        assert "<mark>" in hit.snippet


def test_phrase_or_exclusion_and_prefix(small_kb: KnowledgeBase) -> None:
    phrase = small_kb.search(SearchRequest(q='"digital kompetens"'))
    assert titles(phrase) == ["Kompetenslyft för medarbetare"]
    either = small_kb.search(SearchRequest(q="e-arkiv OR kompetenslyft"))
    assert set(titles(either)) == {"E-arkiv i Vara kommun", "Kompetenslyft för medarbetare"}
    excluded = small_kb.search(SearchRequest(q="bygglov -uddevalla"))
    assert "E-tjänst för bygglov i Uddevalla" not in titles(excluded)
    assert excluded.total >= 2
    prefix = small_kb.search(SearchRequest(q="informationssäk*"))
    assert titles(prefix) == ["Handlingsplan för informationssäkerhet"]


@pytest.mark.parametrize(
    "query", ['"bygglov', "bygglov OR", "(bygglov", "bygglov )", "-", "AND OR NOT", "*", "\\x00"]
)
def test_unreadable_query_falls_back_to_plain_words(small_kb: KnowledgeBase, query: str) -> None:
    result = small_kb.search(SearchRequest(q=query))
    if "bygglov" in query:
        assert result.total >= 3
        assert result.fallback


def test_stop_word_only_query_finds_nothing(small_kb: KnowledgeBase) -> None:
    assert small_kb.search(SearchRequest(q="och i på")).total == 0


def test_facets_are_multi_select_or_within_and_across(small_kb: KnowledgeBase) -> None:
    everything = small_kb.search(SearchRequest(q="bygglov"))
    base_munis = {v.value: v.count for v in everything.facets["municipality"]}
    assert base_munis[UDDEVALLA] == 1 and base_munis[TROLLHATTAN] == 1

    two = small_kb.search(
        SearchRequest(q="bygglov", filters={"municipality": (UDDEVALLA, TROLLHATTAN)})
    )
    assert two.total == 2  # OR within the facet
    # The municipality facet ignores its own filter: other municipalities keep their counts.
    assert {v.value: v.count for v in two.facets["municipality"]} == base_munis
    selected = {v.value for v in two.facets["municipality"] if v.selected}
    assert selected == {UDDEVALLA, TROLLHATTAN}
    # Other facets apply the municipality filter.
    doc_types = {v.value: v.count for v in two.facets["doc_type"] if v.count}
    assert doc_types == {"project": 1, "decision": 1}

    both = small_kb.search(
        SearchRequest(
            q="bygglov",
            filters={"municipality": (UDDEVALLA, TROLLHATTAN), "doc_type": ("decision",)},
        )
    )
    assert titles(both) == ["Beslut om digital bygglovsprocess"]  # AND across facets
    # The doc_type facet still counts both types under the municipality filter.
    assert {v.value: v.count for v in both.facets["doc_type"] if v.count} == doc_types
    munis = {v.value: v.count for v in both.facets["municipality"]}
    assert munis.get(UDDEVALLA, 0) == 0 and munis[TROLLHATTAN] == 1


def test_region_and_county_roll_up(small_kb: KnowledgeBase) -> None:
    result = small_kb.search(SearchRequest())
    regions = {v.value: v for v in result.facets["region"]}
    # Vara+Skövde share one document: the region counts it once.
    assert regions["skaraborg"].count == 2
    children = {c.value: c.count for c in regions["skaraborg"].children}
    assert children == {SKOVDE: 2, VARA: 1}
    assert regions["fyrbodal"].count == 2
    only = small_kb.search(SearchRequest(filters={"region": ("fyrbodal",)}))
    assert set(titles(only)) == {
        "E-tjänst för bygglov i Uddevalla",
        "Beslut om digital bygglovsprocess",
    }
    counties = {v.value: v.count for v in result.facets["county"]}
    assert counties["14"] == 6  # all six in Västra Götalands län
    assert small_kb.search(SearchRequest(filters={"county": ("14",)})).total == 6


def test_year_range_sort_and_paging(small_kb: KnowledgeBase) -> None:
    newest = small_kb.search(SearchRequest(sort="newest"))
    years = [h.year for h in newest.hits]
    assert years == sorted(years, reverse=True)
    ranged = small_kb.search(SearchRequest(year_from=2021, year_to=2023))
    assert sorted(h.year for h in ranged.hits) == [2021, 2022, 2023]
    year_facet = {v.value: v for v in ranged.facets["year"]}
    assert year_facet["2019"].count == 1 and not year_facet["2019"].selected
    assert year_facet["2022"].selected
    pages = [small_kb.search(SearchRequest(sort="newest", page=p, page_size=2)) for p in (1, 2, 3)]
    ids = [h.id for r in pages for h in r.hits]
    assert len(ids) == len(set(ids)) == 6
    assert pages[0].pages == 3
    beyond = small_kb.search(SearchRequest(page=10**9))
    assert beyond.total == 6 and beyond.hits == ()


def test_snippets_escape_document_text_and_mark_words(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document(
                "https://evil.example/x",
                "<script>alert('titel')</script>",
                [
                    "Första sidan handlar om annat.",
                    "Här står <script>alert(1)</script> om e-arkiv.",
                ],
                content_type="application/pdf",
            )
        ],
    )
    hit = kb.search(SearchRequest(q="e-arkiv")).hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>e-arkiv</mark>" in hit.snippet
    assert hit.page == 2
    assert hit.title == "<script>alert('titel')</script>"  # escaping is the renderer's job


def test_unknown_facet_value_is_a_clear_error(small_kb: KnowledgeBase) -> None:
    with pytest.raises(ValidationError, match="9999"):
        small_kb.search(SearchRequest(filters={"municipality": ("9999",)}))


def test_spelling_suggestion_when_nothing_matches(small_kb: KnowledgeBase) -> None:
    result = small_kb.search(SearchRequest(q="informationssäkerhte"))
    assert result.total == 0
    assert result.suggestion == "informationssäkerhet"
    assert small_kb.search(SearchRequest(q=result.suggestion)).total == 1
    assert small_kb.search(SearchRequest(q="bygglov")).suggestion is None


def test_a_spelling_suggestion_never_drops_the_rest_of_the_query(small_kb: KnowledgeBase) -> None:
    # "Menade du informationssäkerhet?" for this query searched the corrected word alone: the
    # phrase the officer typed was gone from the suggested search.
    for q in ('"digital kompetens" informationssäkerhte', "digital* informationssäkerhte"):
        suggestion = small_kb.search(SearchRequest(q=q)).suggestion
        assert suggestion is None or q.split()[0] in suggestion, (q, suggestion)


def test_a_page_past_the_result_window_is_empty_not_the_last_one_again(
    small_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_module, "MAX_RESULT_WINDOW", 4)  # 10,000 in use
    total = small_kb.search(SearchRequest(page_size=2)).total
    assert total > 4
    seen = []
    for page in (1, 2):
        seen += [h.id for h in small_kb.search(SearchRequest(page_size=2, page=page)).hits]
    assert len(seen) == len(set(seen)) == 4
    # An API client paging on until an empty page got page 2 again for every later page.
    for page in (3, 4, 10**6):
        result = small_kb.search(SearchRequest(page_size=2, page=page))
        assert result.hits == () and result.total == total, page


def test_more_like_this_and_other_municipalities(small_kb: KnowledgeBase) -> None:
    doc_id = small_kb.search(SearchRequest(q="uddevalla e-tjänst")).hits[0].id
    similar = related_support.similar(small_kb, doc_id)
    assert similar and doc_id not in [h.id for h in similar]
    # The nearest neighbours are the other documents about digital building permits.
    assert similar[0].title in {
        "Beslut om digital bygglovsprocess",
        "AI-pilot i ärendehantering",
        "E-arkiv i Vara kommun",
    }
    others = related_support.other_municipalities(small_kb, doc_id)
    assert others
    for hit in others:
        assert UDDEVALLA not in hit.municipalities
        assert "digital-innovation" in hit.focus_areas


@pytest.mark.parametrize("sort", ["relevance", "newest", "added"])
def test_paging_through_documents_with_equal_dates_shows_each_once(
    kb: KnowledgeBase, sort: str
) -> None:
    # Browsing all documents (no query) orders by date; a bulk ingest gives many documents the
    # same date and the same second added. Each page must still continue the previous one.
    add_documents(
        kb,
        [
            make_document(
                f"https://www.exempel.se/sida-{i}",
                f"Sida {i}",
                f"Text nummer {i}.",
                date=f"2023-05-{i % 7 + 1:02d}",
            )
            for i in range(200)
        ],
    )
    pages = [kb.search(SearchRequest(sort=sort, page=p, page_size=10)) for p in range(1, 21)]
    ids = [h.id for r in pages for h in r.hits]
    assert len(ids) == 200
    assert len(set(ids)) == 200


def test_a_page_of_many_matches_is_the_page_of_the_whole_order() -> None:
    # kb.search.engine._top reads the dates only of documents that can reach the page: the page
    # must be the one a full sort by (tier, score, date) and docnum gives, ties included.
    from types import SimpleNamespace

    import numpy as np

    from kb.search.engine import _top

    rng = np.random.default_rng(4)
    n = 5000
    for _ in range(60):
        final = rng.random(n) < rng.random()
        scores = np.zeros(n, dtype=np.float32)
        # Neighbouring floats: a newer date can outweigh a score one step higher.
        two = np.float32(2.0)
        values = np.array([1.0, two, np.nextafter(two, np.float32(3)), 3.5], dtype=np.float32)
        scores[final] = rng.choice(values, int(final.sum()))
        coverage = rng.integers(0, 3, n).astype(np.int16)
        dates = rng.integers(0, n, n).astype(np.int32)
        snap = SimpleNamespace(n_docs=n, date_rank=dates)
        req = SearchRequest(q="x", page=int(rng.integers(1, 4)), page_size=int(rng.integers(1, 30)))
        idx = np.flatnonzero(final)
        key = coverage[idx] * 1e4 + scores[idx].astype(np.float64) + snap.date_rank[idx] * 1e-9
        whole = idx[np.lexsort((idx, -key))]
        start = (req.page - 1) * req.page_size
        want = whole[start : start + req.page_size]
        assert _top(final, scores, snap, req, coverage).tolist() == want.tolist()  # type: ignore[arg-type]


def test_a_query_of_exclusions_only_lists_every_document_without_them(
    small_kb: KnowledgeBase,
) -> None:
    everything = small_kb.search(SearchRequest(q="", page_size=100))
    without = small_kb.search(SearchRequest(q="-uddevalla", page_size=100))
    assert not without.fallback
    assert "E-tjänst för bygglov i Uddevalla" in titles(everything)
    assert "E-tjänst för bygglov i Uddevalla" not in titles(without)
    assert 0 < without.total < everything.total
    assert all(not h.partial for h in without.hits)
