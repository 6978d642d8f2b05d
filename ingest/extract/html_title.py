"""When a web page's heading is only its site's name, and the lines that may name the page instead.

Owns the evidence, read in the page itself, that the ``<h1>``/``<title>`` names the site and not
the document: it equals ``og:site_name``, the text of the page's link home (``href="/"``), or it is
a heading in the site's banner beside its logo (a ``<header>``, ``role=banner`` or a block named
"header"/"masthead" outside ``<main>`` and ``<article>``). An old legal database heads every
record with "… rättsdatabaser" and sets the record's name as a bold line of the content. Then the
candidates are the headings and emphasised lines (``<b>``, ``<strong>``, a "bold" class) of the
main content, each the whole of its line and no link; ``ingest.enrich.titles`` tests them.
Imports bs4 only.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_EMPHASIS = ("b", "strong")
_EMPHASIS_CLASSES = {"bold", "strong", "fw-bold", "font-weight-bold"}
# A class or id that names the whole banner ("header", "site-header"), not a part ("header-text").
_BANNER = re.compile(r"^(?:site-?|page-?|top-?)?(?:header|masthead|banner)$", re.IGNORECASE)
_LOGO = re.compile(r"logo|logga", re.IGNORECASE)
_BLOCKS = {"p", "div", "section", "article", "main", "li", "td", "th", "dd", "dt", "body"}
MAX_CANDIDATES = 5
MAX_CHARS = 200


def _line(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _names(tag: Tag) -> str:
    classes = tag.get("class")
    names = [str(c) for c in classes] if isinstance(classes, list) else [str(classes or "")]
    return " ".join([str(tag.get("id") or ""), *names])


def _is_banner(tag: Tag) -> bool:
    if tag.find_parent(("main", "article")):
        return False
    named = tag.name == "header" or tag.get("role") == "banner"
    return named or any(_BANNER.match(name) for name in _names(tag).split())


def _has_logo(tag: Tag) -> bool:
    for img in tag.find_all("img"):
        marks = " ".join([str(img.get("alt") or ""), str(img.get("src") or ""), _names(img)])
        if _LOGO.search(marks):
            return True
    return False


def site_names(soup: BeautifulSoup, meta: dict[str, str]) -> set[str]:
    """The site's names the page shows, casefolded: ``og:site_name``, its home link's text and
    the headings of a banner that holds the logo. Call it before furniture is removed."""
    names = {" ".join(meta.get("og:site_name", "").split()).casefold()}
    for link in soup.find_all("a", href=True):
        if isinstance(link, Tag) and str(link["href"]).strip() in ("/", "./"):
            names.add(_line(link).casefold())
    for heading in soup.find_all(_HEADINGS):
        if not isinstance(heading, Tag):
            continue
        parents = (p for p in heading.parents if isinstance(p, Tag))
        if any(_is_banner(p) and _has_logo(p) for p in parents):
            names.add(_line(heading).casefold())
    names.discard("")
    return names


def _emphasised(tag: Tag) -> bool:
    if tag.name in _EMPHASIS:
        return True
    classes = tag.get("class")
    return isinstance(classes, list) and any(str(c).lower() in _EMPHASIS_CLASSES for c in classes)


def _whole_line(tag: Tag, text: str) -> bool:
    """True when ``tag`` is all of the line it stands on ("Departement:" before a value is a
    label, the "1" of "Post 1 av 1 träffar" a number, not headings)."""
    block = next((p for p in tag.parents if isinstance(p, Tag) and p.name in _BLOCKS), None)
    return block is None or _line(block) == text


def content_headings(root: Tag, skip: set[str]) -> list[str]:
    """The first headings and emphasised lines of ``root`` in reading order, without the site's
    names (``skip``), links and parts of a longer line."""
    found: list[str] = []
    for tag in root.find_all(True):
        if not isinstance(tag, Tag) or not (tag.name in _HEADINGS or _emphasised(tag)):
            continue
        text = _line(tag)
        if not text or len(text) > MAX_CHARS or text.casefold() in skip or tag.find("a"):
            continue
        if (tag.name in _HEADINGS or _whole_line(tag, text)) and text not in found:
            found.append(text)
        if len(found) >= MAX_CANDIDATES:
            break
    return found
