"""web.zero_hits: the ways out of a search that found nothing, with a stand-in searcher."""

from __future__ import annotations

from kb.search.query import AllOf, AnyOf, Word, parse
from kb.search.request import SearchRequest
from kb.search.results import SearchResult
from web.zero_hits import unquoted, words_alone


def test_each_word_alone_keeps_an_excluded_or_group_whole() -> None:
    searched: list[str] = []

    def search(req: SearchRequest) -> SearchResult:
        searched.append(req.q)
        return SearchResult(total=1, hits=(), facets={})

    req = SearchRequest(q="bygglov blockkedja -(gdpr OR dataskydd)")
    offers = words_alone(req, lambda r: r.q, search)
    assert [o.word for o in offers] == ["bygglov", "blockkedja"]
    # Each is the word alone with the same exclusion: not "bygglov -gdpr OR dataskydd",
    # which searches bygglov OR dataskydd.
    for q in searched:
        root = parse(q).root
        assert len(root.must) == 1
        assert parse(q).root.must_not == parse(req.q).root.must_not


def test_the_query_without_quotes_keeps_its_or_groups_and_exclusions() -> None:
    def search(req: SearchRequest) -> SearchResult:
        return SearchResult(total=3, hits=(), facets={})

    def offered(q: str) -> str | None:
        found = unquoted(SearchRequest(q=q), lambda r: r.q, search)
        return None if found is None else found.word

    assert offered('"e-tjänst bygglov"') == "e-tjänst bygglov"
    # Inside an OR group the words stay together: "e-tjänst bygglov OR e-arkiv" would read as
    # e-tjänst AND (bygglov OR e-arkiv). An excluded phrase keeps its quotes.
    assert offered('"e-tjänst bygglov" OR e-arkiv -"digital brevlåda"') == (
        '(e-tjänst bygglov) OR e-arkiv -"digital brevlåda"'
    )
    (group,) = parse("(e-tjänst bygglov) OR e-arkiv").root.must
    assert group == AnyOf((AllOf((Word("e-tjänst"), Word("bygglov"))), Word("e-arkiv")))
    # Nothing quoted, or quotes the parser did not read: nothing to offer.
    assert offered("e-tjänst bygglov") is None
    assert offered('"e-tjänst bygglov') is None


def test_the_query_without_quotes_is_offered_only_with_hits() -> None:
    def search(req: SearchRequest) -> SearchResult:
        return SearchResult(total=0, hits=(), facets={})

    assert unquoted(SearchRequest(q='"e-tjänst bygglov"'), lambda r: r.q, search) is None
