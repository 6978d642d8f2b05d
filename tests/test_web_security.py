"""Safety of the web front end: escaping, CSP and framing headers, kept copies, bad parameters."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from kb.config import Settings
from kb.errors import ConfigError
from tests.web_corpus import HOSTILE_HTML, WebCorpus
from web import create_app
from web.context import EXTENSION_KEY

PAGES = ("/", "/search?q=e-arkiv", "/tillganglighet", "/search?q=zzzz-inget")


# -- escaping -----------------------------------------------------------------------------------


def test_script_in_document_body_shows_as_text_in_the_snippet(client: FlaskClient) -> None:
    response = client.get("/search?q=bygglov")
    html = response.data.decode()
    assert response.status_code == 200
    page = BeautifulSoup(html, "html.parser")
    snippets = [s for s in page.select(".snippet") if "alert" in s.get_text()]
    assert snippets, "the hostile document's snippet should be on the page"
    snippet_html = snippets[0].decode_contents()
    # The words are marked, the tags are text: escaped by kb, only <mark> is real markup.
    assert "<mark>" in snippet_html
    assert "&lt;script&gt;" in snippet_html
    assert {tag.name for tag in snippets[0].find_all(True)} == {"mark"}
    assert "<script>alert" not in html


def test_script_in_title_is_escaped_everywhere(client: FlaskClient, corpus: WebCorpus) -> None:
    for url in ("/search?q=bygglov", f"/documents/{corpus.hostile.id}", "/search?sort=newest"):
        html = client.get(url).data.decode()
        assert "<script>alert('titel')" not in html, url
    doc_page = client.get(f"/documents/{corpus.hostile.id}").data.decode()
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt; Bygglov" in doc_page
    assert "<title>&lt;script&gt;" in doc_page


def test_query_is_escaped_in_box_title_and_count(client: FlaskClient) -> None:
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get("/search", query_string={"q": evil})
    assert response.status_code == 200
    html = response.data.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    page = BeautifulSoup(html, "html.parser")
    assert page.find("input", id="q")["value"] == evil
    assert evil in page.title.get_text()
    # Every script on the page is one of our static files: nothing inline, nothing injected.
    assert [s.get("src") for s in page.find_all("script")] == [
        "/static/search.js",
        "/static/suggest.js",
        "/static/filter_drawer.js",
        "/static/facet_all.js",
    ]


def test_templates_hold_no_inline_script_or_style(client: FlaskClient, corpus: WebCorpus) -> None:
    for url in (*PAGES, f"/documents/{corpus.pdf.id}", "/embed?q=arkiv"):
        page = BeautifulSoup(client.get(url).data, "html.parser")
        assert all(s.get("src") for s in page.find_all("script")), url
        assert not page.find_all("style"), url
        assert not page.find_all(style=True), url
        assert not page.find_all(attrs={"onclick": True}), url


# -- headers ------------------------------------------------------------------------------------


def test_pages_send_csp_without_inline_scripts_and_same_origin_framing(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    for url in (*PAGES, f"/documents/{corpus.pdf.id}", "/documents/nope", "/search?page=x"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp, url
        assert "frame-ancestors 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Frame-Options" not in response.headers


def test_embed_frame_ancestors_come_from_settings(corpus: WebCorpus) -> None:
    settings = Settings(
        data_dir=corpus.settings.data_dir,
        frame_ancestors="'self' https://intranat.example.se",
        ingest_demo_on_start=False,
    )
    app = create_app(settings, {"TESTING": True})
    try:
        client = app.test_client()
        embed = client.get("/embed?q=arkiv")
        assert embed.status_code == 200
        csp = embed.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self' https://intranat.example.se" in csp
        assert "default-src 'self'" in csp
        page = BeautifulSoup(embed.data, "html.parser")
        assert page.find("header") is None and page.find("footer") is None
        assert page.find("label", attrs={"for": "q"}).get_text(strip=True) == "Sök i kunskapsbanken"
        assert page.select_one(".hit-title a")["target"] == "_top"
        # Only the embed may be framed by the intranet.
        assert "intranat" not in client.get("/").headers["Content-Security-Policy"]
    finally:
        app.extensions[EXTENSION_KEY].close()


def test_embed_keeps_language_in_its_links(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/embed?q=e-arkiv&lang=en").data, "html.parser")
    assert page.html["lang"] == "en"
    assert page.find("input", attrs={"type": "hidden", "name": "lang"})["value"] == "en"
    assert page.select_one(".hit-title a")["href"].endswith("?lang=en")
    assert all("lang=en" in a["href"] for a in page.select(".pagination a"))


@pytest.mark.parametrize("value", ["x; script-src *", "'self'\nX-Evil: 1", ""])
def test_bad_frame_ancestors_setting_is_refused(corpus: WebCorpus, value: str) -> None:
    settings = Settings(data_dir=corpus.settings.data_dir, frame_ancestors=value)
    with pytest.raises(ConfigError):
        create_app(settings, {"TESTING": True})


def test_kept_html_copy_never_runs_on_our_origin(client: FlaskClient, corpus: WebCorpus) -> None:
    with client.get(f"/documents/{corpus.hostile.id}/original") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "bygglov.html" in response.headers["Content-Disposition"]
        csp = response.headers["Content-Security-Policy"]
        assert csp.startswith("sandbox") and "default-src 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data == HOSTILE_HTML.encode()


def test_kept_text_copy_is_plain_text(client: FlaskClient, corpus: WebCorpus) -> None:
    with client.get(f"/documents/{corpus.english.id}/original") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
        assert response.data.decode() == corpus.english.text


# -- bad parameters -----------------------------------------------------------------------------

BAD_QUERIES = [
    "page=1000000000",
    "page=-5",
    "page=0",
    "page_size=1000000",
    "page_size=-1",
    "page=abc",
    "page=1e3",
    "page=99999999999999999999999",
    "year_from=abc",
    "year_to=２０２０",
    "year_from=2025&year_to=2020",
    "year_from=-99999",
    "municipality=9999",
    "focus_area=<script>",
    "region=nowhere&region=fyrbodal",
    "doc_type=",
    "sort=oldest",
    "q=%22unbalanced+(+AND+OR",
    "q=AND+OR+NOT",
    "q=*",
    "q=title:",
    "q=" + "x" * 5000,
    "q=%00%01%02",
    "q=%ff%fe",
    "q=a&q=b&page=2&page=3",
    "lang=xx",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
@pytest.mark.parametrize("path", ["/search", "/embed", "/api/search"])
def test_bad_parameters_never_give_a_500(client: FlaskClient, path: str, query: str) -> None:
    response = client.get(f"{path}?{query}", follow_redirects=True)
    assert response.status_code in (200, 400), (query, response.status_code)
    if path.startswith("/api/") and response.status_code == 400:
        assert response.json["error"]["status"] == 400
    elif response.status_code == 400:
        page = BeautifulSoup(response.data, "html.parser")
        assert page.h1.get_text(strip=True) == "Felaktig förfrågan"
        assert page.find(class_="error-message").get_text(strip=True)


def test_clamps_and_friendly_messages(client: FlaskClient) -> None:
    big = client.get("/search?q=e-arkiv&page_size=1000000")
    assert big.status_code == 200
    hits = BeautifulSoup(big.data, "html.parser").select("#results li.hit")
    assert 10 < len(hits) <= 100
    year = client.get("/search?q=e-arkiv&year_from=abc")
    assert year.status_code == 400
    message = BeautifulSoup(year.data, "html.parser").find(class_="error-message").get_text()
    assert "Från år måste vara ett heltal" in message and "abc" in message
    unknown = client.get("/search?municipality=9999")
    assert unknown.status_code == 400
    assert "9999" in BeautifulSoup(unknown.data, "html.parser").find(class_="error-message").text
    reversed_years = client.get("/api/search?year_from=2025&year_to=2020")
    assert reversed_years.status_code == 400
    assert re.search(r"2025", reversed_years.json["error"]["message"])


def test_language_switch_link_stays_on_our_site(client: FlaskClient) -> None:
    # Set PATH_INFO directly: the test client would read "//evil.example" as a host name.
    response = client.get("/", environ_overrides={"PATH_INFO": "//evil.example/x"})
    assert response.status_code == 404
    page = BeautifulSoup(response.data, "html.parser")
    switch = page.find("a", attrs={"hreflang": "en"})["href"]
    assert switch.startswith("/") and not switch.startswith("//"), switch
