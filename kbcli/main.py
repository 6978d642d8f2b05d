"""The `kb` command: the composition root that joins kb (core), ingest and web.

Each group of commands lives in its own module; this file only assembles them.
"""

from __future__ import annotations

from pathlib import Path

import click

from kbcli.check_command import check
from kbcli.edit_command import edit
from kbcli.ingest_commands import ingest, list_documents, remove
from kbcli.options import group_data_dir_option, remember_group_data_dir
from kbcli.reextract_command import reextract_command
from kbcli.reindex_command import reindex
from kbcli.search_commands import search, stats
from kbcli.serve_command import serve
from kbcli.source_commands import harvest_command, source
from kbcli.synonym_commands import synonym
from kbcli.user_commands import user


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kunskapsbank")
@group_data_dir_option
def cli(group_data_dir: Path | None) -> None:
    """Kunskapsbanken: sök i kommunernas erfarenheter av digitalisering.

    Search the municipalities' digitalisation documents, add documents and run the web service.
    `--data-dir` may come before the command name or after it (after it wins).
    """
    remember_group_data_dir(group_data_dir)


cli.add_command(search)
cli.add_command(stats)
cli.add_command(reindex)
cli.add_command(reextract_command)
cli.add_command(ingest)
cli.add_command(list_documents)
cli.add_command(remove)
cli.add_command(serve)
cli.add_command(synonym)
cli.add_command(check)
cli.add_command(edit)
cli.add_command(source)
cli.add_command(harvest_command)
cli.add_command(user)


if __name__ == "__main__":
    cli()
