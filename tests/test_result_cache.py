"""The results cache: the same search asked again is answered from memory, never stale."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kb.config import Settings
from kb.errors import ValidationError
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document


def _docs() -> list:  # type: ignore[type-arg]
    return [
        make_document(
            "https://www.boras.se/bygglov",
            "E-tjänst för bygglov i Borås",
            "Borås kommun har byggt en e-tjänst för bygglov med digital signering.",
            municipalities=("1490",),
        ),
        make_document(
            "https://www.vara.se/bygglov",
            "Bygglov på nätet i Vara",
            "Vara kommun tar emot ansökan om bygglov digitalt.",
            municipalities=("1470",),
        ),
    ]


@pytest.fixture
def cached_kb(settings: Settings):  # type: ignore[no-untyped-def]
    kb = KnowledgeBase.open(replace(settings, result_cache_entries=2))
    add_documents(kb, _docs())
    yield kb
    kb.close()


def test_the_same_search_again_is_answered_from_the_cache(cached_kb: KnowledgeBase) -> None:
    first = cached_kb.search(SearchRequest(q="bygglov"))
    # The same search typed with other spacing and a filter given twice is the same search.
    again = cached_kb.search(
        SearchRequest(q="  bygglov ", filters={"municipality": ("1490", "1490")})
    )
    assert cached_kb.results.misses == 2
    same = cached_kb.search(SearchRequest(q="bygglov", filters={"municipality": ("1490",)}))
    assert same is again
    assert cached_kb.search(SearchRequest(q="bygglov")) is first
    assert (cached_kb.results.hits, cached_kb.results.misses) == (2, 2)
    assert first.total == 2 and again.total == 1


def test_a_document_added_after_a_search_is_found_by_the_same_search(
    cached_kb: KnowledgeBase,
) -> None:
    assert cached_kb.search(SearchRequest(q="bygglov")).total == 2
    add_documents(
        cached_kb,
        [make_document("https://www.ale.se/bygglov", "Bygglov i Ale", "Ale kommun och bygglov.")],
    )
    result = cached_kb.search(SearchRequest(q="bygglov"))
    assert result.total == 3
    assert "Bygglov i Ale" in [h.title for h in result.hits]


def test_the_cache_keeps_only_the_most_recent_searches(cached_kb: KnowledgeBase) -> None:
    for q in ("bygglov", "e-tjänst", "signering"):
        cached_kb.search(SearchRequest(q=q))
    assert len(cached_kb.results) == 2  # result_cache_entries=2
    cached_kb.search(SearchRequest(q="bygglov"))  # dropped as the least recently used
    assert cached_kb.results.hits == 0


def test_a_refused_search_is_refused_every_time(cached_kb: KnowledgeBase) -> None:
    bad = SearchRequest(q="bygglov", filters={"kommun_id": ("1490",)})
    for _ in range(2):
        with pytest.raises(ValidationError):
            cached_kb.search(bad)
    assert len(cached_kb.results) == 0


def test_turned_off_every_search_runs(settings: Settings) -> None:
    with KnowledgeBase.open(replace(settings, result_cache_entries=0)) as kb:
        add_documents(kb, _docs())
        first = kb.search(SearchRequest(q="bygglov"))
        second = kb.search(SearchRequest(q="bygglov"))
        assert first is not second and first == second
        assert len(kb.results) == 0


def test_closing_the_knowledge_base_lets_go_of_the_kept_results(settings: Settings) -> None:
    kb = KnowledgeBase.open(settings)
    add_documents(kb, _docs())
    kb.search(SearchRequest(q="bygglov"))
    assert len(kb.results) == 1
    kb.close()
    assert len(kb.results) == 0
