"""web.zero_hits: the ways out of a search that found nothing, with a stand-in searcher."""

from __future__ import annotations

from kb.search.query import parse
from kb.search.request import SearchRequest
from kb.search.results import SearchResult
from web.zero_hits import words_alone


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
