"""The ingest pipeline end to end: real files and a real HTTP server into a real knowledge base."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfWriter

from ingest.fetch.download import FetchOptions
from ingest.model import Overrides
from ingest.pipeline import IngestOptions, ReadOnlyView, run
from ingest.sources import resolve
from kb.config import Settings
from kb.index.store import Store
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.ingest_support import Handler, html_page, http_server, make_pdf, ok, slow

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = IngestOptions(delay=0.0, fetch=FetchOptions(timeout=1.0, deadline=5.0))
PLAN_PAGES = [
    "Uddevalla kommun antar en handlingsplan för e-arkiv.",
    "Arbetet med digitalisering av arkivet pågår under 2024.",
]


def write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "pdf": folder / "handlingsplan-e-arkiv.pdf",
        "html": folder / "bygglov.html",
        "md": folder / "anteckningar.md",
    }
    files["pdf"].write_bytes(make_pdf(PLAN_PAGES, title="Handlingsplan för e-arkiv"))
    files["html"].write_bytes(
        html_page(
            "Bygglov",
            "<h1>Ansök om bygglov digitalt</h1><p>Trollhättans stad har en e-tjänst.</p>",
        )
    )
    files["md"].write_text("# Minnesanteckningar\n\nFyrbodals e-råd möttes i Vänersborg.\n")
    return files


def search_ids(kb: KnowledgeBase, q: str) -> set[str]:
    return {hit.id for hit in kb.search(SearchRequest(q=q, page_size=50)).hits}


def test_a_folder_is_extracted_stored_and_searchable(kb: KnowledgeBase, tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "docs")
    report = run(kb, resolve([str(tmp_path / "docs")]), OPTIONS)
    assert report.totals["added"] == 3 and not report.failed
    pdf = next(o.document for o in report.outcomes if o.source == str(files["pdf"]))
    assert pdf is not None
    assert pdf.title == "Handlingsplan för e-arkiv"
    assert [p.number for p in pdf.pages] == [1, 2]
    original = files["pdf"].read_bytes()
    assert pdf.content_sha256 == hashlib.sha256(original).hexdigest()
    assert kb.original_path(pdf.id).read_bytes() == original  # the original is kept
    assert kb.document(pdf.id).source == str(files["pdf"])
    assert pdf.id in search_ids(kb, "e-arkiv")
    html = kb.store.get_by_source(str(files["html"]))
    assert html is not None and html.content_type == "text/html"


def test_ingesting_again_changes_nothing(kb: KnowledgeBase, tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs")
    first = run(kb, resolve([str(tmp_path / "docs")]), OPTIONS)
    build = kb.index.current_dir()
    before = {d.id: d.added for d in kb.store}
    second = run(kb, resolve([str(tmp_path / "docs")]), OPTIONS)
    assert second.totals == {"added": 0, "updated": 0, "unchanged": 3, "failed": 0, "skipped": 0}
    assert {d.id: d.added for d in kb.store} == before
    assert kb.index.current_dir() == build
    assert first.totals["added"] == 3


def test_new_content_at_the_same_path_replaces_the_old_version(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    files = write_corpus(tmp_path / "docs")
    run(kb, resolve([str(files["md"])]), OPTIONS)
    old = kb.store.get_by_source(str(files["md"]))
    files["md"].write_text("# Minnesanteckningar\n\nMötet handlade om bredband i Dals-Ed.\n")
    report = run(kb, resolve([str(files["md"])]), OPTIONS)
    assert [o.status for o in report.outcomes] == ["updated"]
    new = kb.store.get_by_source(str(files["md"]))
    assert old is not None and new is not None and new.id == old.id
    assert new.content_sha256 != old.content_sha256
    assert search_ids(kb, "bredband") == {new.id}
    assert search_ids(kb, "Vänersborg") == set()
    assert len(kb.store) == 1


def test_given_metadata_counts_as_a_change_and_is_marked_given(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    files = write_corpus(tmp_path / "docs")
    run(kb, resolve([str(files["pdf"])]), OPTIONS)
    given = Overrides(focus_areas=("digital-trygghet",), municipalities=("Borås",), date="2023-05")
    report = run(kb, resolve([str(files["pdf"])], given), OPTIONS)
    assert [o.status for o in report.outcomes] == ["updated"]
    stored = kb.store.get_by_source(str(files["pdf"]))
    assert stored is not None
    # Given values are kept as curated corrections, laid over the stored automatic tags.
    doc = kb.document(stored.id)
    assert [(t.value, t.source) for t in doc.focus_areas] == [("digital-trygghet", "given")]
    assert [(t.value, t.source) for t in doc.municipalities] == [("1490", "given")]
    assert (doc.date, doc.date_source) == ("2023-05", "given")
    again = run(kb, resolve([str(files["pdf"])], given), OPTIONS)
    assert [o.status for o in again.outcomes] == ["unchanged"]


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Hemligt beslut om e-tjänster."])))
    writer.encrypt(user_password="hemligt", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_bad_files_are_reported_and_the_batch_goes_on(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs)
    (docs / "trasig.pdf").write_bytes(b"%PDF-1.4\n" + b"trasigt innehall " * 50)
    (docs / "krypterad.pdf").write_bytes(encrypted_pdf())
    (docs / "tom.txt").write_bytes(b"")
    (docs / "stor.txt").write_bytes(b"ord " * 60_000)
    (docs / "egentligen-html.pdf").write_bytes(html_page("Webbsida", "<p>Detta är HTML.</p>"))
    (docs / "cp1252.html").write_bytes(
        "<html><body><p>Överförmyndare – “digitalt”</p></body></html>".encode("cp1252")
    )
    # The cap sits far above the small test PDFs, whose size varies with the fonts fpdf2 finds.
    options = replace(OPTIONS, fetch=FetchOptions(max_bytes=200_000))
    report = run(kb, resolve([str(docs)]), options)
    by_name = {Path(o.source).name: o for o in report.outcomes}
    assert by_name["trasig.pdf"].code == "corrupt"
    assert by_name["krypterad.pdf"].code == "encrypted"
    assert "--password" in by_name["krypterad.pdf"].reason
    assert by_name["tom.txt"].code == "empty"
    assert by_name["stor.txt"].code == "too-large"
    assert by_name["egentligen-html.pdf"].status == "added"
    assert by_name["cp1252.html"].status == "added"
    assert report.failed and report.totals["failed"] == 4 and report.totals["added"] == 5
    sniffed = kb.store.get_by_source(str(docs / "egentligen-html.pdf"))
    assert sniffed is not None and sniffed.content_type == "text/html"
    assert sniffed.filename == "egentligen-html.pdf.html"  # the kept copy downloads as HTML
    stored = kb.store.get_by_source(str(docs / "cp1252.html"))
    assert stored is not None and "Överförmyndare – “digitalt”" in stored.text
    assert kb.search(SearchRequest(page_size=1)).total == 5


def test_urls_failures_are_reported_with_their_reasons(kb: KnowledgeBase) -> None:
    routes = {
        "/sida": ok(html_page("Sida", "<h1>E-tjänster i Uddevalla</h1><p>Om e-tjänster.</p>")),
        "/borta": (404, {"Content-Type": "text/html"}, b"nej"),
        "/fel": (500, {"Content-Type": "text/html"}, b"fel"),
        "/a": (302, {"Location": "/b"}, b""),
        "/b": (302, {"Location": "/a"}, b""),
        "/sov": slow,
        "/bild": ok(b"\x89PNG....", "image/png"),
        "/data.zip": ok(b"PK\x03\x04" + b"\x00" * 20, "application/octet-stream"),
    }
    with http_server(routes) as server:  # type: ignore[arg-type]
        paths = ("/sida", "/borta", "/fel", "/a", "/sov", "/bild", "/data.zip")
        urls = [server.url(p) for p in paths]
        report = run(kb, resolve(urls), replace(OPTIONS, fetch=FetchOptions(timeout=0.3)))
    codes = {o.source.removeprefix(server.base): o.code or o.status for o in report.outcomes}
    assert codes == {
        "/sida": "added",
        "/borta": "http-404",
        "/fel": "http-500",
        "/a": "redirect-loop",
        "/sov": "timeout",
        "/bild": "unsupported-type",
        "/data.zip": "unsupported-type",
    }
    doc = kb.store.get_by_source(server.url("/sida"))
    assert doc is not None and doc.title == "E-tjänster i Uddevalla"


def test_new_content_at_the_same_url_replaces_the_old_version(kb: KnowledgeBase) -> None:
    routes = {"/nyhet": ok(html_page("Nyhet", "<p>Första versionen om bredband.</p>"))}
    with http_server(routes) as server:  # type: ignore[arg-type]
        run(kb, resolve([server.url("/nyhet")]), OPTIONS)
        server.routes["/nyhet"] = ok(html_page("Nyhet", "<p>Andra versionen om e-hälsa.</p>"))
        report = run(kb, resolve([server.url("/nyhet")]), OPTIONS)
    assert [o.status for o in report.outcomes] == ["updated"]
    assert len(kb.store) == 1
    assert search_ids(kb, "bredband") == set() and len(search_ids(kb, "e-hälsa")) == 1


@pytest.mark.slow
def test_parallel_extraction_gives_the_same_documents(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs)
    for n in range(6):
        (docs / f"extra-{n}.pdf").write_bytes(make_pdf([f"Dokument {n} om digital kompetens."]))
    (docs / "trasig.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 100)  # its error crosses processes
    results = {}
    for jobs, executor in ((1, "process"), (2, "process"), (2, "thread")):
        data = tmp_path / f"data-{jobs}-{executor}"
        settings = Settings(data_dir=data, ingest_demo_on_start=False)
        kb = KnowledgeBase.open(settings)
        options = replace(OPTIONS, jobs=jobs, executor=executor)  # type: ignore[arg-type]
        report = run(kb, resolve([str(docs)]), options)
        results[(jobs, executor)] = sorted((d.id, d.title, d.text) for d in kb.store)
        assert report.totals["added"] == 9 and report.totals["failed"] == 1
        assert [o.code for o in report.outcomes if o.status == "failed"] == ["corrupt"]
        kb.close()
    assert results[(1, "process")] == results[(2, "process")] == results[(2, "thread")]


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs")
    settings = Settings(data_dir=tmp_path / "data", ingest_demo_on_start=False)
    kb = KnowledgeBase.open(settings)  # only for its taxonomy; the view below is what runs
    view = ReadOnlyView(Store(tmp_path / "elsewhere"), kb.taxonomy)
    report = run(view, resolve([str(tmp_path / "docs")]), replace(OPTIONS, dry_run=True))
    assert report.totals["would_add"] == 3
    assert all(o.document is not None for o in report.outcomes)
    assert not (tmp_path / "elsewhere").exists()
    kb.close()


CRASH_SCRIPT = """
import sys
from kbcli.main import cli
sys.exit(cli(sys.argv[1:]))
"""


@pytest.mark.slow
def test_a_crash_mid_ingest_leaves_the_index_as_at_the_last_commit(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in (1, 2, 3):
        (docs / f"doc{n}.txt").write_text(f"Dokument nummer {n} om e-arkiv.\n")
    reached = threading.Event()

    def hang(handler: Handler) -> None:
        reached.set()  # batch 1 (doc1, doc2) is committed before this URL is fetched
        slow(handler)

    data = tmp_path / "data"
    with http_server({"/hang": hang}) as server:
        args = [str(docs / "doc1.txt"), str(docs / "doc2.txt"), str(docs / "doc3.txt")]
        args += [server.url("/hang"), "--batch-size", "2", "--delay", "0", "--timeout", "30"]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KB_INGEST_DEMO_ON_START": "false"}
        log = tmp_path / "stderr.txt"
        with log.open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-c", CRASH_SCRIPT, "ingest", "--data-dir", str(data), *args],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        try:
            deadline = time.monotonic() + 60
            while not reached.wait(0.1):  # bounded wait for the process to reach the URL
                assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "the ingest never reached the URL"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
    kb = KnowledgeBase.open(Settings(data_dir=data, ingest_demo_on_start=False))
    stored = sorted(Path(d.source).name for d in kb.store)
    assert stored == ["doc1.txt", "doc2.txt"]  # doc3 was waiting for the next commit
    assert kb.search(SearchRequest(page_size=10)).total == 2
    assert search_ids(kb, "nummer") == {d.id for d in kb.store}
    report = run(kb, resolve([str(docs)]), OPTIONS)  # the writer lock died with the process
    assert report.totals["added"] == 1 and report.totals["unchanged"] == 2
    kb.close()
