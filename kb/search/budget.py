"""What one search may cost: a time budget and a cap on the words wildcards expand to.

KnowledgeBase.search runs the engine inside ``limits(...)`` (a context variable, so each server
thread has its own). The scorer calls ``check_time()`` before reading each term's postings, so a
search past its budget stops within one term's work with QueryTooSlowError, a clear message
(a 400 in the web, one line in the CLI) rather than a slow answer that holds a thread for
everyone. ``prefix_cap`` shares the total expansions among the prefixes of a query: ``a* OR b*
OR ...`` with 32 prefixes gets a few of the most common words per prefix, not 64 each.
Outside ``limits`` (benchmarks, similarity) nothing is limited.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from kb.errors import ValidationError
from kb.search.query import AllOf, AnyOf, Node, Prefix


class QueryTooSlowError(ValidationError):
    """A search ran past its time budget and was stopped."""


@dataclass(frozen=True)
class Limits:
    seconds: float
    deadline: float
    max_expansions: int


_LIMITS: ContextVar[Limits | None] = ContextVar("kb_search_limits", default=None)


@contextmanager
def limits(seconds: float, max_expansions: int) -> Iterator[None]:
    """Limit the searches run inside: ``seconds`` of wall time (0: none), ``max_expansions``
    words in total for all the wildcards of one query."""
    deadline = time.monotonic() + seconds if seconds > 0 else float("inf")
    token = _LIMITS.set(Limits(seconds, deadline, max(max_expansions, 1)))
    try:
        yield
    finally:
        _LIMITS.reset(token)


def check_time() -> None:
    """Raise QueryTooSlowError when the current search is past its time budget."""
    lim = _LIMITS.get()
    if lim is not None and time.monotonic() > lim.deadline:
        raise QueryTooSlowError(
            f"Sökningen tog längre än {lim.seconds:g} s och avbröts: använd färre ord eller "
            f"jokertecken (*) / the search took longer than {lim.seconds:g} s and was stopped: "
            "use fewer words or wildcards"
        )


def prefix_cap(root: Node, per_prefix: int) -> int:
    """How many words each prefix of ``root`` may expand to (``per_prefix`` at most)."""
    lim = _LIMITS.get()
    if lim is None:
        return per_prefix
    return max(1, min(per_prefix, lim.max_expansions // max(_count_prefixes(root), 1)))


def _count_prefixes(node: Node) -> int:
    if isinstance(node, Prefix):
        return 1
    if isinstance(node, AnyOf):
        return sum(_count_prefixes(c) for c in node.children)
    if isinstance(node, AllOf):
        return sum(_count_prefixes(c) for c in (*node.must, *node.must_not))
    return 0
