"""The comparison and coverage page (/jamfor): documents per focus area per municipality.

An e-council picks a region (its members per corpus/taxonomy/regions.toml, optionally on a past
day with ``on=YYYY-MM-DD``) or a set of municipalities; the page shows an accessible table whose
counts link to the search filtered on the municipality and focus area (a cell's count is that
search's total), empty cells marked "inga dokument", and a bar chart drawn as SVG with a text
alternative. The query and the other filters of the URL (``q``, ``doc_type``, years...) narrow
every count, so a results page links here with its own state. The table downloads as CSV and
JSON (/jamfor.csv, /jamfor.json); /api/v1/compare (web/api.py) answers the same JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import ValidationError
from kb.search.compare import Comparison
from kb.search.request import SearchRequest
from kb.search.serialize import comparison_json
from web.context import current_kb, label
from web.i18n import current_language, format_number, translate, translate_count
from web.params import MAX_VALUES_PER_FILTER, query_string, request_params
from web.search_handler import requested_search, search_page_url
from web.tabular import csv_response, json_response, separator

bp = Blueprint("compare", __name__)

# Okabe-Ito based colours darkened to 3:1 or more against white (WCAG 1.4.11), one per column.
COLOURS = ("#0b6aa2", "#b34a00", "#007a5a", "#9c3f7a", "#5b5b5b", "#7a5c00", "#3c4fa0")


@dataclass(frozen=True)
class Cell:
    """One count of the table with the search it stands for ("" when nothing to link)."""

    count: int
    url: str
    column: str


@dataclass(frozen=True)
class Row:
    value: str
    label: str
    total: int
    total_url: str
    cells: tuple[Cell, ...]
    # The chart's text alternative: each column's count, "inga dokument" when all are zero.
    summary: str
    # The chart: (colour, start, width) of each column's segment, in percent of the widest bar.
    segments: tuple[tuple[str, float, float], ...]


def requested_comparison(*, public_names: bool = False) -> Comparison:
    """The comparison the URL asks for: ``region`` and ``municipality`` choose the rows, the
    query and the other filters narrow the counts.

    Raises:
        ValidationError: an unknown region, municipality or facet value, a bad ``on`` date.
    """
    kb = current_kb()
    # Unknown regions, municipalities and other values told in the request's language.
    req = requested_search(public_names=public_names)
    return kb.compare(
        req,
        regions=req.values("region"),
        municipalities=req.values("municipality"),
        on=_day(request.args.get("on", "")),
    )


def _day(raw: str) -> date | None:
    """The ``on`` parameter: a day as YYYY-MM-DD, or None when it is empty."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise ValidationError(translate("compare_bad_day", value=raw[:40]))


def scope(comparison: Comparison) -> SearchRequest:
    """The search behind every count: the query and the filters that narrowed them."""
    req = comparison.request
    filters = {
        k: v
        for k, v in req.filters.items()
        if k not in (comparison.row_facet, comparison.column_facet, "region")
    }
    return SearchRequest(q=req.q, filters=filters, year_from=req.year_from, year_to=req.year_to)


def _search_url(base: SearchRequest, **filters: tuple[str, ...]) -> str:
    req = base
    for facet, values in filters.items():
        req = req.with_values(facet, values)
    return search_page_url(req)


def table_rows(comparison: Comparison) -> list[Row]:
    """The rows of the table and chart, with the link of every count."""
    base = scope(comparison)
    row_f, col_f = comparison.row_facet, comparison.column_facet
    widest = max((sum(r) for r in comparison.counts), default=0) or 1
    rows = []
    for value, total, counts in zip(
        comparison.rows, comparison.row_totals, comparison.counts, strict=True
    ):
        cells = tuple(
            Cell(n, _search_url(base, **{row_f: (value,), col_f: (c,)}) if n else "", c)
            for c, n in zip(comparison.columns, counts, strict=True)
        )
        segments, start = [], 0.0
        for j, n in enumerate(counts):
            width = 100.0 * n / widest
            if n:
                segments.append((COLOURS[j % len(COLOURS)], round(start, 3), round(width, 3)))
            start += width
        rows.append(
            Row(
                value,
                label(row_f, value),
                total,
                _search_url(base, **{row_f: (value,)}) if total else "",
                cells,
                ", ".join(f"{label(col_f, c.column)} {c.count}" for c in cells if c.count)
                or translate("compare_none"),
                tuple(segments),
            )
        )
    return rows


def column_totals(comparison: Comparison) -> list[Cell]:
    """The footer: documents per column in any of the rows (linked while the URL stays short)."""
    base = scope(comparison)
    linkable = 0 < len(comparison.rows) <= MAX_VALUES_PER_FILTER
    return [
        Cell(
            n,
            _search_url(
                base, **{comparison.row_facet: comparison.rows, comparison.column_facet: (c,)}
            )
            if n and linkable
            else "",
            c,
        )
        for c, n in zip(comparison.columns, comparison.column_totals, strict=True)
    ]


def _chosen() -> bool:
    return bool(request.args.getlist("region") or request.args.getlist("municipality"))


@bp.get("/compare")
def english_name() -> BaseResponse:
    """/compare, the English name an officer may type or an English page may link, is /jamfor."""
    query = request.query_string.decode("utf-8", "replace")
    return redirect(url_for("compare.page") + (f"?{query}" if query else ""), code=301)


@bp.get("/jamfor")
def page() -> str:
    """The comparison page: the choice, the table, the chart and the downloads."""
    kb = current_kb()
    comparison = requested_comparison() if _chosen() else None
    params = [(k, v) for k, v in request.args.items(multi=True) if k not in ("lang",)]
    chosen_regions = set(request.args.getlist("region"))
    chosen_munis = set(request.args.getlist("municipality"))
    counties = [
        (
            label("county", code),
            [(m.code, m.name, m.code in chosen_munis) for m in kb.taxonomy.municipalities_in(code)],
        )
        for code in kb.taxonomy.counties
    ]
    context: dict[str, Any] = {
        "comparison": comparison,
        "regions": [(r, label("region", r), r in chosen_regions) for r in kb.taxonomy.regions],
        "counties": counties,
        "scope_params": [(k, v) for k, v in params if k not in ("region", "municipality", "on")],
        "colours": COLOURS,
        "on": request.args.get("on", "")[:10],
        "count_docs": lambda n: translate_count("doc_count", n, n=format_number(n)),
    }
    if comparison is not None:
        context.update(
            rows=table_rows(comparison),
            totals=column_totals(comparison),
            columns=[(c, label(comparison.column_facet, c)) for c in comparison.columns],
            region_labels=[label("region", r) for r in comparison.regions],
            csv_url=url_for("compare.csv_download") + query_string(params),
            json_url=url_for("compare.json_download") + query_string(params),
            api_url=url_for("api_v1.compare") + query_string(params),
            scope_url=search_page_url(scope(comparison)),
            scope_filtered=bool(scope(comparison).q or scope(comparison).has_filters),
            # The query is named: the comparison's form does not show it.
            scope_q=scope(comparison).q,
            scope_has_filters=scope(comparison).has_filters,
        )
    return render_template("compare.html", **context)


def _filename(comparison: Comparison, ext: str) -> str:
    name = "-".join(comparison.regions) or "kommuner"
    return f"jamforelse-{name}.{ext}"


@bp.get("/jamfor.csv")
def csv_download() -> Response:
    """The table as CSV: a row per municipality, a column per focus area, totals last."""
    comparison = requested_comparison()
    row_f, col_f = comparison.row_facet, comparison.column_facet
    header = [
        translate("facet_" + row_f),
        translate("compare_code"),
        *(label(col_f, c) for c in comparison.columns),
        translate("compare_total"),
    ]
    rows: list[list[str | int | None]] = [
        [label(row_f, r), r, *counts, total]
        for r, total, counts in zip(
            comparison.rows, comparison.row_totals, comparison.counts, strict=True
        )
    ]
    rows.append([translate("compare_all_rows"), "", *comparison.column_totals, comparison.total])
    return csv_response(
        header, rows, _filename(comparison, "csv"), separator(request.args.get("sep", ""))
    )


@bp.get("/jamfor.json")
def json_download() -> Response:
    """The table as JSON (the shape of /api/v1/compare), as a file."""
    comparison = requested_comparison()
    kb = current_kb()
    return json_response(
        comparison_json(comparison, kb.taxonomy, current_language(), kb.facets),
        _filename(comparison, "json"),
    )


def compare_link(req: SearchRequest) -> str:
    """The comparison page for a search's state (its filters and query)."""
    return url_for("compare.page") + query_string(request_params(req, with_page=False))
