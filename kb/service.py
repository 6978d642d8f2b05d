"""KnowledgeBase: the facade the CLI, the pages and the API use (search, documents, writing).

Owns the store of originals, the index folder and, per thread, a Whoosh searcher (Whoosh readers
must not be shared between threads). A searcher is replaced, never ``refresh()``ed (that returns
stale documents in every Whoosh fork), when a commit or rebuild is seen; the numpy snapshot of a
generation is built once and shared by all threads.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher

from kb.analysis import analyzer as analysis
from kb.analysis.termkeys import key_patterns
from kb.config import Settings
from kb.curation.curator import Curator
from kb.curation.files import CurationStore
from kb.document import Document
from kb.errors import ConfigError, IndexError_, NotFoundError
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.index.builds import IndexStore
from kb.index.check import Difference, differences
from kb.index.check import repair as check_repair
from kb.index.commit import commit, finish_journal
from kb.index.rebuild import LiveReindex, Progress, ReindexReport
from kb.index.store import Store
from kb.query_stats import QueryStats, stats_path
from kb.search.budget import limits
from kb.search.compare import Comparison, chosen_rows, compare
from kb.search.copies import addresses
from kb.search.engine import Analysis, SearchContext, run_search
from kb.search.request import SearchRequest
from kb.search.result_cache import ResultCache, request_key
from kb.search.results import Hit, SearchResult
from kb.search.similar import related_hits
from kb.search.snapshot import Snapshot
from kb.search.suggest import Suggestion
from kb.search.suggest_tables import SuggestTables
from kb.search.thesaurus import ThesaurusFile
from kb.taxonomy.model import Taxonomy
from kb.writer import KbWriter

# A reindex waits this long for an ingest's commit before its short locked steps: giving up
# would throw away the build (it is kept, and the next `kb reindex` resumes it, but still).
REINDEX_LOCK_WAIT = 300.0

ANALYSIS = Analysis(
    analysis.query_terms,
    analysis.index_terms,
    analysis.tokenize_with_offsets,
    analysis.compound_parts,
    analysis.variant_terms,
    key_patterns,
)


class KnowledgeBase:
    """The knowledge base in one data folder. Thread-safe for searching.

    ``facets`` is the facet registry every part of the service reads (kb.facets.registry).
    """

    def __init__(
        self,
        settings: Settings,
        taxonomy: Taxonomy | None = None,
        facets: FacetRegistry = DEFAULT_FACETS,
    ) -> None:
        self.settings = settings
        self.taxonomy = taxonomy or Taxonomy.load(settings.taxonomy_dir)
        self.facets = facets
        self.store = Store(settings.store_dir)
        # The index holds each stored document with its corrections laid over it (kb.curation).
        self.index = IndexStore(
            settings.index_dir, facets=facets, prepare=lambda doc: self.curator.indexed_form(doc)
        )
        self.curator = Curator(
            self.store, CurationStore(settings.curation_dir), self.index, self.taxonomy, self.locked
        )
        self._local = threading.local()
        self._probe: tuple[str, Searcher] | None = None
        self._probe_lock = threading.Lock()
        self._open_searchers: set[Searcher] = set()
        self._searchers_lock = threading.Lock()
        self._snapshots: dict[tuple[str, int], Snapshot] = {}
        self._snap_lock = threading.Lock()
        self.suggestions = SuggestTables(self.taxonomy, facets, self._own_context)
        self._indexed_values: dict[tuple[tuple[str, int], str], frozenset[str]] = {}
        # Roll-ups read from the taxonomy at open time: editing a region needs no reindex.
        self._rollups = facets.rollups(self.taxonomy)
        self._children = facets.children(self.taxonomy)
        # Re-read when the file changes; a bad edit keeps the previous rules (thesaurus.error).
        self.thesaurus = ThesaurusFile(settings.thesaurus_path)
        # Results of this index generation for the same search asked again (result_cache).
        self.results = ResultCache(settings.result_cache_entries)
        # What officers searched for and did not find (kb.query_stats); the web records it.
        self.query_stats = QueryStats(
            stats_path(settings.data_dir), retention_days=settings.query_stats_days
        )

    @classmethod
    def open(
        cls,
        settings: Settings | Path | str,
        taxonomy: Taxonomy | None = None,
        facets: FacetRegistry = DEFAULT_FACETS,
    ) -> KnowledgeBase:
        """Open (creating when missing) the knowledge base of ``settings`` or a data folder."""
        if not isinstance(settings, Settings):
            settings = Settings.from_env(data_dir=Path(settings))
        try:
            return cls(settings, taxonomy, facets)
        except OSError as err:  # a parent that is a file, no permission: one line, no traceback
            where = f"{settings.data_dir}: {err.strerror or err}"
            raise ConfigError(
                f"Datamappen kan inte användas / data folder unusable: {where}"
            ) from err

    # -- reading ------------------------------------------------------------------

    def _context(self) -> SearchContext:
        local = self._local
        build = self.index.current_dir().name
        searcher: Searcher | None = getattr(local, "searcher", None)
        if searcher is None or local.build != build or not searcher.up_to_date():
            if searcher is not None:
                self._forget(searcher)
            ix = self.index.open()
            try:
                searcher = ix.searcher()
            except Exception as err:  # a damaged segment fails only here, as whoosh's own types
                ix.close()
                raise IndexError_(f"Kunde inte läsa indexet: {err}; kör `kb reindex`") from err
            with self._searchers_lock:
                self._open_searchers.add(searcher)
            local.searcher, local.build = searcher, build
        key = (build, int(searcher.reader().generation() or 0))
        snap = self._snapshots.get(key)
        if snap is None:
            with self._snap_lock:
                snap = self._snapshots.get(key)
                if snap is None:
                    snap = Snapshot.build(
                        searcher,
                        key,
                        self._rollups,
                        facets=self.facets,
                        folder=self.index.index_dir / build,
                    )
                    # Keep the newest two: a thread may still finish a request on the previous one.
                    self._snapshots = {k: v for k, v in self._snapshots.items() if k[0] == build}
                    while len(self._snapshots) > 1:
                        self._snapshots.pop(min(self._snapshots, key=lambda k: k[1]))
                    self._snapshots[key] = snap
        expansions = self.thesaurus.compiled(ANALYSIS.query_terms)
        return SearchContext(
            searcher, snap, self.taxonomy, ANALYSIS, self.facets, self._children, expansions
        )

    def search(
        self,
        request: SearchRequest,
        facets: bool = True,
        snippets: bool = True,
        did_you_mean: bool = True,
    ) -> SearchResult:
        """The one search function (kb.search.engine), answered again from the kept results
        (kb.search.result_cache); ``facets=False`` skips the counts, ``snippets=False`` the
        snippets, ``did_you_mean=False`` the "Menade du". Within the time budget and wildcard cap
        (kb.search.budget): QueryTooSlowError."""
        ctx = self._context()  # a new snapshot after a commit is not this query's cost
        key = request_key(request, facets, snippets, did_you_mean)

        def compute() -> SearchResult:
            with limits(self.settings.query_time_budget, self.settings.max_wildcard_expansions):
                return run_search(ctx, request, facets, snippets, did_you_mean)

        return self.results.get_or_compute(ctx.snapshot.generation, ctx.expansions, key, compute)

    def compare(
        self,
        request: SearchRequest,
        regions: Sequence[str] = (),
        municipalities: Sequence[str] = (),
        on: date | None = None,
    ) -> Comparison:
        """Documents per focus area per municipality of the regions and municipalities given,
        within ``request``'s query and other filters (kb.search.compare)."""
        rows = chosen_rows(self.taxonomy, regions, municipalities, on)
        ctx = self._context()
        with limits(self.settings.query_time_budget, self.settings.max_wildcard_expansions):
            return compare(ctx, request, rows, regions=regions, on=on)

    def suggest(
        self,
        prefix: str,
        limit: int = 8,
        label: Callable[[str, str], str] | None = None,
        scope: SearchRequest | None = None,
    ) -> list[Suggestion]:
        """Completions of ``prefix`` (kb.search.suggest_tables), within ``scope``'s filters."""
        return self.suggestions.suggest(self._context(), prefix, limit, label, scope)

    def prepare_suggestions(self) -> None:
        """Build the completion tables now (``kb serve`` calls it before listening), so the
        first officer who types does not wait for them and forked workers share them."""
        self.suggestions.prepare(self._context())

    @contextlib.contextmanager
    def _own_context(self) -> Iterator[SearchContext]:
        # Its own searcher: a Whoosh reader must not be shared with the request's thread.
        ctx = self._context()
        try:
            yield ctx
        finally:
            self._local.searcher = None
            self._forget(ctx.searcher)

    def indexed_values(self, facet_id: str) -> frozenset[str]:
        """Every value of the facet ``facet_id`` some document holds (a link to the search
        filtered on one of them finds it). Cached per index generation."""
        snapshot = self._context().snapshot
        key = (snapshot.generation, facet_id)
        values = self._indexed_values.get(key)
        if values is None:
            table = snapshot.facets.get(facet_id)
            values = frozenset(table.values) if table is not None else frozenset()
            if any(k[0] != snapshot.generation for k in self._indexed_values):
                self._indexed_values = {}
            self._indexed_values[key] = values
        return values

    def document(self, doc_id: str) -> Document:
        """The document ``doc_id`` as shown: its curated corrections over the automatic tags
        (NotFoundError when unknown; ``curator.automatic`` gives it without corrections)."""
        return self.curator.shown(self.store.load(doc_id))

    def original_path(self, doc_id: str) -> Path:
        """The kept copy of the original of ``doc_id``."""
        path = self.store.blob_path(self.document(doc_id).content_sha256)
        if not path.exists():
            raise NotFoundError(f"Originalet till {doc_id} finns inte i arkivet")
        return path

    def also_at(self, doc_id: str) -> tuple[tuple[str, str], ...]:
        """(address, id) of the other documents holding the same original as ``doc_id`` (the
        same file published elsewhere, kb.search.copies); () when none or not indexed."""
        ctx = self._context()
        docnum = ctx.searcher.document_number(id=doc_id)
        if docnum is None or not ctx.snapshot.copies:
            return ()
        return addresses(ctx.searcher, ctx.snapshot.copies.others(docnum))

    def related(self, doc_id: str, limit: int = 5) -> tuple[tuple[Hit, ...], tuple[Hit, ...]]:
        """(similar, other municipalities) for a document page: no document in both lists."""
        return related_hits(self._context(), self.document(doc_id), limit)

    def stats(self) -> dict[str, Any]:
        """Document counts overall and per facet value, index size and the store size."""
        result = self.search(SearchRequest(page_size=1))
        index_bytes = sum(
            p.stat().st_size for p in self.index.current_dir().glob("*") if p.is_file()
        )
        snapshot = self._context().snapshot
        return {
            # Every indexed address: a search counts one original under two addresses once,
            # as "originals" does.
            "documents": snapshot.live_count,
            "originals": snapshot.live_count - snapshot.copies.extra,
            "stored_documents": len(self.store),
            "index_dir": str(self.index.current_dir()),
            "index_bytes": index_bytes,
            "facets": {k: {v.value: v.count for v in vs} for k, vs in result.facets.items()},
        }

    # -- writing ------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the one writer lock and finish any write a crash left (kb.index.commit)."""
        wait = self.settings.writer_timeout if timeout is None else timeout
        with self.index.write_lock(wait):
            finish_journal(self.index, self.store)
            yield

    def recover(self) -> None:
        """Finish a write a crash left unfinished, if any (waits for the writer lock)."""
        with self.locked():
            pass

    @contextlib.contextmanager
    def writer(self, timeout: float | None = None) -> Iterator[KbWriter]:
        """The single writer: store and index change together when the block ends normally,
        not at all when it raises."""
        with self.locked(timeout):
            kw = KbWriter(self.store, self.index, self.curator)
            try:
                yield kw
            finally:
                kw.close()
            commit(self.index, self.store, kw.changes)

    def reindex(self, procs: int = 1) -> int:
        """Rebuild the index from the kept records (see ``reindex_live``); the count indexed."""
        return self.reindex_live(procs).documents

    def reindex_live(
        self, procs: int = 1, progress: Progress | None = None, fresh: bool = False
    ) -> ReindexReport:
        """Rebuild the index from the kept originals' records alone, beside the live one, and
        swap it in (kb.index.rebuild). Searches, ingests and removals go on meanwhile; an
        interrupted reindex is resumed unless ``fresh``. ``progress(done, total)`` is called
        as documents are written."""
        wait = max(self.settings.writer_timeout, REINDEX_LOCK_WAIT)
        run = LiveReindex(
            self.index,
            self.store,
            lambda: self.locked(wait),
            procs=procs,
            checkpoint_docs=self.settings.reindex_checkpoint_docs,
            progress=progress,
        )
        # Searchers notice the new build on their next request and swap to it.
        return run.run(fresh=fresh)

    def check(self, repair: bool = False) -> tuple[list[Difference], list[Difference]]:
        """The differences between the store and the index, and those left after a ``repair``
        (without one, the same list twice)."""
        with self.index.write_lock(self.settings.writer_timeout):
            found = differences(self.index, self.store)
            if not repair or not found:
                return found, found
            check_repair(self.index, self.store, found)
            return found, differences(self.index, self.store)

    def is_indexed(self, doc_id: str) -> bool:
        """Whether the live index holds ``doc_id`` (ingest's "unchanged" needs both halves)."""
        with self._probe_lock:
            probe, build = self._probe, self.index.current_dir().name
            if probe is None or probe[0] != build or not probe[1].up_to_date():
                if probe is not None:
                    probe[1].close()
                ix = self.index.open()
                probe = (build, ix.searcher())
                self._probe = probe
            return probe[1].document_number(id=doc_id) is not None

    def _forget(self, searcher: Searcher) -> None:
        # close_readers may have taken and closed it already (a background build of the
        # suggestion tables still holding it when the bank closes): close it only once.
        with self._searchers_lock:
            owned = searcher in self._open_searchers
            self._open_searchers.discard(searcher)
        if owned:
            searcher.close()

    def close_readers(self) -> None:
        """Close every open searcher but keep the numpy snapshots (call when no request runs).

        Before a server forks its workers: open files (the searchers', the query statistics')
        must not be shared across processes, while the snapshot arrays are read-only and shared
        copy-on-write.
        """
        with self._probe_lock:
            if self._probe is not None:
                self._probe[1].close()
                self._probe = None
        with self._searchers_lock:
            searchers, self._open_searchers = self._open_searchers, set()
        for searcher in searchers:
            searcher.close()
        self._local = threading.local()
        self.query_stats.close()

    def close(self) -> None:
        """Close every searcher, drop the snapshots and the kept results (no request running)."""
        self.close_readers()
        with self._snap_lock:
            self._snapshots.clear()
        self.results.clear()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def destroy_index(self) -> None:
        """Delete the index folder (the store is kept); used by tests and `kb reindex --clean`."""
        self.close()
        shutil.rmtree(self.index.index_dir, ignore_errors=True)
