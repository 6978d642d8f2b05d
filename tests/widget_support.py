"""The <kb-search> widget tests' host "intranet" and helpers (tests/test_browser_widget_*.py).

The service (waitress over a real test index) and the host run on two ports of 127.0.0.1, so every
search is a real cross-origin CORS request. The host page is built from the snippet that /widget
tells people to copy, and sends the CSP that page says a host needs. The two servers are
session fixtures in conftest.py, shared by the widget test modules.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bs4 import BeautifulSoup
from playwright.sync_api import Locator, Page

from tests.web_corpus import WCAG_TAGS, LiveServer, browser_page

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
# Only the widget: its shadow root, reached through the open <kb-search> host.
WIDGET_CONTEXT = {"include": [{"fromShadowDom": ["kb-search", ".kb"]}]}
# The host's worst CSS: everything red and huge, a serif font, all !important.
HOST_CSS = (
    "* { color: red !important; font-size: 40px !important; font-family: serif !important; }\n"
    "p { font-weight: 400; }\n"
)
NETWORK_ERROR = "Sökningen kunde inte nå Kunskapsbanken. Försök igen om en stund."
SERVER_ERROR = "Sökningen fungerar inte just nu. Försök igen om en stund."
TIMEOUT_ERROR = "Sökningen tog för lång tid. Försök igen om en stund."
FALLBACK = '<a href="/sok">Sök i Kunskapsbanken</a>'
RED = "rgb(255, 0, 0)"


# -- servers --------------------------------------------------------------------------------------


@dataclass
class Host:
    """The intranet: a second origin with host pages and a failing fake API for error states."""

    service_url: str
    snippet: str
    closed_url: str
    pages: dict[str, str] = field(default_factory=dict)
    # Pages that also enforce Trusted Types, as the strictest intranets do.
    trusted_types: set[str] = field(default_factory=set)

    def page(self, body: str, lang: str = "sv") -> str:
        return (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<title>Kommunens intranät</title><link rel="stylesheet" href="/host.css">'
            f"</head><body><main><h1>Intranät</h1>{body}"
            '<p class="title" id="host-text">Värdsidans egen text</p></main></body></html>'
        )

    def csp(self, path: str) -> str:
        # What /widget says a host must allow, and nothing more: no inline styles, no eval.
        csp = (
            f"default-src 'self'; script-src 'self' {self.service_url}; "
            f"connect-src 'self' {self.service_url} {self.closed_url}; style-src 'self'"
        )
        return csp + "; require-trusted-types-for 'script'" if path in self.trusted_types else csp

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/favicon.ico":
            return _respond(start_response, "204 No Content", "image/x-icon", "")
        if path == "/host.css":
            return _respond(start_response, "200 OK", "text/css", HOST_CSS)
        if path in ("/fail-503/api/search", "/fail-400/api/search"):
            status = int(path[6:9])
            message = "page_size måste vara ett heltal" if status == 400 else "Indexet är låst"
            body = json.dumps({"error": {"status": status, "message": message}})
            return _respond(start_response, f"{status} Error", "application/json", body)
        if path in self.pages:
            headers = [("Content-Security-Policy", self.csp(path))]
            return _respond(start_response, "200 OK", "text/html", self.pages[path], headers)
        return _respond(start_response, "404 Not Found", "text/plain", "")


def _respond(
    start_response: Callable[..., Any],
    status: str,
    content_type: str,
    body: str,
    headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    data = body.encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", f"{content_type}; charset=utf-8"),
            ("Content-Length", str(len(data))),
            *(headers or []),
        ],
    )
    return [data]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_host(service: LiveServer) -> Host:
    """The intranet's pages around the snippet ``service``'s /widget page tells people to copy."""
    status, _headers, body = service.get("/widget")
    assert status == 200
    snippet = BeautifulSoup(body, "html.parser").select_one("pre.code code").get_text()
    app = Host(service.url, snippet, f"http://127.0.0.1:{closed_port()}")
    widget_script = snippet.split("\n")[0]
    app.pages.update(
        {
            # Exactly what the guide says to paste.
            "/": app.page(snippet),
            "/en": app.page(
                f'{widget_script}<kb-search region="fyrbodal" lang="en" page-size="3"></kb-search>',
                lang="en",
            ),
            "/trusted-types": app.page(snippet),
            # English by its tag's region variant, and by the page's language around it.
            "/en-gb": app.page(f'{widget_script}<kb-search lang="en-GB"></kb-search>'),
            "/page-en": app.page(f"{widget_script}<kb-search></kb-search>", lang="en-GB"),
            "/typing": app.page(f"{widget_script}<kb-search search-as-you-type></kb-search>"),
            "/closed": app.page(f'{widget_script}<kb-search base="{app.closed_url}"></kb-search>'),
            "/fail-503": app.page(f'{widget_script}<kb-search base="/fail-503"></kb-search>'),
            "/fail-400": app.page(f'{widget_script}<kb-search base="/fail-400"></kb-search>'),
            # A link inside the element, for when the script cannot be loaded (a service down).
            "/fallback": app.page(f"{widget_script}<kb-search>{FALLBACK}</kb-search>"),
            "/fallback-down": app.page(
                widget_script.replace(service.url, app.closed_url)
                + f"<kb-search>{FALLBACK}</kb-search>"
            ),
            # Its test holds the searches to /hang/api/search unanswered (page.route).
            "/hang": app.page(f'{widget_script}<kb-search base="/hang"></kb-search>'),
        }
    )
    app.trusted_types.add("/trusted-types")
    return app


@dataclass
class Watched:
    """A page and what went wrong on it: console errors, uncaught errors, alert() calls."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def watched_page(browser: Any) -> Iterator[Watched]:
    """A page of its own in ``browser`` that records what goes wrong on it."""
    with browser_page(browser) as page:
        w = Watched(page)
        page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda err: w.page_errors.append(str(err)))

        def on_dialog(dialog: Any) -> None:
            w.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        yield w


# -- helpers --------------------------------------------------------------------------------------


def api(service: LiveServer, **params: str) -> dict[str, Any]:
    status, _headers, body = service.get("/api/search?" + urlencode(params))
    assert status == 200, body
    return dict(json.loads(body))


def widget(page: Page) -> Locator:
    return page.locator("kb-search")


def search(page: Page, query: str, label: str = "Sök i kunskapsbanken") -> None:
    box = widget(page).get_by_label(label)
    box.fill(query)
    box.press("Enter")


def shadow(page: Page, script: str) -> Any:
    """Evaluate ``script`` (a function of the shadow root) in the page."""
    return page.evaluate(f"({script})(document.querySelector('kb-search').shadowRoot)")


def count_for(total: int, q: str) -> str:
    words = "Inga träffar" if total == 0 else "1 träff" if total == 1 else f"{total} träffar"
    return f"{words} för ”{q}”"


def open_host(widget_host: tuple[LiveServer, Host], watched: Watched, path: str = "/") -> Page:
    """Open the host page at ``path`` (on the host's origin) in the watched page and return it."""
    live, _app = widget_host
    watched.page.goto(live.url + path)
    return watched.page
