"""Wherever a municipality appears (API search hits, API documents, `kb list --json`, the
document page) it carries the regions it is a member of, and the public names say which
municipalities a document is about (concerns) and which it only mentions."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask.testing import FlaskClient

from kbcli.main import cli
from tests.web_corpus import UDDEVALLA, WebCorpus


def test_the_api_document_names_concerns_and_gives_each_municipality_its_regions(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    data = client.get(f"/api/v1/documents/{corpus.pdf.id}").json
    assert [t["value"] for t in data["concerns"]] == [UDDEVALLA]
    assert data["concerns"] == data["municipalities"]  # the old name stays for old clients
    assert data["municipality_regions"] == {UDDEVALLA: ["fyrbodal"]}


def test_search_hits_give_the_regions_of_their_municipalities(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    hits = client.get("/api/search?q=e-arkiv&page_size=50").json["results"]
    hit = next(h for h in hits if h["id"] == corpus.pdf.id)
    assert hit["concerns"] == [UDDEVALLA]
    assert hit["municipality_regions"] == {UDDEVALLA: ["fyrbodal"]}
    for other in hits:
        assert set(other["municipality_regions"]) == set(other["concerns"])


def test_kb_list_json_gives_regions_too(corpus: WebCorpus) -> None:
    result = CliRunner().invoke(
        cli, ["list", "--json", "--data-dir", str(corpus.settings.data_dir)]
    )
    assert result.exit_code == 0, result.output
    entries = {e["id"]: e for e in map(json.loads, result.output.splitlines())}
    entry = entries[corpus.pdf.id]
    assert entry["concerns"] == [UDDEVALLA] and entry["mentions"] == []
    assert entry["municipality_regions"] == {UDDEVALLA: ["fyrbodal"]}


def test_the_document_page_says_what_it_is_about_with_the_region(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    response = client.get(f"/documents/{corpus.pdf.id}")
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    about = next(d for d in page.select("dl.meta div") if "handlar om" in d.dt.get_text())
    assert about.dd.get_text(" ", strip=True) == "Uddevalla (Fyrbodal)"
