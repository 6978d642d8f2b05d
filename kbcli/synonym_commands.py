"""`kb synonym add` and `kb synonym list`: the thesaurus staff edit (corpus/thesaurus.txt)."""

from __future__ import annotations

import json

import click

from kb.config import Settings
from kb.search.thesaurus import ThesaurusFile, add_pair
from kbcli.options import data_dir_option, kb_errors


@click.group()
def synonym() -> None:
    """Synonymer: the thesaurus searches use ("Sökte även på: ..."), corpus/thesaurus.txt."""


@synonym.command("add")
@click.argument("word")
@click.argument("other")
@click.option("--one-way", is_flag=True, help="WORD also finds OTHER, but not the reverse.")
@data_dir_option
@kb_errors
def add(settings: Settings, word: str, other: str, one_way: bool) -> None:
    """Add a pair: a search for WORD also finds OTHER (and the reverse unless --one-way)."""
    path = settings.thesaurus_path
    before = path.read_bytes() if path.exists() else b""
    add_pair(path, word, other, one_way=one_way)
    arrow = "=>" if one_way else "<=>"
    if path.read_bytes() == before:  # both words already stood in one group
        click.echo(f"Fanns redan / already there: {word} {arrow} {other} ({path})")
        return
    click.echo(f"Lade till / added: {word} {arrow} {other} ({path}); gäller inom en sekund")


@synonym.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the rules as JSON.")
@data_dir_option
@kb_errors
def list_rules(settings: Settings, as_json: bool) -> None:
    """List the rules in force, and the error of the file if it cannot be used."""
    current = ThesaurusFile(settings.thesaurus_path)
    rules = current.current().rules
    if as_json:
        data = {
            "path": str(settings.thesaurus_path),
            "error": current.error,
            "rules": [
                {
                    "line": r.line,
                    "entries": list(r.sources),
                    "also": list(r.targets),
                    "group": r.group,
                }
                for r in rules
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for r in rules:
            text = (
                ", ".join(r.sources)
                if r.group
                else f"{', '.join(r.sources)} => {', '.join(r.targets)}"
            )
            click.echo(f"{r.line:4d}  {text}")
        click.echo(f"{len(rules)} regler / rules i {settings.thesaurus_path}")
    if current.error:
        raise click.ClickException(f"Synonymfilen används inte / not in force: {current.error}")
