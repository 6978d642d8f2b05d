"""Adding a document: upload a file or give a URL, preview the text and tags, then publish.

Staging goes through the seam (``StagerLike`` in web.admin.state): the composition root's stager
fetches, extracts and tags without writing. A failure (too big, a type ingest does not read, a
damaged or encrypted file, a dead URL) is shown on the form and saved in an ingest report, and
nothing is kept: the uploaded bytes are deleted again. Only "Publicera" writes, in one commit of
store and index.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import KbError, NotFoundError, ValidationError
from web.admin.auth import bp, current_user, login_required, who
from web.admin.staging import StagedItem
from web.admin.state import AdminState, admin_state
from web.admin.views_edit import changed_fields, json_ready
from web.context import current_kb
from web.errors import error_response
from web.hits import excerpt
from web.i18n import translate

FormResponse = str | BaseResponse | tuple[str, int]
PREVIEW_CHARS = 6000


def _form(error: str = "", status: int = 200, url: str = "") -> tuple[str, int]:
    state = admin_state()
    accept = ",".join(state.stager.accepted_suffixes) if state.stager else ""
    page = render_template(
        "admin/add.html", error=error, accept=accept, url=url, available=state.stager is not None
    )
    return page, status


def _failed(state: AdminState, source: str, reason: str, code: str, url: str = "") -> Any:
    """Report a failed staging (ingest report + audit) and show the form with the reason."""
    _save_report(state, [{"source": source, "status": "failed", "reason": reason, "code": code}])
    state.audit.record(who(), "document.stage_failed", source, reason=reason, code=code)
    return _form(translate("admin_stage_failed", reason=reason), 400, url)


@bp.route("/dokument/ny", methods=["GET", "POST"])
@login_required
def add_document() -> FormResponse:
    """The upload / URL form; a good source is staged and shown for review."""
    state = admin_state()
    if request.method == "GET" or state.stager is None:
        return _form()
    kb = current_kb()
    upload = request.files.get("file")
    url = request.form.get("url", "").strip()
    if upload is not None and upload.filename:
        name = upload.filename
        data = upload.read()
        if not data:
            return _failed(state, name, translate("admin_empty_file"), "empty")
        path = state.staging.save_upload(name, data)
        staged = state.stager.stage_file(path, kb.taxonomy)
        source, uploaded = str(path), str(path)
    elif url:
        staged = state.stager.stage_url(url, kb.taxonomy)
        source, uploaded, name = url, "", url
    else:
        return _form(translate("admin_choose_source"), 400)
    if staged.document is None:
        if uploaded and kb.store.get_by_source(uploaded) is None:
            state.staging.drop_upload(uploaded)
        return _failed(state, name, staged.error, staged.code, url)
    token = state.staging.put(staged.document, staged.original, staged.notes, who(), uploaded)
    state.audit.record(who(), "document.stage", staged.document.id, source=source)
    return redirect(url_for("admin.preview", token=token))


def _staged(view: Callable[[StagedItem], FormResponse]) -> Callable[[str], FormResponse]:
    """Run ``view`` on the staged item of the URL's token. A token already published (a second
    click on "Publicera", the back button) leads to its document; a cancelled or expired one to
    the form with a message, not to the public 404 page."""

    @functools.wraps(view)
    def wrapper(token: str) -> FormResponse:
        state = admin_state()
        try:
            item = state.staging.get(token)
        except NotFoundError:
            doc_id = state.staging.published_as(token)
            if doc_id and _exists(doc_id):
                flash(translate("admin_already_published"), "ok")
                return redirect(url_for("admin.document", doc_id=doc_id))
            flash(translate("admin_preview_gone"), "error")
            return redirect(url_for("admin.add_document"))
        return view(item)

    return wrapper


@bp.get("/dokument/granska/<token>")
@login_required
@_staged
def preview(item: StagedItem) -> str:
    """The staged document: its text and the tags it would get, with their evidence."""
    return _preview_page(item)


def _preview_page(item: StagedItem, correct_error: str = "") -> str:
    doc = item.document
    text = doc.text
    return render_template(
        "admin/preview.html",
        item=item,
        doc=doc,
        text=text[:PREVIEW_CHARS],
        cut=len(text) > PREVIEW_CHARS,
        chars=len(text),
        existing=_exists(doc.id),
        summary=excerpt(doc.summary, 300) if doc.summary else "",
        taxonomy=current_kb().taxonomy,
        correct_error=correct_error,
    )


@bp.post("/dokument/granska/<token>/publicera")
@login_required
@_staged
def publish(item: StagedItem) -> BaseResponse | tuple[str, int]:
    """Publish the staged document: store and index in one commit."""
    state = admin_state()
    kb = current_kb()
    token = item.token
    existed = _exists(item.document.id)
    changes = changed_fields(item.document, request.form)
    try:
        checked = kb.curator.check(changes) if changes else {}
    except ValidationError as err:  # nothing is published with a value kb refuses
        return _preview_page(item, correct_error=str(err)), 400
    try:
        with kb.writer() as writer:
            saved = writer.add(item.document, item.original)
            if checked:
                # Recorded as corrections, laid over the automatic tags by this same commit.
                writer.curate(saved, checked, who(), "admin")
    except KbError as err:
        _save_report(state, [_outcome(item.document, "failed", str(err), "index")])
        flash(translate("admin_publish_failed", reason=str(err)), "error")
        return redirect(url_for("admin.preview", token=token))
    status = "updated" if existed else "added"
    state.staging.mark_published(token, saved.id)
    _save_report(state, [_outcome(saved, status)])
    state.audit.record(who(), "document.publish", saved.id, title=saved.title, status=status)
    if checked:
        state.audit.record(who(), "document.correct", saved.id, **json_ready(changes))
    flash(translate("admin_published", title=kb.document(saved.id).title), "ok")
    return redirect(url_for("admin.document", doc_id=saved.id))


@bp.post("/dokument/granska/<token>/avbryt")
@login_required
@_staged
def discard(item: StagedItem) -> BaseResponse:
    """Drop the staged document (and its uploaded bytes when no document uses them)."""
    state = admin_state()
    state.staging.discard(item.token)
    if item.uploaded and current_kb().store.get_by_source(item.uploaded) is None:
        state.staging.drop_upload(item.uploaded)
    state.audit.record(who(), "document.discard", item.document.id, title=item.document.title)
    flash(translate("admin_discarded"), "ok")
    return redirect(url_for("admin.add_document"))


def _save_report(state: AdminState, outcomes: list[dict[str, Any]]) -> None:
    # The person sees the outcome on the page; a full disk must not turn it into a 500.
    with contextlib.suppress(OSError):
        state.reports.save("admin", who(), outcomes)


def _exists(doc_id: str) -> bool:
    try:
        current_kb().document(doc_id)
    except KbError:
        return False
    return True


def _outcome(doc: Any, status: str, reason: str = "", code: str = "") -> dict[str, Any]:
    return {
        "source": doc.source, "status": status, "reason": reason, "code": code,
        "id": doc.id, "title": doc.title,
    }  # fmt: skip


def init_app(app: Flask) -> None:
    """Answer a too-big upload on the form itself, and report it, instead of a bare 413."""

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(err: RequestEntityTooLarge) -> Any:
        if request.blueprint != "admin" or current_user() is None:
            return error_response(413, translate("error_help"))
        state = admin_state()
        limit = state.settings.max_document_bytes
        reason = translate("admin_too_large", mb=f"{limit / 1_048_576:.1f}".replace(".0", ""))
        state.audit.record(who(), "document.stage_failed", "upload", code="too-large")
        outcome = {"source": "(uppladdning)", "status": "failed", "reason": reason}
        _save_report(state, [{**outcome, "code": "too-large"}])
        page, _ = _form(translate("admin_stage_failed", reason=reason))
        return page, 413
