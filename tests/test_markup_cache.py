"""Markup kept between requests (web/markup_cache.py): bounded, per language, application root and
arguments, and never across index generations; the facet groups and the whole page of a search
asked again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask
from markupsafe import Markup

from kb.facets.registry import DEFAULT_FACETS
from kb.search.request import SearchRequest
from kb.search.results import FacetValue, SearchResult
from kb.service import KnowledgeBase
from tests.test_hit_markup import HIT
from web.facet_markup import facet_options
from web.hit_markup import CACHE_NAME, _hit_html, hit_html
from web.markup_cache import MarkupCache, app_cache
from web.search_handler import PAGES_CACHE
from web.search_view import SearchView, build_view, url_builder


def _fresh(app: Flask, url: str, **kw: object) -> tuple[str, str]:
    """The cached and the freshly built markup of HIT for one request URL."""
    with app.test_request_context(url, **kw):  # type: ignore[arg-type]
        app.preprocess_request()
        kept = str(hit_html(HIT))
        again = str(hit_html(HIT))
        lang = "en" if "lang=en" in url else "sv"
        built = str(_hit_html(HIT, lang, None, "", "h3", "hit", False, None))
    assert kept == again
    return kept, built


def test_a_hit_is_kept_per_language_and_application_root(app: Flask) -> None:
    with app.app_context():
        app_cache(CACHE_NAME)._entries.clear()
    swedish, built = _fresh(app, "/search?q=e-arkiv")
    assert swedish == built
    english, built = _fresh(app, "/search?q=e-arkiv&lang=en")
    assert english == built != swedish
    rooted, built = _fresh(app, "/search?q=e-arkiv", base_url="http://localhost/kb")
    assert rooted == built != swedish
    assert 'href="/kb/documents/' in rooted
    with app.app_context():
        assert len(app_cache(CACHE_NAME)) == 3


def test_arguments_and_the_hit_itself_are_part_of_the_key(app: Flask) -> None:
    with app.test_request_context("/search"):
        app.preprocess_request()
        plain = hit_html(HIT)
        assert hit_html(HIT, prefix="similar") != plain
        assert hit_html(HIT, doc_target="_top") != plain
        assert "Ny titel" in hit_html(replace(HIT, title="Ny titel"))
        assert hit_html(HIT) == plain


def test_a_new_token_empties_the_cache() -> None:
    cache = MarkupCache(10)
    old, new = frozenset({"a"}), frozenset({"a"})
    cache.put((old,), "k", Markup("<li>old</li>"))
    assert cache.get((old,), "k") == Markup("<li>old</li>")
    # An equal set of another generation is another token: nothing made for the old is shown.
    assert cache.get((new,), "k") is None
    cache.put((new,), "j", Markup("<li>new</li>"))
    assert len(cache) == 1
    assert cache.get((old,), "j") is None


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = MarkupCache(2)
    for key in ("a", "b"):
        cache.put((), key, Markup(key))
    assert cache.get((), "a") == "a"
    cache.put((), "c", Markup("c"))
    assert (cache.get((), "a"), cache.get((), "b"), cache.get((), "c")) == ("a", None, "c")
    off = MarkupCache(0)
    off.put((), "a", Markup("a"))
    assert len(off) == 0


def _result(counts: dict[str, int]) -> SearchResult:
    munis = tuple(FacetValue(f"{1400 + i}", f"Kommun {i}", 40 - i) for i in range(30))
    types = tuple(FacetValue(k, k, v) for k, v in counts.items())
    return SearchResult(total=40, hits=(), facets={"municipality": munis, "doc_type": types})


def _view(req: SearchRequest, result: SearchResult, cache: MarkupCache | None) -> SearchView:
    return build_view(
        req,
        result,
        url_builder("/search"),
        lambda f, v: v.upper(),
        facets=DEFAULT_FACETS,
        groups_cache=cache,
    )


def test_facet_groups_are_kept_per_values_selection_and_language(app: Flask) -> None:
    cache = MarkupCache(8)
    result = _result({"plan": 3, "guide": 2})
    first = _view(SearchRequest(q="x"), result, cache)
    # Page 2 of the same search: the same groups, with the page's own "Visa alla" link.
    second = _view(SearchRequest(q="x", page=2), _result({"plan": 3, "guide": 2}), cache)
    fresh = _view(SearchRequest(q="x", page=2), result, None)
    assert second.groups == fresh.groups != first.groups
    assert [g.visible for g in second.groups] == [g.visible for g in first.groups]
    assert second.groups[0].visible is first.groups[0].visible
    assert "page=2" in second.groups[0].all_url and "page=2" not in first.groups[0].all_url
    # Other counts, another selection, another language: built again.
    assert _view(SearchRequest(q="x"), _result({"plan": 4}), cache).groups[1].visible[0].count == 4
    picked = _view(SearchRequest(q="x", filters={"doc_type": ("plan",)}), result, cache)
    assert (
        picked.groups
        == _view(SearchRequest(q="x", filters={"doc_type": ("plan",)}), result, None).groups
    )
    assert picked.groups[1].visible[0].selected
    with app.test_request_context("/search?lang=en"):
        app.preprocess_request()
        english = _view(SearchRequest(q="x"), result, cache)
        assert english.groups[0].legend != first.groups[0].legend
        assert english.groups == _view(SearchRequest(q="x"), result, None).groups


def test_option_lists_keep_their_markup_only_for_the_same_tuple(app: Flask) -> None:
    options = _view(SearchRequest(q="x"), _result({"plan": 3}), None).groups[0].visible
    with app.test_request_context("/search"):
        app.preprocess_request()
        kept = facet_options(options)
        assert facet_options(options) is kept
        assert facet_options(list(options)) == kept  # a list is built, not kept
        assert facet_options(options, "en") is not kept


def test_a_page_asked_again_is_kept_per_url_language_root_and_result(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client(use_cookies=False)
    with app.app_context():
        pages = app_cache(PAGES_CACHE)
    pages._entries.clear()
    first = client.get("/search?q=e-arkiv").get_data(as_text=True)
    assert client.get("/search?q=e-arkiv").get_data(as_text=True) == first
    assert len(pages) == 1
    english = client.get("/search?q=e-arkiv", headers={"Cookie": "kb_lang=en"})
    assert english.get_data(as_text=True) != first and 'lang="en"' in english.get_data(as_text=True)
    rooted = client.get("/search?q=e-arkiv", base_url="http://localhost/kb").get_data(as_text=True)
    assert 'href="/kb/documents/' in rooted and 'href="/documents/' not in rooted
    embed = client.get("/embed?q=e-arkiv").get_data(as_text=True)
    assert 'target="_top"' in embed and 'target="_top"' not in first
    assert len(pages) == 4
    # Another result object (as after a commit: kb's result cache starts afresh) is another page.
    search = KnowledgeBase.search
    monkeypatch.setattr(KnowledgeBase, "search", lambda kb, *a, **k: replace(search(kb, *a, **k)))
    assert client.get("/search?q=e-arkiv").get_data(as_text=True) == first
    assert len(pages) == 5
