"""Acquisition: fetch sources into originals, expanding sitemaps and bounded same-site crawls.

``gather`` is the one entry point: it fetches every source politely (``ingest.fetch.robots``),
expands a fetched sitemap into its URLs, and in crawl mode follows links from HTML pages
breadth-first up to ``depth`` and ``max_pages``. Links to other sites, other schemes (mailto:,
javascript:, ftp:), non-documents and paths robots.txt forbids are reported as skipped, once each.
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from ingest.errors import IngestError
from ingest.extract.charset import decode
from ingest.extract.dispatch import sniff
from ingest.fetch.lanes import in_lanes
from ingest.fetch.robots import PoliteFetcher
from ingest.fetch.urls import ALLOWED_SCHEMES, normalise_url, same_site, scheme_of, site_of
from ingest.media import HTML, NOT_DOCUMENT_SUFFIXES, SITEMAP, suffix_of
from ingest.model import Fetched, Rejected, Source

_MAX_SITEMAPS = 50
MAX_LINK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class CrawlOptions:
    """Bounds for sitemaps and crawls.

    Attributes:
        crawl: follow links from the HTML pages given as URLs.
        depth: link hops from a start page (0: the start page only).
        max_pages: documents fetched per start page or sitemap at most.
        hosts_at_once: hosts fetched at the same time (``ingest.fetch.lanes``); each host's
            sources stay in order, one at a time.
    """

    crawl: bool = False
    depth: int = 1
    max_pages: int = 100
    hosts_at_once: int = 4


def gather(
    items: Iterable[Source | Rejected], fetcher: PoliteFetcher, options: CrawlOptions
) -> Iterator[Fetched | Rejected]:
    """Fetch every source; expand sitemaps; crawl from URL sources when ``options.crawl``.

    Sources on different hosts are fetched at the same time, each host's in order
    (``options.hosts_at_once``): a slow host does not hold up the others. Never raises for one
    source: failures are yielded as ``Rejected`` with the reason.
    """
    seen: dict[str, str] = {}  # location -> where it was named first (Source.origin)

    def work(item: Source | Rejected) -> Iterator[Fetched | Rejected]:
        if isinstance(item, Rejected):
            yield item
        elif (
            item.kind == "url"
            and options.crawl
            and item.origin != "sitemap"
            and not item.local_path
        ):
            yield from _crawl(item, fetcher, options, seen)
        else:
            yield from _fetch_one(item, fetcher, options, seen, sitemap_depth=0)

    yield from in_lanes(items, _lane_of, work, options.hosts_at_once)


def _lane_of(item: Source | Rejected) -> str:
    """The host a source is fetched from ("" for files and rejected inputs)."""
    if isinstance(item, Rejected) or item.kind != "url" or item.local_path:
        return ""
    return site_of(item.location)


def _fetch_one(
    source: Source,
    fetcher: PoliteFetcher,
    options: CrawlOptions,
    seen: dict[str, str],
    sitemap_depth: int,
) -> Iterator[Fetched | Rejected]:
    first = seen.get(source.location)
    if first is not None:
        if source.origin not in ("sitemap", "crawl"):
            # A person named it twice (a manifest row repeated with other values, a file and
            # its folder): it is read once, with the first values; say so, not silently.
            yield Rejected(source.location, "duplicate", _twice(first), skipped=True)
        return
    seen[source.location] = source.origin
    if source.kind == "url" and source.origin in ("sitemap", "crawl"):
        reason = fetcher.disallowed(source.location)
        if reason:
            yield Rejected(source.location, "robots", reason, skipped=True)
            return
    # A crawled or sitemap URL must not lead the crawler off the site through a redirect.
    stay_on = source.location if source.origin in ("sitemap", "crawl") else None
    try:
        fetched = fetcher.fetch(source, stay_on=stay_on)
    except IngestError as err:
        yield Rejected(source.location, err.code, str(err), skipped=err.code == "off-site")
        return
    if not is_sitemap(fetched):
        yield fetched
        return
    if sitemap_depth >= 3:
        yield Rejected(
            source.location, "sitemap-depth", "För djupt nästlade webbplatskartor / too deep"
        )
        return
    count = 0
    for entry in sitemap_entries(fetched):
        if isinstance(entry, Rejected):
            yield entry
            continue
        if count >= options.max_pages:
            yield Rejected(
                source.location,
                "max-pages",
                f"Gränsen --max-pages {options.max_pages} nådd; resten av kartan hoppas över "
                "/ max pages reached",
                skipped=True,
            )
            return
        count += 1
        yield from _fetch_one(entry, fetcher, options, seen, sitemap_depth + 1)


def _twice(first: str) -> str:
    """The reason of a source named again in the same run; ``first``: where it was named."""
    return (
        f"Angavs redan tidigare i körningen ({first}); lästes in en gång, med de första "
        f"uppgifterna / named earlier in this run ({first}): read once, with the first values"
    )


def is_sitemap(fetched: Fetched) -> bool:
    """Whether ``fetched`` is a sitemap or sitemap index (gzipped or not)."""
    try:
        return sniff(_gunzip(fetched.data), fetched.content_type) == SITEMAP
    except IngestError:
        return False


def _gunzip(data: bytes) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            return fh.read(50 * 1024 * 1024)
    except (OSError, EOFError):
        return data


def sitemap_entries(fetched: Fetched) -> Iterator[Source | Rejected]:
    """The URLs of a sitemap (``<urlset>``) or the sitemaps of an index (``<sitemapindex>``).

    URLs on another site than the sitemap's are skipped, as the sitemaps protocol requires.
    """
    source = fetched.source
    base = fetched.final_url or source.location
    try:
        root = ET.fromstring(_gunzip(fetched.data))
    except ET.ParseError as err:
        yield Rejected(
            source.location, "bad-sitemap", f"Trasig webbplatskarta / broken sitemap: {err}"
        )
        return
    index = root.tag.endswith("sitemapindex")
    locs = [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text]
    for loc in locs[: _MAX_SITEMAPS if index else None]:
        rejected = _check_link(loc, base if source.kind == "url" else None)
        if rejected:
            yield rejected
            continue
        yield Source(normalise_url(loc), "url", source.overrides, "sitemap", source.password)


def _check_link(link: str, site: str | None) -> Rejected | None:
    """Why a link must not be followed, or None. ``site``: a URL on the site we stay on."""
    try:
        scheme = scheme_of(link)  # ValueError too: an unclosed IPv6 bracket ("http://[::1/")
        if scheme and scheme not in ALLOWED_SCHEMES:
            return Rejected(
                link[:300], "scheme", f"Annat schema / other scheme: {scheme}:", skipped=True
            )
        url = normalise_url(link)
    except ValueError as err:
        return Rejected(link[:300], "bad-url", f"Ogiltig länk / invalid link: {err}", skipped=True)
    if site is not None and not same_site(url, site):
        return Rejected(url, "off-site", "Lämnar webbplatsen / leaves the site", skipped=True)
    suffix = suffix_of(urlsplit(url).path)
    if suffix in NOT_DOCUMENT_SUFFIXES:
        return Rejected(
            url, "not-document", f"Inte ett dokument / not a document ({suffix})", skipped=True
        )
    return None


def _crawl(
    seed: Source, fetcher: PoliteFetcher, options: CrawlOptions, seen: dict[str, str]
) -> Iterator[Fetched | Rejected]:
    """Breadth-first over same-site links from ``seed``, bounded by depth and max_pages.

    The start page is fetched as part of the crawl, so robots.txt applies to it as well.
    """
    seed = replace(seed, origin="crawl")
    queue: deque[tuple[Source, int]] = deque([(seed, 0)])
    queued = {seed.location}
    reported: set[str] = set()
    fetched_count = 0
    while queue:
        source, depth = queue.popleft()
        if fetched_count >= options.max_pages:
            yield Rejected(
                seed.location,
                "max-pages",
                f"Gränsen --max-pages {options.max_pages} nådd; {len(queue) + 1} länkar hämtades "
                "inte / max pages reached",
                skipped=True,
            )
            return
        if source.location in seen:
            continue
        page: Fetched | None = None
        for item in _fetch_one(source, fetcher, options, seen, sitemap_depth=0):
            if isinstance(item, Fetched):
                fetched_count += 1
                page = item
            elif source is seed and item.skipped:
                # The page the person asked for could not be crawled: that is a failure.
                item = replace(item, skipped=False)
            yield item
        if page is None or depth >= options.depth:
            continue
        for link, problem in page_links(page, seed.location):
            if problem is not None:
                if problem.location not in reported:
                    reported.add(problem.location)
                    yield problem
                continue
            if link not in seen and link not in queued:
                queued.add(link)
                queue.append(
                    (Source(link, "url", seed.overrides, "crawl", seed.password), depth + 1)
                )


def page_links(page: Fetched, site: str) -> list[tuple[str, Rejected | None]]:
    """The links of an HTML page: (normal URL, None) to follow or (raw link, why not)."""
    try:
        if sniff(page.data, page.content_type, page.source.filename) != HTML:
            return []
    except IngestError:
        return []
    # Links are read from the first MAX_LINK_BYTES only: a huge page's tree must not fill memory.
    text, _ = decode(page.data[:MAX_LINK_BYTES], None, html=True)
    soup = BeautifulSoup(text, "html.parser")
    if _meta_robots(soup, "nofollow"):
        return []
    base = page.final_url or page.source.location
    base_tag = soup.find("base", href=True)
    if isinstance(base_tag, Tag):
        base = urljoin(base, str(base_tag["href"]))
    result: list[tuple[str, Rejected | None]] = []
    for anchor in soup.find_all(["a", "area"], href=True):
        href = str(anchor["href"]).strip()
        if not href or href.startswith("#"):
            continue
        rel = anchor.get("rel")
        if "nofollow" in (rel if isinstance(rel, list) else str(rel or "").split()):
            continue
        absolute = _joined(base, href)
        problem = _check_link(absolute, site)
        result.append((absolute if problem else normalise_url(absolute), problem))
    return result


def _joined(base: str, href: str) -> str:
    """``href`` resolved against ``base``; as written when it cannot be read (``_check_link``
    then names it an invalid link): one mistyped link must not end the crawl."""
    try:
        return urljoin(base, href) if not scheme_of(href) else href
    except ValueError:
        return href


def _meta_robots(soup: BeautifulSoup, directive: str) -> bool:
    for meta in soup.find_all("meta", attrs={"name": True, "content": True}):
        name = str(meta["name"]).lower()
        if name in ("robots", "kunskapsbanken") and directive in str(meta["content"]).lower():
            return True
    return False


def is_noindex(fetched: Fetched) -> bool:
    """True when a crawled HTML page asks robots not to index it (meta robots "noindex")."""
    if fetched.source.origin != "crawl":
        return False
    try:
        if sniff(fetched.data, fetched.content_type) != HTML:
            return False
    except IngestError:
        return False
    head = decode(fetched.data[:16384], None, html=True)[0]
    return _meta_robots(BeautifulSoup(head, "html.parser"), "noindex")
