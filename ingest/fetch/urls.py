"""URL helpers shared by sources, fetch and crawl: normal form, scheme allowlist, same-site test,
and the address as sent on the wire.

A URL's normal form is its identity as a document source, so ingesting "HTTP://Example.se:80/a#x"
and "http://example.se/a" updates one document, not two.
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters a URI may hold as they are (RFC 3986 reserved and unreserved, and "%" of an escape
# already made): quoting with these safe changes nothing in an address that is already a URI.
_URI_SAFE = "/:@!$&'()*+,;=?%~[]"


def looks_like_url(text: str) -> bool:
    """True when ``text`` has a URL scheme ("https://...", "mailto:..."), not a file path.

    A Windows drive letter ("C:\\...") is a path, so the scheme must be longer than one letter.
    """
    head, sep, _ = text.partition(":")
    return bool(sep) and len(head) > 1 and head.replace("+", "").replace("-", "").isalnum()


def scheme_of(url: str) -> str:
    """The lower-case scheme of ``url`` ("" when there is none)."""
    return urlsplit(url.strip()).scheme.lower()


def normalise_url(url: str, base: str | None = None) -> str:
    """The normal form of ``url`` (resolved against ``base``): lower-case scheme and host, no
    default port, no fragment, "/" for an empty path.

    Raises:
        ValueError: when the URL has no host or an invalid port.
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError(f"URL utan värd / URL without host: {url[:200]}")
    port = parts.port  # raises ValueError on a bad port
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if parts.username:
        # Credentials in a URL must not end up as a document's public source.
        raise ValueError("URL med inloggningsuppgifter stöds inte / URLs with credentials")
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def site_of(url: str) -> str:
    """The host (and non-default port) a URL belongs to; http and https of a host are one site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (and port)."""
    return site_of(url) == site_of(other)


def wire_url(url: str) -> str:
    """``url`` as a request sends it: an address copied from a browser's address bar or linked
    as written, with spaces or å, ä and ö (an IRI), percent-encoded in UTF-8 as browsers send
    it, and a host with å, ä or ö in IDNA. An address that is already a URI is returned as is.

    The document keeps ``url`` as its source (its identity does not change); only the request
    line needs ASCII, and urllib refuses the rest ("URL can't contain control characters").

    Raises:
        ValueError: a host that has no IDNA form (a ``UnicodeError``: an empty label, "a..se").
    """
    if url.isascii() and not any(ch.isspace() or ord(ch) < 32 or ch == "\x7f" for ch in url):
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii() and parts.hostname:
        netloc = parts.hostname.encode("idna").decode("ascii")
        if parts.port is not None:
            netloc = f"{netloc}:{parts.port}"
    path = quote(parts.path, safe=_URI_SAFE)
    query = quote(parts.query, safe=_URI_SAFE)
    return urlunsplit((parts.scheme, netloc, path, query, ""))
