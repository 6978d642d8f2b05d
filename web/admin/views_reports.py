"""Reports for staff: the last ingest runs (CLI and admin), and what other parts plug in.

The ingest reports are kb.reports files; the zero- and few-hit queries come from kb.query_stats
(recorded by the results page and the embed, no personal data).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from kb.query_stats import top_queries
from web.admin.auth import login_required
from web.admin.blueprint import bp
from web.admin.state import admin_state

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
    """Searches that found nothing (or, with ``?few=1``, few documents) in the last ``days``."""
    few = request.args.get("few") == "1"
    try:
        days = min(366, max(1, int(request.args.get("days", "30"))))
    except ValueError:
        days = 30
    rows = top_queries(admin_state().settings.data_dir, days=days, limit=200, zero_only=not few)
    return render_template(
        "admin/zero_hits.html",
        rows=rows,
        few=few,
        days=days,
        recording=admin_state().settings.query_stats_days > 0,
    )
