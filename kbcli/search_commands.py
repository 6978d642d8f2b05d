"""`kb search`, `kb stats` and `kb reindex`: thin commands over kb.KnowledgeBase."""

from __future__ import annotations

import html
import json
import re
import sys
from typing import Any

import click

from kb.config import Settings
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.search.request import SearchRequest
from kb.search.results import SearchResult
from kb.search.serialize import search_json
from kb.service import KnowledgeBase
from kbcli.options import data_dir_option, kb_errors

_MARK = re.compile(r"</?mark>")


def search_command(facets: FacetRegistry = DEFAULT_FACETS) -> click.Command:
    """`kb search` with one repeatable option per multi-select facet of ``facets``."""

    @click.command(name="search")
    @click.argument("query", required=False, default="")
    @click.option("--year-from", type=int, default=None, help="First year (inclusive).")
    @click.option("--year-to", type=int, default=None, help="Last year (inclusive).")
    @click.option(
        "--sort",
        type=click.Choice(["relevance", "newest"]),
        default="relevance",
        show_default=True,
    )
    @click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
    @click.option("--page-size", type=click.IntRange(1, 100), default=10, show_default=True)
    @click.option("--home-region", default="", help="Your region id: its documents rank higher.")
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    @data_dir_option
    @kb_errors
    def search(settings: Settings, query: str, as_json: bool, **options: Any) -> None:
        """Sök: search the knowledge base (words, "phrases", OR, -exclusion, prefix*)."""
        with KnowledgeBase.open(settings, facets=facets) as kb:
            _search(kb, query, as_json, options)

    # Facet options go first in --help, in the registry's order.
    search.params[1:1] = [
        click.Option(
            [facet.option_name, facet.id], multiple=True, help=facet.cli_help or "(repeatable)"
        )
        for facet in facets.multi
    ]
    return search


def _search(kb: KnowledgeBase, query: str, as_json: bool, options: dict[str, Any]) -> None:
    request = SearchRequest(
        q=query,
        filters={f.id: tuple(options[f.id]) for f in kb.facets.multi if options.get(f.id)},
        year_from=options["year_from"],
        year_to=options["year_to"],
        sort=options["sort"],
        page=options["page"],
        page_size=options["page_size"],
        home_region=options["home_region"],
    )
    result = kb.search(request)
    if as_json:
        click.echo(json.dumps(search_json(result), ensure_ascii=False, indent=2))
        return
    _print_result(kb, result)


search = search_command()


def _print_result(kb: KnowledgeBase, result: SearchResult) -> None:
    tax = kb.taxonomy
    if result.fallback:
        click.echo("(Frågan kunde inte tolkas; sökte på orden / query syntax ignored)", err=True)
    click.echo(f"{result.total} träffar (hits) – sida {result.page} av {result.pages}")
    if result.suggestion:
        click.echo(f"Menade du: {result.suggestion}?")
    if result.expanded:
        click.echo(f"Sökte även på (also searched for): {', '.join(result.expanded)}")
    if result.partial_total and result.missing_words:
        click.echo(
            f"Träffar som saknar (hits missing): {', '.join(result.missing_words)} "
            f"({result.partial_total} st, efter dem som har alla orden)"
        )
    for n, hit in enumerate(result.hits, start=(result.page - 1) * result.page_size + 1):
        click.echo("")
        click.secho(f"{n}. {hit.title}", bold=True)
        if hit.partial:
            click.echo(f"   Saknar (missing): {', '.join(hit.missing)}")
        facts = [
            str(hit.date or "okänt datum"),
            tax.label("doc_type", hit.doc_type),
            ", ".join(tax.label("municipality", m) for m in hit.municipalities) or "–",
            ", ".join(tax.label("focus_area", f) for f in hit.focus_areas) or "–",
        ]
        click.echo("   " + " · ".join(facts))
        tty = sys.stdout.isatty()
        click.echo(
            "   " + (_bold_marks(hit.snippet) if tty else html.unescape(_MARK.sub("", hit.snippet)))
        )
        click.echo(f"   {hit.url}" + (f"#page={hit.page}" if hit.page else ""))
    for facet in kb.facets:
        if not facet.summary:
            continue
        values = [f"{v.label} ({v.count})" for v in result.facets.get(facet.id, ()) if v.count]
        if values:
            click.echo(f"\n{facet.id}: " + ", ".join(values))


def _bold_marks(snippet: str) -> str:
    parts = re.split(r"(<mark>.*?</mark>)", snippet)
    out = []
    for part in parts:
        if part.startswith("<mark>"):
            out.append(click.style(html.unescape(part[6:-7]), bold=True))
        else:
            out.append(html.unescape(part))
    return "".join(out)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@data_dir_option
@kb_errors
def stats(settings: Settings, as_json: bool) -> None:
    """Statistik: documents in the index, per facet, and the index size."""
    with KnowledgeBase.open(settings) as kb:
        data = kb.stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    tax = kb.taxonomy
    click.echo(
        f"Dokument i indexet: {data['documents']} (sparade original: {data['stored_documents']})"
    )
    click.echo(f"Indexets storlek: {data['index_bytes'] / 1e6:.1f} MB i {data['index_dir']}")
    for facet, counts in data["facets"].items():
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:8]
        if top:
            shown = ", ".join(f"{kb.facets.label(tax, facet, v)} {c}" for v, c in top if c)
            click.echo(f"{facet}: {shown}")


@click.command()
@click.option(
    "--jobs",
    type=click.IntRange(1, 8),
    default=1,
    show_default=True,
    help="Writer processes (2 splits analysis over two cores).",
)
@data_dir_option
@kb_errors
def reindex(settings: Settings, jobs: int) -> None:
    """Bygg om indexet från de sparade originalen (rebuild the index from the store)."""
    with KnowledgeBase.open(settings) as kb:
        count = kb.reindex(procs=jobs)
    click.echo(f"Indexet byggdes om: {count} dokument")
