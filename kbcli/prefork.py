"""Several waitress processes on one listening socket, so `kb serve --workers N` uses N cores.

One Python process serves one core's worth of pages (the GIL), so on a 2-core machine the second
core idles while requests queue. The parent binds the socket, then forks the workers: the kernel
hands each new connection to one of them. Each worker opens its own index readers after the fork
(open files must not share offsets between processes) and shares the parent's read-only memory,
the Swedish lexicon among it, copy-on-write. A worker that dies is replaced; Ctrl+C or SIGTERM to
the parent stops them all.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from typing import Any

from waitress.server import create_server

from kbcli.balance import ConnectionTable, balance_accepts

log = logging.getLogger("kunskapsbanken.serve")
# The collector's thresholds in a serving process. Python's default collects the young objects
# every 700 allocations net, several times a page, and traverses each time whatever the page in
# progress still holds: about 0.5 ms of a results page's ~11 ms CPU. 20,000 collects about once
# in three pages, costing ~0.15 ms a page, for at most some MB of garbage cycles waiting longer
# (docs/benchmarks.md, "Results page, pages never asked, 2026-12-07").
GC_THRESHOLDS = (20_000, 20, 10)


def tune_collector() -> None:
    """Set the garbage collector's thresholds for serving pages (``GC_THRESHOLDS``)."""
    gc.set_threshold(*GC_THRESHOLDS)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket for ``host:port`` (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # Listen before the workers exist: early connections wait in the backlog, never refused.
    sock.listen(1024)
    return sock


def serve_forked(
    app: Any, sock: socket.socket, workers: int, threads: int, before_fork: Callable[[], None]
) -> None:
    """Run ``workers`` waitress processes on ``sock`` until SIGINT or SIGTERM reaches the parent."""
    before_fork()
    # Move everything loaded so far (the lexicon, the snapshot, the code) out of the garbage
    # collector's reach: a collection in a worker would otherwise write to every object's header
    # and so copy the shared pages into each worker (docs/benchmarks.md, "Serving memory").
    gc.collect()
    gc.freeze()
    children: dict[int, int] = {}  # pid -> its slot in the connection table
    # Keep-alive connections stay with the worker that accepted them: the workers share how many
    # each holds, so that none takes most of them (kbcli/balance.py).
    table = ConnectionTable(workers)
    stopping = False

    def start_worker(slot: int) -> None:
        table.clear(slot)
        pid = os.fork()
        if pid == 0:  # the worker: its own threads, its own index readers
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            tune_collector()
            try:
                server = create_server(app, sockets=[sock], threads=threads, ident="Kunskapsbanken")
                balance_accepts(server, table, slot)
                server.run()
            except BaseException:  # the parent logs the exit and replaces this worker
                code = 1
            finally:
                os._exit(code)
        children[pid] = slot

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    def signal_all() -> None:
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.pop(pid, None)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for slot in range(workers):
            if not stopping:
                start_worker(slot)
        # Poll rather than block in wait(): a stop signal that lands while a worker is being
        # forked must still reach that worker.
        while children:
            if stopping:
                signal_all()
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                time.sleep(0.1)
                continue
            slot = children.pop(pid, -1)
            if slot >= 0 and not stopping:
                log.error("Arbetsprocess %s avslutades (%s); startar en ny", pid, status)
                start_worker(slot)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
