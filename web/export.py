"""Downloads of a search: /search.csv and /search.json take the /search parameters.

The hits come in the results page's order, up to EXPORT_MAX_ROWS (the file says when it was cut),
read without snippets (kb's ``snippets=False``): a download needs the facts, not the marked text.
The CSV is web/tabular.py's (Excel-safe); a hit's other addresses of the same original are a
column ("Finns även på", named as on the page: a web address itself, a file by its name with
the address of its document page, where the page links it), and its last column the words a
partial or related hit lacks (the page's "Saknar: …"); the JSON is kb.search.serialize's hit
shape, the one /api/v1/search sends, inside a small envelope.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, request, url_for

from kb.search.request import MAX_PAGE_SIZE
from kb.search.results import Hit
from kb.search.serialize import copy_name, hit_json
from web.context import current_kb, labels
from web.hits import public_url
from web.i18n import translate
from web.params import request_params
from web.search_handler import requested_search, search_page_url
from web.tabular import csv_response, json_response, separator

bp = Blueprint("export", __name__)

# A download is for reading in a spreadsheet, not for copying the index: the first rows only.
EXPORT_MAX_ROWS = 1000
CSV_COLUMNS = (
    "export_title",
    "export_date",
    "facet_doc_type",
    "export_focus_areas",
    "export_municipalities",
    "export_regions",
    "facet_publisher",
    "export_page",
    "export_original",
    "export_also_at",
    "export_id",
    "export_missing",
)


def exported_hits() -> tuple[int, list[Hit]]:
    """The total of the URL's search and its first EXPORT_MAX_ROWS hits in the page's order."""
    kb = current_kb()
    req = replace(requested_search(), page_size=MAX_PAGE_SIZE, page=1)
    hits: list[Hit] = []
    total = 0
    while len(hits) < EXPORT_MAX_ROWS:
        result = kb.search(req, facets=False, snippets=False)
        total = result.total
        hits.extend(result.hits)
        if not result.hits or len(hits) >= total:
            break
        req = replace(req, page=req.page + 1)
    return total, hits[:EXPORT_MAX_ROWS]


def _row(hit: Hit) -> list[str | int | None]:
    return [
        hit.title,
        hit.date or (str(hit.year) if hit.year else ""),
        labels("doc_type", [hit.doc_type])[0],
        "; ".join(labels("focus_area", hit.focus_areas)),
        "; ".join(labels("municipality", hit.municipalities)),
        "; ".join(labels("region", hit.regions)),
        hit.publisher,
        url_for("pages.document", doc_id=hit.id, _external=True),
        public_url(hit.url, hit.id),
        # One original at several addresses is one row, as on the page: it names the others.
        "; ".join(_also_at(url, doc_id) for url, doc_id in hit.also_at),
        hit.id,
        _missing(hit),
    ]


def _also_at(source: str, doc_id: str) -> str:
    """One other address of the hit's original in its cell: a web address itself; a file as
    the page shows it, by its name, with its document page's address ("plan.pdf
    (https://…/documents/<id>)"). A cell holds no link text, so the address a reader can paste
    stands beside the name; not the kept copy's download address, which is the same file as the
    row's "Original" (the page links the name to the document page too)."""
    name = copy_name(source)
    if name == source:
        return source
    return f"{name} ({url_for('pages.document', doc_id=doc_id, _external=True)})"


def _missing(hit: Hit) -> str:
    """The words a partial hit lacks, as the page names them; a related hit says so too (a
    spreadsheet of 'tjänstedesign' must not pass off look-alikes as documents that say it)."""
    if not hit.partial:
        return ""
    words = ", ".join(hit.missing)
    return translate("export_related", words=words) if hit.related else words


@bp.get("/search.csv")
def search_csv() -> Response:
    """The search's hits as CSV, one row per document."""
    _, hits = exported_hits()
    header = [translate(key) for key in CSV_COLUMNS]
    return csv_response(
        header,
        (_row(h) for h in hits),
        "kunskapsbanken-sok.csv",
        separator(request.args.get("sep", "")),
    )


@bp.get("/search.json")
def search_json_download() -> Response:
    """The search's hits as JSON: the search, how many there are, and the hits (no snippets)."""
    total, hits = exported_hits()
    req = requested_search()
    data = {
        "search": search_page_url(req, external=True),
        "parameters": [list(p) for p in request_params(req, with_page=False)],
        "total": total,
        "exported": len(hits),
        "truncated": len(hits) < total,
        "results": [
            {
                k: v
                for k, v in hit_json(h, public_url, current_kb().taxonomy).items()
                if k not in ("snippet", "page")
            }
            for h in hits
        ],
    }
    return json_response(data, "kunskapsbanken-sok.json")
