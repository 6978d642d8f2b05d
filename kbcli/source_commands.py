"""`kb source add/list/remove` and `kb harvest`: sources that keep themselves current.

Thin commands over kb.sources (the registry and the reports) and ingest.harvest. `kb harvest`
prints one line per source with its counts and every failure, and exits 1 when a source was
unreachable or a page failed; run it from cron or a systemd timer (docs/ingest.md).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from ingest.fetch.download import FetchOptions
from ingest.harvest import HarvestOptions, harvest
from ingest.pipeline import IngestOptions
from ingest.report import LINKS_ONLY
from kb.config import Settings
from kb.curation.curator import default_actor
from kb.service import KnowledgeBase
from kb.sources.registry import SCHEDULES, SourceRegistry, checked_source
from kb.sources.reports import HarvestFiles, HarvestReport
from kb.taxonomy.model import Taxonomy
from kbcli.options import data_dir_option, fetch_options, kb_errors


@click.group()
def source() -> None:
    """Källor: sites, sitemaps, folders and URL lists that `kb harvest` keeps current."""


@source.command("add")
@click.argument("name")
@click.option("--site", "site", metavar="URL", help="Crawl a site section from this page.")
@click.option("--sitemap", metavar="URL", help="Read the pages a sitemap lists.")
@click.option(
    "--folder", type=click.Path(file_okay=False), help="Read the files of a folder (recursive)."
)
@click.option("--url", "urls", multiple=True, help="One page of a URL list (repeatable).")
@click.option("--focus-area", "focus_areas", multiple=True, help="Default focus area (repeatable).")
@click.option("--municipality", "municipalities", multiple=True, help="Default municipality.")
@click.option("--region", "regions", multiple=True, help="Default region (repeatable).")
@click.option("--doc-type", help="Default document type.")
@click.option("--publisher", help="Default publisher.")
@click.option("--language", help="Default language code.")
@click.option(
    "--schedule",
    type=click.Choice(list(SCHEDULES)),
    default="daily",
    show_default=True,
    help="How often `kb harvest` re-checks it (manual: only with --source).",
)
@click.option("--depth", type=click.IntRange(0, 10), default=2, show_default=True)
@click.option("--max-pages", type=click.IntRange(min=1), default=500, show_default=True)
@click.option("--replace", "replace_existing", is_flag=True, help="Replace a source of that name.")
@data_dir_option
@kb_errors
def add(settings: Settings, name: str, **opts: Any) -> None:
    """Register NAME: one of --site, --sitemap, --folder or --url (repeatable)."""
    given = [k for k in ("site", "sitemap", "folder") if opts[k]] + (
        ["urls"] if opts["urls"] else []
    )
    if len(given) != 1:
        raise click.UsageError(
            "Ange precis en av --site, --sitemap, --folder eller --url / "
            "give exactly one of --site, --sitemap, --folder or --url"
        )
    kind = given[0]
    location = "" if kind == "urls" else str(opts[kind])
    if kind == "folder":
        location = str(Path(location).expanduser().absolute())
    defaults = {
        k: (list(opts[k]) if isinstance(opts[k], tuple) else opts[k])
        for k in ("focus_areas", "municipalities", "regions", "doc_type", "publisher", "language")
        if opts[k]
    }
    entry = checked_source(
        name, kind, location, opts["urls"], defaults, opts["schedule"], opts["depth"],
        opts["max_pages"], Taxonomy.load(settings.taxonomy_dir), default_actor(),
    )  # fmt: skip
    SourceRegistry(settings.sources_path).add(entry, replace_existing=opts["replace_existing"])
    click.echo(f"Källa tillagd / source added: {entry.name} ({entry.kind}, {entry.schedule})")


@source.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source.")
@data_dir_option
@kb_errors
def list_sources(settings: Settings, as_json: bool) -> None:
    """List the sources with their schedule and their last harvest."""
    files = HarvestFiles(settings.harvest_dir)
    entries = SourceRegistry(settings.sources_path).entries()
    if not entries and not as_json:  # silence read as "the command did nothing"
        click.echo("Inga registrerade källor / no sources registered (kb source add)")
    for entry in entries:
        last = files.latest_report(entry.name)
        if as_json:
            data = entry.to_json()
            data["last_report"] = last.to_json() if last else None
            click.echo(json.dumps(data, ensure_ascii=False))
            continue
        where = entry.location or ", ".join(entry.urls)
        click.echo(f"{entry.name}  {entry.kind}  {entry.schedule}  {where}")
        click.echo(f"    {summary(last) if last else 'aldrig skördad / never harvested'}")


@source.command("remove")
@click.argument("name")
@data_dir_option
@kb_errors
def remove_source(settings: Settings, name: str) -> None:
    """Forget source NAME (its documents stay in the bank)."""
    entry = SourceRegistry(settings.sources_path).remove(name)
    click.echo(f"Källa borttagen / source removed: {entry.name}")


@click.command("harvest")
@click.option("--source", "names", multiple=True, help="Only this source (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Every source, due or not.")
@click.option("--force", is_flag=True, help="Ask unconditionally and extract every page again.")
@click.option(
    "--grace-days",
    type=click.FloatRange(min=0),
    default=None,
    help="Days a page may be gone before it is hidden [default: setting withdrawn_grace_days].",
)
@fetch_options
@click.option("--json", "as_json", is_flag=True, help="Print each source's report as JSON.")
@data_dir_option
@kb_errors
def harvest_command(settings: Settings, names: tuple[str, ...], **opts: Any) -> None:
    """Skörda: re-check the registered sources that are due (or --source NAME, --all).

    Unchanged pages are asked conditionally (ETag, Last-Modified) and not read again; new and
    changed pages are added; vanished ones are marked withdrawn and hidden from search after
    the grace period. Exit status 1 when a source was unreachable or a page failed.
    """
    grace = opts["grace_days"] if opts["grace_days"] is not None else settings.withdrawn_grace_days
    timeout = opts["timeout"]
    options = HarvestOptions(
        ingest=IngestOptions(
            fetch=FetchOptions(
                max_bytes=settings.max_document_bytes,
                timeout=timeout,
                deadline=max(120.0, timeout * 6),
            ),
            delay=opts["delay"],
            by="harvest",
        ),
        grace=timedelta(days=grace),
        force=opts["force"],
    )
    registry = SourceRegistry(settings.sources_path)
    files = HarvestFiles(settings.harvest_dir)
    # pypdf logs how it recovers from a damaged file ("EOF marker not found") on stderr, a
    # cron log's lines; the report already says which page failed and why, as kb ingest does.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with KnowledgeBase.open(settings) as kb:
        reports = harvest(kb, registry, files, options, names, opts["everything"])
    bad = False
    for report in reports:
        if opts["as_json"]:
            click.echo(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            click.echo(f"{report.source}: {summary(report)}")
            for item in report.items:
                if item.status == "failed":
                    click.echo(f"    misslyckades / failed: {item.location}: {item.reason}")
                elif item.code == LINKS_ONLY:  # crawled for its links, not a document
                    click.echo(
                        f"    följd, inte tillagd / followed, not added: {item.location}: "
                        f"{item.reason}"
                    )
        bad = bad or bool(report.error) or any(i.status == "failed" for i in report.items)
    if not reports and not opts["as_json"]:
        click.echo("Inga källor att skörda nu / no source is due")
    if bad:
        sys.exit(1)


def summary(report: HarvestReport) -> str:
    """One line: when, and how many pages had each outcome (or why the source failed)."""
    if report.error:
        return f"{report.started}  FEL / ERROR: {report.error}"
    counts = ", ".join(f"{n} {HARVEST_LABELS.get(k, k)}" for k, n in sorted(report.counts.items()))
    return f"{report.started}  {counts or 'inga sidor / no pages'}"


# Each outcome of a harvest in Swedish and English, as `kb ingest` reports its own.
HARVEST_LABELS = {
    "added": "tillagda / added",
    "updated": "uppdaterade / updated",
    "unchanged": "oförändrade / unchanged",
    "not-modified": "oförändrade enligt servern / not modified",
    "failed": "misslyckade / failed",
    "skipped": "överhoppade / skipped",
    "withdrawn": "borta, dolda efter karenstiden / withdrawn",
    "hidden": "dolda / hidden",
    "restored": "tillbaka / restored",
}
