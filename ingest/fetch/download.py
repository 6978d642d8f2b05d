"""Fetch: read a file or download a URL into a ``Fetched`` value, within strict bounds.

Downloads use urllib.request with an identifying user agent, a timeout per network operation and a
total deadline, a size cap enforced while streaming, a bounded number of redirects (loops named as
such) and an http/https scheme allowlist. Every failure becomes a ``FetchError`` with a short code.
A harvest asks conditionally (``Validators``: If-None-Match / If-Modified-Since); a 304 answer is a
``NotModifiedError``.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ingest.errors import (
    EmptyDocumentError,
    FetchError,
    IngestError,
    NotModifiedError,
    TooLargeError,
    UnsupportedTypeError,
)
from ingest.fetch.deadline import Deadline, deadline_handlers
from ingest.fetch.urls import ALLOWED_SCHEMES, normalise_url, same_site, scheme_of, wire_url
from ingest.media import NON_DOCUMENT_MAJOR, READABLE, XHTML, type_for_name
from ingest.model import Fetched, Source

USER_AGENT = "Kunskapsbanken/0.1 (+https://example.invalid/kunskapsbanken)"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """Bounds for reading originals.

    Attributes:
        max_bytes: the largest original accepted (Settings.max_document_bytes by default).
        timeout: seconds to wait for a connection or for each read from it.
        deadline: seconds a whole download may take (a slow trickle must not hang a batch).
        max_redirects: redirects followed before giving up.
        user_agent: sent with every request.
    """

    max_bytes: int = 50 * 1024 * 1024
    timeout: float = 20.0
    deadline: float = 120.0
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Validators:
    """What a previous response said about a URL, to ask whether it changed since.

    Attributes:
        etag: the ETag header it sent ("" when none), sent back as If-None-Match.
        last_modified: its Last-Modified header ("" when none), sent back as If-Modified-Since.
    """

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def fetch(
    source: Source,
    options: FetchOptions,
    stay_on: str | None = None,
    validators: Validators | None = None,
) -> Fetched:
    """Read ``source`` (a file or a URL).

    Args:
        source: the file or URL.
        options: the bounds.
        stay_on: when set, a redirect to another site than this URL's fails with code "off-site"
            before the other site is contacted (crawls and sitemaps).
        validators: ask conditionally (URLs only); NotModifiedError when the server says 304.

    Raises:
        FetchError: unreadable file, dead URL, HTTP error, timeout, redirect loop (see ``code``).
        TooLargeError: larger than ``options.max_bytes``.
        EmptyDocumentError: zero bytes.
        UnsupportedTypeError: the server announced an image, audio, video or font.
        NotModifiedError: ``validators`` were given and the server answered 304.
    """
    if source.kind == "url" and source.local_path is None:
        return fetch_url(source, options, stay_on, validators)
    return fetch_file(source, options)


def fetch_file(source: Source, options: FetchOptions) -> Fetched:
    """Read a local file (``source.local_path`` when set), refusing it before reading when it is
    over the size limit."""
    path = Path(source.local_path or source.location)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FetchError(f"Inte en fil / not a file: {path}", code="not-a-file")
        if size > options.max_bytes:
            raise TooLargeError(_too_large(size, options.max_bytes))
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise FetchError(f"Filen finns inte / no such file: {path}", code="missing") from err
    except OSError as err:
        raise FetchError(f"Kunde inte läsa / cannot read {path}: {err.strerror or err}") from err
    if not data:
        raise EmptyDocumentError("Tom fil / empty file")
    content_type = type_for_name(path.name)
    return Fetched(source=source, data=data, content_type=content_type)


def fetch_url(
    source: Source,
    options: FetchOptions,
    stay_on: str | None = None,
    validators: Validators | None = None,
) -> Fetched:
    """Download ``source.location``, following at most ``options.max_redirects`` redirects
    (and none that leave the site of ``stay_on``, when given), within ``options.deadline``
    seconds in all: redirects, headers and body, however slowly the server sends them.
    With ``validators`` the request is conditional (NotModifiedError on 304)."""
    with Deadline(options.deadline) as deadline:
        try:
            return _fetch_url(source, options, stay_on, deadline, validators)
        except IngestError:
            if deadline.expired:
                raise _too_slow(options) from None
            raise


def _fetch_url(
    source: Source,
    options: FetchOptions,
    stay_on: str | None,
    deadline: Deadline,
    validators: Validators | None,
) -> Fetched:
    url = source.location
    seen = [url]
    opener = urllib.request.build_opener(_NoRedirect, *deadline_handlers(deadline))
    conditional = validators.headers() if validators else {}
    while True:
        _check_scheme(url)
        try:
            wire = wire_url(url)
        except ValueError as err:  # a UnicodeError: a host with no IDNA form ("a..se")
            raise FetchError(f"Ogiltig URL / invalid URL: {err}", code="bad-url") from err
        request = urllib.request.Request(wire, headers={**_request_headers(options), **conditional})
        try:
            response = opener.open(request, timeout=options.timeout)
        except urllib.error.HTTPError as err:
            if err.code == 304 and conditional:
                err.close()
                raise NotModifiedError(
                    "Oförändrad sedan förra hämtningen / not modified (304)"
                ) from None
            location = err.headers.get("Location") if 300 <= err.code < 400 else None
            err.close()
            if location is None:
                raise FetchError(
                    _http_error(err.code, err.reason), code=f"http-{err.code}"
                ) from err
            url = _next_hop(url, location, seen, options.max_redirects)
            if stay_on is not None and not same_site(url, stay_on):
                raise FetchError(
                    f"Omdirigerad till en annan webbplats / redirected off-site: {url[:200]}",
                    code="off-site",
                ) from None
            continue
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as err:
            raise _network_error(err, options) from err
        with response:
            fetched = _read_response(source, response, url, options)
        if deadline.expired:  # the cut connection may have ended the body early
            raise _too_slow(options)
        return fetched


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to ``fetch_url`` so it can count hops and name loops."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _request_headers(options: FetchOptions) -> dict[str, str]:
    return {
        "User-Agent": options.user_agent,
        "Accept": ",".join((*(media.name for media in READABLE), XHTML))
        + ",application/xml;q=0.9,*/*;q=0.5",
        "Accept-Language": "sv,en;q=0.5",
        # No Accept-Encoding: urllib does not decompress, and the size cap must count real bytes.
    }


def _check_scheme(url: str) -> None:
    scheme = scheme_of(url)
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(
            f"Schemat {scheme or '(inget)'}: stöds inte, bara http och https / "
            f"scheme not allowed: {url[:200]}",
            code="scheme",
        )


def _next_hop(url: str, location: str, seen: list[str], max_redirects: int) -> str:
    try:
        target = normalise_url(urljoin(url, location))
    except ValueError as err:
        raise FetchError(f"Ogiltig omdirigering / bad redirect: {location[:200]}") from err
    if target in seen:
        chain = " -> ".join([*seen[seen.index(target) :], target])
        raise FetchError(f"Omdirigeringsslinga / redirect loop: {chain}", code="redirect-loop")
    if len(seen) > max_redirects:
        raise FetchError(
            f"För många omdirigeringar / too many redirects (more than {max_redirects})",
            code="too-many-redirects",
        )
    seen.append(target)
    return target


def _read_response(
    source: Source, response: http.client.HTTPResponse, url: str, options: FetchOptions
) -> Fetched:
    headers = tuple((k.lower(), v) for k, v in response.getheaders())
    content_type = (response.headers.get_content_type() or "").lower()
    if response.headers.get("Content-Type") is None:
        content_type = ""
    if content_type.split("/")[0] in NON_DOCUMENT_MAJOR:
        raise UnsupportedTypeError(
            f"Inte ett dokument / not a document: content type {content_type}",
            code="unsupported-type",
        )
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > options.max_bytes:
        raise TooLargeError(_too_large(int(length), options.max_bytes))
    data = _read_capped(response, options)
    if not data:
        raise EmptyDocumentError("Tomt svar / empty response")
    return Fetched(
        source=source, data=data, content_type=content_type, final_url=url, headers=headers
    )


def _read_capped(response: http.client.HTTPResponse, options: FetchOptions) -> bytes:
    """Read the body in chunks; stop past the size limit or the deadline."""
    started = time.monotonic()
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = response.read(_CHUNK)
        except (OSError, http.client.HTTPException) as err:
            raise _network_error(err, options) from err
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > options.max_bytes:
            raise TooLargeError(_too_large(total, options.max_bytes, at_least=True))
        if time.monotonic() - started > options.deadline:
            raise _too_slow(options)
        chunks.append(chunk)


def _too_slow(options: FetchOptions) -> FetchError:
    return FetchError(
        f"Nedladdningen tog mer än {options.deadline:g} s / download exceeded its deadline of "
        f"{options.deadline:g} s",
        code="timeout",
    )


def _network_error(err: BaseException, options: FetchOptions) -> FetchError:
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, TimeoutError):
        return FetchError(
            f"Inget svar inom {options.timeout:g} s / timed out after {options.timeout:g} s",
            code="timeout",
        )
    if isinstance(reason, ConnectionRefusedError):
        return FetchError("Anslutningen nekades / connection refused", code="connection-refused")
    if isinstance(reason, socket.gaierror):
        return FetchError("Okänd värd / unknown host", code="unknown-host")
    if isinstance(reason, ssl.SSLCertVerificationError):
        # Intranets often use their own certificate authority: say how to trust it.
        detail = reason.verify_message or str(reason)
        return FetchError(
            f"Webbplatsens certifikat godtogs inte / certificate not trusted: {detail[:120]}. "
            "En egen certifikatutfärdare (intranät) / an own certificate authority: "
            "SSL_CERT_FILE=/sökväg/ca.pem kb ingest ...",
            code="certificate",
        )
    text = str(reason) or type(reason).__name__
    return FetchError(f"Nätverksfel / network error: {text[:200]}", code="network")


# What a status means for the staff who gave the URL, Swedish first; the server's own words
# (often English, sometimes the server's language) follow in brackets.
_HTTP_MEANINGS = {
    401: "Kräver inloggning / login required",
    403: "Åtkomst nekad / access denied",
    404: "Sidan finns inte / not found",
    410: "Sidan är borttagen / gone",
    429: "För många förfrågningar, försök senare / too many requests, try later",
}


def _http_error(code: int, reason: object) -> str:
    if code in _HTTP_MEANINGS:
        meaning = _HTTP_MEANINGS[code]
    elif code >= 500:
        meaning = "Fel hos servern, försök senare / server error, try later"
    else:
        meaning = "Servern nekade / refused by the server"
    said = f"HTTP {code} {reason}".strip() if reason else f"HTTP {code}"
    return f"{meaning} ({said[:120]})"


def _too_large(size: int, limit: int, at_least: bool = False) -> str:
    # Swedish first, then English, in every part of the reason (a download cut short says "över").
    more = "över / over " if at_least else ""
    limit_said = f"gräns / limit {_mb(limit)}; se / see --max-bytes"
    return f"För stor / too large: {more}{_mb(size)} ({limit_said})"


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size} bytes"
