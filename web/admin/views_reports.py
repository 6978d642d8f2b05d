"""Reports for staff: the last ingest runs (CLI and admin), and what other parts plug in.

The ingest reports are kb.reports files. Harvest reports and the source registry come from
kb's source registry, and the zero-hit query list from kb's query statistics, when those are
present in this build; the page says so when they are not.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from web.admin.auth import login_required
from web.admin.blueprint import bp
from web.admin.state import admin_state
from web.context import current_kb

REPORT_COUNT = 20
OUTCOMES_SHOWN = 200


@bp.get("/rapporter")
@login_required
def reports() -> str:
    """The newest ingest reports, failures first within each."""
    shown: list[dict[str, Any]] = []
    order = {"failed": 0, "skipped": 1, "added": 2, "updated": 3, "unchanged": 4}
    for report in admin_state().reports.newest(REPORT_COUNT):
        outcomes = sorted(
            report.get("outcomes", []), key=lambda o: order.get(str(o.get("status")), 9)
        )
        shown.append({**report, "outcomes": outcomes[:OUTCOMES_SHOWN], "more": len(outcomes)})
    return render_template("admin/reports.html", reports=shown)


@bp.get("/sokningar-utan-traffar")
@login_required
def zero_hits() -> str:
    """Searches that found nothing, most frequent first (when query statistics exist)."""
    source = getattr(current_kb(), "zero_hit_queries", None)
    rows = list(source()) if callable(source) else None
    return render_template("admin/zero_hits.html", rows=rows)
