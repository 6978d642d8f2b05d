"""Harvest: re-check each registered source incrementally and keep the bank current.

For one source (kb.sources.registry) a run lists what the source holds now (the URLs of a list,
the pages of a sitemap, the files of a folder, or a bounded crawl of a site section), asks for
each page conditionally (If-None-Match / If-Modified-Since from the last run's ETag and
Last-Modified; a file's size and modification time), hands what came back to the pipeline
(ingest.pipeline.run_fetched: content hashes decide "unchanged", new and changed pages are
extracted again, curated corrections stay as they are), and marks pages that vanished (404/410, or
no longer listed) withdrawn, hiding them from search once the grace period has passed
(ingest.harvest_run). Each run leaves a report and the state the next run asks with
(kb.sources.reports). One bad page never stops a run; an unreachable source is reported and its
pages are left as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.harvest_run import HarvestOptions, HarvestRun, SourceUnreachableError, iso
from ingest.pipeline import run_fetched
from kb.service import KnowledgeBase
from kb.sources.registry import SourceEntry, SourceRegistry
from kb.sources.reports import HarvestFiles, HarvestReport, HarvestRunningError

__all__ = ["HarvestOptions", "SourceUnreachableError", "harvest", "harvest_source"]


def harvest(
    kb: KnowledgeBase,
    registry: SourceRegistry,
    files: HarvestFiles,
    options: HarvestOptions,
    names: Sequence[str] = (),
    everything: bool = False,
) -> list[HarvestReport]:
    """Harvest the sources named (all of them with ``everything``; else those due by schedule).

    Raises:
        NotFoundError: a name that is not registered (before anything is fetched).
    """
    now = options.now()
    if names:
        entries = [registry.get(name) for name in names]
    else:
        entries = [
            e
            for e in registry.entries()
            if everything or e.due(files.load_state(e.name).last_run, now)
        ]
    return [harvest_source(kb, entry, files, options) for entry in entries]


def harvest_source(
    kb: KnowledgeBase, entry: SourceEntry, files: HarvestFiles, options: HarvestOptions
) -> HarvestReport:
    """Re-check one source; the report is also kept in ``files``. A source another process is
    harvesting now is left to it (the report says so and is not kept)."""
    started = iso(options.now())
    try:
        with files.running(entry.name):
            return _harvest_locked(kb, entry, files, options, started)
    except HarvestRunningError as err:
        return HarvestReport(entry.name, started, iso(options.now()), str(err))


def _harvest_locked(
    kb: KnowledgeBase,
    entry: SourceEntry,
    files: HarvestFiles,
    options: HarvestOptions,
    started: str,
) -> HarvestReport:
    state = files.load_state(entry.name)
    run = HarvestRun(kb, entry, state, options)
    try:
        ingest_options = replace(
            options.ingest, given_as="defaults", force=options.force, dry_run=False
        )
        outcomes = run_fetched(kb, run.walk(), ingest_options).outcomes
    except SourceUnreachableError as err:
        report = HarvestReport(entry.name, started, iso(options.now()), str(err), tuple(run.items))
        files.save_report(report)
        return report
    run.settle(outcomes)
    state.last_run = started
    files.save_state(entry.name, state)
    report = HarvestReport(entry.name, started, iso(options.now()), "", tuple(run.items))
    files.save_report(report)
    return report
