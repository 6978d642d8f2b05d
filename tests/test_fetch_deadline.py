"""A total deadline on every download, that holds against a server trickling a byte at a time,
and a batch that moves on past a slow host. Real servers on 127.0.0.1; deadlines of about a second.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.errors import FetchError
from ingest.fetch.crawl import CrawlOptions, gather
from ingest.fetch.download import FetchOptions, fetch
from ingest.fetch.robots import PoliteFetcher
from ingest.model import Fetched, Rejected, Source
from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.service import KnowledgeBase
from tests.ingest_support import Handler, html_page, http_server, ok

TRICKLE_SECONDS = 15.0  # how long a trickle lasts at most: far beyond the deadline under test
OPTIONS = FetchOptions(timeout=2.0, deadline=1.0)


def _trickle(handler: Handler, data: bytes) -> None:
    """Send ``data`` one byte every 0.1 s: each read gets data long before its timeout."""
    release = handler.server.state.release  # type: ignore[attr-defined]
    ends = time.monotonic() + TRICKLE_SECONDS
    try:
        for byte in data:
            if release.is_set() or time.monotonic() > ends:
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            release.wait(0.1)
    except OSError:
        pass  # the client hung up: what the deadline is for


def trickle_body(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    _trickle(handler, html_page("Långsam", "<p>" + "bygglov " * 200 + "</p>"))


def trickle_headers(handler: Handler) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n"
    _trickle(handler, head)


@pytest.mark.parametrize("route", [trickle_body, trickle_headers])
def test_a_trickling_server_is_cut_off_at_the_deadline(route: object) -> None:
    with http_server({"/trickle": route}) as server:  # type: ignore[dict-item]
        started = time.monotonic()
        with pytest.raises(FetchError, match="deadline") as info:
            fetch(Source(server.url("/trickle"), "url"), OPTIONS)
        elapsed = time.monotonic() - started
    assert info.value.code == "timeout"
    # Bounds with room for a loaded machine; without the deadline the trickle lasts 15 s.
    assert elapsed < 5.0, f"the download ran {elapsed:.1f} s with a deadline of 1 s"


def test_a_fast_download_is_not_disturbed_by_the_deadline_timer() -> None:
    body = html_page("Snabb", "<p>" + "e-tjänst " * 20000 + "</p>")
    with http_server({"/fast": ok(body)}) as server:
        fetched = fetch(Source(server.url("/fast"), "url"), OPTIONS)
    assert fetched.data == body


def test_a_batch_moves_on_past_a_slow_host(kb: KnowledgeBase) -> None:
    fast_page = html_page("Bygglov", "<h1>Ansök om bygglov</h1><p>Trollhättans stad.</p>")
    with (
        http_server({"/trickle": trickle_body}) as slow_host,
        http_server({"/sida": ok(fast_page)}) as fast_host,
    ):
        sources = resolve([slow_host.url("/trickle"), fast_host.url("/sida")])
        started = time.monotonic()
        report = run(kb, sources, IngestOptions(delay=0.0, fetch=OPTIONS))
        elapsed = time.monotonic() - started
    status = {o.source.rsplit("/", 1)[-1]: (o.status, o.code) for o in report.outcomes}
    assert status == {"trickle": ("failed", "timeout"), "sida": ("added", "")}
    assert elapsed < 10.0  # the slow host did not hold the batch for its 15 s trickle


def test_other_hosts_are_fetched_while_a_slow_host_trickles() -> None:
    page = html_page("Bygglov", "<h1>Ansök om bygglov</h1><p>Vänersborgs kommun.</p>")
    with (
        http_server({"/trickle": trickle_body}) as slow_host,
        http_server({"/a": ok(page), "/b": ok(page)}) as fast,
    ):
        sources = resolve([slow_host.url("/trickle"), fast.url("/a"), fast.url("/b")])
        fetcher = PoliteFetcher(FetchOptions(timeout=5.0, deadline=3.0), delay=0.0)
        items = list(gather(sources, fetcher, CrawlOptions()))
    names = [
        (item.location if isinstance(item, Rejected) else item.source.location).rsplit("/", 1)[-1]
        for item in items
    ]
    # The slow host comes first in the input, but the fast host's pages are fetched before it
    # reaches its deadline; each host's pages stay in their order.
    assert names == ["a", "b", "trickle"]
    assert isinstance(items[2], Rejected) and items[2].code == "timeout"
    assert all(isinstance(item, Fetched) for item in items[:2])


def test_files_come_first_and_in_order_before_the_hosts(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Första.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Andra.", encoding="utf-8")
    with http_server({"/sida": ok(html_page("Sida", "<p>Text.</p>"))}) as host:
        sources = resolve([host.url("/sida"), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
        items = list(gather(sources, PoliteFetcher(OPTIONS, delay=0.0), CrawlOptions()))
    assert [Path(item.source.location).name for item in items] == ["a.txt", "b.txt", "sida"]
