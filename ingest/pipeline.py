"""The pipeline: the one place where sources, fetch, extract, enrich, normalise and store meet.

Sources are fetched in order (politely, in this thread); originals whose bytes and given metadata
are already stored are "unchanged" and never re-extracted; extraction, enrichment and normalisation
of each document run in a pool of ``jobs`` workers (ingest.workers); the single index writer stays
in this thread. Documents are committed in batches, store and index together (kb.index.commit), so
a crash leaves both as at the last commit; whether a document was added, updated or unchanged is
decided at the commit, under the writer lock, so two runs at once each report what they did.
Every source gets an outcome.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Literal

from ingest.errors import IngestError
from ingest.extract.dispatch import ExtractOptions
from ingest.fetch.crawl import CrawlOptions, gather, is_noindex
from ingest.fetch.download import FetchOptions
from ingest.fetch.robots import PoliteFetcher
from ingest.model import Fetched, Overrides, Rejected, Source
from ingest.normalise import Given, resolve_overrides, same_given
from ingest.report import Outcome, Report
from ingest.workers import Processed, pool, process
from kb.document import Document, document_id
from kb.errors import KbError, NotFoundError, ValidationError
from kb.index.store import Store
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy

LOG = logging.getLogger(__name__)
# Bound the originals held in memory while a batch waits for its commit.
_BATCH_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    """How one ingest run behaves.

    Attributes:
        fetch / extract / crawl: options of those stages.
        delay: seconds between two requests to one host.
        jobs: workers that extract, enrich and normalise (1: all in this thread).
        executor: "process" (pypdf, bs4 and enrichment are pure Python: threads share one core
            under the GIL) or "thread".
        batch_size: documents per index commit.
        dry_run: extract and tag, but write nothing.
        force: re-extract even when the original and the given metadata are unchanged.
    """

    fetch: FetchOptions = field(default_factory=FetchOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    delay: float = 1.0
    jobs: int = 1
    executor: Literal["process", "thread"] = "process"
    batch_size: int = 100
    dry_run: bool = False
    force: bool = False


@dataclass(frozen=True)
class ReadOnlyView:
    """What a dry run needs of a knowledge base: the store (to tell "unchanged") and the taxonomy.

    Opening a KnowledgeBase creates an index; a dry run must write nothing, not even that.
    """

    store: Store
    taxonomy: Taxonomy


@dataclass
class _Job:
    fetched: Fetched
    given: Given
    result: Future[Processed] | Processed


def run(
    kb: KnowledgeBase | ReadOnlyView,
    items: Iterable[Source | Rejected],
    options: IngestOptions,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> Report:
    """Ingest ``items`` into ``kb`` and return the report (one outcome per source).

    Args:
        kb: the knowledge base (its store decides "unchanged"; its writer takes the documents),
            or a ``ReadOnlyView`` for a dry run.
        items: sources, and rejected inputs to report as they are.
        options: the run's options.
        on_outcome: called with each outcome as it is recorded (JSON lines); added and updated
            documents are recorded only once their batch is committed.
        on_progress: called with each source's location as soon as it has been handled (a
            progress bar; it does not wait for the commit).
    """
    report = Report(options.dry_run)
    if isinstance(kb, KnowledgeBase):
        # "unchanged" is judged against the committed state: finish a crashed write first.
        kb.recover()
    batch = _Batch(kb, report, on_outcome, options)
    givens: dict[Overrides, Given | ValidationError] = {}
    fetcher = PoliteFetcher(options.fetch, options.delay)
    progress = on_progress or (lambda _location: None)
    with pool(options.jobs, options.executor, options.extract, kb.taxonomy) as workers:
        inflight: deque[_Job] = deque()
        for item in gather(items, fetcher, options.crawl):
            prepared = _prepare(item, kb, options, givens, batch.record)
            if prepared is None:
                progress(item.location if isinstance(item, Rejected) else item.source.location)
                continue
            fetched, given, _existing = prepared
            if workers is None:
                result: Future[Processed] | Processed = process(
                    fetched, given, options.extract, kb.taxonomy
                )
            else:
                result = workers.submit(fetched, given)
            inflight.append(_Job(fetched, given, result))
            # Keep every worker busy but hold few originals in memory.
            while inflight and len(inflight) > 2 * options.jobs - 1:
                progress(_finish(inflight.popleft(), batch))
        while inflight:
            progress(_finish(inflight.popleft(), batch))
    batch.commit()
    return report


def _prepare(
    item: Fetched | Rejected,
    kb: KnowledgeBase | ReadOnlyView,
    options: IngestOptions,
    givens: dict[Overrides, Given | ValidationError],
    record: Callable[[Outcome], None],
) -> tuple[Fetched, Given, Document | None] | None:
    """Report rejected items and unchanged originals; return what to process for the rest."""
    if isinstance(item, Rejected):
        status = "skipped" if item.skipped else "failed"
        record(Outcome(item.location, status, item.reason, item.code))
        return None
    location = item.source.location
    if is_noindex(item):
        record(
            Outcome(location, "skipped", "Sidan ber om noindex / page asks for noindex", "noindex")
        )
        return None
    overrides = item.source.overrides
    if overrides not in givens:
        try:
            givens[overrides] = resolve_overrides(overrides, kb.taxonomy)
        except ValidationError as err:
            givens[overrides] = err
    given = givens[overrides]
    if isinstance(given, ValidationError):
        record(Outcome(location, "failed", str(given), "bad-override"))
        return None
    existing = _stored(kb, location)
    if (
        existing is not None
        and not options.force
        and existing.content_sha256 == item.sha256
        and same_given(existing, given)
        # A record the index lacks (a crash, a hand-made copy) must be written again, or the
        # document could never be found; the commit decides again under the writer lock.
        and (not isinstance(kb, KnowledgeBase) or kb.is_indexed(existing.id))
    ):
        record(Outcome(location, "unchanged", "", document=existing))
        return None
    return item, given, existing


def _stored(kb: KnowledgeBase | ReadOnlyView, location: str) -> Document | None:
    """The stored version of ``location``; its id follows from the source, so no scan is needed."""
    try:
        return kb.store.load(document_id(location))
    except NotFoundError:
        return None
    except KbError as err:  # a damaged record: the new version will replace it
        LOG.warning("stored record of %s unreadable: %s", location, err)
        return None


def _finish(job: _Job, batch: _Batch) -> str:
    """Record a failure or queue the document for the next commit; returns the location."""
    location = job.fetched.source.location
    try:
        result = job.result.result() if isinstance(job.result, Future) else job.result
    except Exception as err:  # a crashed worker process must not end the batch
        LOG.debug("processing %s failed", location, exc_info=True)
        error = IngestError(
            f"Internt fel / internal error: {type(err).__name__}: {err}", "internal"
        )
        result = Processed(None, error=error)
    if result.document is None:
        error = result.error or IngestError("Okänt fel / unknown error", "internal")
        batch.record(Outcome(location, "failed", str(error), error.code))
        return location
    # added / updated / unchanged is decided at the commit, under the writer lock.
    outcome = Outcome(location, "added", document=result.document, notes=result.notes)
    batch.add(outcome, job.fetched.data, job.given)
    return location


def _decide(
    outcome: Outcome, current: Document | None, given: Given, force: bool, indexed: bool
) -> Outcome:
    """The outcome of writing ``outcome.document`` over ``current`` (the committed record)."""
    doc = outcome.document
    assert doc is not None
    if current is None:
        return replace(outcome, status="added", reason="")
    same_bytes = current.content_sha256 == doc.content_sha256
    if not indexed:
        reason = "saknades i indexet / was missing from the index"
    elif same_bytes and same_given(current, given):
        if not force:
            return replace(outcome, status="unchanged", reason="", document=current)
        reason = "omläst / re-read (--force)"
    elif same_bytes:
        reason = "ändrade uppgifter / changed metadata"
    else:
        reason = "nytt innehåll / new content"
    return replace(outcome, status="updated", reason=reason)


class _Batch:
    """Documents waiting for the next commit; outcomes are recorded only once committed."""

    def __init__(
        self,
        kb: KnowledgeBase | ReadOnlyView,
        report: Report,
        on_outcome: Callable[[Outcome], None] | None,
        options: IngestOptions,
    ) -> None:
        self.kb = kb
        self.report = report
        self.on_outcome = on_outcome
        self.options = options
        self.items: list[tuple[Outcome, bytes, Given]] = []
        self.size = 0

    def add(self, outcome: Outcome, data: bytes, given: Given) -> None:
        if self.options.dry_run:
            existing = _stored(self.kb, outcome.source)
            self.record(_decide(outcome, existing, given, self.options.force, indexed=True))
            return
        self.items.append((outcome, data, given))
        self.size += len(data)
        if len(self.items) >= self.options.batch_size or self.size >= _BATCH_BYTES:
            self.commit()

    def commit(self) -> None:
        """Write the waiting documents in one commit (nothing when it fails).

        What each document's outcome is (added, updated or unchanged) is decided here, under the
        writer lock, against what is committed now: another run may have written it meanwhile.
        """
        if not self.items:
            return
        items, self.items, self.size = self.items, [], 0
        done: list[Outcome] = []
        if not isinstance(self.kb, KnowledgeBase):
            raise TypeError("a read-only view cannot take documents (dry run only)")
        try:
            with self.kb.writer() as writer:
                for outcome, data, given in items:
                    assert outcome.document is not None
                    doc_id = outcome.document.id
                    current = writer.stored(doc_id)
                    indexed = current is not None and writer.indexed(doc_id)
                    decided = _decide(outcome, current, given, self.options.force, indexed)
                    if decided.status != "unchanged":
                        try:
                            saved = writer.add(outcome.document, data)
                        except KbError as err:
                            done.append(Outcome(outcome.source, "failed", str(err), "store"))
                            continue
                        decided = replace(decided, document=saved)
                    done.append(decided)
        except KbError as err:
            for outcome, _, _ in items:
                self.record(Outcome(outcome.source, "failed", str(err), "index"))
            return
        for outcome in done:
            error = writer.failed.get(outcome.document.id) if outcome.document else None
            if error is not None:
                outcome = Outcome(outcome.source, "failed", str(error), "store")
            self.record(outcome)

    def record(self, outcome: Outcome) -> None:
        """Add ``outcome`` to the report and tell ``on_outcome``."""
        self.report.record(outcome)
        if self.on_outcome is not None:
            self.on_outcome(self.report.outcomes[-1])
