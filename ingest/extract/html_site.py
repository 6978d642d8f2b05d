"""What a web page says about the site that publishes it, read before the furniture is removed.

Owns the publisher evidence of a page's frame: the name in its ``<meta>`` tags (publisher,
DC.publisher, application-name, copyright), the ``publisher`` of its schema.org JSON-LD, the
copyright line of its footer ("© 2023 Sveriges Kommuner och Regioner"), the alt text of its logo
("Region Hallands logotyp") and the addresses of its ``mailto:`` links with their link text. The
values are facts of the page; ``ingest.enrich.publisher`` decides which name they point to.
Imports bs4 only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

# <meta> names whose content is the publishing organisation's name.
PUBLISHER_META = (
    "publisher", "dc.publisher", "dcterms.publisher", "application-name", "copyright",
    "dcterms.rightsholder", "dc.rights",
)  # fmt: skip
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)", re.IGNORECASE)
_LOGO = re.compile(r"logo|logga", re.IGNORECASE)
MAX_LINE = 160  # a copyright line or a logo's alt text, not a paragraph
MAX_MAILTO = 8


def site_metadata(soup: BeautifulSoup, meta: dict[str, str]) -> dict[str, str]:
    """The page's publisher evidence as metadata fields: ``publisher`` (meta tags or JSON-LD),
    ``copyright`` (a footer's line), ``logo`` (a logo's alt text) and ``mailto`` (one
    "address<TAB>link text<TAB>footer|body" per line). Call it before furniture is removed."""
    found: dict[str, str] = {}
    names = [meta[k] for k in PUBLISHER_META if meta.get(k)] + list(_json_ld_publishers(soup))
    if names := [n for n in dict.fromkeys(" ".join(n.split()) for n in names) if n]:
        found["publisher"] = "\n".join(names[:3])
    if line := _copyright_line(soup):
        found["copyright"] = line
    if alt := _logo_alt(soup):
        found["logo"] = alt
    if mails := _mailto(soup):
        found["mailto"] = "\n".join(mails)
    return found


def _json_ld_publishers(soup: BeautifulSoup) -> Iterator[str]:
    """``publisher.name`` of the page's schema.org items ("publisher": {"name": "Digg"})."""
    for item in json_ld_items(soup):
        publisher = item.get("publisher")
        for p in publisher if isinstance(publisher, list) else [publisher]:
            name = p.get("name") if isinstance(p, dict) else p
            if isinstance(name, str) and name.strip():
                yield name.strip()[:MAX_LINE]


def json_ld_items(soup: BeautifulSoup) -> Iterator[dict[str, object]]:
    """Every schema.org item of the page's JSON-LD scripts (unreadable scripts skipped)."""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        yield from _json_objects(data)


def _json_objects(data: object, depth: int = 0) -> Iterator[dict[str, object]]:
    """Every JSON object in parsed JSON-LD, nested ones included (to a depth of five)."""
    if depth > 5:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _json_objects(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _json_objects(value, depth + 1)


def _footers(soup: BeautifulSoup) -> list[Tag]:
    """The page's footers: ``<footer>``, ``role=contentinfo`` or a block whose id or class names
    a footer."""
    found = [t for t in soup.find_all("footer") if isinstance(t, Tag)]
    found += [t for t in soup.find_all(True, role="contentinfo") if isinstance(t, Tag)]
    for tag in soup.find_all(True, id=True) + soup.find_all(True, class_=True):
        if isinstance(tag, Tag) and re.search(r"footer", _names(tag), re.IGNORECASE):
            found.append(tag)
    return list({id(t): t for t in found}.values())


def _copyright_line(soup: BeautifulSoup) -> str:
    """The first short line of a footer holding "©" or "Copyright"."""
    for footer in _footers(soup):
        for line in footer.get_text("\n").split("\n"):
            line = " ".join(line.split())
            if _COPYRIGHT.search(line) and len(line) <= MAX_LINE:
                return line
    return ""


def _logo_alt(soup: BeautifulSoup) -> str:
    """The alt text of the page's logo: an image whose alt, class, id or file name, or whose
    link's class, says logo. The first one: the site's own logo heads the page; partners'
    logos further down are not its name."""
    for img in soup.find_all("img"):
        if not isinstance(img, Tag):
            continue
        alt = " ".join(str(img.get("alt") or "").split())
        parent = img.parent if isinstance(img.parent, Tag) else None
        marks = " ".join([alt, _names(img), str(img.get("src") or "")])
        marks += " " + (_names(parent) if parent is not None and parent.name == "a" else "")
        if alt and len(alt) <= MAX_LINE and _LOGO.search(marks):
            return alt
    return ""


def _mailto(soup: BeautifulSoup) -> list[str]:
    """Each ``mailto:`` link as "address<TAB>link text<TAB>footer|body"."""
    footers = {id(f) for f in _footers(soup)}
    found = []
    for link in soup.find_all("a", href=True):
        href = str(link["href"]) if isinstance(link, Tag) else ""
        if not href.lower().startswith("mailto:"):
            continue
        address = href[7:].split("?")[0].strip()
        text = " ".join(link.get_text(" ").split())[:80]
        where = "footer" if any(id(p) in footers for p in link.parents) else "body"
        found.append(f"{address}\t{text}\t{where}")
    return list(dict.fromkeys(found))[:MAX_MAILTO]


def _names(tag: Tag) -> str:
    classes = tag.get("class")
    names = [str(c) for c in classes] if isinstance(classes, list) else [str(classes or "")]
    return " ".join([str(tag.get("id") or ""), *names])
