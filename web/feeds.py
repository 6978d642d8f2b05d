"""Atom feeds of searches ("bevakningar"): any search, the documents added last first.

``/feed.atom`` takes the same parameters as ``/search``, so an officer can follow a search
("e-arkiv in Fyrbodal") in a feed reader or an intranet news block and see new documents as they
are ingested. Entries are ordered by when they entered the bank (``published``), not by their own
date, so a document from 2019 added today is news; its own date is in the summary. The XML is
written by ElementTree, which escapes every value from documents.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, request, url_for

from kb.search.results import Hit
from web.context import current_kb, label, request_labeler
from web.hits import partial_note
from web.i18n import current_language, translate
from web.search_handler import filters_named, requested_search, search_page_url
from web.search_view import filter_labels

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 20
_TAGS = re.compile(r"<[^>]+>")


@bp.get("/feed.atom")
def search_feed() -> Response:
    """The documents of a search added last, as Atom 1.0."""
    req = replace(requested_search(), sort="added", page=1, page_size=FEED_SIZE)
    kb = current_kb()
    result = kb.search(req, facets=False)
    ET.register_namespace("", ATOM)
    # The feed's own words (title, "Datum") are in the request's language; a document's title
    # carries the document's language where it differs.
    language = current_language()
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": language})
    title = translate("feed_title_q", q=req.q) if req.q else translate("feed_title")
    # Feeds of different filters (Fyrbodal, Skaraborg) must not share one name in a reader.
    filters = filter_labels(req, request_labeler(), kb.facets)
    _text(feed, "title", f"{title} – {filters_named(filters)}" if filters else title)
    _text(feed, "id", request.url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=request.url)
    search_page = search_page_url(req, external=True)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=search_page)
    stamps = [_timestamp(hit) for hit in result.hits]
    _text(feed, "updated", max(stamps) if stamps else _now())
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", translate("site_name"))
    for hit in result.hits:
        _entry(feed, hit, language)
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


def _entry(feed: ET.Element, hit: Hit, language: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    page = url_for("pages.document", doc_id=hit.id, _external=True)
    _text(entry, "id", page)
    _text(entry, "title", hit.title)
    if hit.language and hit.language != language:
        entry[-1].set("xml:lang", hit.language)
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page)
    _text(entry, "published", _timestamp(hit))
    _text(entry, "updated", _timestamp(hit))
    places = ", ".join(label("municipality", m) for m in hit.municipalities)
    summary = html.unescape(_TAGS.sub("", hit.snippet))
    summary = f"{places}: {summary}" if places else summary
    if hit.date:  # the document's own date, which the order does not follow
        summary = f"{translate('date')} {hit.date}. {summary}"
    if hit.partial:  # a look-alike is no news about every word followed: say so first
        summary = f"{partial_note(hit)}. {summary}"
    _text(entry, "summary", summary)
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    _text(author, "name", hit.source or hit.publisher or translate("site_name"))
    for focus in hit.focus_areas:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=focus, label=label("focus_area", focus))


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = value


def _timestamp(hit: Hit) -> str:
    """When the document entered the bank; for records from before that was kept, its own date
    (Atom needs a full timestamp; documents often carry only a year or a month)."""
    if hit.added:
        try:
            moment = datetime.fromisoformat(hit.added)
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [*(hit.date or "1970").split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1].zfill(2)}-{parts[2].zfill(2)}T00:00:00Z"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
