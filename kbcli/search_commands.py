"""`kb search` and `kb stats` (and `kb stats queries`): thin commands over kb."""

from __future__ import annotations

import contextlib
import html
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import click

from kb.config import Settings
from kb.errors import ValidationError
from kb.facets.registry import DEFAULT_FACETS, Facet, FacetRegistry
from kb.query_stats import FEW_HITS, top_queries
from kb.search.request import SearchRequest
from kb.search.results import SearchResult
from kb.search.serialize import copy_name, search_json
from kb.service import KnowledgeBase
from kb.taxonomy.resolve import (
    resolve_doc_type,
    resolve_focus_area,
    resolve_municipality,
    resolve_region,
)
from kbcli.options import (
    data_dir_option,
    existing_data_dir_option,
    kb_errors,
    require_data_dir,
)
from web.hits import partial_note
from web.i18n import translate

_MARK = re.compile(r"</?mark>")


def search_command(facets: FacetRegistry = DEFAULT_FACETS) -> click.Command:
    """`kb search` with one repeatable option per multi-select facet of ``facets``."""

    @click.command(name="search")
    @click.argument("query", required=False, default="")
    @click.option("--year-from", type=int, default=None, help="First year (inclusive).")
    @click.option("--year-to", type=int, default=None, help="Last year (inclusive).")
    @click.option(
        "--sort",
        type=click.Choice(["relevance", "newest", "added"]),
        default="relevance",
        show_default=True,
    )
    @click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
    @click.option("--page-size", type=click.IntRange(1, 100), default=10, show_default=True)
    @click.option("--home-region", default="", help="Your region id: its documents rank higher.")
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    @existing_data_dir_option
    @kb_errors
    def search(settings: Settings, query: str, as_json: bool, **options: Any) -> None:
        """Sök: search the knowledge base (words, "phrases", OR, -exclusion, prefix*)."""
        with KnowledgeBase.open(settings, facets=facets) as kb:
            _search(kb, query, as_json, options)

    # Facet options go first in --help, in the registry's order.
    search.params[1:1] = [
        click.Option(
            [facet.option_name, facet.id],
            multiple=True,
            help=(facet.cli_help or "(repeatable)")
            + (" A name works too." if facet.taxonomy_kind in RESOLVERS else ""),
        )
        for facet in facets.multi
    ]
    return search


# Names a person types for a facet's values, as `kb ingest` takes them ("Uddevalla" -> 1485).
RESOLVERS = {
    "municipality": resolve_municipality,
    "region": resolve_region,
    "focus_area": resolve_focus_area,
    "doc_type": resolve_doc_type,
}


def _values(kb: KnowledgeBase, facet: Facet, typed: tuple[str, ...]) -> tuple[str, ...]:
    """``typed`` with each value the taxonomy does not know as an id read as a name; a name it
    does not know either stays, and the search names it as unknown."""
    resolve = RESOLVERS.get(facet.taxonomy_kind)
    if resolve is None:
        return typed
    unknown = set(facet.unknown_values(typed, kb.taxonomy))
    out = []
    for value in typed:
        if value in unknown:
            with contextlib.suppress(ValidationError):
                value = resolve(kb.taxonomy, value)
        out.append(value)
    return tuple(out)


def _search(kb: KnowledgeBase, query: str, as_json: bool, options: dict[str, Any]) -> None:
    request = SearchRequest(
        q=query,
        filters={
            f.id: _values(kb, f, tuple(options[f.id])) for f in kb.facets.multi if options.get(f.id)
        },
        year_from=options["year_from"],
        year_to=options["year_to"],
        sort=options["sort"],
        page=options["page"],
        page_size=options["page_size"],
        home_region=options["home_region"],
    )
    result = kb.search(request)
    if as_json:
        data = search_json(result, taxonomy=kb.taxonomy)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_result(kb, result)


search = search_command()


def _print_result(kb: KnowledgeBase, result: SearchResult) -> None:
    tax = kb.taxonomy
    if result.fallback:
        click.echo("(Frågan kunde inte tolkas; sökte på orden / query syntax ignored)", err=True)
    if result.total:
        pages = f"sida {result.page} av {result.pages} (page {result.page} of {result.pages})"
        click.echo(f"{_count(result.total)} – {pages}")
    else:
        click.echo(_count(0))
    if result.suggestion:
        click.echo(f"Menade du (did you mean): {result.suggestion}?")
    if result.expanded:
        click.echo(f"Sökte även på (also searched for): {', '.join(result.expanded)}")
    if result.also_excluded:
        click.echo(f"Uteslöt även (also excluded): {', '.join(result.also_excluded)}")
    _partial_notes(result)
    for n, hit in enumerate(result.hits, start=(result.page - 1) * result.page_size + 1):
        click.echo("")
        click.secho(f"{n}. {hit.title}", bold=True)
        # What a partial hit lacks, or why a related one is a hit, in the page's own words.
        if hit.partial:
            click.echo(f"   {partial_note(hit, 'sv')} / {partial_note(hit, 'en')}")
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
        if hit.also_at:  # the same original at other addresses (kb.search.copies)
            click.echo(f"   Finns även på (also at): {_also_at(hit.also_at)}")
    for facet in kb.facets:
        if not facet.summary:
            continue
        values = [f"{v.label} ({v.count})" for v in result.facets.get(facet.id, ()) if v.count]
        if values:
            click.echo(f"\n{facet.id}: " + ", ".join(values))


def _also_at(also_at: tuple[tuple[str, str], ...]) -> str:
    """The other addresses as the page names them: a web address itself, a file by its name
    (never the ingesting machine's path), with the id its page link carries, which ``kb edit``
    and ``kb remove`` take."""
    names = []
    for source, doc_id in also_at:
        name = copy_name(source)
        names.append(name if name == source else f"{name} (id {doc_id})")
    return ", ".join(names)


def _copies(n: int) -> str:
    """``1 kopia på en annan adress räknas en gång ...`` / ``2 kopior på andra adresser ...``."""
    if n == 1:
        return (
            "1 kopia på en annan adress räknas en gång, som i sökningen / "
            "1 copy at another address counted once, as in search"
        )
    return (
        f"{n} kopior på andra adresser räknas en gång, som i sökningen / "
        f"{n} copies at other addresses counted once, as in search"
    )


def _count(total: int) -> str:
    """``Inga träffar (no hits)``, ``1 träff (1 hit)``, ``12 träffar (hits)``."""
    if total == 0:
        return "Inga träffar (no hits)"
    return "1 träff (1 hit)" if total == 1 else f"{total} träffar (hits)"


def _bold_marks(snippet: str) -> str:
    parts = re.split(r"(<mark>.*?</mark>)", snippet)
    out = []
    for part in parts:
        if part.startswith("<mark>"):
            out.append(click.style(html.unescape(part[6:-7]), bold=True))
        else:
            out.append(html.unescape(part))
    return "".join(out)


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@data_dir_option
@kb_errors
@click.pass_context
def stats(ctx: click.Context, settings: Settings, as_json: bool) -> None:
    """Statistik: documents in the index, per facet, and the index size.

    `kb stats queries` lists the searches that found few or no documents.
    """
    ctx.obj = settings
    if ctx.invoked_subcommand is not None:
        return  # the subcommand may name its own --data-dir: it checks the one it uses
    require_data_dir(settings.data_dir)
    with KnowledgeBase.open(settings) as kb:
        data = kb.stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    tax = kb.taxonomy
    docs, originals = data["documents"], data["originals"]
    click.echo(
        f"Dokument i indexet / documents in the index: {docs} (sparade / stored: "
        f"{data['stored_documents']})"
    )
    # A search shows one original at several addresses as one hit: say how many there are.
    click.echo(
        f"Olika original / distinct originals: {originals}"
        + (f" ({_copies(docs - originals)})" if docs != originals else "")
    )
    size = f"{data['index_bytes'] / 1e6:.1f} MB"
    click.echo(f"Indexets storlek (index size): {size} i (in) {data['index_dir']}")
    for facet, counts in data["facets"].items():
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:8]
        if top:
            shown = ", ".join(f"{kb.facets.label(tax, facet, v)} {c}" for v, c in top if c)
            click.echo(f"{facet}: {shown}")


@stats.command(name="queries")
@click.option(
    "--days", type=click.IntRange(1, 3660), default=30, show_default=True, help="Time window."
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--zero-only", is_flag=True, help="Only searches that found nothing at all.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: the one given to `kb stats`, env KB_DATA_DIR, ./data).",
)
@kb_errors
@click.pass_obj
def stats_queries(
    parent: Settings,
    days: int,
    limit: int,
    zero_only: bool,
    as_json: bool,
    data_dir: Path | None,
) -> None:
    """Sökningar utan träffar: zero- and few-hit searches with their filters, most first.

    Counted per normalised query and filters, without any personal data (kb/query_stats.py).
    """
    require_data_dir(data_dir or parent.data_dir)
    rows = top_queries(data_dir or parent.data_dir, days=days, limit=limit, zero_only=zero_only)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    period = (
        "det senaste dygnet / the last day"
        if days == 1
        else f"de senaste {days} dagarna / the last {days} days"
    )
    if not rows:
        click.echo(f"Inga sökningar med få eller inga träffar / no few-hit searches: {period}.")
        return
    click.echo(f"Sökningar med högst {FEW_HITS} träffar / searches with few hits: {period}.")
    click.echo(f"{'sökt':>9} {'utan träff':>10}  fråga [filter]")
    click.echo(f"{'searched':>9} {'no hits':>10}  query [filters]")
    for r in rows:
        filters = f"  [{unquote_plus(r.filters)}]" if r.filters else ""
        click.echo(f"{r.searches:>9} {r.zero_hits:>10}  {r.query}{filters}")


def _partial_notes(result: SearchResult) -> None:
    """The page's notes on hits lacking some words and on related hits (none of the words),
    each only when this page shows such hits: the two are different things. Worded as the
    page words them (web.i18n_strings), Swedish then English."""
    lacking = result.partial_total - result.related_total
    if lacking and result.lacking_words:
        # When no hit has every word there is no "after" to speak of.
        key = "partial_note_all" if result.partial_total == result.total else "partial_note"
        click.echo(_both(key, words=", ".join(result.lacking_words), n=lacking))
    if result.related_total and result.related_words:
        # All related: the filters left out the hits they are like.
        key = "related_note_all" if result.related_total == result.total else "related_note"
        click.echo(_both(key, words=", ".join(result.related_words), n=result.related_total))


def _both(key: str, **values: object) -> str:
    """The pages' string ``key`` in Swedish, then in English."""
    return f"{translate(key, 'sv', **values)} / {translate(key, 'en', **values)}"
