"""The completion tables of the current index generation, shared by every thread of a process.

Building the tables (kb.search.suggest.Suggester) takes seconds at 100,000 documents, so they are
built once per index generation and kept: after a commit the previous generation's tables go on
answering while one background thread builds the new ones, and their stale word counts are
recounted live (kb.search.livecount). ``kb serve`` builds them before its workers fork, so the
first officer who types does not wait and the workers share them copy-on-write. The spelling
suggestion's table (kb.search.spell_table) is built with them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial

from kb.facets.registry import FacetRegistry
from kb.search.engine import SearchContext, scope_mask
from kb.search.livecount import live_counter
from kb.search.request import SearchRequest
from kb.search.spell_table import spell_table
from kb.search.suggest import SPELL_FIELD, Suggester, Suggestion
from kb.search.suggest_scope import SuggestScope
from kb.taxonomy.model import Taxonomy

_log = logging.getLogger(__name__)

Generation = tuple[str, int]


class SuggestTables:
    """One generation's Suggester at a time, built at most once, rebuilt in the background."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        facets: FacetRegistry,
        own_context: Callable[[], AbstractContextManager[SearchContext]],
    ) -> None:
        """``own_context`` opens a context with a searcher of its own, for the background build
        (a Whoosh reader must not be shared between threads)."""
        self._taxonomy = taxonomy
        self._facets = facets
        self._own_context = own_context
        self._tables: dict[Generation, Suggester] = {}
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._building: Generation | None = None

    def suggest(
        self,
        ctx: SearchContext,
        prefix: str,
        limit: int,
        label: Callable[[str, str], str] | None,
        scope: SearchRequest | None = None,
    ) -> list[Suggestion]:
        """Completions of ``prefix`` from the tables of ``ctx``'s generation, or from the
        previous generation's while the new ones are built; within ``scope``'s filters (its
        query is not read) when given."""
        key = ctx.snapshot.generation
        with self._lock:
            current = self._tables.get(key)
            previous = next(iter(self._tables.values()), None)
            start = current is None and previous is not None and self._building != key
            if start:
                self._building = key
        counter = live_counter(ctx.snapshot)
        count = partial(counter.count, ctx.searcher, SPELL_FIELD, originals=True)
        recount = None if counter.exact_originals else count
        if current is not None:
            return current.suggest(prefix, limit, label, recount, _scope(ctx, scope, True))
        if previous is not None:
            if start:
                threading.Thread(target=self._build_in_background, args=(key,), daemon=True).start()
            return previous.suggest(prefix, limit, label, count, _scope(ctx, scope, False))
        return self._build(ctx).suggest(prefix, limit, label, recount, _scope(ctx, scope, True))

    def prepare(self, ctx: SearchContext) -> None:
        """Build the tables of ``ctx``'s generation now, the spelling table ("Menade du",
        kb.search.spell_table) too, so forked workers share it."""
        self._build(ctx)
        spell_table(ctx.searcher, ctx.snapshot.generation, SPELL_FIELD)

    def _build_in_background(self, key: Generation) -> None:
        try:
            with self._own_context() as ctx:
                self._build(ctx)
                spell_table(ctx.searcher, ctx.snapshot.generation, SPELL_FIELD)
        except Exception:  # the bank closed under the build (a shutdown, a
            # server's close_readers before it forks): the tables are a cache, and the next
            # request that needs them builds them; a thread's traceback would only alarm.
            _log.debug("suggestion tables not built in the background", exc_info=True)
        finally:
            with self._lock:  # a later generation's build may have started meanwhile
                if self._building == key:
                    self._building = None

    def _build(self, ctx: SearchContext) -> Suggester:
        key = ctx.snapshot.generation
        with self._build_lock:  # one build at a time; a waiting caller reuses it
            built = self._tables.get(key)
            if built is None:
                built = Suggester.build(ctx.searcher, ctx.snapshot, self._taxonomy, self._facets)
                with self._lock:
                    self._tables = {key: built}
        return built


def _scope(
    ctx: SearchContext, scope: SearchRequest | None, same_generation: bool
) -> SuggestScope | None:
    """The documents ``scope``'s filters allow (None: no filter, every document)."""
    if scope is None:
        return None
    bare = SearchRequest(filters=scope.filters, year_from=scope.year_from, year_to=scope.year_to)
    filtered = frozenset(f for f, values in bare.filters.items() if values)
    if not filtered and bare.year_from is None and bare.year_to is None:
        return None
    mask = scope_mask(ctx, bare)
    return SuggestScope(ctx.snapshot, ctx.searcher, mask, filtered, same_generation)
