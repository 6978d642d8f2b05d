"""A total deadline on one download, that holds against a server trickling a byte a second.

A socket timeout bounds each wait for data, not the whole download: a server that sends one byte
just before each timeout keeps a request alive for ever. ``Deadline`` starts a timer when a download
begins and, when it fires, shuts down every socket the download opened, so whatever read is
blocked (the status line, the headers, the body, a TLS handshake) returns at once. urllib is given
connections whose sockets the deadline watches (``deadline_handlers``). Imports the standard
library only.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from types import TracebackType
from typing import Any


class Deadline:
    """A time limit for one download; use as a context manager around the whole download.

    Args:
        seconds: how long the download may take in total.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._started = time.monotonic()
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        """Seconds left (0 when expired)."""
        return max(0.0, self.seconds - (time.monotonic() - self._started))

    def watch(self, sock: socket.socket) -> socket.socket:
        """Shut ``sock`` down when the deadline passes (at once if it has passed)."""
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shutdown(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing is blocked on it
        sock.shutdown(socket.SHUT_RDWR)


def _watched(
    cls: type[http.client.HTTPConnection], deadline: Deadline
) -> Callable[..., http.client.HTTPConnection]:
    """A connection factory for urllib whose sockets ``deadline`` watches."""

    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        conn = cls(host, **kwargs)
        create = conn._create_connection  # type: ignore[attr-defined]

        def create_watched(*args: Any, **kw: Any) -> socket.socket:
            return deadline.watch(create(*args, **kw))

        # HTTPSConnection.connect calls HTTPConnection.connect, which opens the raw socket here:
        # shutting it down also ends a stalled TLS handshake or read.
        conn._create_connection = create_watched  # type: ignore[attr-defined]
        return conn

    return make


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            _watched(http.client.HTTPSConnection, self.deadline),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


def deadline_handlers(deadline: Deadline) -> list[urllib.request.BaseHandler]:
    """urllib handlers (http and https) whose connections ``deadline`` can cut."""
    return [_HTTPHandler(deadline), _HTTPSHandler(deadline)]
