"""Test helpers for the ingest tests: real PDFs written with fpdf2, a real HTTP server on 127.0.0.1,
a file run through the whole pipeline.

The server answers from a route table and records every request (path and user agent), so tests
can check politeness (robots.txt honoured, the identifying user agent sent). A "slow" route blocks
on an event that the test releases when it ends, bounded by a timeout: no sleeps.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fpdf import FPDF

from ingest.extract.dispatch import ExtractOptions
from ingest.fetch.download import FetchOptions, fetch_file
from ingest.model import Source
from ingest.normalise import Given
from ingest.workers import process
from kb.document import Document
from kb.taxonomy.model import Taxonomy

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def ingest(path: Path) -> Document:
    """What the whole pipeline (fetch, extract, enrich, normalise; the shipped taxonomy) makes
    of the file at ``path``; fails the test with the pipeline's error when it makes nothing."""
    fetched = fetch_file(Source(str(path), "file"), FetchOptions())
    processed = process(fetched, Given(), ExtractOptions(), _taxonomy())
    assert processed.document is not None, processed.error
    return processed.document


@cache
def _taxonomy() -> Taxonomy:
    return Taxonomy.load()


def make_pdf(
    pages: list[str],
    *,
    title: str | None = None,
    heading: str | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A real text PDF: one body text per page, optional metadata title, big first-page heading,
    running header and "Sida N av M"-style footer ("{n}" and "{total}" are filled in)."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT))
    if title is not None:
        pdf.set_title(title)
    for number, body in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.set_font("DejaVu", size=8)
            pdf.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
        if heading and number == 1:
            pdf.set_font("DejaVu", size=22)
            pdf.multi_cell(0, 11, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=11)
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
        if footer:
            pdf.set_y(-15)
            pdf.set_font("DejaVu", size=8)
            pdf.cell(0, 6, footer.format(n=number, total=len(pages)), align="C")
    return bytes(pdf.output())


def render_text_image(lines: list[str], size: int = 44) -> bytes:
    """A PNG of black Swedish text on white, as a scanner would deliver it (needs Pillow)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), size)
    height = 120 + len(lines) * int(size * 1.6)
    image = Image.new("L", (1700, max(height, 400)), color=255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((80, 80 + i * int(size * 1.6)), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(200, 200))
    return out.getvalue()


def make_scanned_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages are only images of text (no text layer), like a scanned decision."""
    pdf = FPDF()
    for lines in pages:
        pdf.add_page()
        pdf.image(io.BytesIO(render_text_image(lines)), x=0, y=0, w=210)
    return bytes(pdf.output())


Route = tuple[int, dict[str, str], bytes] | Callable[["Handler"], None]


@dataclass
class Server:
    """A running test server: ``url(path)``, the route table and the request log."""

    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        state = self.server.state  # type: ignore[attr-defined]
        state.requests.append((self.path, self.headers.get("User-Agent", "")))
        route = state.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not found")
            return
        if callable(route):
            route(self)
            return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def slow(handler: Handler) -> None:
    """A route that sends nothing until the test ends (bounded), to trigger client timeouts."""
    handler.server.state.release.wait(10)  # type: ignore[attr-defined]
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(b"<p>too late</p>")
    except OSError:
        pass  # the client gave up long ago


@contextmanager
def http_server(routes: dict[str, Route]) -> Iterator[Server]:
    """Serve ``routes`` on 127.0.0.1 in a thread for the duration of the block."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state = Server(f"http://127.0.0.1:{httpd.server_address[1]}", routes)
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def html_page(title: str, body: str, head: str = "", charset: str = "utf-8") -> bytes:
    """A small, complete HTML page."""
    page = (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="{charset}"><title>{title}</title>'
        f"{head}</head><body><main>{body}</main></body></html>"
    )
    return page.encode(charset)


def ok(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    return (200, {"Content-Type": content_type}, body)
