"""The note above the hits tells hits that lack some words from related hits (none of the
words, kb.search.feedback), on the results page, in the JSON API and in `kb search`: a search
whose extra hits were all related said "Träffar som saknar: matsvinn (1 st, efter dem som har
alla orden)", while each of them said "Relaterad"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from kb.config import Settings
from kb.service import KnowledgeBase
from kbcli.main import cli
from tests.conftest import add_documents, make_document
from tests.test_related import FILLER, TOPIC
from tests.web_corpus import soup
from web import create_app
from web.context import EXTENSION_KEY

UDDEVALLA = "1485"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three documents on food waste that say "matsvinn", one on it in other words (a related
    hit, the only one in Uddevalla) and unrelated ones, so the subject's words are rare."""
    path = Path(tmp_path_factory.mktemp("related-note")) / "data"
    kb = KnowledgeBase.open(Settings(data_dir=path, ingest_demo_on_start=False))
    docs = [
        make_document(f"https://a.se/other/{i}", title, text)
        for i, (title, text) in enumerate(FILLER)
    ]
    docs += [
        make_document(f"https://a.se/matsvinn/{i}", f"Matsvinn {i}", f"Matsvinn i skolan. {TOPIC}")
        for i in (1, 2, 3)
    ]
    docs.append(
        make_document(
            "https://a.se/related",
            "Kostenhetens uppföljning",
            "Måltidspersonalen väger tallrikarna och portionerna anpassas efter eleverna. "
            "Överbliven lunch säljs som matlåda och resten komposteras.",
            municipalities=(UDDEVALLA,),
        )
    )
    add_documents(kb, docs)
    kb.close()
    return path


@pytest.fixture(scope="module")
def app(data_dir: Path) -> Iterator[Flask]:
    app = create_app(
        Settings(data_dir=data_dir, ingest_demo_on_start=False, rate_limit_pages=""),
        {"TESTING": True},
    )
    yield app
    app.extensions[EXTENSION_KEY].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _notes(client: FlaskClient, query: str) -> list[str]:
    page = soup(client.get(f"/search?{query}"))
    return [" ".join(p.get_text().split()) for p in page.select("#search-results p.note.partial")]


def test_related_hits_alone_are_called_related_not_hits_missing_words(
    client: FlaskClient,
) -> None:
    notes = _notes(client, "q=matsvinn")
    assert notes == [
        "Relaterade träffar (1 st, sist): liknar de första träffarna men saknar matsvinn"
    ]
    assert not any("Träffar som saknar" in n for n in notes)
    english = _notes(client, "q=matsvinn&lang=en")
    assert english == ["Related hits (1, last): like the first hits, but without matsvinn"]


def test_hits_lacking_a_word_and_related_hits_get_a_note_each(client: FlaskClient) -> None:
    # Nothing holds both words: the food-waste documents lack the second; the related one both.
    notes = _notes(client, "q=matsvinn+parkeringstillst%C3%A5nd")
    assert notes == [
        "Ingen träff har alla orden – träffarna saknar något av orden: parkeringstillstånd",
        "Relaterade träffar (1 st, sist): liknar de första träffarna men saknar matsvinn, "
        "parkeringstillstånd",
    ]


def test_a_filter_that_keeps_only_related_hits_says_no_hit_holds_the_words(
    client: FlaskClient,
) -> None:
    notes = _notes(client, f"q=matsvinn&municipality={UDDEVALLA}")
    assert notes == [
        "Ingen träff innehåller sökorden (matsvinn) – träffarna är relaterade: de liknar "
        "sökningens bästa träffar utan filtren"
    ]


def test_the_api_counts_related_hits_apart(client: FlaskClient) -> None:
    data = client.get("/api/search?q=matsvinn").get_json()
    assert data["total"] == 4 and data["partial_total"] == 1 and data["related_total"] == 1
    both = client.get("/api/v1/search?q=matsvinn+parkeringstillst%C3%A5nd").get_json()
    assert both["partial_total"] == both["total"] == 4 and both["related_total"] == 1


def test_kb_search_says_what_the_page_says(data_dir: Path, app: Flask) -> None:
    out = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "search", "matsvinn"])
    assert out.exit_code == 0, out.output
    assert "Träffar som saknar" not in out.output
    # The page's own wording (web.i18n_strings), Swedish then English.
    assert (
        "Relaterade träffar (1 st, sist): liknar de första träffarna men saknar matsvinn / "
        "Related hits (1, last): like the first hits, but without matsvinn"
    ) in out.output
    both = CliRunner().invoke(
        cli, ["--data-dir", str(data_dir), "search", "matsvinn parkeringstillstånd"]
    )
    assert "Ingen träff har alla orden" in both.output
    assert "saknar matsvinn, parkeringstillstånd / Related hits (1, last)" in both.output
