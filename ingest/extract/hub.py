"""Link hubs: web pages whose main content is essentially links, with little running text.

A site's start page ("Start"), a section's index or a list of news items is navigation: a crawl
follows its links but it is noise in search. ``link_hub`` measures a page's main content (the
strict reading of ``ingest.extract.html_content``: navigation, menus and footers already gone)
and says whether it is such a hub:

- it holds at least ``MIN_LINKS`` links,
- the share of its text inside links (``<a>``) is at least ``LINK_SHARE``, and
- the text outside links holds fewer than ``MIN_SENTENCES`` sentences (a run of at least
  ``SENTENCE_WORDS`` words ending in ``.``, ``!`` or ``?``; a link inside a sentence counts as
  one word of it, so "Läs mer i <a>planen</a> om utbyggnaden." stays a sentence).

A page with both little linked text and little running text is not a hub (a short notice): the
rule names only pages that are mostly links. The bounds were set on real content pages (the dev
set's HTML: government bills' landing pages, SFS texts, municipal and regional guidance): the most
linked of them, a bill's page of metadata, a download and related bills, has 69 % of its text in
links and no sentence, and stays a document.

``rules_version`` names the rules a page was judged by: a harvest remembers it with each
link-only page, and judges a remembered page again under new rules even when its bytes are the
same. Imports bs4 only.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import bs4
from bs4 import BeautifulSoup, NavigableString, Tag

from ingest.extract.charset import decode
from ingest.extract.html_content import block_text, main_part, strip_furniture

LINK_SHARE = 0.75
MIN_LINKS = 5
MIN_SENTENCES = 3
SENTENCE_WORDS = 6
# A hub is a page of navigation: the first part of a page is enough to tell (and bounds the tree).
_MAX_CHARS = 2 * 1024 * 1024
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_LINK_WORD = "§"


@dataclass(frozen=True)
class HubMeasure:
    """What ``link_hub`` measured on one page's main content.

    Attributes:
        link_share: characters inside links / all characters (0.0 when there is no text).
        sentences: sentences of running text outside links.
        links: links in the main content.
    """

    link_share: float
    sentences: int
    links: int

    @property
    def is_hub(self) -> bool:
        """Mostly links and little running text."""
        return (
            self.links >= MIN_LINKS
            and self.link_share >= LINK_SHARE
            and self.sentences < MIN_SENTENCES
        )

    def reason(self) -> str:
        """Why a crawled page was followed but not added (the ingest and harvest reports)."""
        share = round(self.link_share * 100)
        return (
            f"Länkarna följdes men sidan lades inte till: bara länkar ({share} % av texten i "
            f"länkar, {self.sentences} meningar löptext) / links followed, page not added: links "
            f"only ({share} % of the text in links, {self.sentences} sentences of running text)"
        )

    def warning(self, dry_run: bool = False) -> str:
        """The note of a hub a person named: added, since they asked for it (a dry run writes
        nothing, so it says the page would be added)."""
        share = round(self.link_share * 100)
        added = ("skulle läggas till", "would be added") if dry_run else ("tillagd", "added")
        return (
            f"Sidan är nästan bara länkar ({share} % av texten i länkar, {self.sentences} "
            f"meningar löptext); {added[0]} eftersom den angavs / the page is almost only links "
            f"({share} % of the text in links); {added[1]} since it was named"
        )


def link_hub(data: bytes, http_charset: str | None = None) -> HubMeasure:
    """Measure an HTML page's main content (see the module docstring)."""
    text, _ = decode(data[:_MAX_CHARS], http_charset, html=True)
    soup = BeautifulSoup(text, "html.parser")
    strip_furniture(soup)
    root = main_part(soup)
    total = _chars(root.get_text(" "))
    anchors = [a for a in root.find_all("a") if isinstance(a, Tag)]
    linked = sum(_chars(a.get_text(" ")) for a in anchors)
    for anchor in anchors:
        if anchor.parent is not None:  # not inside an anchor replaced already
            anchor.replace_with(NavigableString(f" {_LINK_WORD} "))
    sentences = sum(1 for part in _SENTENCE_END.split(block_text(root)) if _is_sentence(part))
    return HubMeasure(linked / total if total else 0.0, sentences, len(anchors))


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _is_sentence(part: str) -> bool:
    words = part.split()
    if len(words) < SENTENCE_WORDS or not part.rstrip().endswith((".", "!", "?")):
        return False
    # Mostly link placeholders ("§ § § § § §.") is a list of links, not a sentence.
    return sum(1 for w in words if w.strip(".!?") != _LINK_WORD) >= SENTENCE_WORDS - 1


def rules_version() -> str:
    """The version of the rules that judge a page link-only: the ``fingerprint`` of this
    package (which reads a page and judges it). A harvest keeps it with a remembered link-only
    page (kb.sources.reports.PageState.rules) and judges the page again when it differs."""
    return _package_version()


@functools.cache
def _package_version() -> str:
    return fingerprint(Path(__file__).parent)


def fingerprint(package: Path) -> str:
    """A digest of the modules in the folder ``package`` (their names and bytes) and of
    BeautifulSoup's version: any change to how a page is extracted or judged is a new version,
    with no number that someone must remember to raise. A change elsewhere in a module (a
    comment) costs each remembered hub one more download and extraction, not a wrong judgement."""
    digest = hashlib.sha256(f"bs4 {bs4.__version__}".encode())
    for module in sorted(package.glob("*.py")):
        digest.update(b"\0" + module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]
