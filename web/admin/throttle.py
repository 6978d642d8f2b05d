"""Login throttling: a growing wait after repeated failed logins, per account name and per client.

After ``free`` failures under one key (the account name typed, or the client address) each further
failure doubles the wait before the next attempt is even checked (1 s, 2 s, 4 s ... up to
``max_wait``). A success clears the name's count; failures are forgotten ``forget_after`` seconds
after the last one. Counted in memory per server process (like the request limits): with
``kb serve --workers N`` an attacker gets N times the attempts, still a growing delay on each.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Failures:
    count: int
    last: float


class LoginThrottle:
    """Failed-login bookkeeping.

    Args:
        free: failures allowed before any wait.
        base: the first wait in seconds; each further failure doubles it.
        max_wait: the longest wait.
        forget_after: seconds after the last failure when a key's count is dropped.
        clock: injectable for tests.
    """

    def __init__(
        self,
        free: int = 3,
        base: float = 1.0,
        max_wait: float = 300.0,
        forget_after: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = free
        self.base = base
        self.max_wait = max_wait
        self.forget_after = forget_after
        self._clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(name: str, client: str) -> tuple[str, str]:
        """The keys one attempt counts under: the account name and the client address."""
        return (f"name:{name.strip().lower()}", f"client:{client}")

    def wait_for(self, *keys: str) -> int:
        """Whole seconds until an attempt under ``keys`` may be checked (0: now)."""
        now = self._clock()
        with self._lock:
            waits = [self._remaining(key, now) for key in keys]
        return math.ceil(max(waits, default=0.0))

    def failed(self, *keys: str) -> None:
        """Count one failed attempt under each of ``keys``."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            for key in keys:
                entry = self._failures.get(key)
                if entry is None or now - entry.last > self.forget_after:
                    self._failures[key] = _Failures(1, now)
                else:
                    entry.count += 1
                    entry.last = now

    def succeeded(self, *keys: str) -> None:
        """Clear the counts of ``keys`` (a correct password proves the name's owner)."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def delay_after(self, count: int) -> float:
        """The wait after ``count`` failures."""
        over = count - self.free - 1
        if over < 0:
            return 0.0
        return float(min(self.max_wait, self.base * 2**over))

    def _remaining(self, key: str, now: float) -> float:
        entry = self._failures.get(key)
        if entry is None or now - entry.last > self.forget_after:
            return 0.0
        return max(0.0, entry.last + self.delay_after(entry.count) - now)

    def _prune(self, now: float) -> None:
        # Bounded memory: a scan of addresses or names must not grow the table forever.
        if len(self._failures) < 10_000:
            return
        stale = [k for k, v in self._failures.items() if now - v.last > self.forget_after]
        for key in stale:
            del self._failures[key]
        if len(self._failures) >= 10_000:
            oldest = sorted(self._failures, key=lambda k: self._failures[k].last)[:5_000]
            for key in oldest:
                del self._failures[key]
