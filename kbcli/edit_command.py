"""`kb edit`: correct a document's metadata, revert a correction, show its history.

A thin command over ``KnowledgeBase.curator`` (kb.curation.curator): corrections are checked
against the taxonomy before anything is written and survive re-ingest and reindex.
"""

from __future__ import annotations

import json
from typing import Any

import click

from kb.config import Settings
from kb.curation.model import Change, Curation, Value, to_json
from kb.service import KnowledgeBase
from kbcli.ingest_commands import find_document
from kbcli.options import existing_data_dir_option, kb_errors


@click.command()
@click.argument("target")
@click.option("--title", help="Correct the title.")
@click.option("--publisher", help="Correct the publisher, e.g. 'Uddevalla kommun'.")
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="Municipality the document concerns: SCB code or name (repeatable; '' for none).",
)
@click.option(
    "--focus-area", "focus_areas", multiple=True, help="Focus area id or name (repeatable)."
)
@click.option("--region", "regions", multiple=True, help="Region id or name (repeatable).")
@click.option("--type", "--doc-type", "doc_type", help="Document type id or label.")
@click.option("--date", help="The document's date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--language", help="Language code, e.g. sv.")
@click.option(
    "--revert",
    "reverts",
    multiple=True,
    metavar="FIELD",
    help="Drop the correction of FIELD (title, publisher, municipalities, focus_areas, "
    "regions, doc_type, date, language); repeatable.",
)
@click.option(
    "--restore", is_flag=True, help="Undo a withdrawal: show the document and find it again."
)
@click.option("--history", "show_history", is_flag=True, help="Show who changed what and when.")
@click.option("--by", help="Who makes the change [default: the OS user].")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@existing_data_dir_option
@kb_errors
def edit(settings: Settings, target: str, **opts: Any) -> None:
    """Rätta: correct a document's title, publisher, municipalities, focus areas, type or date.

    TARGET is a document id, URL or file path. Corrections win over automatic tags, survive
    re-ingest and `kb reindex`, and are kept with their history (--history); --revert FIELD
    brings back the automatic value.
    """
    changes: dict[str, object] = {}
    for name in ("title", "publisher", "doc_type", "date", "language"):
        if opts[name] is not None:
            changes[name] = opts[name]
    for name in ("municipalities", "focus_areas", "regions"):
        if opts[name]:
            changes[name] = list(opts[name])
    reverts, show_history, as_json = opts["reverts"], opts["show_history"], opts["as_json"]
    if not changes and not reverts and not show_history and not opts["restore"]:
        raise click.UsageError(
            "Ange vad som ska rättas, --revert FIELD, --restore eller --history / "
            "give what to correct, --revert FIELD, --restore or --history"
        )
    kb = KnowledgeBase.open(settings)
    try:
        doc_id = find_document(kb.store, target).id
        curator = kb.curator
        if changes:
            curator.check(changes)  # every value checked before the first write
        curation = curator.get(doc_id)
        for name in reverts:
            curation = curator.revert(doc_id, name, opts["by"])
        if opts["restore"]:
            curation = curator.restore(doc_id, opts["by"])
        if changes:
            curation = curator.edit(doc_id, changes, opts["by"])
        doc = kb.document(doc_id)
    finally:
        kb.close()
    if as_json:
        click.echo(json.dumps(curation_json(curation), ensure_ascii=False, indent=1))
        return
    click.echo(f"{doc.id}  {doc.title}")
    if show_history:
        for change in curation.history:
            click.echo(history_line(change))
        if not curation.history:
            click.echo("Inga ändringar / no changes")
        return
    if curation.withdrawal is not None:
        state = "dold / hidden" if curation.withdrawal.hidden else "tillbakadragen / withdrawn"
        click.echo(f"  {state} {curation.withdrawal.since[:10]}: {curation.withdrawal.reason}")
    for name, correction in curation.corrections.items():
        click.echo(f"  {name}: {show(correction.value)}  ({correction.by}, {correction.at[:10]})")
    if not curation.corrections:
        click.echo("  Inga rättelser / no corrections")


def history_line(change: Change) -> str:
    """One history entry as a line: when, who, what, old -> new."""
    return (
        f"{change.at}  {change.by}  {change.action} {change.field}: "
        f"{show(change.old)} -> {show(change.new)}  ({change.via})"
    )


def show(value: Value) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return "-" if value is None else repr(value)


def curation_json(curation: Curation) -> dict[str, Any]:
    """The `kb edit --json` object: the corrections and the history of one document."""
    return to_json(curation)
