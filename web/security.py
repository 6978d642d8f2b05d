"""Response headers that keep the pages safe: CSP without inline scripts, framing rules.

Normal pages may be framed only by ourselves; /embed by the origins in Settings.frame_ancestors;
/api is read-only JSON that is never framed and never sets cookies (its CORS and caching headers
are web/api_http.py's).
A view that serves untrusted bytes (a kept HTML copy) sets its own stricter CSP first.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

from kb.errors import ConfigError
from web.errors import is_api_path, is_embed_path

PAGE_CSP = (
    "default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; "
    "frame-ancestors {ancestors}"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# For bytes we did not write: no scripts, no same-origin rights, even if a browser renders them.
UNTRUSTED_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"
# One CSP source expression: 'self', 'none', a scheme or a host with optional scheme/port/wildcard.
_SOURCE = re.compile(r"^('self'|'none'|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?[\w*.-]+(:\d+)?)$")


def frame_ancestors_value(raw: str) -> str:
    """Validate Settings.frame_ancestors (space-separated CSP sources) and return it normalised.

    Raises:
        ConfigError: when a source is not a plain CSP source (a ``;`` could inject directives).
    """
    sources = raw.split()
    bad = [s for s in sources if not _SOURCE.match(s)]
    if bad or not sources:
        raise ConfigError(f"frame_ancestors: ogiltig källa {' '.join(bad) or '(tom)'!r}")
    return " ".join(sources)


def init_app(app: Flask, embed_ancestors: str) -> None:
    """Add the security headers to every response of ``app``."""
    page_csp = PAGE_CSP.format(ancestors="'self'")
    embed_csp = PAGE_CSP.format(ancestors=embed_ancestors)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if is_api_path(request.path):
            headers.setdefault("Content-Security-Policy", API_CSP)
            headers.remove("Set-Cookie")
        elif request.blueprint == "embed" or is_embed_path(request.path):
            # An error under /embed too: else the intranet's frame is blocked and shows no message.
            headers.setdefault("Content-Security-Policy", embed_csp)
        else:
            headers.setdefault("Content-Security-Policy", page_csp)
        return response
