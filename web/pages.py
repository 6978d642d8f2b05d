"""The pages officers use: start, results, document, kept copy, accessibility statement, OpenSearch.

Every view reads its state from the URL, calls the one KnowledgeBase and renders a template;
nothing here searches or counts by itself.
"""

from __future__ import annotations

import unicodedata

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from kb.document import PASSAGE_EVIDENCE, Document
from kb.errors import ValidationError
from kb.search.request import SearchRequest
from kb.taxonomy.model import Taxonomy
from web.came_from import BACK, back_params, back_query, results_came_from
from web.context import current_kb, label
from web.errors import error_response
from web.hit_markup import also_at_links
from web.hits import excerpt
from web.i18n import count_text, current_language, switch_url
from web.search_handler import corrected_search_url, render_search
from web.security import UNTRUSTED_CSP

bp = Blueprint("pages", __name__)

NEWEST_COUNT = 6
RELATED_COUNT = 5


@bp.get("/")
def index() -> str:
    """Start page: the search box, focus areas and regions with counts, new in the bank."""
    kb = current_kb()
    # "Nytt i kunskapsbanken": the documents added last, whatever their own date.
    result = kb.search(SearchRequest(sort="added", page_size=NEWEST_COUNT))
    focus_counts = {fv.value: fv.count for fv in result.facets.get("focus_area", ())}
    region_counts = {fv.value: fv.count for fv in result.facets.get("region", ())}
    focus_areas = [
        {
            "id": fa_id,
            "label": label("focus_area", fa_id),
            "description": _localised(fa, "description"),
            "count": focus_counts.get(fa_id, 0),
        }
        for fa_id, fa in kb.taxonomy.focus_areas.items()
    ]
    regions = [
        {"id": r_id, "label": label("region", r_id), "count": region_counts.get(r_id, 0)}
        for r_id in kb.taxonomy.regions
    ]
    return render_template(
        "index.html",
        total=result.total,
        newest=result.hits,
        focus_areas=focus_areas,
        regions=regions,
    )


@bp.get("/search")
def search() -> str | bytes | BaseResponse | tuple[Response | str, int]:
    """Results page: hits, facets, chips, paging and zero-result help, all from the URL."""
    try:
        return render_search("search.html", "pages.search")
    except ValidationError as err:
        # An intranet's hand-written link says region=Fyrbodal: the 400 page also links the
        # search with the id it spells, so the officer need not edit the address.
        return error_response(400, str(err), fixed_url=corrected_search_url())


@bp.get("/documents/<doc_id:doc_id>")
def document(doc_id: str) -> str:
    """Document page: metadata, why each focus area, an excerpt, similar and 'who else'."""
    kb = current_kb()
    doc = kb.document(doc_id)
    similar, others = kb.related(doc_id, limit=RELATED_COUNT)
    came_from = results_came_from()
    # The links to other documents keep the results this page leads back to (web/came_from.py),
    # and so does the language switch: its Referer is this page, which names no search.
    doc_query = back_query(came_from)
    other_lang = "en" if current_language() == "sv" else "sv"
    carried = [] if BACK in request.args else back_params(came_from)
    return render_template(
        "document.html",
        doc=doc,
        curation=kb.curator.get(doc_id),
        excerpt=excerpt(doc.text),
        similar=similar,
        others=others,
        came_from=came_from,
        doc_query=doc_query,
        lang_switch_url=switch_url(request, other_lang, carried),
        also_at=Markup(also_at_links(kb.also_at(doc_id), doc_query=doc_query)),
        count_text=count_text,
        doc_regions=_regions_with_members(kb.taxonomy, doc),
        member_regions=_member_regions(kb.taxonomy, doc),
        evidence={tag.value: split_evidence(tag.evidence) for tag in doc.focus_areas},
    )


def split_evidence(notes: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """A focus area's evidence as (words counted in the text, quoted passages): a passage is no
    word of the text and is shown on its own line, not inside the "Ord i texten" list."""
    words = [n for n in notes if not n.startswith(PASSAGE_EVIDENCE)]
    passages = [n[len(PASSAGE_EVIDENCE) :] for n in notes if n.startswith(PASSAGE_EVIDENCE)]
    return words, passages


def _member_regions(taxonomy: Taxonomy, doc: Document) -> dict[str, list[str]]:
    """Each municipality the document concerns or mentions -> its regions' names (the same
    membership the API gives as ``municipality_regions``)."""
    codes = (*doc.values("municipalities"), *doc.values("mentions"))
    return {
        code: [r.short_name or r.name for r in taxonomy.regions_of(code)]
        if code in taxonomy.municipalities
        else []
        for code in codes
    }


def _regions_with_members(taxonomy: Taxonomy, doc: Document) -> list[str]:
    """The document's regions, and the regions its municipalities are members of."""
    ids = list(doc.values("regions"))
    for code in doc.values("municipalities"):
        if code in taxonomy.municipalities:
            ids += [r.id for r in taxonomy.regions_of(code) if r.id not in ids]
    return ids


@bp.get("/documents/<doc_id:doc_id>/original")
def original(doc_id: str) -> Response:
    """The kept copy: PDFs open in the browser (``#page=N``); HTML never runs on our origin."""
    kb = current_kb()
    doc = kb.document(doc_id)
    path = kb.original_path(doc_id)
    if not path.is_file():
        abort(404)
    name = _download_name(doc)
    if doc.content_type == "application/pdf":
        response = send_file(path, mimetype="application/pdf", download_name=name)
        # No sandbox here: Chromium refuses to show a PDF in a sandboxed document.
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        return response
    if doc.content_type in ("text/html", "application/xhtml+xml"):
        # Another site's HTML must never be live on our origin: download it, sandboxed.
        response = send_file(
            path, mimetype="text/html", as_attachment=True, download_name=name, max_age=0
        )
    elif not doc.content_type.startswith("text/"):
        # A Word or OpenDocument file: downloaded as what it is, never shown as text.
        response = send_file(
            path, mimetype=doc.content_type, as_attachment=True, download_name=name, max_age=0
        )
    else:
        data = path.read_bytes()
        charset = "utf-8" if _is_utf8(data) else "windows-1252"
        response = send_file(path, mimetype="text/plain", download_name=name)
        # Set whole: send_file adds its own "; charset=utf-8" to any text/ type it is given.
        response.headers["Content-Type"] = f"text/plain; charset={charset}"
    response.headers["Content-Security-Policy"] = UNTRUSTED_CSP
    return response


@bp.get("/tillganglighet")
def accessibility() -> str:
    """The accessibility statement (tillgänglighetsredogörelse) required by DOS-lagen."""
    return render_template(
        "accessibility.html", contact_email=current_app.config.get("CONTACT_EMAIL", "")
    )


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """OpenSearch description so browsers can add Kunskapsbanken as a search engine."""
    body = render_template(
        "opensearch.xml",
        search_url=url_for("pages.search", _external=True),
        api_url=url_for("api.search", _external=True),
        suggest_url=url_for("api_v1.suggest", _external=True),
        self_url=url_for("pages.opensearch", _external=True),
    )
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.get("/favicon.ico")
def favicon() -> BaseResponse:
    """Clients that ask for /favicon.ico without reading the page's icon link get the icon."""
    return current_app.send_static_file("favicon.svg")


# Crawlers may read the start page and the documents; result pages, downloads, feeds and the
# API are endless combinations of filters (a crawl trap that would load the server for nothing).
_ROBOTS = """User-agent: *
Disallow: /search
Disallow: /api
Disallow: /embed
Disallow: /widget
Disallow: /jamfor
Disallow: /compare
Disallow: /feed
Disallow: /admin
Allow: /
"""


@bp.get("/robots.txt")
def robots() -> Response:
    """What search engines may crawl (an intranet's own crawler included)."""
    return Response(_ROBOTS, mimetype="text/plain")


def _localised(obj: object, name: str) -> str:
    return str(getattr(obj, f"{name}_{current_language()}", "") or getattr(obj, f"{name}_sv", ""))


def _download_name(doc: Document) -> str:
    # A file name may hold any byte but "/" and NUL: CR, LF and other controls would break the
    # header (werkzeug refuses them: a server error), quotes and backslashes its quoting. What is
    # left is sent as RFC 6266 filename= (ASCII) and filename*= (UTF-8, RFC 5987) by werkzeug.
    name = "".join(
        " " if unicodedata.category(c).startswith("C") or c in '"\\/' else c for c in doc.filename
    )
    name = " ".join(name.split()).strip(". ")
    if name:
        return name
    ext = {"application/pdf": ".pdf", "text/html": ".html", "text/markdown": ".md"}
    return f"{doc.id}{ext.get(doc.content_type, '.txt')}"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
