"""Per-client request limits on the pages and the API (Flask-Limiter, memory storage).

A client is its address (``request.remote_addr``). ``Settings.rate_limit_pages`` applies to every
page, feed and embed, ``Settings.rate_limit_api`` to /api; static files, the widget script and
CORS preflights (OPTIONS) are exempt. Past the limit the answer is 429 with ``Retry-After``
(seconds, the number its message gives), the JSON envelope under /api and a Swedish/English page
elsewhere; no other answer has rate-limit headers. An empty setting turns that limit off. Memory
storage counts per process: with ``kb serve --workers N`` a client may make N times the limit.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, Response, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from kb.config import Settings
from kb.errors import ConfigError
from web.errors import error_response
from web.i18n import translate

# Endpoints never limited: files a page needs to render, and the widget script hosts embed.
EXEMPT = frozenset({"static", "widget.script"})


def init_app(app: Flask, settings: Settings) -> Limiter:
    """Install the limiter on ``app`` (call before the blueprints are registered)."""
    _check(settings.rate_limit_pages, "rate_limit_pages")
    _check(settings.rate_limit_api, "rate_limit_api")
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=[settings.rate_limit_pages] if settings.rate_limit_pages else [],
        storage_uri="memory://",
        # No X-RateLimit-* and Retry-After on every answer (Flask-Limiter's headers): a Retry-After
        # on a 200 means nothing, a cached API answer would carry one client's counts, and it
        # rewrote the 429's own header a second short of what the page said (floor vs ceiling).
        headers_enabled=False,
        strategy="fixed-window",
    )
    # A CORS preflight (OPTIONS) is the browser asking leave for the request that follows, which
    # counts: counted itself it halved an intranet's budget, and a 429 to it hid the real answer.
    limiter.request_filter(lambda: request.endpoint in EXEMPT or request.method == "OPTIONS")

    @app.errorhandler(RateLimitExceeded)
    def _too_many(err: RateLimitExceeded) -> tuple[Response | str, int, dict[str, str]]:
        retry = _retry_after(limiter)
        body, status = error_response(429, translate("error_429_text", seconds=retry))
        return body, status, {"Retry-After": str(retry)}

    return limiter


def limit_blueprint(limiter: Limiter, blueprint: Blueprint, limit: str) -> None:
    """Give ``blueprint`` the API's ``limit`` instead of the pages' ("" = unlimited).

    The limit is shared under one scope, so /api and its alias /api/v1 draw on one budget.
    """
    if limit:
        limiter.shared_limit(limit, scope="api")(blueprint)
    else:
        limiter.exempt(blueprint)


def _retry_after(limiter: Limiter) -> int:
    current = limiter.current_limit
    if current is None:
        return 1
    # The window's own end (``window.reset_time``): Flask-Limiter's ``reset_at`` is that whole
    # second plus one, which told a client to wait 61 seconds of a one-minute window.
    return max(1, math.ceil(current.window.reset_time - time.time()))


def _check(value: str, name: str) -> None:
    if not value:
        return
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError as err:
        raise ConfigError(f"KB_{name.upper()}={value!r}: {err}") from err
