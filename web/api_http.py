"""HTTP rules of the JSON API: CORS by an allowlist, ETag and Cache-Control, for every /api path.

CORS: ``Settings.api_cors_origins`` is ``*`` (any origin: the API is public, read-only and sends
no cookies, and the widget calls it from the intranets' own origins) or a space-separated list of
origins (``https://intranet.example.se``); a listed ``Origin`` is echoed with ``Vary: Origin``, any
other gets no ``Access-Control-Allow-Origin`` and the browser refuses to show the answer.
Caching: a successful GET gets a strong ETag of its body and ``Cache-Control: public, max-age``;
``If-None-Match`` with that ETag answers 304 with no body. Errors are ``no-store``: a 503 or 429
must not be cached by a proxy. Runs after web/security.py's headers (which sets the API's CSP
and drops cookies).
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

from kb.config import Settings
from kb.errors import ConfigError
from web.errors import is_api_path

# Seconds a client or proxy may reuse an answer: the index changes when an ingest commits, so a
# minute of staleness is harmless and saves repeated identical searches from a busy intranet.
MAX_AGE = 60
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# If-None-Match is not a CORS-safelisted header: allow it so a script can revalidate itself.
ALLOWED_HEADERS = "If-None-Match"
# A preflight's requested headers are allowed too: an intranet's HTTP helper that adds its own
# (Content-Type: application/json on every call, X-Requested-With) otherwise has every search
# refused by the browser. Harmless here: no credentials, read-only, the headers are not read.
# Only header names (tokens), commas and spaces or tabs (HTTP's optional whitespace, never a
# line break: echoed, one would split the header) are echoed, at most this much.
TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
REQUESTED_HEADERS = re.compile(rf"{TOKEN}(?:[ \t]*,[ \t]*{TOKEN})*")
MAX_REQUESTED_HEADERS = 500
EXPOSED_HEADERS = "ETag, Retry-After"
# Seconds a browser may remember a preflight.
PREFLIGHT_MAX_AGE = 600


def cors_origins(raw: str) -> frozenset[str] | None:
    """Settings.api_cors_origins as a set of origins, or None for any origin (``*``).

    Raises:
        ConfigError: an entry that is not ``scheme://host[:port]`` (a path or a comma is a typo
            that would silently lock every intranet out).
    """
    entries = raw.split()
    if entries == ["*"]:
        return None
    bad = [
        e
        for e in entries
        if "://" not in e or e.count("/") != 2 or "," in e or e.endswith(":") or e == "*"
    ]
    if bad or not entries:
        raise ConfigError(
            f"api_cors_origins: ogiltigt ursprung / invalid origin {' '.join(bad) or '(tom)'!r}"
        )
    return frozenset(e.rstrip("/") for e in entries)


def init_app(app: Flask, settings: Settings) -> None:
    """Add CORS and caching headers to every /api response of ``app``.

    Raises:
        ConfigError: when Settings.api_cors_origins is invalid.
    """
    allowed = cors_origins(settings.api_cors_origins)

    @app.after_request
    def _api_headers(response: Response) -> Response:
        if not is_api_path(request.path):
            return response
        _cors(response, allowed)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = MAX_AGE
            response.add_etag()
            response.make_conditional(request)
        elif response.status_code >= 400:
            response.cache_control.no_store = True
        return response


def _cors(response: Response, allowed: frozenset[str] | None) -> None:
    headers = response.headers
    origin = request.headers.get("Origin", "")
    if allowed is None:
        headers["Access-Control-Allow-Origin"] = "*"
    else:
        headers.add("Vary", "Origin")
        if origin not in allowed:
            return
        headers["Access-Control-Allow-Origin"] = origin
    headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        headers.add("Vary", "Access-Control-Request-Headers")
        asked = request.headers.get("Access-Control-Request-Headers", "").strip()
        if len(asked) <= MAX_REQUESTED_HEADERS and REQUESTED_HEADERS.fullmatch(asked):
            headers["Access-Control-Allow-Headers"] = f"{ALLOWED_HEADERS}, {asked}"
