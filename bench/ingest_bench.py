"""Ingestion benchmark: documents per second for text PDFs and HTML, and `kb reindex` time.

    python bench/ingest_bench.py --pdfs 200 --html 400 --reindex-docs 1000 --out bench/out/ingest

Writes a generated corpus (multi-page Swedish text PDFs made with fpdf2, HTML pages with the
usual page furniture) into ``--out``, then ingests each kind into a fresh data folder with
``--jobs 1`` and ``--jobs 2`` (worker processes, and threads for comparison), timing the whole
pipeline (fetch, extract, enrich, normalise, index commit) and, separately, extraction alone.
Finally ingests ``--reindex-docs`` documents and times ``KnowledgeBase.reindex()``. Prints a
Markdown table and writes results.json beside the corpus.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdf import FPDF

from ingest.extract.dispatch import ExtractOptions, extract
from ingest.fetch.download import FetchOptions, fetch
from ingest.model import Source
from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.config import Settings
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WORDS = (
    "kommunen", "digitalisering", "e-tjänst", "bygglov", "arkiv", "informationssäkerhet",
    "kompetens", "skolan", "omsorg", "välfärdsteknik", "bredband", "handlingsplan", "beslut",
    "nämnden", "förvaltningen", "medborgare", "projektet", "samverkan", "regionen", "utveckling",
    "tillgänglighet", "öppna data", "automatisering", "verksamheten", "ledningen", "strategi",
    "uppföljning", "invånare", "tjänster", "plattform",
)  # fmt: skip
FOCUS = ("digital kompetens", "digital trygghet", "digital innovation", "digital infrastruktur")


def _sentences(rng: random.Random, municipality: str, count: int) -> list[str]:
    out = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(8, 16))
        words.insert(rng.randint(0, len(words)), rng.choice(FOCUS))
        if rng.random() < 0.3:
            words.insert(0, f"{municipality} kommun")
        out.append(" ".join(words).capitalize() + ".")
    return out


def write_corpus(out: Path, pdfs: int, html: int, names: list[str]) -> tuple[Path, Path]:
    """Generate ``pdfs`` text PDFs (4 pages, ~500 words each) and ``html`` pages (~400 words)."""
    rng = random.Random(20241123)
    pdf_dir, html_dir = out / "pdf", out / "html"
    for folder in (pdf_dir, html_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for n in range(pdfs):
        muni = rng.choice(names)
        pdf = FPDF()
        pdf.add_font("DejaVu", "", FONT)
        pdf.set_title(f"Handlingsplan {n} för {muni} kommun")
        for page in range(4):
            pdf.add_page()
            pdf.set_font("DejaVu", size=8)
            pdf.cell(0, 6, f"{muni} kommun · Handlingsplan {n}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", size=11)
            pdf.multi_cell(0, 6, " ".join(_sentences(rng, muni, 10)))
            pdf.set_y(-15)
            pdf.cell(0, 6, f"Sida {page + 1} av 4", align="C")
        (pdf_dir / f"plan-{n:04d}.pdf").write_bytes(bytes(pdf.output()))
    for n in range(html):
        muni = rng.choice(names)
        paragraphs = "".join(f"<p>{s}</p>" for s in _sentences(rng, muni, 30))
        markup = (
            f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
            f"<title>Nyhet {n} – {muni} kommun</title>"
            f'<meta name="description" content="Nyhet {n} från {muni}.">'
            f'<meta property="article:published_time" content="2023-0{1 + n % 9}-1{n % 9}">'
            f"<script>var x = {n};</script></head><body>"
            f'<div id="cookie-banner">Vi använder kakor</div>'
            f"<header><nav><ul>{''.join(f'<li><a href=/{w}>{w}</a></li>' for w in WORDS[:12])}"
            f"</ul></nav></header><main><article><h1>Nyhet {n} om {rng.choice(FOCUS)}</h1>"
            f"{paragraphs}</article></main><footer>{muni} kommun, kontakt</footer></body></html>"
        )
        (html_dir / f"nyhet-{n:04d}.html").write_text(markup, encoding="utf-8")
    return pdf_dir, html_dir


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_ingest(folder: Path, data: Path, options: IngestOptions) -> tuple[float, float, int]:
    """Wall seconds and CPU seconds to ingest ``folder`` into a fresh data folder, and the
    documents added (the worker pool's start-up included: it is part of every run)."""
    shutil.rmtree(data, ignore_errors=True)
    kb = KnowledgeBase.open(Settings(data_dir=data, ingest_demo_on_start=False))
    cpu = _cpu()
    started = time.perf_counter()
    report = run(kb, resolve([str(folder)]), options)
    seconds = time.perf_counter() - started
    cpu = _cpu() - cpu
    kb.close()
    if report.failed:
        raise click.ClickException(f"ingest failed: {report.summary_lines()}")
    return seconds, cpu, report.totals["added"]


def free_cores() -> float:
    """How many cores this run can really use now: the speed-up of a CPU-bound loop in two
    processes over one (2.0 on an idle two-core machine, about 1.0 when others keep it busy)."""
    started = time.perf_counter()
    _spin(3_000_000)
    one = time.perf_counter() - started
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_spin, [10, 10]))  # start the workers before timing
        started = time.perf_counter()
        list(pool.map(_spin, [3_000_000, 3_000_000]))
        two = time.perf_counter() - started
    return 2 * one / two


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i % 7
    return total


def time_extraction(folder: Path) -> float:
    """Seconds to read and extract every file in ``folder`` in one thread (no enrich, no index)."""
    sources = [s for s in resolve([str(folder)]) if isinstance(s, Source)]
    started = time.perf_counter()
    for source in sources:
        extract(fetch(source, FetchOptions()), ExtractOptions())
    return time.perf_counter() - started


@click.command()
@click.option("--pdfs", default=200, show_default=True, help="Text PDFs to generate.")
@click.option("--html", default=400, show_default=True, help="HTML pages to generate.")
@click.option("--reindex-docs", default=1000, show_default=True, help="Documents for reindex.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("bench/out/ingest"))
def main(pdfs: int, html: int, reindex_docs: int, out: Path) -> None:
    """Generate a corpus, time ingestion with --jobs 1 and 2, and time `kb reindex`."""
    names = [m.name for m in Taxonomy.load().municipalities.values()]
    extra = max(0, reindex_docs - pdfs - html)
    pdf_dir, html_dir = write_corpus(out, pdfs, html + extra, names)
    base = IngestOptions(delay=0.0)
    cores = free_cores()
    results: dict[str, object] = {"pdfs": pdfs, "html": html + extra, "free_cores": round(cores, 2)}
    rows: list[tuple[str, str, float, float]] = []
    for kind, folder, count in (("text PDF", pdf_dir, pdfs), ("HTML", html_dir, html + extra)):
        extract_s = time_extraction(folder)
        rows.append((kind, "extraction only, 1 thread", count / extract_s, extract_s / count))
        for label, options in (
            ("--jobs 1", base),
            ("--jobs 2 (processes)", replace(base, jobs=2, executor="process")),
            ("--jobs 2 (threads)", replace(base, jobs=2, executor="thread")),
        ):
            seconds, cpu, added = time_ingest(folder, out / "data", options)
            rows.append((kind, label, added / seconds, cpu / added))
    results["runs"] = [
        {"kind": k, "run": r, "docs_per_s": round(v, 1), "cpu_ms_per_doc": round(c * 1000, 1)}
        for k, r, v, c in rows
    ]
    # Reindex: every generated document in one knowledge base, then rebuild from the store.
    data = out / "data-reindex"
    shutil.rmtree(data, ignore_errors=True)
    kb = KnowledgeBase.open(Settings(data_dir=data, ingest_demo_on_start=False))
    run(kb, resolve([str(pdf_dir), str(html_dir)]), replace(base, jobs=2))
    stored = len(kb.store)
    started = time.perf_counter()
    count = kb.reindex()
    reindex_s = time.perf_counter() - started
    kb.close()
    results.update(reindex_docs=count, stored=stored, reindex_seconds=round(reindex_s, 2))
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    click.echo(f"Free cores during the run (2-process speed-up of a CPU loop): {cores:.2f}\n")
    click.echo("| corpus | run | documents/second | CPU ms/document |")
    click.echo("| --- | --- | ---: | ---: |")
    for kind, label, value, cpu in rows:
        click.echo(f"| {kind} | {label} | {value:.1f} | {cpu * 1000:.0f} |")
    click.echo(f"\n`kb reindex` of {count} documents: {reindex_s:.1f} s")


if __name__ == "__main__":
    main()
