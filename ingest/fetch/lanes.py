"""Per-host lanes: the sources of different hosts are fetched at once, each host's in order.

A host that answers slowly, or trickles until its download deadline, holds up only its own lane:
the other hosts' documents go on to extraction meanwhile. Within a lane the order of the input is
kept, so politeness towards one host (its delay, its robots.txt) is unchanged. Local files and
rejected inputs form one lane of their own, read first. Results wait in a small bounded queue,
so at most a few originals are held in memory whatever the number of lanes. Imports the standard
library only.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

S = TypeVar("S")
R = TypeVar("R")
_DONE = object()  # a lane has finished


def in_lanes(
    items: Iterable[S], lane_of: Callable[[S], str], work: Callable[[S], Iterable[R]], lanes: int
) -> Iterator[R]:
    """Yield the results of ``work(item)`` for every item, running up to ``lanes`` lanes at once.

    Items with the same ``lane_of`` key are worked in input order in one lane; results are
    yielded as they come. The lane "" (local files) runs first, in the calling thread, so a
    batch of files is read and committed in order as before. An exception in a lane is raised
    here. With ``lanes`` 1 everything runs in the calling thread, in input order.
    """
    grouped: dict[str, list[S]] = {}
    for item in items:
        grouped.setdefault(lane_of(item), []).append(item)
    for item in grouped.pop("", []) if lanes > 1 else ():
        yield from work(item)
    if lanes <= 1 or len(grouped) <= 1:
        for group in grouped.values():
            for item in group:
                yield from work(item)
        return
    results: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=2 * lanes)
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                results.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the reader has gone: drop the rest of this lane

    def run(group: list[S]) -> None:
        try:
            for item in group:
                for result in work(item):
                    if not put((False, result)):
                        return
        except BaseException as err:  # raised again in the reading thread
            put((True, err))
        finally:
            put((False, _DONE))

    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="kb-fetch") as pool:
        for group in grouped.values():
            pool.submit(run, group)
        remaining = len(grouped)
        try:
            while remaining:
                failed, value = results.get()
                if value is _DONE:
                    remaining -= 1
                elif failed:
                    assert isinstance(value, BaseException)
                    raise value
                else:
                    yield value  # type: ignore[misc]
        finally:
            stop.set()
