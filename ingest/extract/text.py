"""Plain-text and Markdown extraction: decode, read front matter, find the title, strip markup.

Markdown keeps its words but loses its syntax (``#``, emphasis, link targets, images, HTML
comments), so snippets read as prose. A YAML-style front matter block may give title, date,
description and language; only flat ``key: value`` lines are read (no YAML dependency). A saved
web page's menus and footer (``ingest.extract.page_furniture``) are not body text; the footer's
contact addresses and copyright line stay as publisher evidence.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.extract.charset import decode
from ingest.extract.cleanup import clean_text
from ingest.extract.dates import iso_date
from ingest.extract.page_furniture import split_furniture
from ingest.media import MARKDOWN, TEXT
from ingest.model import DateFound, Extracted
from kb.document import Page

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SETEXT_H1 = re.compile(r"^(\S.*)\n=+[ \t]*$", re.MULTILINE)
_MD_RULES = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    # Inline HTML: a line break inside a table cell ("digitala<br>lösningar") joins words; other
    # tags ("<a href=...>", "<sup>") go, their text stays.
    (re.compile(r"<br\s*/?>", re.IGNORECASE), " "),
    (re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>"), ""),
    (re.compile(r"^```.*$|^~~~.*$", re.MULTILINE), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: keep the link text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+.*$", re.MULTILINE), ""),  # link definitions
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE), r"\1"),
    (re.compile(r"^[=\-]{3,}[ \t]*$", re.MULTILINE), ""),
    (re.compile(r"^ {0,3}>[ \t]?", re.MULTILINE), ""),
    (re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"^\|?[ \t]*:?-{3,}.*$", re.MULTILINE), ""),  # table rule
    (re.compile(r"[ \t]*\|[ \t]*"), " "),
)


def extract_text(
    data: bytes, content_type: str = TEXT, http_charset: str | None = None
) -> Extracted:
    """Extract plain text (``content_type`` "text/plain") or Markdown ("text/markdown")."""
    text, _codec = decode(data, http_charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        front = _front_matter(match.group(1))
        text = text[match.end() :]
    page = split_furniture(text, markdown=content_type == MARKDOWN)
    if content_type == MARKDOWN:
        # (the title as before: a converter writes the page's <title> as its first heading, above
        # the menus; a menu's heading as a title is ingest.enrich.titles' to judge)
        title = front.get("title") or _markdown_title(text)
        body = clean_text(_strip_markdown(page.body))
    else:
        body = clean_text(page.body)
        title = front.get("title") or _first_line_title(body)
    dates: tuple[DateFound, ...] = ()
    value = iso_date(front.get("date", ""))
    if value:
        dates = (DateFound(value, "published", "front matter date"),)
    language = front.get("lang") or front.get("language")
    return Extracted(
        title=" ".join(title.split())[:300],
        pages=(Page(1, body),),
        content_type=MARKDOWN if content_type == MARKDOWN else TEXT,
        summary=front.get("description", "") or front.get("summary", ""),
        language=language.lower()[:2] if language else None,
        dates=dates,
        metadata=_metadata(front, text if content_type == MARKDOWN else "", page.tail),
    )


# The target of an image or of a link to a picture ("[![Porträtt](https://x.se/a.jpg)](...)").
_IMAGE_URL = re.compile(
    r"\]\(\s*https?://([\w.-]+)/[^)\s]*\.(?:jpe?g|png|gif|webp|svg)\b", re.IGNORECASE
)
_MAILTO = re.compile(r"\[([^\]]*)\]\(\s*mailto:([^)?\s]+)", re.IGNORECASE)
MIN_IMAGES = 2  # references; one borrowed picture shown once is not the site's own


def _metadata(front: dict[str, str], markdown: str, footer: str = "") -> dict[str, str]:
    """Front-matter fields kept, and ``image_hosts``: the sites that serve at least two
    references to a Markdown page's pictures (a saved page keeps its own site's picture
    addresses, evidence of its publisher once the links are stripped from the text); the
    ``mailto`` addresses (marked "footer" when they stand in the page's ``footer``) and a
    ``copyright`` line of the footer, as an HTML page's (``ingest.extract.html_site``)."""
    meta = {k: v for k, v in front.items() if k in ("author", "tags", "keywords", "publisher")}
    hosts = Counter(m[1].lower() for m in _IMAGE_URL.finditer(markdown))
    if own := [host for host, n in hosts.most_common() if n >= MIN_IMAGES]:
        meta["image_hosts"] = " ".join(own[:3])
    # "[kontakta oss](mailto:openup@okfn.se)": the address goes with the link target.
    in_footer = {m[2] for m in _MAILTO.finditer(footer)}
    mails = [
        f"{m[2]}\t{' '.join(m[1].split())[:80]}\t{'footer' if m[2] in in_footer else 'body'}"
        for m in _MAILTO.finditer(markdown)
    ]
    if mails:
        meta["mailto"] = "\n".join(dict.fromkeys(mails))
    if line := _copyright_line(footer):
        meta["copyright"] = line
    return meta


_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)
MAX_COPYRIGHT_LINE = 160


def _copyright_line(footer: str) -> str:
    """The footer's copyright line ("© 2024 Exempel kommun"), without Markdown, or ""."""
    for line in footer.split("\n"):
        if _COPYRIGHT.search(line):
            line = " ".join(_strip_markdown(line).split())
            if 0 < len(line) <= MAX_COPYRIGHT_LINE:
                return line
    return ""


def _front_matter(block: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in block.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            values[key.strip().lower()] = value.strip().strip("\"'")
    return values


def _markdown_title(text: str) -> str:
    candidates = []
    atx = _ATX_HEADING.search(text)
    if atx:
        candidates.append((atx.start(), atx.group(1)))
    setext = _SETEXT_H1.search(text)
    if setext:
        candidates.append((setext.start(), setext.group(1)))
    if candidates:
        return _strip_markdown(min(candidates)[1]).strip()
    return _first_line_title(clean_text(_strip_markdown(text)))


def _first_line_title(body: str) -> str:
    for line in body.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= 150 else ""
    return ""


def _strip_markdown(text: str) -> str:
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text
