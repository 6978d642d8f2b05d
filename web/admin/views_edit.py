"""Correcting a document's metadata in the admin, through kb's curation (``KnowledgeBase.curator``).

The form shows the values as officers see them; only the fields the person changed are sent as
corrections, so an untouched field keeps following ingest. Corrections are kept apart from the
automatic tags by kb and survive re-ingest and reindex; each one, and each revert, is written to
the document's history by kb and to the audit log here.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.document import Document
from kb.errors import ValidationError
from web.admin.auth import bp, login_required, who
from web.admin.state import admin_state
from web.context import current_kb, labels
from web.hits import language_name
from web.i18n import translate

# Fields typed as free text in the form.
TEXT_FIELDS = ("title", "date", "publisher")


def changed_fields(doc: Document, form: Any) -> dict[str, Any]:
    """The corrections a submitted form asks for: only the fields whose value differs (none when
    the form carries no correction fields)."""
    changes: dict[str, Any] = {}
    if form.get("correct") != "1":
        return changes
    for name in TEXT_FIELDS:
        value = " ".join(str(form.get(name) or "").split())
        # An emptied field is no correction (kb refuses empty text): the revert button brings
        # back the automatic value.
        if value and value != (getattr(doc, name) or ""):
            changes[name] = value
    doc_type = form.get("doc_type", "")
    if doc_type and doc_type != doc.doc_type.value:
        changes["doc_type"] = doc_type
    focus = sorted(form.getlist("focus_areas"))
    if focus != sorted(doc.values("focus_areas")):
        changes["focus_areas"] = focus
    typed = [m.strip() for m in str(form.get("municipalities", "")).split(",") if m.strip()]
    shown = labels("municipality", doc.values("municipalities"))
    if [t.casefold() for t in typed] != [s.casefold() for s in shown]:
        changes["municipalities"] = typed
    return changes


def correction_values(doc: Document) -> dict[str, Any]:
    """The values the correction form shows: the document's, or, when a form with corrections
    was just sent and refused, what the person typed and ticked (nothing typed is lost)."""
    form = request.form if request.method == "POST" else None
    if form is not None and form.get("correct") == "1":
        values: dict[str, Any] = {name: form.get(name, "") for name in TEXT_FIELDS}
        return {
            **values,
            "doc_type": form.get("doc_type", ""),
            "focus_areas": form.getlist("focus_areas"),
            "municipalities": form.get("municipalities", ""),
        }
    return {
        "title": doc.title, "date": doc.date or "", "publisher": doc.publisher,
        "doc_type": doc.doc_type.value, "focus_areas": list(doc.values("focus_areas")),
        "municipalities": ", ".join(labels("municipality", doc.values("municipalities"))),
    }  # fmt: skip


@bp.post("/dokument/<doc_id:doc_id>/ratta")
@login_required
def correct(doc_id: str) -> BaseResponse | tuple[str, int]:
    """Save the corrections the form asks for."""
    kb = current_kb()
    curator = kb.curator
    doc = kb.document(doc_id)
    changes = changed_fields(doc, request.form)
    if not changes:
        flash(translate("admin_nothing_changed"), "ok")
        return redirect(url_for("admin.document", doc_id=doc_id))
    try:
        curator.edit(doc_id, changes, by=who(), via="admin")
    except ValidationError as err:
        page = render_template(
            "admin/document.html",
            doc=doc,
            curation=curator.get(doc_id),
            taxonomy=kb.taxonomy,
            correct_error=str(err),
        )
        return page, 400
    admin_state().audit.record(who(), "document.correct", doc_id, **json_ready(changes))
    flash(translate("admin_corrections_saved"), "ok")
    return redirect(url_for("admin.document", doc_id=doc_id))


@bp.post("/dokument/<doc_id:doc_id>/ratta/<field>/angra")
@login_required
def revert(doc_id: str, field: str) -> BaseResponse:
    """Drop one correction: the automatic value shows again."""
    curator = current_kb().curator
    try:
        curator.revert(doc_id, field, by=who(), via="admin")
    except ValidationError as err:
        flash(str(err), "error")
        return redirect(url_for("admin.document", doc_id=doc_id))
    admin_state().audit.record(who(), "document.revert", doc_id, field=field)
    flash(translate("admin_reverted"), "ok")
    return redirect(url_for("admin.document", doc_id=doc_id))


def json_ready(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple | list) else v for k, v in changes.items()}


def field_label(name: str) -> str:
    """A field's name in the interface language."""
    key = {"doc_type": "doc_type", "focus_areas": "focus_areas", "date": "date",
           "municipalities": "municipalities", "regions": "regions", "title": "title",
           "publisher": "publisher", "language": "language"}.get(name)  # fmt: skip
    return translate(key) if key else name


# The facet that names a listed field's stored values (ids, SCB codes) for people.
_FACETS = {"focus_areas": "focus_area", "municipalities": "municipality", "regions": "region",
           "doc_type": "doc_type"}  # fmt: skip


def display_value(value: object, field: str = "") -> str:
    """A history value for people: ids and SCB codes as their names in the interface language,
    lists joined, nothing as a dash."""
    if value is None or value == "" or value == ():
        return "–"
    items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    facet = _FACETS.get(field)
    if facet:
        items = labels(facet, items)
    elif field == "language":
        items = [language_name(v) for v in items]
    return ", ".join(items) or "–"


def change_label(action: str, field: str) -> str:
    """What a history entry did, in the interface language ("Rättning: Kommuner")."""
    key = f"admin_action_{action}"
    text = translate(key, field=field_label(field))
    return f"{action} {field_label(field)}" if text == key else text


def change_time(at: str) -> str:
    """An ISO time of the history as people read it: '2026-12-07 11:20 UTC'."""
    if len(at) < 16 or at[10] != "T":
        return at
    zone = " UTC" if at.endswith(("+00:00", "Z")) else ""
    return f"{at[:10]} {at[11:16]}{zone}"


def init_app(app: Flask) -> None:
    app.add_template_global(field_label, "field_label")
    app.add_template_global(correction_values, "correction_values")
    app.add_template_filter(display_value, "display_value")
    app.add_template_global(change_label, "change_label")
    app.add_template_filter(change_time, "change_time")
