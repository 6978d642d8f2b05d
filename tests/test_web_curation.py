"""Corrections on the public side: the document page marks corrected values and the JSON API
says which fields are curated (validated against web/openapi.json)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kb.config import Settings
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document
from tests.test_api_schema import _check
from web import create_app
from web.context import EXTENSION_KEY

BORAS, UDDEVALLA = "1490", "1485"


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    with KnowledgeBase.open(settings) as kb:
        add_documents(
            kb,
            [
                make_document(
                    "https://www.uddevalla.se/e-arkiv",
                    "Handlingsplan för e-arkiv",
                    "Uddevalla kommun inför e-arkiv i alla förvaltningar.",
                    municipalities=(UDDEVALLA,),
                    focus_areas=("digital-infrastruktur",),
                    doc_type="plan",
                )
            ],
        )
    app = create_app(settings, {"TESTING": True})
    yield app
    app.extensions[EXTENSION_KEY].close()


def test_the_page_marks_corrected_values_and_the_api_names_them(app: Flask) -> None:
    client: FlaskClient = app.test_client()
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]
    [doc_id] = kb.store.ids()
    plain = BeautifulSoup(client.get(f"/documents/{doc_id}").data, "html.parser")
    assert not plain.select(".curated")
    kb.curator.edit(doc_id, {"municipalities": ["Borås"], "date": "2019"}, by="karin")
    page = BeautifulSoup(client.get(f"/documents/{doc_id}").data, "html.parser")
    marks = page.select(".curated")
    assert len(marks) == 2 and all("Rättad av redaktör" in m.get_text() for m in marks)
    today = kb.curator.get(doc_id).corrections["date"].at[:10]
    assert today in marks[0].get_text()
    municipality_row = marks[1].find_parent("dd").get_text()
    assert "Borås" in municipality_row and "Uddevalla" not in municipality_row
    assert "karin" not in page.get_text()  # editors' names stay in the history

    spec: dict[str, Any] = client.get("/api/openapi.json").json
    data = client.get(f"/api/documents/{doc_id}").json
    _check(spec, "Document", data)
    assert data["curated"] == {
        "municipalities": {"at": data["curated"]["date"]["at"], "via": "editor"},
        "date": {"at": data["curated"]["date"]["at"], "via": "editor"},
    }
    assert data["withdrawn"] is None
    assert [t["value"] for t in data["municipalities"]] == [BORAS]
    # The search filter follows the correction.
    found = client.get(f"/api/search?municipality={BORAS}").json
    assert [hit["id"] for hit in found["results"]] == [doc_id]
    english = BeautifulSoup(client.get(f"/documents/{doc_id}?lang=en").data, "html.parser")
    assert "Corrected by an editor" in english.select(".curated")[0].get_text()

    # A harvest saw the page vanish: the page says so and the API tells when and why.
    kb.curator.withdraw(doc_id, "HTTP 404", "uddevalla")
    note = BeautifulSoup(client.get(f"/documents/{doc_id}?lang=sv").data, "html.parser").select(
        ".withdrawn"
    )
    assert len(note) == 1 and "Källan har tagit bort dokumentet" in note[0].get_text()
    data = client.get(f"/api/documents/{doc_id}").json
    _check(spec, "Document", data)
    assert data["withdrawn"]["reason"] == "HTTP 404"
    assert client.get(f"/api/search?municipality={BORAS}").json["total"] == 1  # grace period


def test_corrected_focus_areas_say_who_set_them_not_words_of_the_text(app: Flask) -> None:
    # Each corrected focus area said "Angivet vid inläsningen" (given at ingest) after an
    # editor's correction, and "Ord i texten: rättad av redaktör / corrected by editor, DAY":
    # the correction's note shown as words found in the text.
    client: FlaskClient = app.test_client()
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]
    [doc_id] = kb.store.ids()
    kb.curator.edit(doc_id, {"focus_areas": ["digital-kompetens", "digital-trygghet"]}, by="karin")
    page = BeautifulSoup(client.get(f"/documents/{doc_id}").data, "html.parser")
    why = page.find(id="why-heading").find_parent("section")
    items = why.select("ul.tags li")
    assert len(items) == 2
    for item in items:
        text = " ".join(item.get_text().split())
        assert "Rättad av redaktör" in text
        assert "Angivet vid inläsningen" not in text and "Ord i texten" not in text
        assert "corrected by editor" not in text
    english = BeautifulSoup(client.get(f"/documents/{doc_id}?lang=en").data, "html.parser")
    why_en = english.find(id="why-heading").find_parent("section").get_text()
    assert "Corrected by an editor" in why_en and "Words in the text" not in why_en
