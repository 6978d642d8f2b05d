"""One harvest of one source: list what it holds, ask each page conditionally, settle the rest.

``HarvestRun.walk`` lists the source (a URL list, a sitemap, a folder, or a bounded crawl of a
site section that follows a 304 page through the links it had last time, or those of its kept
original when a shallower crawl left them unread) and asks each page with the validators of the
last run (none for a link-only page judged by other rules), yielding what came back with content
for the pipeline; ``HarvestRun.settle`` records the pipeline's outcomes and updates the state
(a page's links as read, or None when unread; a link-only page's rules version), then leaves
withdrawing, hiding and restoring documents to ingest.harvest_settle. Composed by ingest.harvest.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingest.errors import IngestError, NotModifiedError
from ingest.extract.hub import rules_version
from ingest.fetch.crawl import is_sitemap, page_links, sitemap_entries
from ingest.fetch.download import Validators
from ingest.fetch.robots import PoliteFetcher
from ingest.fetch.urls import normalise_url
from ingest.harvest_settle import settle_presence
from ingest.model import Fetched, Overrides, Rejected, Source
from ingest.pipeline import IngestOptions
from ingest.report import LINKS_ONLY, Outcome
from ingest.sources import walk_folder
from kb.errors import KbError, NotFoundError
from kb.service import KnowledgeBase
from kb.sources.registry import SourceEntry
from kb.sources.reports import HarvestState, PageState, ReportItem

GONE_CODES = ("http-404", "http-410")
_MAX_CHILD_SITEMAPS = 50
_KEPT = ("added", "updated", "unchanged")


@dataclass(frozen=True)
class HarvestOptions:
    """How harvests run.

    Attributes:
        ingest: fetch bounds, delay, extraction and workers (``given_as`` is set to "defaults").
        grace: how long a page may be gone before its document is hidden from search.
        force: ask unconditionally and extract every page again.
        now: the clock (tests move it past the grace period).
    """

    ingest: IngestOptions = field(default_factory=IngestOptions)
    grace: timedelta = timedelta(days=14)
    force: bool = False
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


class SourceUnreachableError(KbError):
    """The source as a whole could not be listed (its sitemap, folder or start page)."""


def entry_overrides(entry: SourceEntry) -> Overrides:
    """A source's default tags as ingest overrides (already checked ids)."""
    d = entry.defaults

    def one(name: str) -> str | None:
        value = d.get(name)
        return value if isinstance(value, str) else None

    def many(name: str) -> tuple[str, ...]:
        value = d.get(name)
        return tuple(value) if isinstance(value, tuple) else ()

    return Overrides(
        doc_type=one("doc_type"),
        publisher=one("publisher"),
        language=one("language"),
        focus_areas=many("focus_areas"),
        municipalities=many("municipalities"),
        regions=many("regions"),
    )


class HarvestRun:
    """One harvest of one source: what was seen, what is gone, what the report says."""

    def __init__(
        self, kb: KnowledgeBase, entry: SourceEntry, state: HarvestState, options: HarvestOptions
    ) -> None:
        self.kb = kb
        self.entry = entry
        self.state = state
        self.options = options
        self.now = options.now()
        self.fetcher = PoliteFetcher(options.ingest.fetch, options.ingest.delay)
        self.overrides = entry_overrides(entry)
        self.stored = set(kb.store.ids())
        self.items: list[ReportItem] = []
        self.present: set[str] = set()  # listed and not gone (200, 304 or a passing failure)
        self.gone: dict[str, str] = {}  # location -> why it is gone
        self.fetched: dict[str, Fetched] = {}  # location -> the response the pipeline gets
        self.links: dict[str, list[str]] = {}  # location -> the links read from its response
        self.rules = rules_version()  # what judges a page link-only (kept with such a page)
        self.complete = True  # False when a bound cut the listing short: nothing "vanished"

    # -- listing and asking -------------------------------------------------------

    def walk(self) -> Iterator[Fetched | Rejected]:
        """Every page that answered with content, for the pipeline; the rest is recorded here."""
        kind = self.entry.kind
        if kind == "urls":
            for url in self.entry.urls:
                yield from self._visit(self._source(url))
        elif kind == "sitemap":
            for source in self._sitemap_pages():
                yield from self._visit(source)
        elif kind == "folder":
            yield from self._folder()
        else:
            yield from self._crawl()

    def _source(self, url: str, origin: str = "harvest") -> Source:
        return Source(normalise_url(url), "url", self.overrides, origin)

    def _visit(self, source: Source, links_wanted: bool = False) -> Iterator[Fetched]:
        """Ask for one page; ``links_wanted``: a crawl will follow its links."""
        location = source.location
        if location in self.present or location in self.gone:
            return
        if source.kind == "url" and self.entry.kind != "urls":
            reason = self.fetcher.disallowed(location)
            if reason:
                self.items.append(ReportItem(location, "skipped", reason, "robots"))
                return
        prev = self.state.pages.get(location)
        try:
            # A redirect must not take the harvest to another site.
            validators = self._validators(prev, links_wanted)
            fetched = self.fetcher.fetch(source, stay_on=location, validators=validators)
        except NotModifiedError:
            self.present.add(location)
            if prev is not None and prev.not_added:  # a link-only page: followed as it was
                self.items.append(_hub_again(location, prev, _SAME_304))
                return
            doc_id = prev.doc_id if prev else ""
            self.items.append(ReportItem(location, "not-modified", "", "304", doc_id))
            return
        except IngestError as err:
            if err.code in GONE_CODES:
                self.gone[location] = f"HTTP {err.code[5:]}"
            else:  # a passing failure (timeout, 500): the page is not known to be gone
                self.present.add(location)
                self.items.append(ReportItem(location, "failed", str(err), err.code))
            return
        self.present.add(location)
        hub = prev is not None and prev.not_added and prev.rules == self.rules
        if hub and not self.options.force and prev is not None and prev.sha256 == fetched.sha256:
            # The same link-only page, judged by today's rules: followed through its links as
            # kept, not extracted again.
            prev.etag = fetched.header("etag") or ""
            prev.last_modified = fetched.header("last-modified") or ""
            self.items.append(_hub_again(location, prev, _SAME_BYTES))
            return
        self.fetched[location] = fetched
        yield fetched

    def _validators(self, prev: PageState | None, links_wanted: bool) -> Validators | None:
        if self.options.force or prev is None:
            return None
        if prev.doc_id not in self.stored and not prev.not_added:
            return None
        if prev.not_added and prev.rules != self.rules:
            return None  # judged by other rules: a 304 brings no bytes to judge again
        if links_wanted and prev.links is None and self._original(prev) is None:
            return None  # its links were never read, and no kept original holds them
        if not (prev.etag or prev.last_modified):
            return None
        return Validators(prev.etag, prev.last_modified)

    def _sitemap_pages(self) -> Iterator[Source]:
        root = self._source(self.entry.location, "sitemap")
        try:
            fetched = self.fetcher.fetch(root)
        except IngestError as err:
            raise SourceUnreachableError(
                f"Webbplatskartan kunde inte hämtas / sitemap unreachable: "
                f"{self.entry.location}: {err}"
            ) from err
        if not is_sitemap(fetched):
            raise SourceUnreachableError(
                f"Inte en webbplatskarta / not a sitemap: {self.entry.location}"
            )
        count = 0
        children = 0
        for item in sitemap_entries(fetched):
            if isinstance(item, Rejected):
                self.items.append(ReportItem(item.location, "skipped", item.reason, item.code))
                continue
            if item.location.endswith((".xml", ".xml.gz")) and children < _MAX_CHILD_SITEMAPS:
                children += 1
                child = self._child_sitemap(item)
                if child is not None:
                    for page in child:
                        if count >= self.entry.max_pages:
                            self.complete = False
                            return
                        count += 1
                        yield page
                    continue
            if count >= self.entry.max_pages:
                self.complete = False
                return
            count += 1
            yield replace(item, overrides=self.overrides, origin="sitemap")

    def _child_sitemap(self, source: Source) -> list[Source] | None:
        """The pages of a sitemap listed in a sitemap index (None: not a sitemap)."""
        try:
            fetched = self.fetcher.fetch(source, stay_on=source.location)
        except IngestError as err:
            self.items.append(ReportItem(source.location, "failed", str(err), err.code))
            self.complete = False  # its pages were not listed: none of them vanished
            return []
        if not is_sitemap(fetched):
            return None
        return [
            replace(s, overrides=self.overrides, origin="sitemap")
            for s in sitemap_entries(fetched)
            if isinstance(s, Source)
        ]

    def _folder(self) -> Iterator[Fetched]:
        folder = Path(self.entry.location)
        if not folder.is_dir():
            raise SourceUnreachableError(f"Mappen finns inte / folder not found: {folder}")
        for item in walk_folder(folder, self.overrides):
            if isinstance(item, Rejected):
                self.items.append(ReportItem(item.location, "skipped", item.reason, item.code))
                continue
            yield from self._visit_file(item)

    def _visit_file(self, source: Source) -> Iterator[Fetched]:
        location = source.location
        prev = self.state.pages.get(location)
        try:
            stat = Path(location).stat()
        except OSError:
            return  # vanished between the listing and now: found gone below
        stamp = f"{stat.st_mtime_ns}:{stat.st_size}"
        self.present.add(location)
        if (
            not self.options.force
            and prev is not None
            and prev.last_modified == stamp
            and prev.doc_id in self.stored
        ):
            self.items.append(ReportItem(location, "not-modified", "", "mtime", prev.doc_id))
            return
        try:
            fetched = self.fetcher.fetch(source)
        except IngestError as err:
            self.items.append(ReportItem(location, "failed", str(err), err.code))
            return
        self.fetched[location] = replace(fetched, headers=(("last-modified", stamp),))
        yield self.fetched[location]

    def _crawl(self) -> Iterator[Fetched]:
        root = normalise_url(self.entry.location)
        prefix = root[: root.rfind("/") + 1] if root.count("/") > 2 else root + "/"
        queue: deque[tuple[str, int]] = deque([(root, 0)])
        queued = {root}
        visited = 0
        while queue:
            url, depth = queue.popleft()
            if visited >= self.entry.max_pages:
                self.complete = False
                return
            visited += 1
            before = len(self.items)
            yield from self._visit(self._source(url, "crawl"), depth < self.entry.depth)
            if url == root and url not in self.present:
                problem = self.gone.get(url) or (
                    self.items[-1].reason if len(self.items) > before else ""
                )
                raise SourceUnreachableError(
                    f"Startsidan kunde inte hämtas / start page unreachable: {root}: {problem}"
                )
            if depth >= self.entry.depth:
                continue
            for link in self._links_of(url, root):
                if link.startswith(prefix) and link not in queued:
                    queued.add(link)
                    queue.append((link, depth + 1))

    def _links_of(self, url: str, root: str) -> list[str]:
        fetched = self.fetched.get(url)
        if fetched is None:  # 304: the links the page had when it last changed
            prev = self.state.pages.get(url)
            if prev is None:
                return []
            if prev.links is None:  # not read then (at a shallower crawl's depth): read now
                prev.links = self._kept_links(url, prev, root)
            return list(prev.links or ())
        links = _followable(fetched, root)
        self.links[url] = links
        return links

    def _kept_links(self, url: str, prev: PageState, root: str) -> list[str] | None:
        """The links of a page's kept original (the bytes that answered 304), or None (unread
        still) when the store has lost it since the page was asked."""
        original = self._original(prev)
        try:
            data = original.read_bytes() if original is not None else None
        except OSError:
            data = None
        if data is None:
            return None
        return _followable(Fetched(self._source(url, "crawl"), data), root)

    def _original(self, prev: PageState) -> Path | None:
        """Where the store keeps a page's original (its bytes when it was last fetched), or
        None when it does not hold it."""
        try:
            path = self.kb.store.blob_path(prev.sha256)
        except NotFoundError:  # no hash kept
            return None
        return path if path.is_file() else None

    # -- after the pipeline ---------------------------------------------------------

    def settle(self, outcomes: Sequence[Outcome]) -> None:
        """Record the pipeline's outcomes, update the state, then withdraw, hide and restore."""
        now = iso(self.now)
        # Links are read only in a crawl (a "site"): the other kinds have no start page.
        root = normalise_url(self.entry.location) if self.entry.kind == "site" else ""
        for outcome in outcomes:
            doc_id = outcome.document.id if outcome.document else ""
            item = ReportItem(outcome.source, outcome.status, outcome.reason, outcome.code, doc_id)
            self.items.append(item)
            fetched = self.fetched.get(outcome.source)
            if fetched is not None and outcome.code == LINKS_ONLY:
                # Followed, not added: remembered, so that it is asked conditionally next time
                # (a document it once was stays tracked by its id).
                prev = self.state.pages.get(outcome.source)
                links = self.links.get(outcome.source)
                if links is None:  # at the crawl's depth: kept all the same, for a deeper one
                    links = self._links_of(outcome.source, root)
                self.state.pages[outcome.source] = PageState(
                    etag=fetched.header("etag") or "",
                    last_modified=fetched.header("last-modified") or "",
                    sha256=fetched.sha256,
                    doc_id=prev.doc_id if prev else "",
                    last_seen=now,
                    links=links,
                    not_added=outcome.reason,
                    rules=self.rules,
                )
                continue
            if outcome.status not in _KEPT or fetched is None:
                continue
            links = self.links.get(outcome.source)  # None: not read (at the crawl's depth)
            if links is None and self.entry.kind == "site" and fetched.final_url != outcome.source:
                # Redirected: the kept original does not say from where, and its relative links
                # need that. So its links are read now, for a deeper crawl.
                links = self._links_of(outcome.source, root)
            self.state.pages[outcome.source] = PageState(
                etag=fetched.header("etag") or "",
                last_modified=fetched.header("last-modified") or "",
                sha256=fetched.sha256,
                doc_id=doc_id,
                last_seen=now,
                links=links,
            )
        settle_presence(self, now)


_SAME_304 = "oförändrad sedan förra skörden / unchanged since the last harvest (304)"
_SAME_BYTES = "samma innehåll som vid förra skörden / same content as at the last harvest"


def _followable(fetched: Fetched, root: str) -> list[str]:
    """The links of a page that a crawl from ``root`` may follow."""
    return [link for link, problem in page_links(fetched, root) if problem is None]


def _hub_again(location: str, prev: PageState, why: str) -> ReportItem:
    """The report line of a link-only page that has not changed: followed as last time (its
    links kept in the state), not fetched or not extracted again."""
    return ReportItem(location, "skipped", f"{prev.not_added} ({why})", LINKS_ONLY, prev.doc_id)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
