"""The harvest tests' web site (tests/test_harvest*.py, tests/test_crawl_hubs.py): a real HTTP
server on 127.0.0.1 that honours If-None-Match and If-Modified-Since and whose pages the test
changes between runs, the harvest's options at a given time, and a municipality's pages (a
link-only start page and pages of running text). The pages are written here for these tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ingest.fetch.download import FetchOptions
from ingest.harvest import HarvestOptions
from ingest.pipeline import IngestOptions

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@dataclass
class Site:
    """Pages by path: (body, ETag, Last-Modified); a path in ``gone`` answers 410, one in
    ``moved`` 301 to its new path."""

    pages: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)
    sitemap: list[str] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    moved: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, int, str, str]] = field(default_factory=list)  # path, status, INM, IMS
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(
        self, path: str, words: str, etag: str = "", modified: str = "", links: tuple[str, ...] = ()
    ) -> None:
        anchors = "".join(f'<a href="{link}">{link}</a> ' for link in links)
        body = (
            f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{words}</title>'
            f"</head><body><main><h1>{words}</h1><p>Uddevalla kommun beskriver {words} "
            f"och arbetet med digitalisering i förvaltningarna.</p><p>{anchors}</p></main>"
            "</body></html>"
        ).encode()
        self.pages[path] = (body, etag, modified)

    def statuses(self, path: str) -> list[int]:
        return [status for p, status, _, _ in self.log if p == path]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        inm = self.headers.get("If-None-Match", "")
        ims = self.headers.get("If-Modified-Since", "")
        status, headers, body = self._answer(site, inm, ims)
        with site.lock:
            site.log.append((self.path, status, inm, ims))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, site: Site, inm: str, ims: str) -> tuple[int, dict[str, str], bytes]:
        if self.path == "/robots.txt":
            return 404, {}, b""
        if self.path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{site.base}{p}</loc></url>" for p in site.sitemap)
            xml = (
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            )
            return 200, {"Content-Type": "application/xml"}, f"{xml}{urls}</urlset>".encode()
        if self.path in site.moved:
            return 301, {"Location": site.moved[self.path]}, b""
        if self.path in site.gone:
            return 410, {"Content-Type": "text/plain"}, b"gone"
        if self.path == "/trasig":
            return 500, {"Content-Type": "text/plain"}, b"internal error"
        if self.path not in site.pages:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        body, etag, modified = site.pages[self.path]
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if etag:
            headers["ETag"] = etag
        if modified:
            headers["Last-Modified"] = modified
        # RFC 9110: If-None-Match wins over If-Modified-Since.
        if (etag and inm == etag) or (not inm and modified and ims == modified):
            return 304, headers, b""
        return 200, headers, body

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_site() -> Iterator[Site]:
    """A ``Site`` served on a free port of 127.0.0.1 until the block ends."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    state = Site(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.site = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:  # also when the test fails: the thread would serve on into the next test
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def options(now: datetime) -> HarvestOptions:
    fetch = FetchOptions(timeout=2.0, deadline=10.0)
    return HarvestOptions(
        IngestOptions(fetch=fetch, delay=0.0), timedelta(days=14), now=lambda: now
    )


# -- a municipality's pages: a link-only start page (a hub) and pages of running text ------

TOPICS = ("bredband", "e-arkiv", "arkiv", "skola", "e-tjanster", "ai")


def page(title: str, main: str) -> bytes:
    """A municipal page: header, navigation and footer around ``main``."""
    nav = "".join(f'<li><a href="/{t}">{t.capitalize()}</a></li>' for t in TOPICS)
    return (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title} - Vara '
        f'kommun</title></head><body><header><a href="/">Vara kommun</a></header>'
        f"<nav><ul>{nav}</ul></nav><main>{main}</main>"
        "<footer><p>Vara kommun, 534 81 Vara. Telefon 0512-310 00.</p></footer></body></html>"
    ).encode()


HUB = "Kommunens e-tjänster"


def start_page() -> bytes:
    """Only navigation and a list of links: no running text."""
    links = "".join(f'<li><a href="/{t}">{t.capitalize()} i Vara kommun</a></li>' for t in TOPICS)
    # Titled by its section, not "Start": a bare "Start" is page furniture to the title rules
    # (kb title lines), and the page's title would then be "Genvägar".
    return page(HUB, f"<h1>{HUB}</h1><h2>Genvägar</h2><ul>{links}</ul>")


def content_page(topic: str) -> bytes:
    """Running text with a link inside a sentence and a short list of related links."""
    return page(
        topic.capitalize(),
        f"<h1>{topic.capitalize()} i Vara kommun</h1>"
        f"<p>Vara kommun arbetar med {topic} i alla förvaltningar sedan år 2020. "
        f'Arbetet följer <a href="/plan">digitaliseringsplanen</a> som fullmäktige antog. '
        f"Varje år följs arbetet upp av kommunstyrelsen i en rapport.</p>"
        f'<h2>Se även</h2><ul><li><a href="/">Start</a></li><li><a href="/ai">AI</a></li></ul>',
    )
