"""What a harvest does about pages it saw and pages it did not: restore and withdraw.

After ``HarvestRun.settle`` has recorded the pipeline's outcomes in the state, ``settle_presence``
marks the pages still there as seen (restoring a document this source had withdrawn) and the
pages gone or no longer listed as missing, withdrawing their documents through
``KnowledgeBase.curator`` and hiding them once the grace period has passed. Imports no web code.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kb.document import document_id
from kb.errors import KbError
from kb.sources.reports import PageState, ReportItem

if TYPE_CHECKING:
    from ingest.harvest_run import HarvestRun

_UNLISTED = {
    "urls": "inte längre i källans lista / no longer in the source's list",
    "sitemap": "inte längre i webbplatskartan / gone from the sitemap",
    "folder": "filen finns inte längre i mappen / gone from the folder",
    "site": "inte längre länkad från webbplatsen / no longer linked from the site",
}


def settle_presence(run: HarvestRun, now: str) -> None:
    """Mark the present pages seen and restore them; withdraw or hide the gone ones.

    Args:
        run: the harvest, its outcomes already recorded in ``run.state``.
        now: this run's time as an ISO string (``last_seen`` and ``missing_since``).
    """
    for location in run.present:
        page = run.state.pages.get(location)
        if page is None:
            continue
        page.last_seen = now
        if page.missing_since:
            page.missing_since = page.missing_reason = ""
        _restore(run, location, page)
    if run.complete:
        why = _UNLISTED[run.entry.kind]
        for location in run.state.pages:
            if location not in run.present and location not in run.gone:
                run.gone[location] = why
    for location, reason in sorted(run.gone.items()):
        _withdraw(run, location, reason, now)


def _restore(run: HarvestRun, location: str, page: PageState) -> None:
    if page.doc_id not in run.stored:
        return
    try:
        withdrawal = run.kb.curator.get(page.doc_id).withdrawal
        if withdrawal is not None and withdrawal.source_name == run.entry.name:
            run.kb.curator.restore(page.doc_id, by="harvest", via=run.entry.name)
            run.items.append(ReportItem(location, "restored", "", "", page.doc_id))
    except KbError as err:
        run.items.append(ReportItem(location, "failed", str(err), "restore", page.doc_id))


def _withdraw(run: HarvestRun, location: str, reason: str, now: str) -> None:
    page = run.state.pages.get(location)
    if page is not None and page.not_added and page.doc_id not in run.stored:
        del run.state.pages[location]  # a link-only page gone: nothing to withdraw
        return
    if page is None:
        doc_id = document_id(location)
        if doc_id not in run.stored:  # never ingested: nothing to withdraw
            run.items.append(ReportItem(location, "failed", reason, "gone"))
            return
        page = run.state.pages[location] = PageState(doc_id=doc_id)
    page.missing_since = page.missing_since or now
    page.missing_reason = reason
    if page.doc_id not in run.stored:
        return
    since = datetime.fromisoformat(page.missing_since)
    hidden = run.now - since >= run.options.grace
    try:
        run.kb.curator.withdraw(page.doc_id, reason, run.entry.name, hidden=hidden)
    except KbError as err:
        run.items.append(ReportItem(location, "failed", str(err), "withdraw", page.doc_id))
        return
    status = "hidden" if hidden else "withdrawn"
    run.items.append(ReportItem(location, status, reason, "", page.doc_id))
