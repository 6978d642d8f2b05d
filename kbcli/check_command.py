"""`kb check`: every difference between the store of originals and the index, one line each.

Exit status 0 when they agree (with --repair: when they agree after the repair), else 1.
"""

from __future__ import annotations

import sys

import click

from kb.config import Settings
from kb.service import KnowledgeBase
from kbcli.options import existing_data_dir_option, kb_errors


@click.command()
@click.option("--repair", is_flag=True, help="Make the index follow the store (rebuild the ids).")
@existing_data_dir_option
@kb_errors
def check(settings: Settings, repair: bool) -> None:
    """Kontrollera: compare the store and the index; print each difference (exit 1 if any).

    Lines are "<kind> <id>  <detail>", kinds: unfinished-write, missing-from-index, not-in-store,
    duplicate-in-index, stale-in-index, unreadable-record.
    """
    with KnowledgeBase.open(settings) as kb:
        found, left = kb.check(repair=repair)
    for diff in found:
        click.echo(diff.line())
    if not found:
        click.echo("Lagret och indexet stämmer / store and index agree")
        return
    click.echo(f"{len(found)} skillnader / differences", err=True)
    if repair:
        click.echo(f"Lagade / repaired: {len(found) - len(left)}", err=True)
        for diff in left:
            click.echo(f"kvar / left: {diff.line()}", err=True)
    if left:
        sys.exit(1)
