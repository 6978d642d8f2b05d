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
from ingest.model import Fetched, Overrides, ReadOnlyView, Rejected, Source
from ingest.normalise import NO_GIVEN, Given, given_corrections, resolve_overrides
from ingest.outcome import curated_as, decide, preview_of, stored
from ingest.report import LINKS_ONLY, Outcome, Report, same_content
from ingest.workers import Processed, deferred_interrupt, pool, process, ready
from kb.curation.curator import checked_actor
from kb.curation.model import Value
from kb.document import Document
from kb.errors import DiskFullError, KbError, ValidationError
from kb.service import KnowledgeBase

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
        by: who gives the metadata of this run (recorded with the corrections it makes; the OS
            user when empty).
        given_as: "corrections": the sources' overrides are a person's statement and become
            curated corrections; "defaults": they are a harvested source's default tags,
            applied by enrichment under the automatic tags' layer (corrections still win).
        replace_only: re-extraction (ingest.reextract): only replace stored documents, and
            only those that come out different; one removed while the run went on fails
            instead of coming back, one the same as stored is unchanged and not written.
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
    by: str = ""
    given_as: Literal["corrections", "defaults"] = "corrections"
    replace_only: bool = False


@dataclass(frozen=True)
class _Given:
    """A source's overrides, resolved once per distinct set.

    ``enrich``: what enrichment applies (nothing when they become corrections);
    ``checked``: the corrections they make (field -> checked value; none for defaults).
    """

    enrich: Given
    checked: dict[str, Value]


@dataclass
class _Job:
    fetched: Fetched
    given: _Given
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
    fetcher = PoliteFetcher(options.fetch, options.delay)
    return run_fetched(kb, gather(items, fetcher, options.crawl), options, on_outcome, on_progress)


def run_fetched(
    kb: KnowledgeBase | ReadOnlyView,
    fetched_items: Iterable[Fetched | Rejected],
    options: IngestOptions,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> Report:
    """``run`` over originals already fetched (a harvest fetches conditionally itself)."""
    report = Report(options.dry_run)
    if isinstance(kb, KnowledgeBase):
        # "unchanged" is judged against the committed state: finish a crashed write first.
        kb.recover()
    batch = _Batch(kb, report, on_outcome, replace(options, by=checked_actor(options.by)))
    givens: dict[Overrides, _Given | ValidationError] = {}
    progress = on_progress or (lambda _location: None)
    inflight: deque[_Job] = deque()
    try:
        _work(kb, fetched_items, options, givens, batch, progress, inflight)
    except KeyboardInterrupt:
        # Stopped (Ctrl-C, kill): what is extracted already is kept, then the run stops; a
        # second interrupt during this commit leaves a journal the next writer finishes.
        for job in inflight:
            if ready(job.result):
                _finish(job, batch)
        batch.commit()
        raise
    batch.commit()
    return report


def _work(
    kb: KnowledgeBase | ReadOnlyView,
    fetched_items: Iterable[Fetched | Rejected],
    options: IngestOptions,
    givens: dict[Overrides, _Given | ValidationError],
    batch: _Batch,
    progress: Callable[[str], None],
    inflight: deque[_Job],
) -> None:
    """Fetch, extract and queue every item for the batch's commits (``inflight``: the jobs
    extracting, or extracted and waiting for their turn)."""
    with pool(options.jobs, options.executor, options.extract, kb.taxonomy) as workers:
        for item in fetched_items:
            prepared = _prepare(item, kb, options, givens, batch.record)
            if prepared is None:
                progress(item.location if isinstance(item, Rejected) else item.source.location)
                continue
            fetched, given, existing = prepared
            if fetched is None:  # same original, new given metadata: no need to extract again
                assert existing is not None
                batch.add(Outcome(existing.source, "updated", document=existing), None, given)
                progress(existing.source)
                continue
            # The stored document keeps the automatic tags (and a source's defaults); values a
            # person gave become corrections.
            if workers is None:
                result: Future[Processed] | Processed = process(
                    fetched, given.enrich, options.extract, kb.taxonomy
                )
            else:
                result = workers.submit(fetched, given.enrich)
            inflight.append(_Job(fetched, given, result))
            # Keep every worker busy but hold few originals in memory.
            while inflight and len(inflight) > 2 * options.jobs - 1:
                progress(_finish(inflight.popleft(), batch))
        while inflight:
            progress(_finish(inflight.popleft(), batch))


def _prepare(
    item: Fetched | Rejected,
    kb: KnowledgeBase | ReadOnlyView,
    options: IngestOptions,
    givens: dict[Overrides, _Given | ValidationError],
    record: Callable[[Outcome], None],
) -> tuple[Fetched | None, _Given, Document | None] | None:
    """Report rejected items and unchanged originals; return what to process for the rest
    (no ``Fetched`` when only the given metadata changed: nothing to extract again)."""
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
            resolved = resolve_overrides(overrides, kb.taxonomy)
            if options.given_as == "defaults":
                givens[overrides] = _Given(resolved, {})
            else:
                givens[overrides] = _Given(NO_GIVEN, given_corrections(resolved))
        except ValidationError as err:
            givens[overrides] = err
    given = givens[overrides]
    if isinstance(given, ValidationError):
        record(Outcome(location, "failed", str(given), "bad-override"))
        return None
    existing = stored(kb, location)
    if (
        existing is not None
        and not options.force
        and existing.content_sha256 == item.sha256
        # A record the index lacks (a crash, a hand-made copy) must be written again, or the
        # document could never be found; the commit decides again under the writer lock.
        # (A hidden, withdrawn document is left out of the index on purpose.)
        and (
            not isinstance(kb, KnowledgeBase)
            or kb.is_indexed(existing.id)
            or kb.curator.is_hidden(existing.id)
        )
    ):
        if curated_as(kb, existing.id, given.checked):
            record(Outcome(location, "unchanged", "", document=existing))
            return None
        return None, given, existing
    return item, given, existing


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
    notes = result.notes
    if result.hub is not None:
        if job.fetched.source.origin == "crawl":
            # Navigation: the crawl has followed its links already; in search it is noise.
            batch.record(Outcome(location, "skipped", result.hub.reason(), LINKS_ONLY))
            return location
        # Named by a person: they asked for it.
        notes += (result.hub.warning(batch.options.dry_run),)
    # added / updated / unchanged is decided at the commit, under the writer lock.
    outcome = Outcome(location, "added", document=result.document, notes=notes)
    batch.add(outcome, job.fetched.data, job.given)
    return location


_CORRECTED = "rättade uppgifter / corrected metadata"
_GONE = "Dokumentet togs bort under inläsningen / removed while ingesting"


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
        self.items: list[tuple[Outcome, bytes | None, _Given]] = []
        self.size = 0
        # A dry run's documents by original: the later ones say "samma innehåll som" the first.
        self.dry_copies: dict[str, list[str]] = {}

    def add(self, outcome: Outcome, data: bytes | None, given: _Given) -> None:
        """Queue a document (``data`` None: the stored one, whose given metadata changed)."""
        if self.options.dry_run:
            assert outcome.document is not None
            existing = stored(self.kb, outcome.source)
            same = curated_as(self.kb, outcome.document.id, given.checked)
            decided = decide(outcome, existing, same, self.options.force, indexed=True)
            preview = preview_of(outcome.document, given.checked, self.options.by, self.kb.taxonomy)
            if decided.status != "unchanged":  # as the commit would say (writer.same_original)
                sha = outcome.document.content_sha256
                run = self.dry_copies.setdefault(sha, [])
                others = {*self.kb.store.sources_of_original(sha), *run}
                run.append(outcome.source)
                notes = (*decided.notes, *map(same_content, sorted(others - {outcome.source})))
                decided = replace(decided, notes=notes)
            self.record(replace(decided, document=preview))
            return
        self.items.append((outcome, data, given))
        self.size += len(data or b"")
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
        with deferred_interrupt():  # Ctrl-C waits: the report then says what the bank holds
            self._write(items)

    def _write(self, items: list[tuple[Outcome, bytes | None, _Given]]) -> None:
        done: list[Outcome] = []
        if not isinstance(self.kb, KnowledgeBase):
            raise TypeError("a read-only view cannot take documents (dry run only)")
        try:
            with self.kb.writer() as writer:
                for outcome, data, given in items:
                    assert outcome.document is not None
                    doc_id = outcome.document.id
                    current = writer.stored(doc_id)
                    indexed = current is not None and (
                        writer.indexed(doc_id) or writer.hidden(doc_id)
                    )
                    same = writer.curated_as(doc_id, given.checked)
                    if data is None:  # the stored original; only the given metadata changed
                        decided = replace(outcome, status="updated", reason=_CORRECTED)
                        if current is None:
                            done.append(Outcome(outcome.source, "failed", _GONE, "removed"))
                            continue
                        if same:
                            decided = replace(outcome, status="unchanged", document=current)
                    elif current is None and self.options.replace_only:
                        done.append(Outcome(outcome.source, "failed", _GONE, "removed"))
                        continue
                    else:
                        decided = decide(outcome, current, same, self.options.force, indexed)
                        again = outcome.document.with_changes(
                            added=current.added if current else ""
                        )
                        if self.options.replace_only and indexed and again == current:
                            # Re-extracted as stored (every field): a write would only churn.
                            decided = replace(outcome, status="unchanged", document=current)
                    if decided.status != "unchanged":
                        doc = outcome.document if current is None or data is not None else current
                        if current is not None and current.added:
                            # A new version keeps the day the document entered the bank.
                            doc = doc.with_changes(added=current.added)
                        try:
                            if given.checked:
                                writer.curate(doc, given.checked, self.options.by)
                            saved = writer.add(doc, data)
                        except KbError as err:
                            done.append(Outcome(outcome.source, "failed", str(err), "store"))
                            continue
                        notes = (*decided.notes, *map(same_content, writer.same_original(saved)))
                        decided = replace(decided, document=saved, notes=notes)
                    done.append(decided)
        except KbError as err:
            for outcome, _, _ in items:
                self.record(Outcome(outcome.source, "failed", str(err), "index"))
            if isinstance(err, DiskFullError):
                raise  # every later commit would fail as well: stop the run
            return
        for outcome in done:
            error = writer.failed.get(outcome.document.id) if outcome.document else None
            if error is not None:
                outcome = Outcome(outcome.source, "failed", str(error), "store")
            self.record(outcome)

    def record(self, outcome: Outcome) -> None:
        """Add ``outcome`` to the report and tell ``on_outcome``, its document as the bank shows
        it (given values laid over); a re-extraction compares the automatic tags and keeps them."""
        doc = outcome.document
        if doc is not None and isinstance(self.kb, KnowledgeBase) and not self.options.replace_only:
            outcome = replace(outcome, document=self.kb.curator.shown(doc))
        self.report.record(outcome)
        if self.on_outcome is not None:
            self.on_outcome(self.report.outcomes[-1])
