"""Markup kept between requests (web/markup_cache.py): bounded, per language, application root and
arguments, and never across index generations."""

from __future__ import annotations

from dataclasses import replace

from flask import Flask
from markupsafe import Markup

from tests.test_hit_markup import HIT
from web.hit_markup import CACHE_NAME, _hit_html, hit_html
from web.markup_cache import MarkupCache, app_cache


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
