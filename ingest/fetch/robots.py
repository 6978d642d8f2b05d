"""Polite fetching: robots.txt rules (RFC 9309) and a delay between requests to one host.

``PoliteFetcher`` wraps ``ingest.fetch.download``: it waits ``delay`` seconds (or the site's
Crawl-delay, if longer) since the previous request to the same host, and answers whether robots.txt
lets the "Kunskapsbanken" user agent fetch a URL. A robots.txt that answers 4xx allows everything;
one that cannot be reached (5xx, timeout) forbids everything on that host, as RFC 9309 asks.
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from ingest.errors import FetchError, IngestError
from ingest.fetch.download import FetchOptions, Validators, fetch
from ingest.fetch.urls import site_of
from ingest.model import Fetched, Source

LOG = logging.getLogger(__name__)
ROBOTS_AGENT = "Kunskapsbanken"
_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
_MAX_CRAWL_DELAY = 30.0  # a site may not stall a batch for minutes


class PoliteFetcher:
    """Fetch URLs with a per-host delay and robots.txt rules (cached per host for one run).

    Args:
        options: the fetch bounds.
        delay: the least number of seconds between two requests to one host.
        clock / sleep: injectable for tests of the pacing itself.
    """

    def __init__(
        self,
        options: FetchOptions,
        delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.delay = max(0.0, delay)
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def fetch(
        self, source: Source, stay_on: str | None = None, validators: Validators | None = None
    ) -> Fetched:
        """Fetch ``source``, waiting first when its host was asked too recently.

        Args:
            source: what to fetch.
            stay_on: a URL whose site redirects must not leave (``ingest.fetch.download.fetch``).
            validators: ask conditionally (a harvest); NotModifiedError on 304.
        """
        if source.kind == "url" and source.local_path is None:
            self._wait(source.location)
        return fetch(source, self.options, stay_on=stay_on, validators=validators)

    def disallowed(self, url: str) -> str | None:
        """None when robots.txt allows ``url``; otherwise the reason it does not."""
        rules = self._rules(url)
        if isinstance(rules, str):
            return rules
        if rules.can_fetch(ROBOTS_AGENT, url):
            return None
        return "robots.txt tillåter inte / disallowed by robots.txt"

    def sitemaps(self, url: str) -> list[str]:
        """Sitemap URLs that the host's robots.txt lists."""
        rules = self._rules(url)
        return [] if isinstance(rules, str) else list(rules.site_maps() or [])

    def _wait(self, url: str) -> None:
        host = site_of(url)
        delay = self.delay
        rules = self._robots.get(host)
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            crawl_delay = rules.crawl_delay(ROBOTS_AGENT)
            if crawl_delay:
                delay = max(delay, min(float(crawl_delay), _MAX_CRAWL_DELAY))
        last = self._last.get(host)
        if last is not None and delay > 0:
            remaining = last + delay - self._clock()
            if remaining > 0:
                # Politeness towards the site, not a wait for a result: the pause is the point.
                self._sleep(remaining)
        self._last[host] = self._clock()

    def _rules(self, url: str) -> urllib.robotparser.RobotFileParser | str:
        host = site_of(url)
        if host not in self._robots:
            self._robots[host] = self._load(url)
        return self._robots[host]

    def _load(self, url: str) -> urllib.robotparser.RobotFileParser | str:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        self._wait(robots_url)
        options = replace(self.options, max_bytes=_ROBOTS_MAX_BYTES)
        try:
            fetched = fetch(Source(robots_url, "url", origin="robots"), options)
        except FetchError as err:
            status = int(err.code[5:]) if err.code.startswith("http-") else 0
            if 400 <= status < 500:
                parser.parse([])  # no robots.txt: everything is allowed
                return parser
            LOG.warning("robots.txt unreachable at %s: %s", robots_url, err)
            return f"robots.txt kunde inte läsas ({err}); värden genomsöks inte / host not crawled"
        except IngestError:
            parser.parse([])  # an empty or odd robots.txt: treat as no rules
            return parser
        parser.parse(fetched.data.decode("utf-8", errors="replace").splitlines())
        return parser
