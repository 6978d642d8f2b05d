"""The pipeline: the one place where sources, fetch, extract, enrich, normalise and store meet.

Sources are fetched in order (politely, in this thread); originals whose bytes and given metadata
are already stored are "unchanged" and never re-extracted; extraction runs in a pool of ``jobs``
workers; enrichment, normalisation and the single index writer stay in this thread. Documents are
committed in batches, so a crash leaves the index as at the last commit. Every source gets an
outcome.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from ingest.crawl import CrawlOptions, gather, is_noindex
from ingest.errors import IngestError
from ingest.extract import ExtractOptions, extract
from ingest.fetch import FetchOptions
from ingest.model import Extracted, Fetched, Overrides, Rejected, Source
from ingest.normalise import Given, build_document, resolve_overrides, same_given
from ingest.report import Outcome, Report
from ingest.robots import PoliteFetcher
from kb.document import Document
from kb.errors import KbError, ValidationError
from kb.service import KnowledgeBase
from kb.store import Store
from kb.taxonomy import Taxonomy

LOG = logging.getLogger(__name__)
EnrichFn = Callable[[Extracted, Taxonomy, Overrides], Any]
# Bound the originals held in memory while a batch waits for its commit.
_BATCH_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    """How one ingest run behaves.

    Attributes:
        fetch / extract / crawl: options of those stages.
        delay: seconds between two requests to one host.
        jobs: extraction workers (1: extract in this thread).
        executor: "process" (pypdf and bs4 are pure Python: threads share one core) or "thread".
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
    existing: Document | None
    result: Future[Extracted] | Extracted | IngestError


def default_enrich() -> EnrichFn:
    """The enrichment stage (``ingest.enrich.enrich``), imported when first needed."""
    from ingest.enrich import enrich

    return enrich


def run(
    kb: KnowledgeBase | ReadOnlyView,
    items: Iterable[Source | Rejected],
    options: IngestOptions,
    on_outcome: Callable[[Outcome], None] | None = None,
    enrich: EnrichFn | None = None,
) -> Report:
    """Ingest ``items`` into ``kb`` and return the report (one outcome per source).

    Args:
        kb: the knowledge base (its store decides "unchanged"; its writer takes the documents).
        items: sources, and rejected inputs to report as they are.
        options: the run's options.
        on_outcome: called with each outcome as it is recorded (progress, JSON lines).
        enrich: the enrichment function (default ``ingest.enrich.enrich``).
    """
    report = Report(options.dry_run)
    enrich_fn = enrich or default_enrich()
    batch = _Batch(kb, report, on_outcome, options)
    givens: dict[Overrides, Given | ValidationError] = {}

    def record(outcome: Outcome) -> None:
        report.record(outcome)
        if on_outcome is not None:
            on_outcome(report.outcomes[-1])

    fetcher = PoliteFetcher(options.fetch, options.delay)
    with _pool(options) as pool:
        inflight: deque[_Job] = deque()
        for item in gather(items, fetcher, options.crawl):
            job = _prepare(item, kb, options, givens, record)
            if job is None:
                continue
            if pool is None:
                job.result = _extract_now(job.fetched, options.extract)
            else:
                job.result = pool.submit(extract, job.fetched, options.extract)
            inflight.append(job)
            while inflight and (len(inflight) > 2 * options.jobs or pool is None):
                _finish(inflight.popleft(), kb.taxonomy, enrich_fn, batch, record)
        while inflight:
            _finish(inflight.popleft(), kb.taxonomy, enrich_fn, batch, record)
    batch.commit()
    return report


@contextmanager
def _pool(options: IngestOptions) -> Iterator[Executor | None]:
    if options.jobs <= 1:
        yield None
        return
    executor: Executor
    if options.executor == "thread":
        executor = ThreadPoolExecutor(max_workers=options.jobs)
    else:
        executor = ProcessPoolExecutor(max_workers=options.jobs)
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _prepare(
    item: Fetched | Rejected,
    kb: KnowledgeBase | ReadOnlyView,
    options: IngestOptions,
    givens: dict[Overrides, Given | ValidationError],
    record: Callable[[Outcome], None],
) -> _Job | None:
    """Report rejected items and unchanged originals; return the job for the rest."""
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
    existing = kb.store.get_by_source(location)
    if (
        existing is not None
        and not options.force
        and existing.content_sha256 == item.sha256
        and same_given(existing, given)
    ):
        record(Outcome(location, "unchanged", "", document=existing))
        return None
    return _Job(item, given, existing, IngestError("not extracted"))


def _extract_now(fetched: Fetched, options: ExtractOptions) -> Extracted | IngestError:
    try:
        return extract(fetched, options)
    except IngestError as err:
        return err


def _finish(
    job: _Job,
    taxonomy: Taxonomy,
    enrich: EnrichFn,
    batch: _Batch,
    record: Callable[[Outcome], None],
) -> None:
    location = job.fetched.source.location
    result = job.result
    try:
        extracted = result.result() if isinstance(result, Future) else result
    except IngestError as err:
        extracted = err
    except Exception as err:  # a crashed worker process must not end the batch
        LOG.exception("extraction of %s failed", location)
        extracted = IngestError(
            f"Internt fel / internal error: {type(err).__name__}: {err}", "internal"
        )
    if isinstance(extracted, IngestError):
        record(Outcome(location, "failed", str(extracted), extracted.code))
        return
    try:
        enrichment = enrich(extracted, taxonomy, job.fetched.source.overrides)
        doc = build_document(job.fetched, extracted, enrichment, job.given)
    except KbError as err:
        record(Outcome(location, "failed", str(err), "enrich"))
        return
    status = "updated" if job.existing is not None else "added"
    reason = "nytt innehåll / new content" if status == "updated" else ""
    if job.existing is not None and job.existing.content_sha256 == doc.content_sha256:
        reason = "ändrade uppgifter / changed metadata"
    batch.add(
        Outcome(location, status, reason, document=doc, notes=extracted.notes), job.fetched.data
    )


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
        self.items: list[tuple[Outcome, bytes]] = []
        self.size = 0

    def add(self, outcome: Outcome, data: bytes) -> None:
        if self.options.dry_run:
            self._record(outcome)
            return
        self.items.append((outcome, data))
        self.size += len(data)
        if len(self.items) >= self.options.batch_size or self.size >= _BATCH_BYTES:
            self.commit()

    def commit(self) -> None:
        """Write the waiting documents in one index commit (nothing when it fails)."""
        if not self.items:
            return
        items, self.items, self.size = self.items, [], 0
        done: list[Outcome] = []
        if not isinstance(self.kb, KnowledgeBase):
            raise TypeError("a read-only view cannot take documents (dry run only)")
        try:
            with self.kb.writer() as writer:
                for outcome, data in items:
                    assert outcome.document is not None
                    try:
                        saved = writer.add(outcome.document, data)
                    except KbError as err:
                        done.append(Outcome(outcome.source, "failed", str(err), "store"))
                        continue
                    done.append(
                        Outcome(
                            outcome.source, outcome.status, outcome.reason, "", saved, outcome.notes
                        )
                    )
        except KbError as err:
            for outcome, _ in items:
                self._record(Outcome(outcome.source, "failed", str(err), "index"))
            return
        for outcome in done:
            self._record(outcome)

    def _record(self, outcome: Outcome) -> None:
        self.report.record(outcome)
        if self.on_outcome is not None:
            self.on_outcome(self.report.outcomes[-1])
