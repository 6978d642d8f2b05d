"""Shared fixtures: isolated settings, a knowledge base in a temporary folder, documents, the
thesaurus settings, the web admin, the web test corpus with its app and browser, and the widget
tests' two servers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from kb.config import Settings
from kb.document import Document, Page, Tag, document_id
from kb.service import KnowledgeBase
from tests.web_corpus import LiveServer, WebCorpus, build_corpus, launch_chromium, served_app
from web import create_app
from web.context import EXTENSION_KEY

if TYPE_CHECKING:
    from tests.widget_support import Host, Watched

DocFactory = Callable[..., Document]


@pytest.fixture(autouse=True)
def _no_request_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Servers started by tests (``kb serve``) get no request limits and no query time budget
    (a loaded test machine must not turn slow into failed) unless a test sets them."""
    monkeypatch.setenv("KB_RATE_LIMIT_PAGES", "")
    monkeypatch.setenv("KB_RATE_LIMIT_API", "")
    monkeypatch.setenv("KB_QUERY_TIME_BUDGET", "0")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        writer_timeout=2.0,
        ingest_demo_on_start=False,
        rate_limit_pages="",
        rate_limit_api="",
        query_time_budget=0,
    )


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A click runner for ``kb`` commands with none of the machine's KB_* settings that would
    redirect the data folder, OCR, PDF passwords or crawl delays of the command under test."""
    for name in ("KB_DATA_DIR", "KB_OCR_COMMAND", "KB_PDF_PASSWORD", "KB_CRAWL_DELAY"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


@pytest.fixture
def kb(settings: Settings) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase.open(settings)
    yield base
    base.close()


def make_document(
    source: str,
    title: str,
    text: str | list[str],
    *,
    date: str | None = "2023-05-01",
    doc_type: str = "other",
    focus_areas: tuple[str, ...] = (),
    municipalities: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    summary: str = "",
    content_type: str = "text/html",
) -> Document:
    """A Document as ingest would produce it, with given tags."""
    pages = [text] if isinstance(text, str) else text
    body = "\n".join(pages)
    return Document(
        id=document_id(source),
        source=source,
        title=title,
        pages=tuple(Page(i + 1, p) for i, p in enumerate(pages)),
        # As add_documents keeps it: a page's original holds its title too (kb.search.copies).
        content_sha256=hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
        content_type=content_type,
        date=date,
        summary=summary,
        doc_type=Tag(doc_type, "given"),
        focus_areas=tuple(Tag(f, "given") for f in focus_areas),
        municipalities=tuple(Tag(m, "given") for m in municipalities),
        regions=tuple(Tag(r, "given") for r in regions),
    )


@pytest.fixture
def doc_factory() -> DocFactory:
    return make_document


def add_documents(kb: KnowledgeBase, docs: list[Document]) -> None:
    # A page's original holds its title as well as its text: test documents that share a text
    # under other titles are other originals, not one file at two addresses (kb.search.copies).
    with kb.writer() as w:
        for d in docs:
            w.add(d, f"{d.title}\n{d.text}".encode())


# -- the thesaurus, shared by the thesaurus test modules ----------------------------------------

SHIPPED_THESAURUS = Path(__file__).resolve().parents[1] / "corpus" / "thesaurus.txt"


def thesaurus_settings(tmp_path: Path, rules: str) -> Settings:
    """Settings for a knowledge base in ``tmp_path`` whose corpus folder holds a thesaurus.txt
    of ``rules`` (no demo documents)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "thesaurus.txt").write_text(rules, encoding="utf-8")
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus, ingest_demo_on_start=False)


# -- the web admin, shared by the admin test modules ---------------------------------------------

ADMIN_PW = "admin-lösen-123"
EDITOR_PW = "redaktör-lösen-1"
ADMIN_BODY = (
    "Uddevalla kommun har infört ett e-arkiv för bygglov. Handlingarna bevaras digitalt och "
    "informationssäkerheten har granskats. "
) * 6


@pytest.fixture
def admin_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        ingest_demo_on_start=False,
        rate_limit_pages="",
        rate_limit_api="",
        query_time_budget=0,
        max_document_bytes=200_000,
        writer_timeout=5.0,
    )


@pytest.fixture
def admin_app(admin_settings: Settings) -> Iterator[Flask]:
    """The web app with an admin (anna) and a redaktör (bo), staging uploads without OCR."""
    # Imported here, not above: the extractors cost ~0.15 s to import and most runs stage nothing.
    from ingest.stage import Stager
    from web.admin.accounts import AccountStore

    accounts = AccountStore.in_data_dir(admin_settings.data_dir)
    accounts.add("anna", "admin", ADMIN_PW)
    accounts.add("bo", "redaktor", EDITOR_PW)
    app = create_app(admin_settings, {"ADMIN_STAGER": Stager(admin_settings, ocr_command="")})
    yield app
    app.extensions[EXTENSION_KEY].close()


def csrf(client: FlaskClient, path: str = "/admin/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, page.get_data(as_text=True)[:500]
    return match.group(1)


def log_in(client: FlaskClient, name: str, password: str) -> str:
    token = csrf(client)
    answer = client.post(
        "/admin/login", data={"csrf_token": token, "name": name, "password": password}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    return csrf(client, "/admin/dokument/ny")


def alert(html: str) -> str:
    match = re.search(r'role="alert">([^<]+)<', html)
    return match.group(1) if match else ""


# -- the web test corpus, shared by the page, API, feed and browser tests -----------------------


@dataclass
class WebGroups:
    """The corpus and app of each ``WEB_CORPUS_GROUP``, kept for the whole run."""

    corpora: dict[str, WebCorpus] = field(default_factory=dict)
    apps: dict[str, Flask] = field(default_factory=dict)


@pytest.fixture(scope="session")
def web_groups() -> Iterator[WebGroups]:
    groups = WebGroups()
    yield groups
    for app in groups.apps.values():
        app.extensions[EXTENSION_KEY].close()


def web_corpus_group(request: pytest.FixtureRequest) -> str | None:
    """The group a test module names to share its corpus and app with its sibling modules."""
    group: str | None = getattr(request.module, "WEB_CORPUS_GROUP", None)
    return group


@pytest.fixture(scope="module")
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, web_groups: WebGroups
) -> WebCorpus:
    """A real index of the web test documents, one per test module. Modules split from one file
    name one ``WEB_CORPUS_GROUP`` and share a corpus and app, as that file's tests did: their own
    would cost each module ~0.15 s of CPU to build and warm."""
    group = web_corpus_group(request)
    if group is None:
        return build_corpus(Path(tmp_path_factory.mktemp("web")) / "data")
    if group not in web_groups.corpora:
        web_groups.corpora[group] = build_corpus(Path(tmp_path_factory.mktemp(group)) / "data")
    return web_groups.corpora[group]


@pytest.fixture(scope="module")
def app(
    request: pytest.FixtureRequest, corpus: WebCorpus, web_groups: WebGroups
) -> Iterator[Flask]:
    group = web_corpus_group(request)
    if group is not None:
        if group not in web_groups.apps:
            web_groups.apps[group] = create_app(corpus.settings, {"TESTING": True})
        yield web_groups.apps[group]
        return
    app = create_app(corpus.settings, {"TESTING": True})
    yield app
    app.extensions[EXTENSION_KEY].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def app_kb(app: Flask) -> KnowledgeBase:
    """The knowledge base the web test app serves (the answers its pages must show)."""
    kb: KnowledgeBase = app.extensions[EXTENSION_KEY]
    return kb


@pytest.fixture(scope="module")
def live_site(corpus: WebCorpus) -> Iterator[tuple[LiveServer, KnowledgeBase]]:
    """The whole app over the module's web test corpus on 127.0.0.1 (waitress, as ``kb serve``),
    with the knowledge base it serves: what a browser test opens and the answers it expects."""
    with served_app(corpus.settings) as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one for the whole run: starting and closing it
    costs a second or two, and every test opens its own context (no cookies, storage or
    permissions are shared between tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


# -- the widget's service and host, shared by the test_browser_widget_* modules ----------------
# Named widget_*: a fixture in conftest reaches every test module, and a test elsewhere with a
# parameter called service, host or watched would have started both servers without a word.


@pytest.fixture(scope="session")
def widget_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Kunskapsbanken for the widget tests: the whole app over a web test corpus of its own on
    127.0.0.1, one for the run (the widget test modules only search it; a module of its own
    would cost ~0.15 s of CPU to build and warm)."""
    corpus = build_corpus(Path(tmp_path_factory.mktemp("widget")) / "data")
    with served_app(corpus.settings) as (live, _kb):
        yield live


@pytest.fixture(scope="session")
def widget_host(widget_service: LiveServer) -> Iterator[tuple[LiveServer, Host]]:
    """The widget tests' intranet: host pages on another port of 127.0.0.1 (another origin)."""
    from tests.widget_support import make_host  # imported here: it loads Playwright and axe

    app = make_host(widget_service)
    with LiveServer(app) as live:
        yield live, app


@pytest.fixture
def widget_watched(browser: Any) -> Iterator[Watched]:
    """A page of its own for a widget test, recording console errors, page errors and alerts."""
    from tests.widget_support import watched_page

    with watched_page(browser) as watched:
        yield watched
