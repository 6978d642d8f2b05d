"""`kb search`, `kb stats` and `kb reindex`: thin commands over kb.KnowledgeBase."""

from __future__ import annotations

import html
import json
import re
import sys
from typing import Any

import click

from kb.config import Settings
from kb.search.request import SearchRequest
from kb.search.results import SearchResult
from kb.service import KnowledgeBase
from kbcli.options import data_dir_option, kb_errors

_MARK = re.compile(r"</?mark>")


@click.command()
@click.argument("query", required=False, default="")
@click.option("--focus-area", "focus_areas", multiple=True, help="Focus-area id (repeatable).")
@click.option("--municipality", "municipalities", multiple=True, help="SCB code (repeatable).")
@click.option("--region", "regions", multiple=True, help="Region id, e.g. fyrbodal (repeatable).")
@click.option("--county", "counties", multiple=True, help="County code, e.g. 14 (repeatable).")
@click.option("--doc-type", "doc_types", multiple=True, help="guide, project, decision, plan...")
@click.option("--year-from", type=int, default=None, help="First year (inclusive).")
@click.option("--year-to", type=int, default=None, help="Last year (inclusive).")
@click.option(
    "--sort", type=click.Choice(["relevance", "newest"]), default="relevance", show_default=True
)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--page-size", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@data_dir_option
@kb_errors
def search(settings: Settings, query: str, as_json: bool, **filters: Any) -> None:
    """Sök: search the knowledge base (words, "phrases", OR, -exclusion, prefix*)."""
    with KnowledgeBase.open(settings) as kb:
        _search(kb, query, as_json, filters)


def _search(kb: KnowledgeBase, query: str, as_json: bool, filters: dict[str, Any]) -> None:
    request = SearchRequest(
        q=query,
        focus_areas=filters["focus_areas"],
        municipalities=filters["municipalities"],
        regions=filters["regions"],
        counties=filters["counties"],
        doc_types=filters["doc_types"],
        year_from=filters["year_from"],
        year_to=filters["year_to"],
        sort=filters["sort"],
        page=filters["page"],
        page_size=filters["page_size"],
    )
    result = kb.search(request)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_result(kb, result)


def _print_result(kb: KnowledgeBase, result: SearchResult) -> None:
    tax = kb.taxonomy
    if result.fallback:
        click.echo("(Frågan kunde inte tolkas; sökte på orden / query syntax ignored)", err=True)
    click.echo(f"{result.total} träffar (hits) – sida {result.page} av {result.pages}")
    if result.suggestion:
        click.echo(f"Menade du: {result.suggestion}?")
    for n, hit in enumerate(result.hits, start=(result.page - 1) * result.page_size + 1):
        click.echo("")
        click.secho(f"{n}. {hit.title}", bold=True)
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
    for facet in ("focus_area", "doc_type"):
        values = [f"{v.label} ({v.count})" for v in result.facets.get(facet, ()) if v.count]
        if values:
            click.echo(f"\n{facet}: " + ", ".join(values))


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
            shown = ", ".join(f"{tax.label(facet, v)} {c}" for v, c in top if c)
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
