"""Spread keep-alive connections evenly over the `kb serve --workers N` processes.

The workers share one listening socket and the kernel gives each new connection to whichever
worker's accept() comes first. A connection then stays with that worker for as long as the client
keeps it alive, so a burst of connections taken mostly by one worker leaves the other core idle
for as long as they last: ten keep-alive clients measured 11.7 s of CPU on one worker against
2.9 s on the other, one core's worth of pages on two cores (docs/benchmarks.md, "Results page,
pages never asked, 2026-12-07").

Each worker writes how many connections it holds (and when it last looked) into a small table
the workers share (an anonymous shared mmap made before the fork), and listens for new ones only
while it holds no more than the fewest of any live worker. Someone always listens: the worker(s)
holding the fewest. A worker that has not looked for ``STALE_AFTER`` seconds (dead, or stuck with
its event loop not running) does not count, so it never keeps the others from accepting; a worker
that is replaced starts again from nothing. Connections are weighed the same whether idle or busy:
the point is that no worker takes a share much larger than the others'.
"""

from __future__ import annotations

import mmap
import struct
import time
from collections.abc import Callable
from typing import Any

# How often a worker's event loop wakes with nothing to do (waitress waits 1 s): a worker that
# stopped listening learns within this that it holds the fewest again. Its own requests wake it
# sooner; with every connection idle, a 1 s wait was seen as 1-2 s stalls of a new connection.
RECHECK_EVERY = 0.02
# A worker that has not looked for this long is dead or stuck.
STALE_AFTER = 3.0
_SLOT = struct.Struct("qd")  # connections held, time.monotonic() when last written


class ConnectionTable:
    """Connections held per worker slot, in memory shared by the forked workers."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._mem = mmap.mmap(-1, _SLOT.size * slots)

    def write(self, slot: int, connections: int) -> None:
        _SLOT.pack_into(self._mem, slot * _SLOT.size, connections, time.monotonic())

    def clear(self, slot: int) -> None:
        """Forget a slot's worker (it exited): it counts again once its successor writes."""
        _SLOT.pack_into(self._mem, slot * _SLOT.size, 0, 0.0)

    def fewest(self, now: float) -> int | None:
        """The fewest connections a live worker holds, None when no worker has written lately."""
        counts = [
            held
            for held, seen in _SLOT.iter_unpack(self._mem)
            if now - seen <= STALE_AFTER  # a dead or stuck worker's count never gates the others
        ]
        return min(counts) if counts else None

    def may_accept(self, slot: int, connections: int) -> bool:
        """Record ``connections`` for ``slot``; whether that worker should accept more now."""
        now = time.monotonic()
        self.write(slot, connections)
        fewest = self.fewest(now)
        return fewest is None or connections <= fewest


def balance_accepts(server: Any, table: ConnectionTable, slot: int) -> None:
    """Make waitress ``server`` (in a forked worker) listen only while it holds the fewest
    connections of the workers in ``table``.

    asyncore asks ``readable()`` of the listening dispatcher before every wait, so the check
    costs a few struct unpacks per loop; the map holds the listener and the wake-up pipe besides
    the connections, the same two in every worker, so its size compares as well as a count.
    """
    readable: Callable[[], bool] = server.readable
    connections: Callable[[], int] = server._map.__len__

    def balanced_readable() -> bool:
        # waitress' own check first: it also closes idle channels and keeps the connection limit.
        listening = readable()
        return table.may_accept(slot, connections()) and listening

    server.readable = balanced_readable
    # waitress reads this as an int setting; asyncore's select takes any number of seconds.
    server.adj.asyncore_loop_timeout = RECHECK_EVERY
