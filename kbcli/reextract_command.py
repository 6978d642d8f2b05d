"""`kb reextract`: extract and tag the kept originals again with today's rules.

A thin command over ingest.reextract: it picks the stored documents (all, or those named), prints
one line per document (or JSON lines), the summary (re-extracted, changed and written, unchanged
and not written, failed) and keeps the report for the web admin like `kb ingest`. Exit status 1
when any document failed.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import click

from ingest.model import Rejected
from ingest.pipeline import IngestOptions
from ingest.reextract import Tally, reextract, summary_lines
from ingest.report import Outcome, Report, outcome_line
from kb.config import Settings
from kb.document import Document
from kb.errors import KbError, NotFoundError
from kb.service import KnowledgeBase
from kbcli.ingest_commands import find_document, keep_report
from kbcli.options import (
    existing_data_dir_option,
    extract_options,
    extraction_options,
    kb_errors,
    terminate_as_interrupt,
)


@click.command(name="reextract")
@click.argument("targets", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document, then totals.")
@click.option("--batch-size", type=click.IntRange(min=1), default=100, hidden=True)
@extraction_options
@existing_data_dir_option
@kb_errors
def reextract_command(settings: Settings, targets: tuple[str, ...], **opts: Any) -> None:
    """Läs om: extract and tag the kept originals again with today's rules.

    TARGETS are document ids, URLs or file paths (default: every stored document). The originals
    kept in the store are read, not the sources, so a moved or changed web page does not matter;
    each document keeps its id, source and the day it was added. Curated corrections (`kb edit`,
    values given at ingest) still win. Only documents that come out different are written. A
    missing or damaged original is reported and its document stays as it was. Exit status 1 when
    any document failed.
    """
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    options = IngestOptions(
        extract=extract_options(settings, opts),
        jobs=opts["jobs"],
        executor=opts["executor"],
        batch_size=opts["batch_size"],
    )
    as_json = opts["as_json"]
    kb = KnowledgeBase.open(settings)
    # What was reported, and written and counted (reextract fills the tally), so far.
    told, counted = Report(), Tally()
    interrupted = False
    try:
        docs = _chosen(kb, targets)

        def on_outcome(outcome: Outcome, changes: list[str] | None) -> None:
            told.record(outcome)
            if as_json:
                line = {**outcome.to_json(), "changes": changes}
                click.echo(json.dumps(line, ensure_ascii=False))
            elif changes is None:
                click.echo(outcome_line(outcome))
            else:
                label = "ändrad / changed" if changes else "oförändrad / unchanged"
                click.echo(f"{label:>22}  {outcome.source}")
                for change in changes:
                    click.echo(f"{'':24}{change}")

        with terminate_as_interrupt():
            report, tally = reextract(kb, docs, options, on_outcome, counted)
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM: say what was written and stop (exit 130)
        report, tally, interrupted = told, counted, True
    finally:
        kb.close()
    keep_report(settings, report)
    if as_json:
        totals = {
            "reextracted": len(tally.changed) + tally.unchanged,
            "changed": len(tally.changed),
            "unchanged": tally.unchanged,
            "failed": report.totals.get("failed", 0),
        }
        stopped = {"interrupted": True} if interrupted else {}
        click.echo(json.dumps({"totals": totals, **stopped}, ensure_ascii=False))
    else:
        for line in summary_lines(report, tally, interrupted):
            click.echo(line)
    if interrupted:
        raise SystemExit(130)
    if report.failed:
        raise SystemExit(1)


def _chosen(kb: KnowledgeBase, targets: tuple[str, ...]) -> list[Document | Rejected]:
    """The store records (automatic tags, no corrections) to re-extract; an unknown target stops
    the run before any work, an unreadable record is reported and the rest go on."""
    if targets:
        found = [find_document(kb.store, t) for t in targets]  # NotFoundError: nothing done
        unique: list[Document | Rejected] = list({d.id: d for d in found}.values())
        return unique
    docs: list[Document | Rejected] = []
    for doc_id in kb.store.ids():
        try:
            docs.append(kb.store.load(doc_id))
        except NotFoundError:  # removed meanwhile
            continue
        except KbError as err:
            docs.append(Rejected(doc_id, "store", str(err)))
    return docs
