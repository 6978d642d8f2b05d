"""Suggestions as you type (kb.search.suggest, /api/v1/suggest): Swedish-aware prefixes over facet
values, titles and the words of the index, each leading somewhere that has documents."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask.testing import FlaskClient

from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document
from tests.web_corpus import JONKOPING, UDDEVALLA


def test_a_word_completes_from_the_index_vocabulary(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document(
                "https://example.se/a",
                "Digitaliseringsstrategi för Alingsås",
                "Kommunens digitaliseringsstrategi beskriver målen för digitalisering.",
                municipalities=("1489",),
            ),
            make_document(
                "https://example.se/b",
                "Plan för förvaltningen",
                "Förvaltningen följer digitaliseringsstrategin och arbetar med digitalisering.",
            ),
        ],
    )
    texts = [s.text for s in kb.suggest("digitali")]
    assert "digitaliseringsstrategi" in texts
    assert "digitalisering" in texts
    # Typed without the Swedish letters, completed with them.
    assert "förvaltningen" in [s.text for s in kb.suggest("forvaltn")]
    # The title of a document, and only the words before the last one kept as typed.
    assert any(
        s.kind == "title" and s.text.startswith("Digitaliseringsstrategi")
        for s in kb.suggest("Digitaliseringss")
    )
    assert "plan digitalisering" in [s.text for s in kb.suggest("plan digitalis")]


def test_a_municipality_is_found_without_its_swedish_letters(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document(
                "https://example.se/j", "Bredband", "Utbyggnad.", municipalities=(JONKOPING,)
            )
        ],
    )
    found = kb.suggest("jonk")
    facets = [(s.facet, s.value, s.count) for s in found if s.kind == "facet"]
    assert ("municipality", JONKOPING, 1) in facets
    # A municipality without documents leads nowhere: never suggested.
    assert not [s for s in kb.suggest("uddev") if s.kind == "facet"]
    assert kb.suggest("j") == []  # one letter suggests nothing


def test_the_api_labels_each_suggestion_and_links_it(client: FlaskClient) -> None:
    response = client.get("/api/v1/suggest?q=jonk")
    assert response.status_code == 200
    body: dict[str, Any] = response.json
    municipality = next(s for s in body["suggestions"] if s.get("facet") == "municipality")
    assert municipality["text"] == "Jönköping"
    assert municipality["url"].endswith(f"/search?municipality={JONKOPING}")
    assert municipality["count"] >= 1
    # The link leads to hits.
    path = municipality["url"].split("localhost", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Inga träffar" not in page.text
    # The /api alias answers the same.
    assert client.get("/api/suggest?q=jonk").json == body


def test_the_api_suggests_titles_with_their_document(client: FlaskClient) -> None:
    body = client.get("/api/v1/suggest?q=handlingsplan").json
    title = next(s for s in body["suggestions"] if s["kind"] == "title")
    assert title["text"] == "Handlingsplan för e-arkiv i Uddevalla"
    assert "/documents/" in title["url"]
    english = client.get("/api/v1/suggest?q=uddev&lang=en").json
    assert any(s["description"].startswith("Municipality") for s in english["suggestions"])
    assert any(s.get("value") == UDDEVALLA for s in english["suggestions"])


def test_an_english_answer_links_english_pages(client: FlaskClient) -> None:
    # The widget opens these URLs on an intranet, where the service's language cookie is not
    # set: an English widget opened the Swedish search and document pages.
    for q in ("uddev", "handlingsplan", "e-ark"):
        english = client.get(f"/api/v1/suggest?q={q}&lang=en").json["suggestions"]
        assert english and all("lang=en" in s["url"] for s in english), english
        swedish = client.get(f"/api/v1/suggest?q={q}&lang=sv").json["suggestions"]
        assert swedish and all("lang=" not in s["url"] for s in swedish), swedish


def test_opensearch_format_is_the_suggestions_array(client: FlaskClient) -> None:
    response = client.get("/api/v1/suggest?q=e-ark&format=opensearch")
    assert response.status_code == 200
    assert response.mimetype == "application/x-suggestions+json"
    q, texts, descriptions, urls = response.json
    assert q == "e-ark" and "e-arkiv" in texts
    assert len(texts) == len(descriptions) == len(urls)
    opensearch = client.get("/opensearch.xml").text
    assert 'type="application/x-suggestions+json"' in opensearch
    assert "/api/v1/suggest?q={searchTerms}&amp;format=opensearch" in opensearch


def test_a_bad_limit_is_a_clear_error(client: FlaskClient) -> None:
    response = client.get("/api/v1/suggest?q=e-ark&limit=many")
    assert response.status_code == 400
    assert "limit" in response.json["error"]["message"]
    assert len(client.get("/api/v1/suggest?q=e-ar&limit=2").json["suggestions"]) <= 2


@pytest.mark.parametrize(("limit", "most"), [("+3", 3), ("20", 20), ("12345", 20)])
def test_a_limit_above_the_range_is_cut_as_page_size_is(
    client: FlaskClient, limit: str, most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # kb offers at most 12 completions today (KIND_SHARE), so no answer can show the cut at 20:
    # what the API asks kb for is the behaviour held here (it passed with the cut removed).
    asked: list[int] = []
    real = KnowledgeBase.suggest

    def spy(
        self: KnowledgeBase, prefix: str, limit: int = 8, label: Any = None, scope: Any = None
    ) -> Any:
        asked.append(limit)
        return real(self, prefix, limit, label, scope)

    monkeypatch.setattr(KnowledgeBase, "suggest", spy)
    response = client.get(f"/api/v1/suggest?q=e-ar&limit={limit}")
    assert response.status_code == 200, response.json
    assert asked == [most]
    assert 1 <= len(response.json["suggestions"]) <= most
    assert client.get("/api/v1/suggest?q=").json == {"q": "", "suggestions": []}


@pytest.mark.parametrize("limit", ["0", "-1", "-12345"])
def test_a_limit_below_one_is_a_400_as_page_0_is(client: FlaskClient, limit: str) -> None:
    # limit=0 was answered with one suggestion while search's page=0 and page_size=0 are 400s:
    # the API now says the same thing about both, in both languages, naming the range.
    response = client.get(f"/api/v1/suggest?q=e-ar&limit={limit}")
    assert response.status_code == 400
    assert response.json["error"] == {
        "status": 400,
        "message": f"limit måste vara mellan 1 och 20, inte {int(limit)}.",
    }
    english = client.get(f"/api/v1/suggest?q=e-ar&limit={limit}&lang=en").json["error"]
    assert english["message"] == f"limit must be between 1 and 20, not {int(limit)}."
    page = client.get("/api/v1/search?q=e-ar&page_size=0").json["error"]["message"]
    assert page == "page_size måste vara mellan 1 och 100, inte 0."
    opensearch = client.get(f"/api/v1/suggest?q=e-ar&limit={limit}&format=opensearch")
    assert opensearch.status_code == 400 and "limit" in opensearch.json["error"]["message"]


def test_prepared_tables_answer_without_building_again(kb: KnowledgeBase, monkeypatch: Any) -> None:
    # `kb serve` prepares the tables before listening: the first keystroke must not pay for them.
    add_documents(kb, [make_document("https://example.se/p", "Bredband", "Utbyggnad av bredband.")])
    kb.prepare_suggestions()

    def no_second_build(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("suggestion tables built again")

    monkeypatch.setattr("kb.search.suggest.Suggester.build", no_second_build)
    assert "bredband" in [s.text for s in kb.suggest("bredb")]


def test_after_a_commit_the_new_words_arrive_without_blocking(kb: KnowledgeBase) -> None:
    # The previous tables answer while a background thread (with its own reader) builds new ones.
    add_documents(kb, [make_document("https://example.se/q", "Bredband", "Utbyggnad.")])
    kb.prepare_suggestions()
    add_documents(kb, [make_document("https://example.se/r", "Molntjänster", "Molntjänster.")])
    kb.suggest("molnt")  # answered by the old tables; starts the new build
    deadline = time.monotonic() + 30
    while "molntjänster" not in [s.text for s in kb.suggest("molnt")]:
        assert time.monotonic() < deadline, "new words never reached the suggestions"
        time.sleep(0.05)


def test_a_bank_closed_while_a_background_build_holds_a_reader_closes_it_once(
    kb: KnowledgeBase,
) -> None:
    # The background build of the suggestion tables reads through a searcher of its own. When
    # the bank closes meanwhile (a shutdown, `kb serve` closing readers before it forks), that
    # searcher is closed with the others; the build's own exit must not close it again (it
    # raised whoosh's ReaderClosed in the thread, reported by pytest in whichever test ran next).
    add_documents(kb, [make_document("https://example.se/q", "Bredband", "Utbyggnad.")])
    with kb._own_context() as ctx:  # the background build's context, opened the same way
        assert ctx.searcher.doc_count() == 1
        kb.close_readers()
    assert [s.text for s in kb.suggest("bredb")] == ["bredband"]


def test_an_e_word_completes_from_its_joined_spelling_as_a_search_finds_it(
    kb: KnowledgeBase,
) -> None:
    # A search treats etjänst and e-tjänst as one word (kb.search.expansion): so do suggestions.
    add_documents(
        kb,
        [
            make_document(
                "https://example.se/e",
                "E-tjänster för bygglov",
                "Kommunens e-tjänst för bygglov. Alla e-tjänster finns på webben.",
            ),
        ],
    )
    words = [s.text for s in kb.suggest("etj") if s.kind == "word"]
    assert "e-tjänst" in words and "e-tjänster" in words
    assert "e-tjänst" in [s.text for s in kb.suggest("e-tj") if s.kind == "word"]
    # The word typed, in either spelling, is not offered back; its longer forms are.
    for typed in ("etjänst", "e-tjänst", "etjanst"):
        assert [s.text for s in kb.suggest(typed) if s.kind == "word"] == ["e-tjänster"], typed
    assert "E-tjänster för bygglov" in [
        s.text for s in kb.suggest("etjänster f") if s.kind == "title"
    ]
    assert kb.suggest("ebygg") == []  # only an e-word's own e joins
