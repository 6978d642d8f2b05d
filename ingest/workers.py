"""The workers of `kb ingest --jobs N`: extract, enrich and normalise one original each.

``process`` turns one fetched original into a Document (never raising for bad input). With more
than one job it runs in a pool of spawned processes (or threads). A worker process must not
outlive the ingest that started it, even when that one is killed with ``kill -9``: on Linux the
kernel sends it SIGKILL when its parent dies (PR_SET_PDEATHSIG), and everywhere a watchdog
thread ends it once its parent is gone. ``deferred_interrupt`` holds Ctrl-C and SIGTERM back
while the pipeline commits a batch and reports it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Literal

from ingest.enrich.compose import enrich_extracted
from ingest.errors import IngestError
from ingest.extract.dispatch import ExtractOptions, extract
from ingest.extract.hub import HubMeasure, link_hub
from ingest.media import HTML
from ingest.model import Fetched
from ingest.normalise import Given, build_document
from kb.document import Document
from kb.errors import KbError
from kb.taxonomy.model import Taxonomy

LOG = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1
# How often the watchdog looks for its parent (seconds).
_WATCH_INTERVAL = 0.5
# The taxonomy of a worker process, set once by _init_worker: the enrichment caches its gazetteer
# and keyword matchers per taxonomy object, so sending the taxonomy with every task would rebuild
# them for each document.
_WORKER_TAXONOMY: Taxonomy | None = None


@dataclass(frozen=True)
class Processed:
    """What a worker returns for one original: the document, or why there is none; ``hub``:
    the measure of a web page that is essentially links (the pipeline decides what to do)."""

    document: Document | None
    notes: tuple[str, ...] = ()
    error: IngestError | None = None
    hub: HubMeasure | None = None


def process(
    fetched: Fetched, given: Given, options: ExtractOptions, taxonomy: Taxonomy
) -> Processed:
    """Extract, enrich and normalise one original into a Document (never raises for bad input).

    Args:
        fetched: the original.
        given: its resolved overrides.
        options: extraction options (password, OCR).
        taxonomy: for enrichment.
    """
    source = fetched.source
    try:
        extracted = extract(fetched, options)
        enrichment = enrich_extracted(
            extracted,
            url=source.location if source.kind == "url" else None,
            taxonomy=taxonomy,
            overrides=given,
        )
        document = build_document(fetched, extracted, enrichment, given)
        hub = (
            link_hub(fetched.data)
            if source.kind == "url" and extracted.content_type == HTML
            else None
        )
    except IngestError as err:
        return Processed(None, error=err)
    except KbError as err:  # enrichment refused an override: the person must fix it
        return Processed(None, error=IngestError(str(err), "bad-override"))
    except Exception as err:  # a bug on odd input must cost one document, not the batch
        # The report carries the reason; the traceback only at debug level, never to a user.
        LOG.debug("processing %s failed", source.location, exc_info=True)
        why = f"Internt fel / internal error: {type(err).__name__}: {str(err)[:200]}"
        return Processed(None, error=IngestError(why, "internal"))
    return Processed(document, extracted.notes, hub=hub if hub and hub.is_hub else None)


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` (the process that started it) dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        # Also where prctl does not exist; a dead parent's child is adopted (ppid changes).
        while os.getppid() == parent:
            threading.Event().wait(_WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _init_worker(taxonomy: Taxonomy, pypdf_level: int, parent: int) -> None:
    global _WORKER_TAXONOMY
    die_with_parent(parent)
    # Ctrl-C reaches the terminal's whole process group: the parent stops the run and keeps
    # what is done; a worker would only print a traceback for the wait it was in.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_TAXONOMY = taxonomy
    # A spawned worker starts with default logging; keep pypdf as quiet as the parent made it.
    logging.getLogger("pypdf").setLevel(pypdf_level)


def _process_in_worker(fetched: Fetched, given: Given, options: ExtractOptions) -> Processed:
    assert _WORKER_TAXONOMY is not None, "worker started without _init_worker"
    return process(fetched, given, options, _WORKER_TAXONOMY)


class Pool:
    """The workers, started on the first document that needs them (a re-run where everything is
    unchanged starts none)."""

    def __init__(
        self,
        jobs: int,
        kind: Literal["process", "thread"],
        options: ExtractOptions,
        taxonomy: Taxonomy,
    ) -> None:
        self.jobs = jobs
        self.kind = kind
        self.options = options
        self.taxonomy = taxonomy
        self.executor: Executor | None = None

    def submit(self, fetched: Fetched, given: Given) -> Future[Processed]:
        if self.kind == "thread":
            if self.executor is None:
                self.executor = ThreadPoolExecutor(max_workers=self.jobs)
            return self.executor.submit(process, fetched, given, self.options, self.taxonomy)
        if self.executor is None:
            # spawn, not fork: a worker must not inherit this process's threads (the executor's
            # own, a web server's) in an undefined state; forkserver would need a Unix socket.
            self.executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(
                    self.taxonomy,
                    logging.getLogger("pypdf").getEffectiveLevel(),
                    os.getpid(),
                ),
            )
        return self.executor.submit(_process_in_worker, fetched, given, self.options)

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def pool(
    jobs: int, kind: Literal["process", "thread"], options: ExtractOptions, taxonomy: Taxonomy
) -> Iterator[Pool | None]:
    """A pool of ``jobs`` workers, or None for one job (everything in this thread)."""
    if jobs <= 1:
        yield None
        return
    workers = Pool(jobs, kind, options, taxonomy)
    try:
        yield workers
    finally:
        workers.shutdown()


def ready(result: Future[Processed] | Processed) -> bool:
    """Whether a job's result is in hand: processed in this thread, or a worker's that finished
    (not one cancelled or failed when the run was stopped: it is read again next time)."""
    if not isinstance(result, Future):
        return True
    return result.done() and not result.cancelled() and result.exception(0) is None


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM back for the block, then raise KeyboardInterrupt: a
    batch's commit and the report of it finish together, so a stopped run reports every
    document it committed. A second signal interrupts at once (the commit stays crash-safe).
    Outside the main thread signals cannot be handled there and nothing is held back."""
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        if caught:
            raise KeyboardInterrupt
        caught.append(signum)

    try:
        previous = {s: signal.signal(s, hold) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread (a caller running the pipeline in a thread)
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if caught:
        raise KeyboardInterrupt
