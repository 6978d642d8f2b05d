"""What one client or one query may cost: request limits (429 + Retry-After), the per-query time
budget and the cap on wildcard expansions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from kb.config import Settings
from kb.search.budget import QueryTooSlowError
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document
from web import create_app
from web.context import EXTENSION_KEY


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Flask]:
    settings = Settings(
        data_dir=tmp_path / "data",
        ingest_demo_on_start=False,
        rate_limit_pages="3 per minute",
        rate_limit_api="2 per minute",
    )
    with KnowledgeBase.open(settings) as kb:
        add_documents(kb, [make_document("https://example.se/a", "E-arkiv", "Om e-arkiv.")])
    app = create_app(settings, {"TESTING": True})
    yield app
    app.extensions[EXTENSION_KEY].close()


def test_pages_answer_429_with_retry_after_and_a_bilingual_page(limited: Flask) -> None:
    client = limited.test_client()
    assert [client.get("/search?q=arkiv").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/search?q=arkiv")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.mimetype == "text/html"
    assert "För många förfrågningar" in refused.get_data(as_text=True)
    english = client.get("/search?q=arkiv&lang=en")
    assert english.status_code == 429 and "Too many requests" in english.get_data(as_text=True)
    # Static files are never limited; another client has its own count.
    for _ in range(5):
        with client.get("/static/style.css") as static:
            assert static.status_code == 200
    other = limited.test_client()
    page = other.get("/search?q=arkiv", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert page.status_code == 200


def test_api_answers_429_in_the_json_envelope(limited: Flask) -> None:
    client = limited.test_client()
    assert [client.get("/api/search?q=arkiv").status_code for _ in range(2)] == [200] * 2
    refused = client.get("/api/search?q=arkiv")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json["error"]["status"] == 429
    assert refused.json["error"]["message"]
    # The API's limit is its own: pages are still allowed for this client.
    assert client.get("/").status_code == 200


def test_api_and_its_v1_alias_share_one_budget(limited: Flask) -> None:
    client = limited.test_client()
    assert client.get("/api/search?q=arkiv").status_code == 200
    assert client.get("/api/v1/search?q=arkiv").status_code == 200
    # Switching between /api and /api/v1 does not double what a client may ask.
    assert client.get("/api/v1/search?q=arkiv").status_code == 429
    assert client.get("/api/search?q=arkiv").status_code == 429


def test_search_past_its_time_budget_stops_with_a_clear_error(tmp_path: Path) -> None:
    docs = [
        make_document(f"https://example.se/{i}", f"Dok {i}", f"arkiv nummer{i}") for i in range(30)
    ]
    tight = Settings(data_dir=tmp_path / "data", query_time_budget=1e-9)
    with KnowledgeBase.open(tight) as kb:
        add_documents(kb, docs)
        with pytest.raises(QueryTooSlowError, match="avbröts"):
            kb.search(SearchRequest(q="arkiv OR nummer*"))
    app = create_app(tight, {"TESTING": True})
    try:
        client = app.test_client()
        api = client.get("/api/search?q=arkiv")
        assert api.status_code == 400 and "stopped" in api.json["error"]["message"]
        page = client.get("/search?q=arkiv")
        assert page.status_code == 400 and "avbröts" in page.get_data(as_text=True)
    finally:
        app.extensions[EXTENSION_KEY].close()
    with KnowledgeBase.open(Settings(data_dir=tmp_path / "data", query_time_budget=0)) as kb:
        assert kb.search(SearchRequest(q="arkiv")).total == 30  # 0: no budget


def _words(prefix: str, n: int) -> list[str]:
    letters = "bcdfghjklmnprstv"
    return [f"{prefix}{letters[i // 16]}{letters[i % 16]}x" for i in range(n)]


def test_wildcards_expand_to_a_capped_number_of_words_shared_among_prefixes(
    tmp_path: Path,
) -> None:
    prefixes = ["zq", "zw", "zy", "zk"]
    docs = [
        make_document(f"https://example.se/{w}", f"Dokument {w}", f"Text med {w}.")
        for p in prefixes
        for w in _words(p, 20)
    ]
    open_ = Settings(data_dir=tmp_path / "data", max_wildcard_expansions=1000)
    with KnowledgeBase.open(open_) as kb:
        add_documents(kb, docs)
        assert kb.search(SearchRequest(q="zq*")).total == 20
        assert kb.search(SearchRequest(q="zq* OR zw* OR zy* OR zk*")).total == 80
    capped = Settings(data_dir=tmp_path / "data", max_wildcard_expansions=8)
    with KnowledgeBase.open(capped) as kb:
        assert kb.search(SearchRequest(q="zq*")).total == 8
        # Shared: two words for each of the four prefixes, not eight for the first.
        result = kb.search(SearchRequest(q="zq* OR zw* OR zy* OR zk*", page_size=50))
        assert result.total == 8
        assert sorted({h.title.split()[1][:2] for h in result.hits}) == sorted(prefixes)


def test_retry_after_only_on_a_refusal_and_as_the_message_says(
    limited: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = limited.test_client()
    for path in ("/search?q=arkiv", "/api/v1/search?q=arkiv"):
        allowed = client.get(path)
        assert allowed.status_code == 200
        # A successful answer has nothing to retry (and a cached API answer must not carry
        # one client's counts): no Retry-After, no X-RateLimit-*.
        assert "Retry-After" not in allowed.headers
        assert not [k for k, _ in allowed.headers.items() if k.lower().startswith("x-ratelimit")]
    client.get("/search?q=arkiv")
    client.get("/search?q=arkiv")
    # The window's reset falls mid-second: the header was the floor, the message the ceiling.
    import time as time_module

    now = time_module.time()
    monkeypatch.setattr(time_module, "time", lambda: now + 0.5 - (now % 1))
    for path, text in (
        ("/search?q=arkiv", lambda r: r.get_data(as_text=True)),
        ("/api/v1/search?q=arkiv", lambda r: r.json["error"]["message"]),
    ):
        client.get(path)
        refused = client.get(path)
        assert refused.status_code == 429
        seconds = refused.headers["Retry-After"]
        assert f"{seconds} sekunder" in text(refused), path
