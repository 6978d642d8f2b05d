"""The documents in the admin: the list, one document's staff page, removing, restoring, purging.

A redaktör may remove and restore documents; purging (deleting the kept record and the original
for good) is for admins. Every change goes to the audit log. Lists and messages name a document
as the bank shows it, corrections laid over (``kb.curator.shown``): staff who corrected a title
look for the new one.
"""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.document import Document
from kb.errors import KbError
from web.admin.auth import admin_required, bp, login_required, who
from web.admin.state import admin_state
from web.context import current_kb
from web.i18n import translate

PAGE_SIZE = 50


@bp.get("/")
@login_required
def home() -> str:
    """The staff start page: the documents, newest added first, filtered by a title word."""
    kb = current_kb()
    query = request.args.get("q", "").strip()[:200]
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    docs = _documents(query)
    first = (page - 1) * PAGE_SIZE
    return render_template(
        "admin/home.html",
        docs=docs[first : first + PAGE_SIZE],
        total=len(docs),
        stored=len(kb.store),
        query=query,
        page=page,
        pages=max(1, -(-len(docs) // PAGE_SIZE)),
        removed=len(admin_state().removed.all()),
    )


def _documents(query: str) -> list[Document]:
    kb = current_kb()
    docs = []
    needle = query.casefold()
    for doc_id in kb.store.ids():
        try:
            doc = kb.curator.shown(kb.store.load(doc_id))
        except KbError:
            continue
        if needle and needle not in doc.title.casefold() and needle not in doc.source.casefold():
            continue
        docs.append(doc)
    docs.sort(key=lambda d: (d.added, d.title), reverse=True)
    return docs


@bp.get("/dokument/<doc_id:doc_id>")
@login_required
def document(doc_id: str) -> str:
    """One document for staff: its tags with the evidence officers see, corrections, removal."""
    kb = current_kb()
    doc = kb.document(doc_id)
    return render_template(
        "admin/document.html", doc=doc, curation=kb.curator.get(doc_id), taxonomy=kb.taxonomy
    )


@bp.post("/dokument/<doc_id:doc_id>/ta-bort")
@login_required
def remove(doc_id: str) -> BaseResponse:
    """Take the document out of the search; it is kept until an admin purges it."""
    kb = current_kb()
    doc = kb.curator.shown(admin_state().removed.remove(kb, doc_id, who()))
    admin_state().audit.record(who(), "document.remove", doc_id, title=doc.title)
    flash(translate("admin_removed", title=doc.title), "ok")
    return redirect(url_for("admin.removed"))


@bp.get("/borttagna")
@login_required
def removed() -> str:
    """Removed documents, kept until purged (their corrections are kept too)."""
    shown = current_kb().curator.shown
    removed = [replace(r, document=shown(r.document)) for r in admin_state().removed.all()]
    return render_template("admin/removed.html", removed=removed)


@bp.post("/borttagna/<doc_id:doc_id>/aterstall")
@login_required
def restore(doc_id: str) -> BaseResponse:
    """Put a removed document back into the search."""
    kb = current_kb()
    doc = kb.curator.shown(admin_state().removed.restore(kb, doc_id))
    admin_state().audit.record(who(), "document.restore", doc_id, title=doc.title)
    flash(translate("admin_restored", title=doc.title), "ok")
    return redirect(url_for("admin.document", doc_id=doc_id))


@bp.post("/borttagna/<doc_id:doc_id>/rensa")
@admin_required
def purge(doc_id: str) -> BaseResponse:
    """Delete a removed document for good: its kept record and (unless shared) its original."""
    state = admin_state()
    doc, deleted = state.removed.purge(current_kb(), doc_id)
    title = current_kb().curator.shown(doc).title
    uploaded = doc.source and state.staging.is_upload(doc.source)
    if uploaded and current_kb().store.get_by_source(doc.source) is None:
        state.staging.drop_upload(doc.source)
    state.audit.record(who(), "document.purge", doc_id, title=title, original_deleted=deleted)
    flash(translate("admin_purged", title=title), "ok")
    return redirect(url_for("admin.removed"))
