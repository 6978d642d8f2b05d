"""HTML extraction with beautifulsoup4: the main content, title, description, language, canonical
URL and publication dates of a web page.

Navigation, menus, headers and footers outside the article, cookie banners, forms and scripts are
removed before the text is taken from ``<main>``, ``[role=main]``, the largest ``<article>`` or the
body. Decoding follows ``ingest.extract.charset`` (HTTP charset, ``<meta>``, BOM, detection).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

from ingest.extract.charset import decode
from ingest.extract.cleanup import clean_text
from ingest.extract.dates import iso_date
from ingest.fetch.urls import normalise_url
from ingest.model import DateFound, Extracted
from kb.document import Page

HTML = "text/html"
_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "form", "button", "select", "input", "textarea", "nav", "aside", "dialog", "menu",
)  # fmt: skip
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog"}
# Words in an id or class that mark page furniture, matched as whole words of the name.
_FURNITURE = {
    "cookie", "cookies", "consent", "gdpr", "cmp", "nav", "navbar", "navigation", "menu",
    "megamenu", "breadcrumb", "breadcrumbs", "footer", "sidebar", "sidenav", "share", "social",
    "skip", "skiplink", "toolbar", "pagination", "pager", "related", "newsletter", "popup",
    "modal", "feedback", "sr-only", "visually-hidden", "print-only",
}  # fmt: skip
_NAME_WORDS = re.compile(r"[a-z]+")
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "figure",
    "figcaption", "address", "details", "summary", "hr", "br", "td", "th", "caption",
}  # fmt: skip
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


def extract_html(data: bytes, http_charset: str | None = None, url: str | None = None) -> Extracted:
    """Extract the main content and metadata of an HTML page.

    Args:
        data: the page's bytes.
        http_charset: the charset from the HTTP Content-Type header, if any.
        url: the page's URL, to make the canonical URL absolute.
    """
    text, _codec = decode(data, http_charset, html=True)
    soup = BeautifulSoup(text, "html.parser")
    meta = _meta(soup)
    dates = _json_ld_dates(soup) + _meta_dates(soup)
    language = _language(soup, meta)
    canonical = _canonical(soup, url)
    head_title = _clean_title(soup.title.get_text(" ") if soup.title else "")
    _strip_furniture(soup)
    dates += _time_dates(soup)
    root = _main(soup)
    h1 = root.find("h1") or soup.find("h1")
    title = (
        (_clean_title(h1.get_text(" ")) if isinstance(h1, Tag) else "")
        or _clean_title(meta.get("og:title", ""))
        or head_title
    )
    body = clean_text(_block_text(root))
    summary = " ".join((meta.get("description") or meta.get("og:description") or "").split())
    extra = {k: meta[k] for k in ("keywords", "author", "og:site_name", "generator") if meta.get(k)}
    return Extracted(
        title=title,
        pages=(Page(1, body),),
        content_type=HTML,
        summary=summary,
        language=language,
        canonical_url=canonical,
        dates=_unique(dates),
        metadata=extra,
    )


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
        rels = _tokens(link.get("rel"))
        if "canonical" in (r.lower() for r in rels):
            try:
                return normalise_url(str(link["href"]), base=url)
            except ValueError:
                return None
    return None


def _tokens(value: object) -> list[str]:
    """A multi-valued attribute (class, rel) as a list of words, whatever bs4 returned."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value or "").split()


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
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for item in _walk_json(data):
            for key, kind in (("datePublished", "published"), ("dateModified", "modified")):
                value = iso_date(str(item.get(key, "")))
                if value:
                    found.append(DateFound(value, kind, f"json-ld {key}"))
    return found


def _walk_json(data: object, depth: int = 0) -> Iterator[dict[str, object]]:
    if depth > 5:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk_json(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_json(value, depth + 1)


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


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    attrs = tag.attrs or {}
    if str(attrs.get("role", "")).lower() in _DROP_ROLES:
        return True
    if attrs.get("hidden") is not None or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if tag.name in ("header", "footer") and not tag.find_parent(("article", "main")):
        return True
    names = " ".join([*_tokens(attrs.get("class")), str(attrs.get("id", ""))])
    lowered = names.lower()
    return any(word in _FURNITURE for word in _NAME_WORDS.findall(lowered)) or any(
        name in lowered.split() for name in ("sr-only", "visually-hidden", "print-only")
    )


def _strip_furniture(soup: BeautifulSoup) -> None:
    """Remove comments and furniture, top-down, never looking inside what was removed.

    Iterative: broken HTML with thousands of unclosed tags nests too deep for recursion.
    """
    stack: list[Tag] = [soup]
    while stack:
        node = stack.pop()
        for child in list(node.children):
            if isinstance(child, Comment):
                child.extract()
            elif isinstance(child, Tag):
                if (
                    child.name not in ("html", "body", "main")
                    and _is_furniture(child)
                    and not _holds_content(child)
                ):
                    child.decompose()
                else:
                    stack.append(child)


def _holds_content(tag: Tag) -> bool:
    # A wrapper named like furniture ("page menu-closed") that holds the article is not furniture.
    if tag.name in _DROP_TAGS:
        return False
    return tag.find(["main", "article", "h1"]) is not None or tag.find(role="main") is not None


def _main(soup: BeautifulSoup) -> Tag:
    for candidate in (soup.find("main"), soup.find(role="main")):
        if isinstance(candidate, Tag) and candidate.get_text(strip=True):
            return candidate
    articles = [a for a in soup.find_all("article") if isinstance(a, Tag)]
    if articles:
        return max(articles, key=lambda a: len(a.get_text(" ", strip=True)))
    for name in ("content", "main-content", "maincontent", "main"):
        found = soup.find(id=name)
        if isinstance(found, Tag) and found.get_text(strip=True):
            return found
    return soup.body if isinstance(soup.body, Tag) else soup


def _block_text(root: Tag) -> str:
    """Text with line breaks around block elements, so inline links stay inside their sentence.

    Iterative depth-first walk with explicit "leave" entries (deeply nested broken HTML).
    """
    parts: list[str] = []
    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            parts.append("\n")
        elif isinstance(node, NavigableString):
            if not isinstance(node, Comment):
                parts.append(str(node).replace("\n", " "))
        elif isinstance(node, Tag):
            if node.name in _BLOCKS:
                parts.append("\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(node.children)))
    return "".join(parts)
