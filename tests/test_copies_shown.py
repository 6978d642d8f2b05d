"""Which copy of one original is the hit, and how the others are named outside the pages: the
choice among copies that rank alike survives ``kb reindex`` (kb.search.copies.tie_key), and the
spreadsheet download and ``kb search`` name a file copy as the results page does."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from kb.config import Settings
from kb.document import document_id
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kbcli.main import cli
from tests.conftest import add_documents, make_document
from tests.copies_support import OTHER, PLAN, app_client, file_bank

GUIDE = "Vägledning om tillgänglighet: så skriver kommunen begripliga texter på webben."


def _shown(kb: KnowledgeBase) -> dict[tuple[str, str, str], str]:
    """(query, sort, title) -> the address of the copy that is the hit."""
    shown = {}
    for sort in ("relevance", "newest", "added"):
        for q in ("", "tillgänglighet"):
            for hit in kb.search(SearchRequest(q=q, sort=sort)).hits:
                shown[(q, sort, hit.title)] = hit.url
    return shown


def test_of_copies_that_rank_alike_the_same_is_shown_after_a_reindex(kb: KnowledgeBase) -> None:
    # Two web addresses of one guide, ingested in the same second (``added`` is kept to the
    # second), and two files of one plan, the later one ingested first. Each pair ranks alike
    # (the same text, date and tags). The shown copy must not depend on the order of the index,
    # which kb reindex rebuilds by document id (a.se's guide and the later plan come first).
    same_second = "2025-02-03T10:00:00+00:00"
    add_documents(
        kb,
        [
            make_document("https://a.se/guide.pdf", "Vägledning", GUIDE).with_changes(
                added=same_second
            ),
            make_document("https://b.se/guide.pdf", "Vägledning", GUIDE).with_changes(
                added=same_second
            ),
            make_document("/srv/inbox/a/plan.pdf", "Handlingsplan", PLAN).with_changes(
                added="2025-06-01T08:00:00+00:00"
            ),
            make_document("/srv/inbox/b/plan.pdf", "Handlingsplan", PLAN).with_changes(
                added="2024-03-01T08:00:00+00:00"
            ),
            make_document("https://kommun.se/lokaler", "Lokaler", OTHER),
        ],
    )
    before = _shown(kb)
    assert kb.reindex() == 5
    after = _shown(kb)
    assert after == before
    for q in ("", "tillgänglighet"):
        for sort in ("relevance", "newest", "added"):
            # Added in the same second: the address first in sort order.
            assert after[(q, sort, "Vägledning")] == "https://a.se/guide.pdf", (q, sort)
            # Two files: the one added first (the feed's rule in every sort).
            assert after[(q, sort, "Handlingsplan")] == "/srv/inbox/b/plan.pdf", (q, sort)
    assert kb.search(SearchRequest(q="tillgänglighet")).total == 3


def test_the_spreadsheet_download_names_a_file_copy_as_the_page_does(
    kb: KnowledgeBase, settings: Settings
) -> None:
    file_bank(kb)
    local = document_id("/srv/inbox/plan.pdf")
    with app_client(settings) as client:
        excel = client.get("/search.csv?q=tillg%C3%A4nglighet&sep=semicolon").get_data(as_text=True)
        data = client.get("/search.json?q=tillg%C3%A4nglighet").get_json()
    rows = list(csv.DictReader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";"))
    plan = next(r for r in rows if r["Titel"] == "Handlingsplan")
    assert plan["Original"] == "https://kommun.se/plan.pdf"
    # The page's name, with the address of the document page the page links it to: never the
    # path on the ingesting machine, nor the kept copy's download (the same file as Original).
    assert plan["Finns även på"] == f"plan.pdf (http://localhost/documents/{local})"
    assert "/srv/inbox" not in excel
    # The JSON download has the API's entry, with the same name.
    [hit] = [h for h in data["results"] if h["also_at"]]
    assert [(c["id"], c["name"]) for c in hit["also_at"]] == [(local, "plan.pdf")]


def test_kb_search_names_a_file_copy_as_the_page_does(
    kb: KnowledgeBase, settings: Settings
) -> None:
    file_bank(kb)
    local = document_id("/srv/inbox/plan.pdf")
    out = CliRunner().invoke(
        cli, ["search", "tillgänglighet", "--data-dir", str(settings.data_dir)]
    )
    assert out.exit_code == 0, out.output
    # Its name, with the id its page link carries (what kb edit and kb remove take).
    assert f"   Finns även på (also at): plan.pdf (id {local})\n" in out.output
    assert "/srv/inbox" not in out.output
