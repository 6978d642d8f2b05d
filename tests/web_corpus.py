"""A small real knowledge base and a real waitress server for the web and browser tests.

Documents are written with kb.writer() into a temporary data folder (no fake search backend):
one real two-page PDF made with fpdf2, one hostile HTML page (<script> in title, text and the
kept copy), one English document, and enough "e-arkiv" documents for three result pages.
"""

from __future__ import annotations

import hashlib
import http.client
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fpdf import FPDF
from waitress.server import create_server

from kb.config import Settings
from kb.document import Document, Page, Tag, document_id
from kb.service import KnowledgeBase

if TYPE_CHECKING:
    from bs4 import BeautifulSoup
    from playwright.sync_api import Page as BrowserPage

UDDEVALLA, TROLLHATTAN, VANERSBORG, BORAS, SKOVDE = "1485", "1488", "1487", "1490", "1496"
GOTEBORG, JONKOPING, STOCKHOLM, LIDKOPING, ULRICEHAMN = "1480", "0680", "0180", "1494", "1491"

# (municipality, year, doc_type, focus areas) for the generated e-arkiv documents.
E_ARKIV_ROWS = [
    (UDDEVALLA, 2019, "project", ("digital-infrastruktur",)),
    (UDDEVALLA, 2021, "decision", ("digital-infrastruktur", "digitalt-ledarskap")),
    (UDDEVALLA, 2023, "guide", ("digital-infrastruktur",)),
    (TROLLHATTAN, 2020, "project", ("digital-infrastruktur",)),
    (TROLLHATTAN, 2022, "report", ("digital-trygghet",)),
    (VANERSBORG, 2018, "decision", ("digitalt-ledarskap",)),
    (VANERSBORG, 2024, "plan", ("digital-infrastruktur",)),
    (BORAS, 2019, "guide", ("digital-infrastruktur",)),
    (BORAS, 2020, "project", ("digital-kompetens", "digital-infrastruktur")),
    (BORAS, 2022, "report", ("digital-infrastruktur",)),
    (BORAS, 2023, "decision", ("digitalt-ledarskap",)),
    (SKOVDE, 2021, "plan", ("digital-infrastruktur",)),
    (SKOVDE, 2022, "guide", ("digital-trygghet",)),
    (GOTEBORG, 2020, "report", ("digital-innovation",)),
    (GOTEBORG, 2023, "project", ("digital-infrastruktur", "digital-innovation")),
    (JONKOPING, 2021, "plan", ("digital-infrastruktur",)),
    (JONKOPING, 2024, "guide", ("digital-kompetens",)),
    (LIDKOPING, 2019, "decision", ("digital-infrastruktur",)),
    (ULRICEHAMN, 2022, "project", ("digital-infrastruktur",)),
    (STOCKHOLM, 2023, "report", ("digital-infrastruktur",)),
]
NAMES = {
    UDDEVALLA: "Uddevalla",
    TROLLHATTAN: "Trollhättan",
    VANERSBORG: "Vänersborg",
    BORAS: "Borås",
    SKOVDE: "Skövde",
    GOTEBORG: "Göteborg",
    JONKOPING: "Jönköping",
    STOCKHOLM: "Stockholm",
    LIDKOPING: "Lidköping",
    ULRICEHAMN: "Ulricehamn",
}
HOSTILE_TITLE = "<script>alert('titel')</script> Bygglov som e-tjänst i Trollhättan"
HOSTILE_TEXT = (
    "Trollhättans stad erbjuder bygglov som e-tjänst. <script>alert('xss')</script> "
    "Ansökan om bygglov görs digitalt och handläggningen går snabbare."
)
HOSTILE_HTML = (
    "<!doctype html><html><head><title>Bygglov</title>"
    "<script>document.title='pwned'</script></head>"
    "<body><p>Bygglov som e-tjänst</p><script>alert('xss')</script></body></html>"
)
PDF_PAGES = (
    "Handlingsplan för digital arkivering i Uddevalla kommun 2022.",
    "Kommunen inför ett gemensamt e-arkiv för alla förvaltningar under 2023. "
    "Arkivredogörelse och informationshanteringsplan uppdateras.",
)


@dataclass(frozen=True)
class WebCorpus:
    """The documents of the test knowledge base, by role."""

    settings: Settings
    pdf: Document
    hostile: Document
    english: Document
    kompetens: Document
    e_arkiv: tuple[Document, ...]

    @property
    def all(self) -> tuple[Document, ...]:
        return (self.pdf, self.hostile, self.english, self.kompetens, *self.e_arkiv)


def _doc(
    source: str,
    title: str,
    pages: tuple[str, ...],
    original: bytes,
    *,
    content_type: str,
    date: str,
    doc_type: str,
    focus_areas: tuple[str, ...],
    municipalities: tuple[str, ...],
    language: str = "sv",
    filename: str = "",
) -> Document:
    return Document(
        id=document_id(source),
        source=source,
        title=title,
        pages=tuple(Page(i + 1, text) for i, text in enumerate(pages)),
        content_sha256=hashlib.sha256(original).hexdigest(),
        content_type=content_type,
        filename=filename,
        date=date,
        language=language,
        publisher=f"{NAMES.get(municipalities[0], '')} kommun" if municipalities else "",
        doc_type=Tag(doc_type, "given"),
        focus_areas=tuple(
            Tag(f, "auto", evidence=("e-arkiv", "arkivering"), score=0.8) for f in focus_areas
        ),
        municipalities=tuple(Tag(m, "given") for m in municipalities),
    )


def real_pdf(pages: tuple[str, ...]) -> bytes:
    """A real PDF (fpdf2) with one page per text."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def build_corpus(data_dir: Path) -> WebCorpus:
    """Write the test documents into a knowledge base in ``data_dir`` and close it."""
    # No request limits or time budget here: tests/test_web_limits.py tests them on its own app.
    settings = Settings(
        data_dir=data_dir,
        writer_timeout=5.0,
        ingest_demo_on_start=False,
        rate_limit_pages="",
        rate_limit_api="",
        query_time_budget=0,
    )
    pdf_bytes = real_pdf(PDF_PAGES)
    pdf = _doc(
        "https://www.uddevalla.se/download/handlingsplan-e-arkiv.pdf",
        "Handlingsplan för e-arkiv i Uddevalla",
        PDF_PAGES,
        pdf_bytes,
        content_type="application/pdf",
        date="2022-03-01",
        doc_type="plan",
        focus_areas=("digital-infrastruktur",),
        municipalities=(UDDEVALLA,),
        filename="handlingsplan-e-arkiv.pdf",
    )
    hostile = _doc(
        "https://www.trollhattan.se/bygglov",
        HOSTILE_TITLE,
        (HOSTILE_TEXT,),
        HOSTILE_HTML.encode(),
        content_type="text/html",
        date="2021-06-01",
        doc_type="guide",
        focus_areas=("digital-innovation",),
        municipalities=(TROLLHATTAN,),
        filename="bygglov.html",
    )
    english_text = "Gothenburg publishes open data through an API platform for developers."
    english = _doc(
        "https://goteborg.se/open-data-strategy",
        "Open data strategy for Gothenburg",
        (english_text,),
        english_text.encode(),
        content_type="text/plain",
        date="2023-09-01",
        doc_type="plan",
        focus_areas=("digital-innovation",),
        municipalities=(GOTEBORG,),
        language="en",
    )
    kompetens_text = (
        "Skövde kommun genomför ett kompetenslyft i digital kompetens för alla medarbetare, "
        "med utbildning i e-tjänster och digitala verktyg."
    )
    kompetens = _doc(
        "https://www.skovde.se/kompetenslyft",
        "Kompetenslyft i digital kompetens",
        (kompetens_text,),
        kompetens_text.encode(),
        content_type="text/html",
        date="2024-02-01",
        doc_type="project",
        focus_areas=("digital-kompetens",),
        municipalities=(SKOVDE,),
    )
    e_arkiv = []
    for i, (code, year, doc_type, areas) in enumerate(E_ARKIV_ROWS):
        name = NAMES[code]
        text = (
            f"{name} kommun arbetar med e-arkiv och digital arkivering. Projekt {i + 1} "
            f"beskriver hur e-arkivet införs och vad {name} lärde sig under {year}."
        )
        e_arkiv.append(
            _doc(
                f"https://www.example-{code}.se/e-arkiv-{i}",
                f"E-arkiv i {name} {year} ({i + 1})",
                (text,),
                text.encode(),
                content_type="text/html",
                date=f"{year}-0{1 + i % 9}-15",
                doc_type=doc_type,
                focus_areas=areas,
                municipalities=(code,),
            )
        )
    corpus = WebCorpus(settings, pdf, hostile, english, kompetens, tuple(e_arkiv))
    originals = {pdf.id: pdf_bytes, hostile.id: HOSTILE_HTML.encode()}
    kb = KnowledgeBase.open(settings)
    try:
        with kb.writer() as w:
            for doc in corpus.all:
                w.add(doc, originals.get(doc.id, doc.text.encode()))
    finally:
        kb.close()
    return corpus


class LiveServer:
    """A WSGI app served by waitress on 127.0.0.1 in a background thread (a free port)."""

    def __init__(self, app: object, threads: int = 4) -> None:
        self._server = create_server(app, host="127.0.0.1", port=0, threads=threads)
        self.port = int(self._server.effective_port)  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        server: Any = self._server
        server.task_dispatcher.shutdown()
        # Close the listening socket in the loop's own thread (the trigger runs it there): closed
        # from here, the loop's select() could still be waiting on it and fail with EBADF.
        server.trigger.pull_trigger(server.close)
        self._thread.join(timeout=10)
        if not self._thread.is_alive() and server.accepting:
            server.close()  # the loop had already ended; nothing races any more

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """GET ``path`` from this server."""
        return http_get(self.port, path)


@contextmanager
def served_app(settings: Settings) -> Iterator[tuple[LiveServer, KnowledgeBase]]:
    """The whole app on ``settings`` served over HTTP; yields the server and the app's own
    knowledge base, closed when the server has stopped."""
    from web import create_app  # the pages under test; kb alone builds the bank
    from web.context import EXTENSION_KEY

    app = create_app(settings)
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]
    try:
        with LiveServer(app) as server:
            yield server, kb
    finally:
        kb.close()


@contextmanager
def served_bank(data_dir: Path, fill: Callable[[KnowledgeBase], None]) -> Iterator[str]:
    """A knowledge base in ``data_dir`` that ``fill`` adds documents to, served over HTTP by the
    whole app (no demo documents, no request limits); yields its base URL."""
    settings = Settings(
        data_dir=data_dir, ingest_demo_on_start=False, rate_limit_pages="", rate_limit_api=""
    )
    kb = KnowledgeBase.open(settings)
    try:
        fill(kb)
    finally:
        kb.close()
    with served_app(settings) as (server, _kb):
        yield server.url


@contextmanager
def browser_page(
    browser: Any, width: int = 1280, height: int = 900, **options: Any
) -> Iterator[BrowserPage]:
    """A page in a new browser context of ``width`` x ``height`` CSS pixels (``options`` go to
    the context), waiting at most 15 s for a condition; the context is closed after."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
    finally:
        context.close()


def http_get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` on 127.0.0.1:``port`` with http.client; returns status, headers and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def soup(response: Any) -> BeautifulSoup:
    """The HTML of a Flask test client's 200 answer, parsed."""
    from bs4 import BeautifulSoup  # imported here: most test runs parse no page

    assert response.status_code == 200, response.data[:500]
    return BeautifulSoup(response.data, "html.parser")


# What axe checks in every browser test: WCAG 2.1 A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_clean(page: BrowserPage) -> None:
    """Fail with axe's report unless the page has no WCAG 2.1 A or AA violation."""
    from axe_playwright_python.sync_playwright import Axe  # imported here: browser tests only

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two ``rgb(r, g, b)`` colours."""

    def luminance(colour: str) -> float:
        parts = [int(float(x)) for x in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        channels = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in (p / 255 for p in parts)
        ]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


CHROMIUM = "/usr/bin/chromium"
# Every browser test module's marks: chosen or left out with -m browser, and skipped where
# Debian's Chromium is not installed.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, with the flags the brief requires (no network use)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
