"""The readable content of a parsed HTML page: page furniture removed, the main part chosen.

Two readings of one page. ``strict`` removes navigation, menus, banners, cookie notices, forms
and blocks whose class or id names them (``cookie``, ``breadcrumb``, ``sidebar``, ...) and takes
``<main>``, ``[role=main]``, the largest ``<article>`` or the body. ``lenient`` removes only what
no reader sees as content (scripts, styles, hidden blocks, ``<nav>``, banners and footers outside
the article) and keeps the rest: the fall-back when a site's class names or layout make the strict
reading keep too little of what a browser shows. After the main part is chosen,
``drop_leading_links`` removes the blocks above its heading that are only links (menus without
``<nav>``, skip links, breadcrumb trails). Imports bs4 only.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "form", "button", "select", "input", "textarea", "nav", "aside", "dialog", "menu",
)  # fmt: skip
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog"}
# Words in an id or class that mark page furniture, matched as whole words of the name.
_FURNITURE = {
    "cookie", "cookies", "consent", "gdpr", "cmp", "nav", "navbar", "navigation", "menu",
    "megamenu", "breadcrumb", "breadcrumbs", "footer", "sidebar", "sidenav", "share", "social",
    "skiplink", "skiplinks", "toolbar", "pagination", "pager", "related", "newsletter", "popup",
    "modal", "feedback", "sidfot", "brodsmulor",
}  # fmt: skip
# Whole class names that mark furniture although their parts do not ("sv-skip-spacer", which
# SiteVision puts on every block of a page, is not a skip link).
_FURNITURE_NAMES = {
    "sr-only", "visually-hidden", "visuallyhidden", "print-only", "skip-link", "skip-links",
    "skip-to-content", "skip-nav",
}  # fmt: skip
# Swedish names run words together ("vanstermeny", "toppnav", "huvudmeny", "sidfot" on the table
# layouts many municipal sites still have): a name ending in one of these is furniture too.
_FURNITURE_ENDINGS = ("meny", "menu", "nav", "brodsmulor", "brodsmula")
_LINK_SHARE = 0.7  # ... when this share of its words are link text (_mostly_links)
_NAME_WORDS = re.compile(r"[a-z]+")
# Link blocks above the heading (drop_leading_links): a skip link's text, a breadcrumb trail's
# label, and the words a trail may hold besides its links (its last step, the current page).
_SKIP = re.compile(r"^(?:hoppa|gå|skip)\s+(?:direkt\s+)?(?:till|to)\b", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^(?:du är här|här är du|you are here)\b", re.IGNORECASE)
_CRUMB_WORDS = 12
_WORDS = re.compile(r"[^\W_]+")
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "figure",
    "figcaption", "address", "details", "summary", "hr", "br", "td", "th", "caption",
}  # fmt: skip
# Never content, in either reading.
_INVISIBLE = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "select", "input", "textarea", "nav", "dialog",
)  # fmt: skip


def strip_furniture(soup: BeautifulSoup, strict: bool = True) -> None:
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
                dropped = _is_furniture(child) if strict else _is_invisible(child)
                if child.name in ("html", "body", "main") or not dropped or _holds_content(child):
                    stack.append(child)
                else:
                    child.decompose()


def main_part(soup: BeautifulSoup) -> Tag:
    """The element holding the page's main content (the body when nothing marks one)."""
    for candidate in (soup.find("main"), soup.find(role="main")):
        if isinstance(candidate, Tag) and candidate.get_text(strip=True):
            return candidate
    articles = [a for a in soup.find_all("article") if isinstance(a, Tag)]
    if articles:
        return max(articles, key=lambda a: len(a.get_text(" ", strip=True)))
    # "innehall": innehåll (content) as Swedish sites name it.
    for name in ("content", "main-content", "maincontent", "main", "innehall", "huvudinnehall"):
        found = soup.find(id=name)
        if isinstance(found, Tag) and found.get_text(strip=True):
            return found
    return soup.body if isinstance(soup.body, Tag) else soup


def drop_leading_links(root: Tag) -> None:
    """Remove the blocks before ``root``'s first ``<h1>`` that are only links: menus written as
    plain lists (no ``<nav>``, no telling class name), "Hoppa till innehållet" and breadcrumbs
    ("Du är här: Startsida > Kommun och politik > IT-strategi"). Nothing when there is no h1: a
    page's content before its heading is the date line or a lead, which are not link blocks.
    """
    h1 = root.find("h1")
    if not isinstance(h1, Tag):
        return
    above = {id(a) for a in h1.parents}
    stack: list[Tag] = [root]
    while stack:  # document order: children pushed reversed; stop at the heading
        node = stack.pop()
        if node is h1:
            return
        if id(node) in above or node is root:
            stack.extend(c for c in reversed(list(node.children)) if isinstance(c, Tag))
        elif _is_link_block(node):
            node.decompose()
        else:
            stack.extend(c for c in reversed(list(node.children)) if isinstance(c, Tag))


def _is_link_block(tag: Tag) -> bool:
    """Two or more links and nothing else but separators, a skip link, or a breadcrumb trail."""
    links = [a for a in tag.find_all("a") if isinstance(a, Tag)]
    if not links:
        return False
    text = " ".join(tag.get_text(" ").split())
    rest = text
    for a in links:
        rest = rest.replace(" ".join(a.get_text(" ").split()), " ", 1)
    rest_words = _WORDS.findall(rest)
    if _BREADCRUMB.match(text):
        return len(rest_words) <= _CRUMB_WORDS
    if len(links) == 1:
        return str(links[0].get("href", "")).startswith("#") and bool(_SKIP.match(text))
    return not rest_words


def block_text(root: Tag) -> str:
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


def tokens(value: object) -> list[str]:
    """A multi-valued attribute (class, rel) as a list of words, whatever bs4 returned."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value or "").split()


def _is_hidden(tag: Tag) -> bool:
    attrs = tag.attrs or {}
    return attrs.get("hidden") is not None or str(attrs.get("aria-hidden", "")).lower() == "true"


def _is_invisible(tag: Tag) -> bool:
    """What the lenient reading drops: never shown as content by a browser."""
    if tag.name in _INVISIBLE or _is_hidden(tag):
        return True
    role = str((tag.attrs or {}).get("role", "")).lower()
    if role in ("navigation", "banner", "contentinfo", "search"):
        return True
    return tag.name in ("header", "footer") and not tag.find_parent(("article", "main"))


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    attrs = tag.attrs or {}
    if str(attrs.get("role", "")).lower() in _DROP_ROLES:
        return True
    if _is_hidden(tag):
        return True
    if tag.name in ("header", "footer") and not tag.find_parent(("article", "main")):
        return True
    names = " ".join([*tokens(attrs.get("class")), str(attrs.get("id", ""))])
    lowered = names.lower()
    words = _NAME_WORDS.findall(lowered)
    if any(word in _FURNITURE for word in words) or any(
        name in _FURNITURE_NAMES for name in lowered.split()
    ):
        return True
    # A compound name is furniture only when its block is mostly links: a section page's
    # "areamenu" of sub-pages, each with a paragraph about it, is the page's content.
    return any(word.endswith(_FURNITURE_ENDINGS) for word in words) and _mostly_links(tag)


def _mostly_links(tag: Tag) -> bool:
    shown = len(tag.get_text(" ").split())
    linked = sum(len(a.get_text(" ").split()) for a in tag.find_all("a") if isinstance(a, Tag))
    return linked >= _LINK_SHARE * shown


def _holds_content(tag: Tag) -> bool:
    # A wrapper named like furniture ("page menu-closed") that holds the article is not furniture.
    # ASP.NET pages (SharePoint) wrap the whole page in one <form>: it holds the content too.
    if tag.name == "form":
        return tag.find(["main", "article", "h1", "h2", "p", "table"]) is not None
    if tag.name in _DROP_TAGS:
        return False
    return tag.find(["main", "article", "h1"]) is not None or tag.find(role="main") is not None
