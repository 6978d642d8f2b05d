"""Sources in the admin: the registry (kb.sources.registry) and each source's harvest reports.

Everyone logged in sees the sources and their reports; adding and removing a source is for
admins. `kb harvest` (cron or a systemd timer, docs/ingest.md) does the re-checking; the admin
only edits the registry it reads. Every change goes to the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import KbError, ValidationError
from kb.sources.registry import KINDS, SCHEDULES, SourceEntry, SourceRegistry, checked_source
from kb.sources.reports import HarvestFiles, HarvestReport
from web.admin.auth import admin_required, login_required, who
from web.admin.blueprint import bp
from web.admin.state import admin_state
from web.context import current_kb
from web.i18n import translate

# Failures first in a report: they are what staff act on.
STATUS_ORDER = ("failed", "hidden", "withdrawn", "restored", "added", "updated")
ITEMS_SHOWN = 300


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
        return _page(translate("admin_bad_number", error=str(err)), 400, dict(form))
    except (ValidationError, KbError) as err:
        return _page(str(err), 400, dict(form))
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
