"""HTML extraction with beautifulsoup4: the main content, title, description, language, canonical
URL and publication dates of a web page.

The text is the strict reading of ``ingest.extract.html_content`` (main content without page
furniture); when that keeps too little of what a browser shows, the lenient reading (all visible
text) is used, with a note. A huge page is trimmed before parsing (``_bounded``). Decoding follows
``ingest.extract.charset`` (HTTP charset, ``<meta>``, BOM, detection).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ingest.extract.charset import decode
from ingest.extract.cleanup import clean_text
from ingest.extract.dates import iso_date
from ingest.extract.html_content import (
    block_text,
    drop_leading_links,
    main_part,
    strip_furniture,
    tokens,
)
from ingest.extract.html_site import json_ld_items, site_metadata
from ingest.extract.html_title import content_headings, site_names
from ingest.fetch.urls import normalise_url
from ingest.media import HTML
from ingest.model import DateFound, Extracted
from kb.document import Page

# The strict reading is "too little" below this many words when the lenient one finds more.
_ENOUGH_WORDS = 25
# ... or when it keeps less than this share of the lenient reading's words.
_ENOUGH_SHARE = 0.1
# Characters of HTML parsed at most per character of text kept; see _bounded.
_MARKUP_PER_CHAR = 4
_NEVER_TEXT = re.compile(
    r"<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style\b.*?</style\s*>"
    r"|<svg\b.*?</svg\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_DATE_META = {
    "article:published_time": "published",
    "og:published_time": "published",
    "datepublished": "published",
    "pubdate": "published",
    "publishdate": "published",
    "publication_date": "published",
    "citation_publication_date": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "dcterms.issued": "published",
    "dcterms.created": "created",
    "dc.date.created": "created",
    "date": "published",
    "article:modified_time": "modified",
    "og:updated_time": "modified",
    "dcterms.modified": "modified",
    "dc.date.modified": "modified",
    "last-modified": "modified",
    "datemodified": "modified",
}


def extract_html(
    data: bytes,
    http_charset: str | None = None,
    url: str | None = None,
    max_text_chars: int | None = None,
) -> Extracted:
    """Extract the main content and metadata of an HTML page.

    Args:
        data: the page's bytes.
        http_charset: the charset from the HTTP Content-Type header, if any.
        url: the page's URL, to make the canonical URL absolute.
        max_text_chars: the most text that will be kept; a huge page is parsed only as far as
            it can give that much text (``_bounded``), so its tree fits in memory.
    """
    text, _codec = decode(data, http_charset, html=True)
    text, cut_note = _bounded(text, max_text_chars)
    soup = BeautifulSoup(text, "html.parser")
    meta = _meta(soup)
    dates = _json_ld_dates(soup) + _meta_dates(soup)
    language = _language(soup, meta)
    canonical = _canonical(soup, url)
    head_title = _clean_title(soup.title.get_text(" ") if soup.title else "")
    site = site_metadata(soup, meta)  # the footer and the logo go with the furniture
    names = site_names(soup, meta)
    # The lenient reading removes a part of what the strict one removes: one parse serves both.
    strip_furniture(soup, strict=False)
    lenient = clean_text(block_text(soup.body if isinstance(soup.body, Tag) else soup))
    strip_furniture(soup)
    dates += _time_dates(soup)
    root = main_part(soup)
    drop_leading_links(root)  # menus, skip links and breadcrumbs no class name gave away
    h1 = root.find("h1") or soup.find("h1")
    title = (
        (_clean_title(h1.get_text(" ")) if isinstance(h1, Tag) else "")
        or _clean_title(meta.get("og:title", ""))
        or head_title
    )
    if title and title.casefold() in names and (not head_title or head_title.casefold() in names):
        # The heading names the site, not the page: enrich tries the content's own headings.
        extra_title = {
            "site_title": title,
            "title_candidates": "\n".join(content_headings(root, names)),
        }
    else:
        extra_title = {}
    body = clean_text(block_text(root))
    notes: tuple[str, ...] = (cut_note,) if cut_note else ()
    if _too_little(body, lenient):
        body = lenient
        notes += (
            "Huvudinnehållet var för kort; sidans all synliga text används "
            "/ main content too short: all visible text of the page is used",
        )
    summary = " ".join((meta.get("description") or meta.get("og:description") or "").split())
    extra = {k: meta[k] for k in ("keywords", "author", "og:site_name", "generator") if meta.get(k)}
    extra.update(site)
    extra.update(extra_title)
    if head_title and head_title != title:  # "Användbarhet - design.regionhalland.se": the site
        extra["html_title"] = head_title
    return Extracted(
        title=title,
        pages=(Page(1, body),),
        content_type=HTML,
        summary=summary,
        language=language,
        canonical_url=canonical,
        dates=_unique(dates),
        metadata=extra,
        notes=notes,
    )


def _bounded(text: str, max_text_chars: int | None) -> tuple[str, str]:
    """A huge page without what never holds text, cut to what can give ``max_text_chars``.

    A parsed tree costs tens of bytes per byte of markup (a 49 MB page took 2.1 GB). A page longer
    than ``_MARKUP_PER_CHAR`` times the text that will be kept first loses its scripts, styles,
    SVG and comments (JSON-LD stays: it has the dates); if still longer, it is cut at a tag
    boundary there. Returns the text to parse and a note when something was cut.
    """
    limit = _MARKUP_PER_CHAR * (max_text_chars or 0)
    if max_text_chars is None or len(text) <= limit:
        return text, ""
    text = _NEVER_TEXT.sub(" ", text)
    if len(text) <= limit:
        return text, ""
    cut = text.rfind("<", 0, limit)
    text = text[: cut if cut > 0 else limit]
    return text, (
        f"Sidan är mycket stor; de första {limit} tecknen HTML lästes / page too large: the "
        f"first {limit} characters of its HTML were read (KB_MAX_TEXT_CHARS)"
    )


def _too_little(strict: str, lenient: str) -> bool:
    """True when the strict reading lost what a reader sees (a site's odd class names)."""
    kept, shown = len(strict.split()), len(lenient.split())
    if kept < _ENOUGH_WORDS and shown >= 2 * max(kept, 10):
        return True
    return kept < _ENOUGH_SHARE * shown


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    values: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def _language(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    html = soup.find("html")
    raw = html.get("lang") or html.get("xml:lang") if isinstance(html, Tag) else None
    raw = raw or meta.get("content-language") or meta.get("og:locale") or meta.get("language")
    code = str(raw or "").strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() else None


def _canonical(soup: BeautifulSoup, url: str | None) -> str | None:
    for link in soup.find_all("link", href=True):
        rels = tokens(link.get("rel"))
        if "canonical" in (r.lower() for r in rels):
            try:
                return normalise_url(str(link["href"]), base=url)
            except ValueError:
                return None
    return None


def _clean_title(title: str) -> str:
    return " ".join(title.split())[:300]


def _meta_dates(soup: BeautifulSoup) -> list[DateFound]:
    found = []
    for key, content in _meta(soup).items():
        kind = _DATE_META.get(key)
        value = iso_date(content) if kind else None
        if kind and value:
            found.append(DateFound(value, kind, f"meta {key}"))
    return found


def _json_ld_dates(soup: BeautifulSoup) -> list[DateFound]:
    found: list[DateFound] = []
    for item in json_ld_items(soup):
        for key, kind in (("datePublished", "published"), ("dateModified", "modified")):
            value = iso_date(str(item.get(key, "")))
            if value:
                found.append(DateFound(value, kind, f"json-ld {key}"))
    return found


def _time_dates(soup: BeautifulSoup) -> list[DateFound]:
    found = []
    for tag in soup.find_all("time"):
        raw = tag.get("datetime") or tag.get_text(" ")
        value = iso_date(str(raw))
        if value:
            kind = "modified" if "modified" in " ".join(tag.get("class") or []) else "published"
            found.append(DateFound(value, kind, "time element"))
    return found


def _unique(dates: list[DateFound]) -> tuple[DateFound, ...]:
    seen: set[tuple[str, str]] = set()
    result = []
    for d in dates:
        if (d.value, d.kind) not in seen:
            seen.add((d.value, d.kind))
            result.append(d)
    return tuple(result)
