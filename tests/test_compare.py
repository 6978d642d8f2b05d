"""The comparison (kb.search.compare, /jamfor, /api/v1/compare) and the downloads (CSV, JSON) on the
web test corpus: every count is the total of the search its link opens, empty cells say so, and
the CSV is safe and readable by Excel and by Python's csv module."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from kb.config import Settings
from kb.search.compare import chosen_rows
from kb.service import KnowledgeBase
from kb.taxonomy.model import Membership, Taxonomy
from tests.conftest import add_documents, make_document
from tests.web_corpus import BORAS, TROLLHATTAN, UDDEVALLA, VANERSBORG, WebCorpus
from web import create_app
from web.tabular import csv_text, safe_cell

FYRBODAL_SIZE = len(Taxonomy.load().regions["fyrbodal"].members)


def page(client: FlaskClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def search_total(client: FlaskClient, href: str) -> int:
    """The total of the search a link opens, read from the JSON API with the same parameters."""
    parts = urlsplit(href)
    assert parts.path == "/search"
    response = client.get("/api/v1/search?" + parts.query)
    assert response.status_code == 200
    return int(response.json["total"])


@pytest.mark.parametrize(
    "query",
    [
        "region=fyrbodal",
        "region=fyrbodal&region=sjuharad&q=e-arkiv&doc_type=guide&doc_type=project",
    ],
)
def test_every_count_links_to_a_search_with_that_many_hits(client: FlaskClient, query: str) -> None:
    table = page(client, f"/jamfor?{query}").find("table", id="compare-table")
    assert table.caption.get_text(strip=True).startswith("Dokument per fokusområde och kommun")
    links = table.select("td a")
    assert links, "no count links"
    for link in links:
        shown = int(link.contents[0].strip())
        assert search_total(client, link["href"]) == shown, link["href"]


def test_table_marks_empty_cells_and_uses_header_scopes(client: FlaskClient) -> None:
    table = page(client, "/jamfor?region=fyrbodal").find("table", id="compare-table")
    head = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert head[0] == "Kommun" and "Digital kompetens" in head and head[-1] == "Dokument totalt"
    assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    rows = table.tbody.find_all("tr")
    assert len(rows) == FYRBODAL_SIZE
    assert all(r.th["scope"] == "row" for r in rows)
    # Bengtsfors has no document: every cell says so in words, not as a blank or a bare 0.
    bengtsfors = next(r for r in rows if r.th.get_text(strip=True) == "Bengtsfors")
    assert [td.get_text(strip=True) for td in bengtsfors.find_all("td")] == ["inga dokument"] * 6
    uddevalla = next(r for r in rows if r.th.get_text(strip=True) == "Uddevalla")
    cells = uddevalla.find_all("td")
    assert cells[0].get_text(strip=True) == "inga dokument"  # no digital competence
    assert cells[4].a is not None  # digital infrastructure, linked


def test_english_page_and_no_table_until_a_choice(client: FlaskClient) -> None:
    start = page(client, "/jamfor")
    assert start.find("table") is None
    assert start.find("select", attrs={"name": "region"}) is not None
    english = page(client, "/jamfor?region=fyrbodal&lang=en")
    assert english.find("caption").get_text(strip=True).startswith("Documents per focus area")
    assert "no documents" in english.find("table").get_text()


def test_scope_filters_survive_a_new_choice(client: FlaskClient) -> None:
    form = page(client, "/jamfor?q=e-arkiv&doc_type=guide&region=fyrbodal").find(
        "form", class_="compare-form"
    )
    hidden = {(i["name"], i["value"]) for i in form.find_all("input", attrs={"type": "hidden"})}
    assert hidden == {("q", "e-arkiv"), ("doc_type", "guide")}
    dated = page(client, "/jamfor?region=fyrbodal&on=2019-06-30").find("input", id="cmp-on")
    assert dated["type"] == "date" and dated["value"] == "2019-06-30"


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("q=e-arkiv&lang=sv", "matchar sökningen ”e-arkiv”. Visa sökningen"),
        ("q=e-arkiv&doc_type=guide&lang=sv", "matchar sökningen ”e-arkiv” och filtren. Visa"),
        ("doc_type=guide&lang=sv", "matchar sökningen och filtren. Visa sökningen"),
        ("q=e-arkiv&doc_type=guide&lang=en", "match the search “e-arkiv” and its filters. Show"),
    ],
)
def test_the_scope_note_names_the_query_the_form_does_not_show(
    client: FlaskClient, query: str, note: str
) -> None:
    found = page(client, f"/jamfor?region=fyrbodal&{query}").find("p", class_="note")
    assert note in " ".join(found.get_text(" ").split())


def test_results_page_links_to_downloads_and_the_comparison(client: FlaskClient) -> None:
    links = page(client, "/search?q=e-arkiv&region=fyrbodal").find("p", class_="export-links")
    hrefs = [a["href"] for a in links.find_all("a")]
    assert hrefs[0] == "/search.csv?q=e-arkiv&region=fyrbodal&sep=semicolon"  # Swedish Excel
    assert hrefs[1] == "/search.csv?q=e-arkiv&region=fyrbodal"
    assert hrefs[2] == "/search.json?q=e-arkiv&region=fyrbodal"
    assert hrefs[3] == "/jamfor?q=e-arkiv&region=fyrbodal"
    unfiltered = page(client, "/search").find("p", class_="export-links").find("a")
    assert unfiltered["href"] == "/search.csv?sep=semicolon"


def test_api_compare_equals_the_table(client: FlaskClient) -> None:
    data = client.get(f"/api/v1/compare?municipality={UDDEVALLA}&municipality={BORAS}").json
    assert [r["value"] for r in data["rows"]] == [UDDEVALLA, BORAS]
    assert data["columns"][0]["value"] == "digital-kompetens"
    for row in data["rows"]:
        for column, count in zip(data["columns"], row["counts"], strict=True):
            total = client.get(
                f"/api/v1/search?municipality={row['value']}&focus_area={column['value']}"
            ).json["total"]
            assert total == count
    assert data["empty_cells"] == sum(n == 0 for r in data["rows"] for n in r["counts"])


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/v1/compare?region=atlantis", "region"),
        ("/api/v1/compare?municipality=9999", "9999"),
        ("/api/v1/compare?on=igår", "on"),
        ("/api/v1/compare?focus_area=nope", "focus_area"),
    ],
)
def test_api_compare_errors_use_the_envelope(client: FlaskClient, url: str, words: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert words in response.json["error"]["message"]


def test_table_csv_has_bom_and_parses(client: FlaskClient) -> None:
    response = client.get("/jamfor.csv?region=fyrbodal")
    assert response.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Kommun", "Kod"] and rows[0][-1] == "Dokument totalt"
    by_code = {r[1]: r for r in rows[1:-1]}
    assert len(by_code) == FYRBODAL_SIZE
    api = client.get("/api/v1/compare?region=fyrbodal").json
    for row in api["rows"]:
        assert [int(x) for x in by_code[row["value"]][2:-1]] == row["counts"]
    assert rows[-1][0] == "Alla valda kommuner" and int(rows[-1][-1]) == api["total"]
    semicolon = client.get("/jamfor.csv?region=fyrbodal&sep=semicolon").data.decode("utf-8-sig")
    assert semicolon.splitlines()[0].startswith("Kommun;Kod;")


def test_search_csv_and_json_hold_every_hit(client: FlaskClient, corpus: WebCorpus) -> None:
    total = client.get("/api/v1/search?q=e-arkiv").json["total"]
    assert total > 10  # more than one page
    rows = list(
        csv.DictReader(io.StringIO(client.get("/search.csv?q=e-arkiv").data.decode("utf-8-sig")))
    )
    assert len(rows) == total
    first = rows[0]
    assert first["Dokumentsida"].startswith("http://localhost/documents/")
    data = json.loads(client.get("/search.json?q=e-arkiv").data)
    assert data["total"] == data["exported"] == total and not data["truncated"]
    assert [r["Id"] for r in rows] == [h["id"] for h in data["results"]]
    munis = {r["Kommuner"] for r in rows}
    assert "Trollhättan" in munis


def test_csv_cells_cannot_run_as_formulas() -> None:
    assert safe_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    for start in "=+-@\t\r":
        assert str(safe_cell(start + "1")).startswith("'")
    assert safe_cell(-3) == -3 and safe_cell("Plan 2024") == "Plan 2024"
    text = csv_text(["a"], [['x, "y"\nz']])
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [["a"], ['x, "y"\nz']]


def test_search_csv_of_a_hostile_title_is_inert(settings: Settings) -> None:
    kb = KnowledgeBase.open(settings)
    add_documents(
        kb,
        [
            make_document(
                "https://x.example/a",
                '=HYPERLINK("http://evil.example","Klicka")',
                "E-arkiv för alla.",
                municipalities=(TROLLHATTAN,),
            ),
            make_document("https://x.example/b", "@SUM(A1:A2) e-arkiv", "E-arkiv igen."),
        ],
    )
    app = create_app(settings, {"TESTING": True, "KNOWLEDGE_BASE": kb})
    body = app.test_client().get("/search.csv?q=e-arkiv").data.decode("utf-8-sig")
    titles = [r["Titel"] for r in csv.DictReader(io.StringIO(body))]
    assert sorted(titles) == [
        '\'=HYPERLINK("http://evil.example","Klicka")',
        "'@SUM(A1:A2) e-arkiv",
    ]
    kb.close()


def test_region_members_on_a_past_day() -> None:
    tax = Taxonomy.load()
    fyrbodal = tax.regions["fyrbodal"]
    dated = replace(
        fyrbodal,
        memberships=(
            *fyrbodal.memberships,
            Membership("1383", date(2005, 1, 1), date(2019, 12, 31)),
        ),
    )
    changed = replace(tax, regions={**tax.regions, "fyrbodal": dated})
    assert "1383" in chosen_rows(changed, ["fyrbodal"], on=date(2010, 6, 1))
    assert "1383" not in chosen_rows(changed, ["fyrbodal"], on=date(2024, 6, 1))
    assert chosen_rows(changed, ["fyrbodal"], [VANERSBORG, "1383"])[-1] == "1383"


def test_search_csv_names_the_words_a_partial_hit_lacks(settings: Settings) -> None:
    kb = KnowledgeBase.open(settings)
    add_documents(
        kb,
        [
            make_document("https://x.example/a", "Bygglov och e-arkiv", "E-arkiv för bygglov."),
            make_document("https://x.example/b", "Bara e-arkiv", "E-arkiv för alla nämnder."),
        ],
    )
    app = create_app(settings, {"TESTING": True, "KNOWLEDGE_BASE": kb})
    body = app.test_client().get("/search.csv?q=e-arkiv+bygglov").data.decode("utf-8-sig")
    rows = {r["Titel"]: r["Saknar orden"] for r in csv.DictReader(io.StringIO(body))}
    assert rows == {"Bygglov och e-arkiv": "", "Bara e-arkiv": "bygglov"}
    english = app.test_client().get("/search.csv?q=e-arkiv+bygglov&lang=en").data
    assert english.decode("utf-8-sig").splitlines()[0].endswith(",Missing words")
    kb.close()


def test_one_document_is_singular_in_english(client: FlaskClient) -> None:
    soup = page(client, "/jamfor?region=fyrbodal&lang=en")
    names = []
    for link in soup.select("td.count a"):
        hidden = link.select_one(".visually-hidden").get_text(" ", strip=True)
        number = int(link.get_text(" ", strip=True).removesuffix(hidden).strip().replace(",", ""))
        names.append((number, hidden))
    assert any(n == 1 for n, _ in names) and any(n > 1 for n, _ in names)
    for n, hidden in names:
        assert hidden.startswith("document " if n == 1 else "documents "), (n, hidden)
    for chart in soup.select(".chart-text"):
        text = chart.get_text(" ", strip=True)
        assert not text.startswith("1 documents"), text


def test_the_english_address_leads_to_the_comparison(client: FlaskClient) -> None:
    response = client.get("/compare?region=fyrbodal&lang=en")
    assert response.status_code == 301
    location = response.headers["Location"]
    assert urlsplit(location).path == "/jamfor"
    assert urlsplit(location).query == "region=fyrbodal&lang=en"  # the choice and language kept
    assert page(client, location).find("table") is not None


def test_an_unknown_home_region_is_explained_in_the_requested_language(
    client: FlaskClient,
) -> None:
    response = client.get("/api/v1/search?q=e-arkiv&home_region=atlantis&lang=en")
    assert response.status_code == 400
    assert response.json["error"]["message"] == "Unknown home region (home_region): atlantis"
    swedish = client.get("/search?q=e-arkiv&home_region=atlantis")
    assert swedish.status_code == 400
    text = BeautifulSoup(swedish.data, "html.parser").get_text(" ", strip=True)
    assert "Okänd hemregion (home_region): atlantis" in text
    assert "unknown" not in text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/compare?region=atlantis&lang=en", "Unknown value for region: atlantis. Choose"),
        ("/api/v1/compare?municipality=9999&lang=en", "Unknown value for municipality: 9999. The"),
        ("/api/v1/compare?region=atlantis", "Okänt värde för region: atlantis. Välj bland"),
    ],
)
def test_compare_errors_are_in_one_language(client: FlaskClient, url: str, message: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    said = response.json["error"]["message"]
    assert said.startswith(message)
    # No word of the other language anywhere in the message (its start alone is checked above).
    other = ("Unknown", "Choose") if message.startswith("Okänt") else ("Okänt", "Välj")
    assert not [word for word in other if word in said], said


def test_compare_page_error_names_the_filter_in_english(client: FlaskClient) -> None:
    response = client.get("/jamfor?region=atlantis&lang=en")
    assert response.status_code == 400
    text = BeautifulSoup(response.data, "html.parser").get_text(" ", strip=True)
    assert "Unknown value for Region and municipality: atlantis" in text
    assert "Okänd" not in text


def test_a_bad_day_is_explained_by_the_field_the_officer_sees(client: FlaskClient) -> None:
    response = client.get("/jamfor?region=fyrbodal&on=2019-13-45")
    assert response.status_code == 400
    text = BeautifulSoup(response.data, "html.parser").get_text(" ", strip=True)
    assert "Dagen för regionens medlemmar (on) måste vara ett datum" in text
    assert "2019-13-45" in text
