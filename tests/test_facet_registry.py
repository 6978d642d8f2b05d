"""The facet registry: a facet declared once (here, in the test) reaches the index, the counts,
`kb search` (option and JSON), the JSON API and the results page with nothing else edited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from kb.config import Settings
from kb.errors import SchemaMismatchError, ValidationError
from kb.facets.registry import DEFAULT_FACETS, Facet, FacetRegistry
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kbcli.search_commands import search_command
from tests.conftest import add_documents, make_document
from web import create_app
from web.i18n import STRINGS

# A stored keyword facet over an existing Document attribute; its legend reuses the "language"
# string ("Språk" / "Language") that the document page already has.
LANGUAGE = Facet(
    "language",
    field="language",
    values_of=lambda doc: (doc.language,),
    multi_valued=False,
    label_key="language",
    cli_help="Language code, e.g. sv (repeatable).",
)
REGISTRY = DEFAULT_FACETS.with_facet(LANGUAGE, after="doc_type")


def _documents() -> list:  # type: ignore[type-arg]
    rows = [
        ("https://www.vara.se/e-arkiv", "E-arkiv i Vara", "sv", "report"),
        ("https://www.skovde.se/e-arkiv", "E-arkiv i Skövde", "sv", "plan"),
        ("https://www.boras.se/e-archive", "E-arkiv in English", "en", "report"),
        ("https://www.boras.se/e-archive-plan", "E-arkiv plan in English", "en", "plan"),
        ("https://www.lidkoping.se/e-arkiv", "E-arkiv på finska", "fi", "plan"),
    ]
    return [
        make_document(url, title, f"{title}: kommunen inför e-arkiv.", doc_type=kind).with_changes(
            language=lang
        )
        for url, title, lang, kind in rows
    ]


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    settings = Settings(data_dir=tmp_path / "data", writer_timeout=2.0, ingest_demo_on_start=False)
    base = KnowledgeBase.open(settings, facets=REGISTRY)
    add_documents(base, _documents())
    yield base
    base.close()


@pytest.fixture
def client(kb: KnowledgeBase) -> FlaskClient:
    app = create_app(kb.settings, {"TESTING": True, "KNOWLEDGE_BASE": kb})
    return app.test_client()


def test_the_new_facet_filters_and_counts(kb: KnowledgeBase) -> None:
    everything = kb.search(SearchRequest(q="e-arkiv"))
    assert {v.value: v.count for v in everything.facets["language"]} == {"sv": 2, "en": 2, "fi": 1}
    english = kb.search(SearchRequest(q="e-arkiv", filters={"language": ("en",)}))
    assert english.total == 2
    assert {h.title for h in english.hits} == {"E-arkiv in English", "E-arkiv plan in English"}
    # Its own filter does not narrow its counts; other facets' filters do.
    assert {v.value: v.count for v in english.facets["language"]}["sv"] == 2
    assert [v.value for v in english.facets["language"] if v.selected] == ["en"]
    plans = kb.search(SearchRequest(q="e-arkiv", filters={"doc_type": ("plan",)}))
    assert {v.value: v.count for v in plans.facets["language"]} == {"sv": 1, "en": 1, "fi": 1}
    assert list(plans.facets)[-2:] == ["language", "year"]  # declared after doc_type


def test_the_new_facet_is_a_cli_option_and_in_the_json(kb: KnowledgeBase) -> None:
    command = search_command(REGISTRY)
    help_text = CliRunner().invoke(command, ["--help"]).output
    assert "--language" in help_text and "Language code" in help_text
    data_dir = str(kb.settings.data_dir)
    result = CliRunner().invoke(
        command,
        ["e-arkiv", "--language", "en", "--language", "fi", "--json", "--data-dir", data_dir],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 3
    counts = {v["value"]: (v["count"], v["selected"]) for v in data["facets"]["language"]}
    assert counts == {"sv": (2, False), "en": (2, True), "fi": (1, True)}
    # The default `kb search` knows nothing of it.
    default = CliRunner().invoke(search_command(), ["--language", "en", "--data-dir", data_dir])
    assert default.exit_code == 2 and "--language" in default.output


def test_the_new_facet_is_an_api_parameter(client: FlaskClient) -> None:
    response = client.get("/api/search?q=e-arkiv&language=fi")
    assert response.status_code == 200
    assert response.json["total"] == 1
    assert response.json["results"][0]["title"] == "E-arkiv på finska"
    values = {v["value"]: v["count"] for v in response.json["facets"]["language"]}
    assert values == {"sv": 2, "en": 2, "fi": 1}


def test_the_new_facet_is_a_group_and_a_chip_on_the_results_page(client: FlaskClient) -> None:
    html = client.get("/search?q=e-arkiv&language=en").get_data(as_text=True)
    group = html.split('id="facet-language"', 1)[1].split("</fieldset>", 1)[0]
    assert "<legend>Språk</legend>" in group
    assert 'id="f-language-en" name="language" value="en" checked' in group
    assert 'id="f-language-sv" name="language" value="sv">' in group
    assert "(2)" in group and "(1)" in group
    assert "2 träffar" in html
    # The chip that removes the filter links to the search without it.
    assert 'href="/search?q=e-arkiv"' in html
    english = client.get("/search?q=e-arkiv&language=en&lang=en").get_data(as_text=True)
    assert "<legend>Language</legend>" in english


def test_an_index_without_the_facet_field_asks_for_a_reindex(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", writer_timeout=2.0, ingest_demo_on_start=False)
    with KnowledgeBase.open(settings) as old:
        add_documents(old, _documents())
    with KnowledgeBase.open(settings, facets=REGISTRY) as new:
        with pytest.raises(SchemaMismatchError, match="kb reindex"):
            new.search(SearchRequest())
        assert new.reindex() == 5
        result = new.search(SearchRequest(filters={"language": ("fi",)}))
        assert result.total == 1


def test_unknown_facets_and_values_are_clear_errors(kb: KnowledgeBase) -> None:
    with pytest.raises(ValidationError, match="colour"):
        kb.search(SearchRequest(filters={"colour": ("red",)}))
    with pytest.raises(ValidationError, match="9999"):
        kb.search(SearchRequest(filters={"municipality": ("9999",)}))
    # A stored-field facet accepts any value: one nobody has simply matches nothing.
    assert kb.search(SearchRequest(filters={"language": ("xx",)})).total == 0


def test_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="share an id"):
        DEFAULT_FACETS.with_facet(Facet("region", field="region2", values_of=lambda d: ()))
    with pytest.raises(ValueError, match="roll-up"):
        FacetRegistry([Facet("county", rollup_of="municipality", rollup=lambda t: {})])
    with pytest.raises(ValueError, match="values_of"):
        FacetRegistry([Facet("x", field="x")])


def test_every_facet_has_its_label_strings() -> None:
    for facet in DEFAULT_FACETS:
        assert facet.legend_key in STRINGS, facet.id
        if facet.rest_label_key:
            assert facet.rest_label_key in STRINGS, facet.id


def test_publisher_is_a_facet_of_recognised_organisations_only() -> None:
    from kb.document import Document, Tag
    from kb.facets.registry import DEFAULT_FACETS

    facet = DEFAULT_FACETS["publisher"]
    base = Document("a", "/a", "t", (), "x", "text/plain")
    known = base.with_changes(publisher="Digg", publisher_org=Tag("org:digg"))
    assert facet.values_of is not None
    assert facet.values_of(known) == ("Digg",)
    assert facet.values_of(base.with_changes(publisher="Stenmark Lena")) == ()
