"""`kb ingest`, `kb list` and `kb remove`: thin commands over ingest.pipeline and kb.KnowledgeBase.

`kb ingest` prints one line per source (or one JSON object per line with --json, then a totals
object), a summary with every failure's reason, and exits 1 when any source failed. A progress bar
goes to stderr only when stderr is a terminal and --json is off.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from ingest.fetch.crawl import CrawlOptions
from ingest.fetch.download import FetchOptions
from ingest.fetch.urls import looks_like_url, normalise_url
from ingest.model import Overrides, Rejected, Source
from ingest.normalise import auto_fields, resolve_overrides
from ingest.pipeline import IngestOptions, ReadOnlyView, run
from ingest.report import Outcome, Report, describe, outcome_line
from ingest.sources import read_manifest, resolve
from kb.config import Settings
from kb.curation.apply import curated_document
from kb.curation.files import CurationStore
from kb.document import Document, document_id
from kb.errors import DiskFullError, NotFoundError
from kb.index.store import Store
from kb.reports import ReportLog
from kb.search.serialize import document_summary_json
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy
from kbcli.options import (
    data_dir_option,
    existing_data_dir_option,
    extract_options,
    extraction_options,
    fetch_options,
    kb_errors,
    terminate_as_interrupt,
)


@click.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--manifest",
    "manifests",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSON-lines file: a source column plus metadata columns (repeatable).",
)
@click.option("--crawl", is_flag=True, help="Follow same-site links from the URLs given.")
@click.option(
    "--depth",
    type=click.IntRange(0, 10),
    default=1,
    show_default=True,
    help="Link hops from each start URL when crawling.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Documents fetched per crawl or sitemap at most.",
)
@fetch_options
@click.option(
    "--focus-area", "focus_areas", multiple=True, help="Focus area id or name (repeatable)."
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="SCB code or name, e.g. 1485 or Uddevalla (repeatable).",
)
@click.option("--region", "regions", multiple=True, help="Region id or name (repeatable).")
@click.option(
    "--doc-type",
    help="Document type id or Swedish name: guide, project, decision, notice, plan, strategy, "
    "report, presentation, webpage or other.",
)
@click.option("--title", help="Title for the document(s).")
@click.option("--date", help="Date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--language", help="Language code, e.g. sv.")
@click.option("--publisher", help="Publisher, e.g. Uddevalla kommun.")
@click.option(
    "--by", help="Who gives these values (kept with them as corrections) [default: the OS user]."
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Largest original in bytes [default: setting max_document_bytes].",
)
@click.option("--force", is_flag=True, help="Re-extract even unchanged originals.")
@click.option(
    "--dry-run", is_flag=True, help="Show what would be extracted and tagged; write nothing."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source, then totals.")
@click.option("--batch-size", type=click.IntRange(min=1), default=100, hidden=True)
@extraction_options
@data_dir_option
@kb_errors
def ingest(
    settings: Settings, sources: tuple[str, ...], manifests: tuple[Path, ...], **opts: Any
) -> None:
    """Läs in: add PDFs, web pages, text and Markdown files, folders, URLs, sitemaps and manifests.

    Ingesting the same content again changes nothing; new content at the same path or URL
    replaces the old version. Values given with flags or manifest columns are kept as curated
    corrections (see `kb edit`): a later plain re-ingest or reindex keeps them. Exit status 1
    when any source failed.
    """
    if not sources and not manifests:
        raise click.UsageError(
            "Ange filer, mappar, URL:er eller --manifest / give sources to ingest"
        )
    overrides = Overrides(
        title=opts["title"], date=opts["date"], doc_type=opts["doc_type"],
        focus_areas=opts["focus_areas"], municipalities=opts["municipalities"],
        regions=opts["regions"], language=opts["language"], publisher=opts["publisher"],
    )  # fmt: skip
    taxonomy = Taxonomy.load(settings.taxonomy_dir)
    resolve_overrides(overrides, taxonomy)  # a bad flag stops the run before any work
    options = _options(settings, opts)
    # pypdf logs how it recovers from damaged files; the report already says what failed and why.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    items = list(_items(sources, manifests, overrides, opts["password"]))
    as_json, dry_run = opts["as_json"], opts["dry_run"]
    target: KnowledgeBase | ReadOnlyView
    if dry_run:
        target = ReadOnlyView(
            Store(settings.store_dir), taxonomy, CurationStore(settings.curation_dir)
        )
    else:
        target = KnowledgeBase.open(settings, taxonomy)
    show_bar = not as_json and not dry_run and sys.stderr.isatty()
    told = Report(dry_run)  # what was reported (and, for documents, committed) so far
    try:
        report, still_kept = _run(target, items, options, opts, show_bar, told)
    except (KeyboardInterrupt, DiskFullError) as stop:
        _interrupted(settings, told, dry_run, as_json, stop)
    if not dry_run:
        keep_report(settings, report)
    _finish(report, as_json, still_kept)


def _run(
    target: KnowledgeBase | ReadOnlyView,
    items: list[Source | Rejected],
    options: IngestOptions,
    opts: dict[str, Any],
    show_bar: bool,
    told: Report,
) -> tuple[Report, list[str]]:
    """Run the pipeline, printing each outcome as it is recorded; the report and the gone pages
    still kept. Ctrl-C or SIGTERM raises KeyboardInterrupt, ``told`` holding what was printed."""
    as_json, dry_run = opts["as_json"], opts["dry_run"]
    # A crawl's length is unknown until it ends; sitemaps may overshoot (the bar stops at 100 %).
    with (
        terminate_as_interrupt(),
        _progress(show_bar, None if opts["crawl"] else len(items)) as bar,
    ):

        def on_outcome(outcome: Outcome) -> None:
            told.record(outcome)
            if as_json:
                click.echo(json.dumps(outcome.to_json(), ensure_ascii=False))
            elif bar is None:
                click.echo(outcome_line(outcome))
                if dry_run and outcome.document is not None and outcome.status != "unchanged":
                    for line in describe(outcome.document):
                        click.echo(line)

        try:
            step = None if bar is None else (lambda location: bar.update(1, location))
            report = run(target, items, options, on_outcome, step)
            kb = target if isinstance(target, KnowledgeBase) else None
            return report, [] if kb is None else _gone_but_kept(kb, report)
        finally:
            if isinstance(target, KnowledgeBase):
                target.close()


def _interrupted(
    settings: Settings, report: Report, dry_run: bool, as_json: bool, stop: BaseException
) -> NoReturn:
    """Stopped by Ctrl-C or kill (exit 130) or a full disk (exit 1, and why): say what is in
    the bank and how to finish. The documents reported were committed."""
    if not dry_run:
        keep_report(settings, report)
    if as_json:
        click.echo(json.dumps({**report.totals_json(), "interrupted": True}, ensure_ascii=False))
    else:
        click.echo("")
        for line in report.summary_lines(interrupted=True):
            click.echo(line)
    if isinstance(stop, DiskFullError):
        click.echo(f"Fel / error: {stop}", err=True)
    sys.exit(1 if isinstance(stop, DiskFullError) else 130)


# Fetch codes that say the page is gone, not that it failed for now (kb harvest withdraws them).
GONE_CODES = ("http-404", "http-410")


def _gone_but_kept(kb: KnowledgeBase, report: Report) -> list[str]:
    """The URLs that answered 404 or 410 but whose earlier version is in the bank."""
    kept = []
    for outcome in report.outcomes:
        if outcome.status != "failed" or outcome.code not in GONE_CODES:
            continue
        try:
            kb.store.load(document_id(normalise_url(outcome.source)))
        except (NotFoundError, ValueError):
            continue
        kept.append(outcome.source)
    return kept


def keep_report(settings: Settings, report: Report) -> None:
    """Save the run's report for the web admin (kb.reports); a failure to save is only a warning:
    the documents are in."""
    try:
        ReportLog.in_data_dir(settings.data_dir).save("cli", cli_user(), report.to_records())
    except OSError as err:
        click.echo(f"Obs / note: rapporten sparades inte / report not kept: {err}", err=True)


def cli_user() -> str:
    """Who ran a command on the server, as the audit log and the reports name them."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _options(settings: Settings, opts: dict[str, Any]) -> IngestOptions:
    max_bytes = opts["max_bytes"] or settings.max_document_bytes
    return IngestOptions(
        fetch=FetchOptions(
            max_bytes=max_bytes, timeout=opts["timeout"], deadline=max(120.0, opts["timeout"] * 6)
        ),
        extract=extract_options(settings, opts),
        crawl=CrawlOptions(crawl=opts["crawl"], depth=opts["depth"], max_pages=opts["max_pages"]),
        delay=opts["delay"],
        jobs=opts["jobs"],
        executor=opts["executor"],
        batch_size=opts["batch_size"],
        dry_run=opts["dry_run"],
        force=opts["force"],
        by=opts["by"] or "",
    )


def _items(
    sources: tuple[str, ...],
    manifests: tuple[Path, ...],
    overrides: Overrides,
    password: str | None,
) -> Iterator[Source | Rejected]:
    # Manifests are read (and their columns checked) before anything is fetched.
    manifest_items = [list(read_manifest(m, overrides, password)) for m in manifests]
    yield from resolve(sources, overrides, password)
    for rows in manifest_items:
        yield from rows


class _progress:
    """A click progress bar on stderr, or nothing. ``length`` None: count without a total."""

    def __init__(self, show: bool, length: int | None) -> None:
        self.show = show
        self.length = length
        self.bar: Any = None

    def __enter__(self) -> Any:
        if self.show:
            # click wants an iterable or a length; an empty generator has no length hint.
            unknown = (name for name in list[str]())
            self.bar = click.progressbar(
                unknown if self.length is None else None, length=self.length,
                label="Läser in / ingesting", file=sys.stderr,
                item_show_func=lambda s: (s or "")[-50:],
            )  # fmt: skip
            self.bar.__enter__()
        return self.bar

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _finish(report: Report, as_json: bool, still_kept: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(report.totals_json(), ensure_ascii=False))
    else:
        for line in report.summary_lines():
            click.echo(line)
        # A page that is gone keeps its last version in the bank (searchable) until removed.
        for url in still_kept:
            click.echo(
                f"Obs / note: {url}\n    finns inte längre, men den sparade versionen är kvar "
                f"och går att söka fram; ta bort den med: kb remove {url}\n"
                "    / is gone, but its kept version stays searchable: remove it with kb remove"
            )
    if report.failed:
        sys.exit(1)


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document per line.")
@existing_data_dir_option
@kb_errors
def list_documents(settings: Settings, as_json: bool) -> None:
    """Lista: the documents in the knowledge base, with their tags.

    With --json each line is {id, title, url, content_type, date, year, doc_type, focus_areas,
    municipalities, regions, ocr, concerns, mentions, municipality_regions, auto}, where
    "auto" names the fields set automatically.
    """
    store = Store(settings.store_dir)
    curations = CurationStore(settings.curation_dir)
    taxonomy = Taxonomy.load(settings.taxonomy_dir)
    # What the index and the pages show: the corrections laid over the automatic tags.
    shown = [
        curated_document(d, curations.load(d.id), taxonomy) if curations.has(d.id) else d
        for d in store
    ]
    docs = sorted(shown, key=lambda d: (d.title.casefold(), d.source))
    if as_json:
        taxonomy = Taxonomy.load(settings.taxonomy_dir)
        for doc in docs:
            click.echo(json.dumps(list_entry(doc, taxonomy), ensure_ascii=False))
        return
    for doc in docs:
        tags = ", ".join(doc.values("focus_areas")) or "-"
        click.echo(f"{doc.id}  {doc.year or '----'}  {doc.doc_type.value:<8}  {doc.title[:70]}")
        click.echo(f"{'':18}{doc.source}  [{tags}]")
    click.echo(f"{len(docs)} dokument / documents")


def list_entry(doc: Document, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """The `kb list --json` object of one document."""
    return {**document_summary_json(doc, taxonomy), "auto": auto_fields(doc)}


@click.command()
@click.argument("targets", nargs=-1, required=True)
@existing_data_dir_option
@kb_errors
def remove(settings: Settings, targets: tuple[str, ...]) -> None:
    """Ta bort: remove documents by id, URL or file path (the kept original stays in the store)."""
    kb = KnowledgeBase.open(settings)
    try:
        try:
            ids = [(target, find_document(kb.store, target)) for target in targets]
        except NotFoundError as err:  # one mistyped target: say the others stay too
            raise NotFoundError(f"{err}; inget togs bort / nothing was removed") from None
        with kb.writer() as writer:
            for _target, doc in ids:
                writer.remove(doc.id)
        for target, doc in ids:
            click.echo(f"Borttagen / removed: {doc.id}  {doc.title}  <{target}>")
    finally:
        kb.close()


def find_document(store: Store, target: str) -> Document:
    """The stored document ``target`` names: an id, a URL or a file path."""
    candidates = [target]
    if looks_like_url(target):
        with contextlib.suppress(ValueError):
            candidates.append(document_id(normalise_url(target)))
    else:
        candidates.append(document_id(os.path.abspath(Path(target).expanduser())))
    for candidate in candidates:
        try:
            return store.load(candidate)
        except NotFoundError:
            continue
    found = store.get_by_source(target)
    if found is not None:
        return found
    raise NotFoundError(
        f"Hittades inte / not found: {target} (ange ett id, en adress eller en sökväg, se "
        "`kb list` / give an id, URL or path, see `kb list`)"
    )
