"""Fetching files and URLs within bounds, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from ingest.errors import EmptyDocumentError, FetchError, TooLargeError, UnsupportedTypeError
from ingest.fetch.download import USER_AGENT, FetchOptions, fetch
from ingest.fetch.urls import looks_like_url, normalise_url, same_site, wire_url
from ingest.model import Source
from tests.ingest_support import Handler, Server, html_page, http_server, make_pdf, ok, slow

FAST = FetchOptions(timeout=2.0, deadline=5.0)


def url_source(url: str) -> Source:
    return Source(normalise_url(url), "url")


def test_file_is_read_with_a_type_guessed_from_its_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text("# Plan\n", encoding="utf-8")
    fetched = fetch(Source(str(path), "file"), FAST)
    assert fetched.data == b"# Plan\n"
    assert fetched.content_type == "text/markdown"
    assert fetched.final_url is None
    assert len(fetched.sha256) == 64


def test_missing_empty_and_oversized_files_say_why(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as missing:
        fetch(Source(str(tmp_path / "nope.pdf"), "file"), FAST)
    assert missing.value.code == "missing"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocumentError):
        fetch(Source(str(empty), "file"), FAST)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(TooLargeError) as large:
        fetch(Source(str(big), "file"), FetchOptions(max_bytes=1000))
    assert "--max-bytes" in str(large.value)
    # Every part of the reason is Swedish first, then English.
    assert "se / see --max-bytes" in str(large.value)


def test_url_is_fetched_with_the_identifying_user_agent() -> None:
    page = html_page("Bygglov", "<p>Ansök om bygglov</p>")
    with http_server({"/bygglov": ok(page)}) as server:
        fetched = fetch(url_source(server.url("/bygglov")), FAST)
    assert fetched.data == page
    assert fetched.content_type == "text/html"
    assert fetched.header("Content-Type") == "text/html; charset=utf-8"
    assert server.requests == [("/bygglov", USER_AGENT)]
    assert USER_AGENT == "Kunskapsbanken/0.1 (+https://example.invalid/kunskapsbanken)"


@pytest.mark.parametrize(
    ("status", "meaning"),
    [
        (404, "Sidan finns inte / not found"),
        (410, "Sidan är borttagen / gone"),
        (403, "Åtkomst nekad / access denied"),
        (500, "Fel hos servern, försök senare / server error, try later"),
        (418, "Servern nekade / refused by the server"),
    ],
)
def test_http_errors_carry_the_status_and_say_what_it_means(status: int, meaning: str) -> None:
    routes = {"/x": (status, {"Content-Type": "text/html"}, b"error page")}
    with http_server(routes) as server, pytest.raises(FetchError) as err:
        fetch(url_source(server.url("/x")), FAST)
    assert err.value.code == f"http-{status}"
    # Swedish first, as every other reason; the status and the server's words in brackets.
    assert str(err.value).startswith(f"{meaning} (HTTP {status}")


def test_an_address_with_spaces_and_swedish_letters_is_fetched_as_a_browser_sends_it() -> None:
    # As copied from an address bar or linked as written on a municipality's site.
    pdf = make_pdf(["Tranås kommun antar en åtgärdsplan för e-tjänster."], title="Åtgärdsplan")
    typed = "/dokument/Åtgärdsplan för e-tjänster 2024.pdf?utgåva=2 a"
    sent = (
        "/dokument/%C3%85tg%C3%A4rdsplan%20f%C3%B6r%20e-tj%C3%A4nster%202024.pdf?utg%C3%A5va=2%20a"
    )
    with http_server({sent: ok(pdf, "application/pdf")}) as server:
        fetched = fetch(url_source(server.url(typed)), FAST)
    assert fetched.data == pdf
    assert [path for path, _agent in server.requests] == [sent]
    # An address that is already a URI is sent exactly as given.
    assert wire_url("https://www.vara.se/a%20b.pdf?x=1&y=%C3%A5") == (
        "https://www.vara.se/a%20b.pdf?x=1&y=%C3%A5"
    )
    assert wire_url("https://www.härryda.se/ö") == "https://www.xn--hrryda-bua.se/%C3%B6"


def test_a_host_that_cannot_be_written_in_idna_is_an_invalid_url() -> None:
    # An empty label between dots ("..") has no IDNA form: a failed fetch that says why, not a
    # UnicodeError traceback out of kb ingest.
    with pytest.raises(FetchError) as err:
        fetch(url_source("https://www.exämple..se/plan.pdf"), FAST)
    assert err.value.code == "bad-url"
    assert str(err.value).startswith("Ogiltig URL / invalid URL")


def test_redirects_are_followed_and_the_final_url_kept() -> None:
    with http_server(
        {
            "/old": (301, {"Location": "/mid"}, b""),
            "/mid": (302, {"Location": "/new"}, b""),
            "/new": ok(b"<p>ny sida</p>"),
        }
    ) as server:
        fetched = fetch(url_source(server.url("/old")), FAST)
    assert fetched.final_url == server.url("/new")
    assert fetched.source.location == server.url("/old")


def test_a_redirect_loop_is_named_as_such() -> None:
    routes = {
        "/a": (302, {"Location": "/b"}, b""),
        "/b": (302, {"Location": "/a"}, b""),
    }
    with http_server(routes) as server, pytest.raises(FetchError) as err:
        fetch(url_source(server.url("/a")), FAST)
    assert err.value.code == "redirect-loop"
    assert "/a -> " in str(err.value)
    assert server.paths() == ["/a", "/b"]


def test_too_many_redirects_stop() -> None:
    routes = {f"/r{i}": (302, {"Location": f"/r{i + 1}"}, b"") for i in range(10)}
    with http_server(routes) as server, pytest.raises(FetchError) as err:
        fetch(url_source(server.url("/r0")), FetchOptions(max_redirects=3, timeout=2))
    assert err.value.code == "too-many-redirects"
    assert len(server.requests) == 4


def test_a_redirect_to_another_scheme_is_refused() -> None:
    routes = {"/ftp": (302, {"Location": "ftp://127.0.0.1/file.pdf"}, b"")}
    with http_server(routes) as server, pytest.raises(FetchError) as err:
        fetch(url_source(server.url("/ftp")), FAST)
    assert err.value.code == "scheme"


def test_other_schemes_are_refused_without_a_request() -> None:
    for url in ("ftp://127.0.0.1/a.pdf", "file:///etc/passwd"):
        with pytest.raises(FetchError) as err:
            fetch(Source(url, "url"), FAST)
        assert err.value.code == "scheme"


def test_a_server_that_does_not_answer_times_out() -> None:
    with http_server({"/slow": slow}) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as err:
            fetch(url_source(server.url("/slow")), FetchOptions(timeout=0.3))
        assert time.monotonic() - started < 5
    assert err.value.code == "timeout"


def test_an_image_content_type_is_refused_before_reading() -> None:
    routes = {"/logo.png": ok(b"\x89PNG\r\n" + b"\x00" * 100, "image/png")}
    with http_server(routes) as server, pytest.raises(UnsupportedTypeError) as err:
        fetch(url_source(server.url("/logo.png")), FAST)
    assert "image/png" in str(err.value)


def test_a_declared_length_over_the_limit_is_refused() -> None:
    routes = {"/big.pdf": ok(b"%PDF-" + b"x" * 5000, "application/pdf")}
    with http_server(routes) as server, pytest.raises(TooLargeError):
        fetch(url_source(server.url("/big.pdf")), FetchOptions(max_bytes=1000, timeout=2))


def endless(handler: Handler) -> None:
    """No Content-Length, then more bytes than any limit: the client must stop reading."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    try:
        for _ in range(2000):
            handler.wfile.write(b"x" * 65536)
    except OSError:
        pass


def test_a_body_over_the_limit_is_cut_off_while_streaming() -> None:
    with http_server({"/stream": endless}) as server:
        with pytest.raises(TooLargeError) as err:
            fetch(url_source(server.url("/stream")), FetchOptions(max_bytes=200_000, timeout=2))
        assert "över" in str(err.value)


def test_a_closed_port_is_reported_as_refused() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(FetchError) as err:
        fetch(url_source(f"http://127.0.0.1:{port}/"), FAST)
    assert err.value.code == "connection-refused"


def test_url_normal_form_and_site() -> None:
    assert normalise_url("HTTP://Example.SE:80/a?b=1#frag") == "http://example.se/a?b=1"
    assert normalise_url("https://example.se") == "https://example.se/"
    assert normalise_url("../b", base="https://example.se/x/y/") == "https://example.se/x/b"
    assert same_site("http://example.se/a", "https://example.se/b")
    assert not same_site("https://example.se/", "https://www.example.se/")
    assert looks_like_url("mailto:a@b.se") and not looks_like_url(r"C:\docs\a.pdf")
    with pytest.raises(ValueError):
        normalise_url("https://user:secret@example.se/")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself (as an intranet's own CA would sign one)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "intranat.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "ca.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_an_untrusted_certificate_is_named_with_the_way_to_trust_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl
    import threading
    from http.server import ThreadingHTTPServer

    cert, key = _self_signed(tmp_path)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    page = html_page("Intranät", "<p>Riktlinjer för e-arkiv</p>")
    httpd.state = Server(f"https://127.0.0.1:{httpd.server_address[1]}", {"/": ok(page)})  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = httpd.state.url("/")  # type: ignore[attr-defined]
    try:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        with pytest.raises(FetchError) as err:
            fetch(url_source(url), FAST)
        assert err.value.code == "certificate"
        assert str(err.value).startswith("Webbplatsens certifikat godtogs inte / certificate not")
        assert "SSL_CERT_FILE=" in str(err.value)
        # The way the message names works.
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        assert fetch(url_source(url), FAST).data == page
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
