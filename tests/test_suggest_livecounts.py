"""Counts of suggestions and spelling candidates over live documents only (kb.search.livecount):
Whoosh's document frequency keeps counting a removed or replaced document until segments merge."""

from __future__ import annotations

from flask.testing import FlaskClient

from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document


def _words(kb: KnowledgeBase, prefix: str) -> dict[str, int]:
    return {s.text: s.count for s in kb.suggest(prefix) if s.kind == "word"}


def test_a_removed_document_s_word_leaves_and_a_reingested_one_counts_once(
    kb: KnowledgeBase,
) -> None:
    only = make_document("https://example.se/k", "Energiplan", "Kärnkraft och energi i kommunen.")
    other = make_document("https://example.se/v", "Vindplan", "Vindkraft och energi i regionen.")
    add_documents(kb, [only, other])
    assert _words(kb, "kärnk") == {"kärnkraft": 1}
    with kb.writer() as w:
        w.remove(only.id)
    assert kb.search(SearchRequest(q="kärnkraft")).total == 0
    assert "kärnkraft" not in _words(kb, "kärnk")  # nothing live holds it: not offered
    assert _words(kb, "energ") == {"energi": 1}
    add_documents(kb, [only])
    assert _words(kb, "kärnk") == {"kärnkraft": 1}
    add_documents(kb, [only])  # the same file again replaces it: still one document
    assert _words(kb, "kärnk") == {"kärnkraft": 1}
    assert _words(kb, "energ")["energi"] == 2


def test_did_you_mean_never_proposes_a_word_only_removed_documents_hold(
    kb: KnowledgeBase,
) -> None:
    gone = [
        make_document(f"https://example.se/g{i}", f"Rapport {i}", "Zorblax mäts i kommunen.")
        for i in range(3)
    ]
    kept = make_document("https://example.se/z", "Mätning", "Zorblix mäts i regionen.")
    add_documents(kb, [*gone, kept])
    # Both one edit away: the more frequent word wins while its documents are there...
    assert kb.search(SearchRequest(q="zorblox")).suggestion == "zorblax"
    with kb.writer() as w:
        for doc in gone:
            w.remove(doc.id)
    # ...and once they are removed the word only live documents hold is proposed instead.
    result = kb.search(SearchRequest(q="zorblox"))
    assert result.suggestion == "zorblix"
    assert kb.search(SearchRequest(q=result.suggestion)).total == 1
    assert kb.search(SearchRequest(q="zorblax")).suggestion != "zorblax"


def test_a_word_s_line_says_how_many_documents_hold_it(client: FlaskClient) -> None:
    # Not "N träffar": the search for the word also finds other forms, synonyms and partial hits.
    for lang in ("sv", "en"):
        found = client.get(f"/api/v1/suggest?q=plan+e-ar&limit=20&lang={lang}").json
        words = [s for s in found["suggestions"] if s["kind"] == "word"]
        assert words
        for s in words:
            w, n = s["text"].split()[-1], s["count"]
            assert s["text"].startswith("plan ") and n > 0
            english = f"{w} is in {n} document" + ("" if n == 1 else "s")
            assert s["description"] == (f"{w} finns i {n} dokument" if lang == "sv" else english)
