"""A small bounded cache of finished markup, one per app, emptied when its sources change.

The results page builds the same pieces again and again: a hit shown on many pages (the same
search sorted another way, filtered, asked again) and the facet lists of a search asked again.
Each piece is kept under a key that holds everything its markup is made of (the hit or the
options themselves, the language, the link base...), so two keys that are equal give the same
markup. What a key cannot hold cheaply (the index generation's set of linkable values, the
KnowledgeBase) is the cache's ``token``: objects compared by identity, and a different token
empties the cache, so markup made for one index generation is never shown for another.

Least recently used entries go first; ``max_entries`` bounds the memory (docs/benchmarks.md has
the sizes). Thread-safe: waitress serves requests on several threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from flask import Flask, current_app, has_app_context

V = TypeVar("V")


class Same:
    """A key part that is equal only to the very same object kept elsewhere (the facet lists of a
    cached view, the result kb answered with). It holds the object, so its id is never reused
    while the key lives."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj


class _Hashed:
    """A key with its hash worked out once: a hit's or a search's facet values are hashed field by
    field, and a miss would hash them twice (look-up, then keep)."""

    __slots__ = ("hash", "key")

    def __init__(self, key: Hashable) -> None:
        self.key = key
        self.hash = hash(key)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Hashed) and other.hash == self.hash and other.key == self.key


class MarkupCache:
    """Values (markup, or what markup is made from) by key for one token (a tuple of objects
    compared by identity), LRU-bounded. Kept values are never changed by their readers."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max(int(max_entries), 0)
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        # Held by reference, so a new generation's objects can never pass for the old ones.
        self._token: tuple[object, ...] = ()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_make(self, token: Sequence[object], key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key`` under ``token``, else ``make()``'s, kept. A key that cannot
        be hashed (a caller's own object) is never kept. Two threads that miss at once both
        make it; both values are right and one is kept."""
        if not self.max_entries:
            return make()
        try:
            hashed = _Hashed(key)
        except TypeError:
            return make()
        value = self.get(token, hashed)
        if value is None:
            value = make()
            self.put(token, hashed, value)
        return cast(V, value)

    def get(self, token: Sequence[object], key: Hashable) -> Any:
        """The value kept for ``key`` under ``token``, or None."""
        with self._lock:
            if not self._same(token):
                return None
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, token: Sequence[object], key: Hashable, value: object) -> None:
        """Keep ``value`` for ``key``; a new ``token`` first empties the cache."""
        if not self.max_entries:
            return
        with self._lock:
            if not self._same(token):
                self._entries.clear()
                self._token = tuple(token)
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _same(self, token: Sequence[object]) -> bool:
        return len(token) == len(self._token) and all(
            a is b for a, b in zip(token, self._token, strict=True)
        )


def app_cache(name: str) -> MarkupCache:
    """The current app's cache ``name`` (made by ``install``)."""
    cache: MarkupCache = current_app.extensions[f"markup_cache.{name}"]
    return cache


def app_cache_or_none(name: str) -> MarkupCache | None:
    """The current app's cache ``name``; None outside an app or when it has none."""
    if not has_app_context():
        return None
    cache: MarkupCache | None = current_app.extensions.get(f"markup_cache.{name}")
    return cache


def install(app: Flask, name: str, max_entries: int) -> None:
    """Give ``app`` its own cache ``name``: apps over different data never share markup."""
    app.extensions[f"markup_cache.{name}"] = MarkupCache(max_entries)
