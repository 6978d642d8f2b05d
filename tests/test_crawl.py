"""Sitemaps and bounded, polite same-site crawls against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.fetch.crawl import CrawlOptions, gather
from ingest.fetch.download import USER_AGENT, FetchOptions
from ingest.fetch.robots import PoliteFetcher
from ingest.model import Fetched, Rejected, Source
from ingest.sources import resolve
from tests.ingest_support import Server, html_page, http_server, make_pdf, ok

FETCH = FetchOptions(timeout=2.0, deadline=5.0)


def run(server: Server, start: str, **crawl: object) -> list[Fetched | Rejected]:
    fetcher = PoliteFetcher(FETCH, delay=0)
    return list(gather(resolve([server.url(start)]), fetcher, CrawlOptions(**crawl)))  # type: ignore[arg-type]


def fetched_paths(items: list[Fetched | Rejected], server: Server) -> list[str]:
    return [i.source.location.removeprefix(server.base) for i in items if isinstance(i, Fetched)]


def skipped(items: list[Fetched | Rejected]) -> dict[str, str]:
    return {i.location: i.code for i in items if isinstance(i, Rejected) and i.skipped}


def site() -> dict[str, object]:
    links = (
        '<a href="/a">A</a> <a href="/b#section">B</a> <a href="/privat/hemlig">Hemlig</a> '
        '<a href="https://elsewhere.example/x">Annan webbplats</a> '
        '<a href="mailto:info@kommun.se">Mejla</a> <a href="javascript:void(0)">JS</a> '
        '<a href="ftp://127.0.0.1/fil.pdf">FTP</a> <a href="/bild.jpg">Bild</a> '
        '<a href="/plan.pdf">Plan</a> <a href="#top">Upp</a>'
    )
    return {
        "/robots.txt": ok(b"User-agent: *\nDisallow: /privat/\n", "text/plain"),
        "/": ok(html_page("Start", f"<h1>Start</h1><p>{links}</p>")),
        "/a": ok(
            html_page("A", '<p>Sida A. <a href="/a/djup">Djupare</a> <a href="/">Hem</a></p>')
        ),
        "/a/djup": ok(html_page("Djup", '<p>Djup sida <a href="/a/djupare">ännu djupare</a></p>')),
        "/a/djupare": ok(html_page("Djupare", "<p>Ännu djupare.</p>")),
        "/privat/hemlig": ok(html_page("Hemlig", "<p>Får inte hämtas.</p>")),
        "/plan.pdf": ok(make_pdf(["Planen."]), "application/pdf"),
        "/b": ok(html_page("B", '<p>Sida B. <a href="/ut">Ut</a></p>')),
        "/ut": (302, {"Location": "http://localhost:9/annan"}, b""),
    }


def test_crawl_stays_on_the_site_within_depth_and_honours_robots_txt() -> None:
    with http_server(site()) as server:  # type: ignore[arg-type]
        items = run(server, "/", crawl=True, depth=1)
    assert fetched_paths(items, server) == ["/", "/a", "/b", "/plan.pdf"]
    assert "/privat/hemlig" not in server.paths()  # robots.txt honoured: never requested
    assert "/a/djup" not in server.paths()  # depth 1
    assert all(agent == USER_AGENT for _, agent in server.requests)
    reasons = skipped(items)
    assert reasons[server.url("/privat/hemlig")] == "robots"
    assert reasons["https://elsewhere.example/x"] == "off-site"
    assert reasons["mailto:info@kommun.se"] == "scheme"
    assert reasons["javascript:void(0)"] == "scheme"
    assert reasons["ftp://127.0.0.1/fil.pdf"] == "scheme"
    assert reasons[server.url("/bild.jpg")] == "not-document"
    assert server.paths().count("/robots.txt") == 1


def test_crawl_depth_and_max_pages_bound_the_crawl() -> None:
    with http_server(site()) as server:  # type: ignore[arg-type]
        deep = run(server, "/", crawl=True, depth=3)
        assert "/a/djupare" in fetched_paths(deep, server)
        assert skipped(deep)[server.url("/ut")] == "off-site"  # a redirect off the site
        few = run(server, "/", crawl=True, depth=3, max_pages=2)
    assert len(fetched_paths(few, server)) == 2
    assert any(isinstance(i, Rejected) and i.code == "max-pages" for i in few)


def test_without_crawl_only_the_page_itself_is_fetched() -> None:
    with http_server(site()) as server:  # type: ignore[arg-type]
        items = run(server, "/")
    assert fetched_paths(items, server) == ["/"]
    assert server.paths() == ["/"]  # no robots.txt needed for a URL a person named


def test_an_unreachable_robots_txt_forbids_the_crawl() -> None:
    routes = site()
    routes["/robots.txt"] = (500, {"Content-Type": "text/plain"}, b"oops")
    with http_server(routes) as server:  # type: ignore[arg-type]
        items = run(server, "/", crawl=True, depth=2)
    assert fetched_paths(items, server) == []
    # The start page itself could not be crawled: a failure, not a skip.
    assert [(i.code, i.skipped) for i in items if isinstance(i, Rejected)] == [("robots", False)]


def test_noindex_and_nofollow_are_respected() -> None:
    routes = {
        "/": ok(
            html_page(
                "Start",
                '<p><a href="/fri">Fri</a> <a rel="nofollow" href="/inte">Inte</a></p>',
            )
        ),
        "/fri": ok(
            html_page(
                "Fri", '<p><a href="/djup">Djup</a></p>', '<meta name="robots" content="nofollow">'
            )
        ),
    }
    with http_server(routes) as server:  # type: ignore[arg-type]
        items = run(server, "/", crawl=True, depth=3)
    assert fetched_paths(items, server) == ["/", "/fri"]
    assert "/inte" not in server.paths() and "/djup" not in server.paths()


def test_a_sitemap_is_expanded_and_foreign_entries_skipped() -> None:
    routes: dict[str, object] = {
        "/robots.txt": ok(b"User-agent: Kunskapsbanken\nDisallow: /stoppad\n", "text/plain"),
        "/sida1": ok(html_page("Ett", "<p>Ett</p>")),
        "/sida2": ok(html_page("Två", "<p>Två</p>")),
        "/stoppad": ok(html_page("Stoppad", "<p>Nej</p>")),
    }
    with http_server(routes) as server:  # type: ignore[arg-type]
        urlset = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{server.url('/sida2')}</loc></url>"
            f"<url><loc>{server.url('/stoppad')}</loc></url>"
            "<url><loc>https://annan.example/sida</loc></url>"
            f"<url><loc>{server.url('/saknas')}</loc></url>"
            "</urlset>"
        )
        index = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{server.url('/sitemap-sidor.xml')}</loc></sitemap></sitemapindex>"
        )
        top = urlset.replace("<url>", f"<url><loc>{server.url('/sida1')}</loc></url><url>", 1)
        server.routes["/sitemap.xml"] = ok(index.encode(), "application/xml")
        server.routes["/sitemap-sidor.xml"] = ok(top.encode(), "application/xml")
        items = run(server, "/sitemap.xml")
    assert fetched_paths(items, server) == ["/sida1", "/sida2"]
    assert "/stoppad" not in server.paths()
    codes = {i.location.removeprefix(server.base): i.code for i in items if isinstance(i, Rejected)}
    assert codes == {
        "/stoppad": "robots",
        "https://annan.example/sida": "off-site",
        "/saknas": "http-404",
    }


def test_a_local_sitemap_file_lists_urls(tmp_path: Path) -> None:
    with http_server({"/x": ok(html_page("X", "<p>X</p>"))}) as server:
        sitemap = tmp_path / "sitemap.xml"
        sitemap.write_text(
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{server.url('/x')}</loc></url></urlset>",
            encoding="utf-8",
        )
        items = list(gather(resolve([str(sitemap)]), PoliteFetcher(FETCH, 0), CrawlOptions()))
    assert fetched_paths(items, server) == ["/x"]


def test_requests_to_one_host_are_spaced_by_the_delay() -> None:
    now = [100.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(round(seconds, 3))
        now[0] += seconds

    routes = {"/": ok(html_page("S", '<p><a href="/a">a</a><a href="/b">b</a></p>'))}
    routes["/a"] = routes["/b"] = ok(html_page("x", "<p>x</p>"))
    routes["/robots.txt"] = ok(b"User-agent: *\nCrawl-delay: 2\n", "text/plain")
    with http_server(routes) as server:  # type: ignore[arg-type]
        fetcher = PoliteFetcher(FETCH, delay=0.5, clock=lambda: now[0], sleep=sleep)
        items = list(gather(resolve([server.url("/")]), fetcher, CrawlOptions(crawl=True)))
    assert len(fetched_paths(items, server)) == 3
    # robots.txt is read first; its Crawl-delay (2 s) is longer than ours (0.5 s), so it rules.
    assert pauses == [2.0, 2.0, 2.0]


def test_links_of_a_huge_page_are_read_from_its_beginning_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ingest.fetch import crawl

    monkeypatch.setattr(crawl, "MAX_LINK_BYTES", 4096)
    filler = "<p>" + "Protokoll om e-arkiv. " * 400 + "</p>"
    page = f'<html><body><a href="/forst">Först</a>{filler}<a href="/sist">Sist</a></body></html>'
    fetched = Fetched(Source("https://www.vara.se/", "url"), page.encode(), "text/html")
    links = [link for link, _problem in crawl.page_links(fetched, "https://www.vara.se/")]
    assert links == ["https://www.vara.se/forst"]


@pytest.mark.parametrize(
    "href", ["http://[::1/plan.pdf", "//[fe80::1/x", "/a?[", "https://a..se/x"]
)
def test_a_link_that_is_no_url_is_skipped_not_raised(href: str) -> None:
    # A page of a municipality's site with a mistyped link: the crawl goes on past it.
    page = f'<html><body><a href="{href}">Fel</a><a href="/ok">Rätt</a></body></html>'
    fetched = Fetched(Source("https://www.vara.se/", "url"), page.encode(), "text/html")
    from ingest.fetch import crawl

    links = crawl.page_links(fetched, "https://www.vara.se/")
    assert ("https://www.vara.se/ok", None) in links
    assert all(problem is None or problem.skipped for _link, problem in links)
