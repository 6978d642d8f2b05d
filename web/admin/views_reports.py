"""Reports for staff: the last ingest runs, the sources with their harvest reports, and the
searches that found nothing.

The ingest reports are kb.reports files (from `kb ingest` and the admin's uploads). The sources
are kb.sources.registry, the registry `kb harvest` (cron or a systemd timer, docs/ingest.md)
reads, with each source's harvest reports (kb.sources.reports); everyone logged in sees them,
adding and removing a source is for admins, and each change goes to the audit log. The zero- and
few-hit queries come from kb.query_stats (recorded by the results page and the embed, no
personal data).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import KbError, ValidationError
from kb.query_stats import top_queries
from kb.sources.registry import KINDS, SCHEDULES, SourceEntry, SourceRegistry, checked_source
from kb.sources.reports import HarvestFiles, HarvestReport
from web.admin.auth import admin_required, bp, login_required, who
from web.admin.state import admin_state
from web.context import current_kb
from web.i18n import translate

# Failures first in a report: they are what staff act on.
STATUS_ORDER = ("failed", "hidden", "withdrawn", "restored", "added", "updated")
ITEMS_SHOWN = 300
REPORT_COUNT = 20
OUTCOMES_SHOWN = 200


def _registry() -> SourceRegistry:
    return SourceRegistry(admin_state().settings.sources_path)


def _harvests() -> HarvestFiles:
    return HarvestFiles(admin_state().settings.harvest_dir)


def _latest(name: str) -> HarvestReport | None:
    try:
        return _harvests().latest_report(name)
    except KbError:
        return None


def _page(error: str = "", status: int = 200, form: dict[str, Any] | None = None) -> Any:
    try:
        entries = _registry().entries()
    except KbError as err:
        entries, error = [], error or str(err)
    rows = [(entry, _latest(entry.name)) for entry in entries]
    kb = current_kb()
    page = render_template(
        "admin/sources.html",
        rows=rows,
        kinds=KINDS,
        schedules=list(SCHEDULES),
        taxonomy=kb.taxonomy,
        error=error,
        form=form or {},
    )
    return page, status


@bp.get("/kallor")
@login_required
def sources() -> Any:
    """The registered sources with their last harvest, and (for admins) the form for a new one."""
    return _page()


def _form_defaults(form: Any) -> dict[str, object]:
    defaults: dict[str, object] = {}
    focus = form.getlist("focus_areas")
    if focus:
        defaults["focus_areas"] = focus
    municipalities = [m.strip() for m in form.get("municipalities", "").split(",") if m.strip()]
    if municipalities:
        defaults["municipalities"] = municipalities
    for name in ("doc_type", "publisher"):
        value = form.get(name, "").strip()
        if value:
            defaults[name] = value
    return defaults


def _sent(form: Any) -> dict[str, Any]:
    """A refused form's values to show again, the ticked focus areas included."""
    return {**form.to_dict(), "focus_areas": form.getlist("focus_areas")}


@bp.post("/kallor")
@admin_required
def add_source() -> BaseResponse | Any:
    """Register a source from the form (every value checked by kb before it is saved)."""
    form = request.form
    kind = form.get("kind", "")
    urls = [u.strip() for u in form.get("urls", "").splitlines() if u.strip()]
    try:
        depth, max_pages = int(form.get("depth", "2")), int(form.get("max_pages", "500"))
        entry: SourceEntry = checked_source(
            form.get("name", ""), kind, form.get("location", ""), urls, _form_defaults(form),
            form.get("schedule", "daily"), depth, max_pages, current_kb().taxonomy, who(),
        )  # fmt: skip
        _registry().add(entry)
    except ValueError as err:  # int() of a bad number
        return _page(translate("admin_bad_number", error=str(err)), 400, _sent(form))
    except (ValidationError, KbError) as err:
        return _page(str(err), 400, _sent(form))
    admin_state().audit.record(
        who(), "source.add", entry.name, kind=entry.kind, location=entry.location or entry.urls
    )
    flash(translate("admin_source_added", name=entry.name), "ok")
    return redirect(url_for("admin.sources"))


@bp.post("/kallor/<name>/ta-bort")
@admin_required
def remove_source(name: str) -> BaseResponse:
    """Forget a source (its documents stay in the knowledge bank)."""
    entry = _registry().remove(name)
    admin_state().audit.record(who(), "source.remove", entry.name, kind=entry.kind)
    flash(translate("admin_source_removed", name=entry.name), "ok")
    return redirect(url_for("admin.sources"))


@bp.get("/kallor/<name>")
@login_required
def source_reports(name: str) -> str:
    """The harvest reports of one source, newest first, failures first within each."""
    entry = _registry().get(name)  # NotFoundError: 404
    reports = []
    for report in _harvests().reports(name):
        items = sorted(
            report.items,
            key=lambda i: STATUS_ORDER.index(i.status) if i.status in STATUS_ORDER else 99,
        )
        reports.append((report, items[:ITEMS_SHOWN], len(items)))
    return render_template("admin/source_reports.html", entry=entry, reports=reports)


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
