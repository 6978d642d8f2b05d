"""'New in the bank' and the feeds follow the date added, not the document's own date; the store
keeps the date a document entered the bank across new versions; old records fall back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.config import Settings
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import make_document
from web import create_app
from web.context import EXTENSION_KEY

ATOM = "{http://www.w3.org/2005/Atom}"
OLD_NEWS = "https://www.vara.se/gammal-plan"  # written 2024, added in January
NEW_OLD = "https://www.vara.se/arkivbeslut-2019"  # written 2019, added in March: news
UNDATED = "https://www.vara.se/aldre-post"  # stored before the date added was kept


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    docs = [
        make_document(OLD_NEWS, "Plan för e-tjänster 2024", "Vara kommun planerar e-tjänster.",
                      date="2024-05-01").with_changes(added="2026-01-10T09:00:00+00:00"),
        make_document(NEW_OLD, "Beslut om e-arkiv 2019", "Vara kommun beslutade om e-arkiv.",
                      date="2019-02-01").with_changes(added="2026-03-02T14:30:00+00:00"),
        make_document(UNDATED, "Äldre riktlinje för e-post", "Vara kommun och e-post.",
                      date="2025-01-01"),
    ]  # fmt: skip
    with KnowledgeBase.open(settings) as kb:
        with kb.writer() as writer:
            for doc in docs:
                writer.add(doc, doc.text.encode())
        # A record from before the store kept the date added: the field is missing.
        path = settings.store_dir / "docs" / f"{docs[2].id}.json"
        record = json.loads(path.read_text(encoding="utf-8"))
        del record["added"]
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        kb.reindex()
    app = create_app(settings, {"TESTING": True})
    yield app
    app.extensions[EXTENSION_KEY].close()


def test_feed_and_start_page_follow_the_date_added(app: Flask) -> None:
    client = app.test_client()
    feed = ET.fromstring(client.get("/feed.atom").data)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == [
        "Beslut om e-arkiv 2019",
        "Plan för e-tjänster 2024",
        "Äldre riktlinje för e-post",
    ]
    assert entries[0].findtext(f"{ATOM}published") == "2026-03-02T14:30:00Z"
    assert "2019-02-01" in (entries[0].findtext(f"{ATOM}summary") or "")  # its own date, shown
    assert entries[2].findtext(f"{ATOM}published") == "2025-01-01T00:00:00Z"  # falls back
    assert feed.findtext(f"{ATOM}updated") == "2026-03-02T14:30:00Z"

    page = BeautifulSoup(client.get("/").data, "html.parser")
    hits = page.select("#newest-heading ~ ol .hit")
    assert [h.select_one(".hit-title").get_text(strip=True) for h in hits] == titles
    first = hits[0].get_text(" ", strip=True)
    assert "Datum 2019-02-01" in first and "Tillagt 2026-03-02" in first
    listed = client.get("/api/search?sort=added").json["results"]
    assert [r["added"] for r in listed] == [
        "2026-03-02T14:30:00+00:00",
        "2026-01-10T09:00:00+00:00",
        None,
    ]
    assert client.get("/api/search?sort=oldest").status_code == 400


def test_a_new_version_keeps_the_date_it_was_added(kb: KnowledgeBase, tmp_path: Path) -> None:
    note = tmp_path / "anteckning.md"
    note.write_text("# Möte\n\nFyrbodals e-råd möttes i Vänersborg.\n", encoding="utf-8")
    options = IngestOptions(delay=0.0)
    run(kb, resolve([str(note)]), options)
    [first] = list(kb.store)
    note.write_text("# Möte\n\nFyrbodals e-råd möttes i Uddevalla om e-arkiv.\n", encoding="utf-8")
    report = run(kb, resolve([str(note)]), options)
    assert [o.status for o in report.outcomes] == ["updated"]
    [second] = list(kb.store)
    assert second.content_sha256 != first.content_sha256 and second.added == first.added
    [hit] = kb.search(SearchRequest(q="e-arkiv", sort="added")).hits
    assert hit.added == first.added
