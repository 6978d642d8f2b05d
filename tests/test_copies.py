"""One original under several addresses (kb.search.copies): one hit, which says where else the
same file is published, counted once in the hit count and in each facet value."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from kb.config import Settings
from kb.document import document_id
from kb.search.request import SearchRequest
from kb.search.serialize import search_json
from kb.service import KnowledgeBase
from kbcli.main import cli
from tests import related_support
from tests.conftest import add_documents, make_document
from tests.copies_support import OTHER, PLAN, app_client, file_bank, web_bank


def test_the_same_original_at_two_addresses_is_one_hit_that_names_the_other(
    kb: KnowledgeBase,
) -> None:
    web_bank(kb)
    result = kb.search(SearchRequest(q="tillgänglighet"))
    urls = [h.url for h in result.hits]
    assert result.total == 2 and len(urls) == 2
    assert "https://kommun.se/lokaler" in urls
    plan = next(h for h in result.hits if h.title == "Handlingsplan")
    both = {"https://kommun.se/plan.pdf", "https://region.se/dokument/plan.pdf"}
    other = (both - {plan.url}).pop()
    assert [url for url, _ in plan.also_at] == [other]
    # The API says so too, in its documented field.
    data = search_json(result)
    by_url = {r["url"]: r for r in data["results"]}
    assert by_url[plan.url]["also_at"][0]["url"] == other
    assert by_url["https://kommun.se/lokaler"]["also_at"] == []


def test_facet_counts_count_one_original_once(kb: KnowledgeBase) -> None:
    web_bank(kb)
    result = kb.search(SearchRequest(q="tillgänglighet"))
    counts = {f: {v.value: v.count for v in vs} for f, vs in result.facets.items()}
    assert counts["municipality"]["1484"] == 2  # the plan and the premises, not three
    assert counts["doc_type"]["other"] == 2
    assert counts["region"]["fyrbodal"] == 2  # Lysekil and Uddevalla are members
    # Only the region's copy is tagged Uddevalla: the plan counts there, and a click shows it.
    assert counts["municipality"]["1485"] == 1
    one = kb.search(SearchRequest(q="tillgänglighet", filters={"municipality": ("1485",)}))
    assert [h.url for h in one.hits] == ["https://region.se/dokument/plan.pdf"]
    assert [url for url, _ in one.hits[0].also_at] == ["https://kommun.se/plan.pdf"]


def test_a_browse_lists_one_original_once(kb: KnowledgeBase) -> None:
    web_bank(kb)
    result = kb.search(SearchRequest(q="", page_size=50))
    assert result.total == 2 and len(result.hits) == 2


def test_a_copy_that_gets_new_bytes_is_a_hit_of_its_own(kb: KnowledgeBase) -> None:
    web_bank(kb)
    add_documents(
        kb,
        [make_document("https://region.se/dokument/plan.pdf", "Handlingsplan", PLAN + " Rev 2.")],
    )
    result = kb.search(SearchRequest(q="tillgänglighet"))
    assert result.total == 3
    assert all(not h.also_at for h in result.hits)


def test_the_pages_name_the_other_address(kb: KnowledgeBase, settings: Settings) -> None:
    web_bank(kb)
    with app_client(settings) as client:
        html = client.get("/search?q=tillg%C3%A4nglighet").get_data(as_text=True)
        plan = next(h for h in kb.search(SearchRequest(q="tillgänglighet")).hits if h.also_at)
        page = client.get(f"/documents/{plan.id}").get_data(as_text=True)
        copy = client.get(f"/documents/{plan.also_at[0][1]}").get_data(as_text=True)
        lone = client.get(f"/documents/{document_id('https://kommun.se/lokaler')}").get_data(
            as_text=True
        )
        english = client.get("/search?q=tillg%C3%A4nglighet&lang=en").get_data(as_text=True)
    other = plan.also_at[0][0]
    assert html.count("Finns även på") == 1 and f'href="{other}"' in html
    assert "Also at" in english
    # The document page of either copy names the other; a document without copies names none.
    assert "Finns även på" in page and f'href="{other}"' in page
    assert f'href="{plan.url}"' in copy and "Finns även på" in copy
    assert "Finns även på" not in lone


def test_the_embeds_other_address_opens_outside_its_frame(
    kb: KnowledgeBase, settings: Settings
) -> None:
    # Every other link of a hit in the intranet's iframe opens in the top window: a site opened
    # inside the frame is often refused (X-Frame-Options), and the service's own pages belong
    # outside it.
    from bs4 import BeautifulSoup

    web_bank(kb)
    with app_client(settings) as client:
        html = client.get("/embed?q=tillg%C3%A4nglighet").get_data(as_text=True)
    also = [
        a
        for dt in BeautifulSoup(html, "html.parser").find_all("dt", string="Finns även på")
        for a in dt.find_next_sibling("dd").find_all("a")
    ]
    assert also and all(a.get("target") == "_top" for a in also)


def test_the_api_document_names_the_other_address(kb: KnowledgeBase, settings: Settings) -> None:
    web_bank(kb)
    with app_client(settings) as client:
        doc = client.get(f"/api/documents/{document_id('https://kommun.se/plan.pdf')}")
    assert doc.get_json()["also_at"] == [
        {
            "url": "https://region.se/dokument/plan.pdf",
            "id": document_id("https://region.se/dokument/plan.pdf"),
            "name": "https://region.se/dokument/plan.pdf",
        }
    ]


def test_similar_documents_leave_out_the_documents_own_copies(kb: KnowledgeBase) -> None:
    web_bank(kb)
    # A third copy elsewhere, so that two copies remain for another document's list.
    add_documents(
        kb,
        [make_document("https://c.se/plan.pdf", "Handlingsplan", PLAN, municipalities=("1484",))],
    )
    plan = document_id("https://kommun.se/plan.pdf")
    copies = {"https://region.se/dokument/plan.pdf", "https://c.se/plan.pdf"}
    # The page names them as "Also at".
    assert not copies & {h.url for h in related_support.similar(kb, plan)}
    # Another document's list shows the original once.
    similar = [h.url for h in related_support.similar(kb, document_id("https://kommun.se/lokaler"))]
    assert len([u for u in similar if u.endswith("plan.pdf")]) == 1


def test_kb_stats_says_how_many_distinct_originals(kb: KnowledgeBase, settings: Settings) -> None:
    web_bank(kb)
    runner = CliRunner()
    args = ["--data-dir", str(settings.data_dir)]
    text = runner.invoke(cli, ["stats", *args], catch_exceptions=False)
    assert text.exit_code == 0, text.output
    assert "documents in the index: 3" in text.output
    assert (
        "Olika original / distinct originals: 2 (1 kopia på en annan adress räknas en gång, "
        "som i sökningen / 1 copy at another address counted once, as in search)" in text.output
    )
    data = json.loads(runner.invoke(cli, ["stats", "--json", *args]).output)
    assert (data["documents"], data["originals"]) == (3, 2)
    # As many as a search for everything shows.
    assert kb.search(SearchRequest()).total == data["originals"]


def test_the_spreadsheet_download_names_the_other_address(
    kb: KnowledgeBase, settings: Settings
) -> None:
    web_bank(kb)
    with app_client(settings) as client:
        excel = client.get("/search.csv?q=tillg%C3%A4nglighet&sep=semicolon").get_data(as_text=True)
        english = client.get("/search.csv?q=tillg%C3%A4nglighet&lang=en").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 2  # one row per hit, as the page
    plan = next(r for r in rows if r["Titel"] == "Handlingsplan")
    both = {"https://kommun.se/plan.pdf", "https://region.se/dokument/plan.pdf"}
    assert {plan["Original"], plan["Finns även på"]} == both
    assert next(r for r in rows if r["Titel"] == "Lokaler")["Finns även på"] == ""
    assert "Also at" in english.splitlines()[0]


def _fyrbodal_bank(kb: KnowledgeBase) -> None:
    """The same plan on Uddevalla's site and on the region's, and Vänersborg's own."""
    copy = {"focus_areas": ("digital-infrastruktur",), "municipalities": ("1485",)}
    add_documents(
        kb,
        [
            make_document("https://uddevalla.se/plan.pdf", "Handlingsplan", PLAN, **copy),
            make_document("https://fyrbodal.se/dokument/plan.pdf", "Handlingsplan", PLAN, **copy),
            make_document(
                "https://vanersborg.se/lokaler",
                "Lokaler",
                OTHER,
                focus_areas=("digital-infrastruktur",),
                municipalities=("1487",),
            ),
        ],
    )


def test_the_comparison_counts_an_original_once_as_the_search_it_links_to(
    kb: KnowledgeBase, settings: Settings
) -> None:
    from bs4 import BeautifulSoup

    _fyrbodal_bank(kb)
    with app_client(settings) as client:
        html = client.get("/jamfor?region=fyrbodal").get_data(as_text=True)
        links = BeautifulSoup(html, "html.parser").select("#compare-table td a")
        shown = {a["href"]: int(a.contents[0].strip()) for a in links}
        totals = {href: client.get("/api/v1/search?" + href.split("?", 1)[1]).json["total"]
                  for href in shown}  # fmt: skip
        table = client.get("/api/v1/compare?region=fyrbodal").json
    assert shown and shown == totals  # every count is the hits its link shows
    comparison = kb.compare(SearchRequest(), regions=("fyrbodal",))
    assert comparison.total == 2 == kb.search(SearchRequest()).total
    column = comparison.columns.index("digital-infrastruktur")
    assert comparison.column_totals[column] == 2
    uddevalla = comparison.rows.index("1485")
    assert comparison.counts[uddevalla][column] == 1  # the plan: one, not two
    assert comparison.row_totals[uddevalla] == 1
    assert table["total"] == 2


def test_the_suggestions_count_an_original_once_as_the_results_page(kb: KnowledgeBase) -> None:
    _fyrbodal_bank(kb)
    found = {(s.kind, s.value): s.count for s in kb.suggest("uddev")}
    assert found[("facet", "1485")] == 1
    assert kb.search(SearchRequest(filters={"municipality": ("1485",)})).total == 1
    words = {s.text: s.count for s in kb.suggest("handlingsp") if s.kind == "word"}
    assert words["handlingsplan"] == 1 == kb.search(SearchRequest(q="handlingsplan")).total
    digital = {s.value: s.count for s in kb.suggest("digital infr") if s.kind == "facet"}
    assert digital == {"digital-infrastruktur": 2}  # the plan once and Vänersborg's


def test_a_copy_published_later_is_not_news(kb: KnowledgeBase) -> None:
    # The plan was added in 2024; the region put the same PDF on its site in 2025. Sorted by
    # when documents were added (the page's "Senast tillagda" and the Atom feed), the hit is
    # the plan as first added, so a feed reader does not announce an old document as new.
    first = make_document("https://kommun.se/plan.pdf", "Handlingsplan", PLAN)
    later = make_document("https://region.se/dokument/plan.pdf", "Handlingsplan", PLAN)
    fresh = make_document("https://kommun.se/lokaler", "Lokaler", OTHER)
    add_documents(
        kb,
        [
            first.with_changes(added="2024-03-01T08:00:00+00:00"),
            later.with_changes(added="2025-06-01T08:00:00+00:00"),
            fresh.with_changes(added="2024-09-01T08:00:00+00:00"),
        ],
    )
    for q in ("", "tillgänglighet"):
        result = kb.search(SearchRequest(q=q, sort="added"))
        assert [h.url for h in result.hits] == [
            "https://kommun.se/lokaler",
            "https://kommun.se/plan.pdf",
        ], q
        assert [url for url, _ in result.hits[1].also_at] == ["https://region.se/dokument/plan.pdf"]


def test_of_tied_copies_the_web_address_is_the_hit_not_the_local_file(kb: KnowledgeBase) -> None:
    # An officer ingested the plan from a file first; the municipality's page holds the same PDF.
    # The two rank alike (the same text, date and tags): the hit links to the public page, and
    # names the file as the other address. The file stays the hit when it ranks higher.
    file_bank(kb)
    for sort in ("relevance", "newest", "added"):
        for q in ("", "tillgänglighet"):
            result = kb.search(SearchRequest(q=q, sort=sort))
            plan = next(h for h in result.hits if h.title == "Handlingsplan")
            assert result.total == 2, (q, sort)
            assert plan.url == "https://kommun.se/plan.pdf", (q, sort)
            assert [url for url, _ in plan.also_at] == ["/srv/inbox/plan.pdf"], (q, sort)


def test_the_api_names_each_other_address_as_the_pages_show_it(
    kb: KnowledgeBase, settings: Settings
) -> None:
    file_bank(kb)
    local, web = document_id("/srv/inbox/plan.pdf"), document_id("https://kommun.se/plan.pdf")
    with app_client(settings) as client:
        hits = client.get("/api/v1/search?q=tillg%C3%A4nglighet").get_json()["results"]
        doc = client.get(f"/api/v1/documents/{local}").get_json()
        html = client.get("/search?q=tillg%C3%A4nglighet").get_data(as_text=True)
    plan = next(h for h in hits if h["also_at"])
    # The file: its name (what the page shows, linked to its document page), never its path;
    # its url is the kept copy.
    [copy] = plan["also_at"]
    assert (copy["id"], copy["name"]) == (local, "plan.pdf")
    assert copy["url"].endswith(f"/documents/{local}/original")
    assert f'href="/documents/{local}">plan.pdf</a>' in html
    # A web address is named by itself.
    named = {"url": "https://kommun.se/plan.pdf", "id": web, "name": "https://kommun.se/plan.pdf"}
    assert doc["also_at"] == [named]
