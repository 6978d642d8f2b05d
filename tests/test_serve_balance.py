"""kbcli/balance.py: the forked workers share their connection counts and the fewest accepts."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from kbcli import balance
from kbcli.balance import ConnectionTable, balance_accepts


def test_only_the_worker_with_the_fewest_connections_accepts() -> None:
    table = ConnectionTable(3)
    assert table.may_accept(0, 0)
    assert table.may_accept(1, 0)
    assert table.may_accept(2, 0)
    assert not table.may_accept(0, 1)  # holds more than 1 and 2
    assert not table.may_accept(1, 1)  # 2 still holds none
    assert table.may_accept(2, 1)  # equal to the others': ties all accept
    assert table.may_accept(0, 1)
    assert not table.may_accept(1, 2)


def test_a_silent_or_cleared_worker_never_keeps_the_others_from_accepting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = ConnectionTable(2)
    now = [1000.0]
    monkeypatch.setattr(balance.time, "monotonic", lambda: now[0])
    table.write(1, 0)  # worker 1 holds nothing, then stops looking (dead or stuck)
    assert not table.may_accept(0, 5)
    now[0] += balance.STALE_AFTER + 0.5
    assert table.may_accept(0, 5)
    table.write(1, 0)
    table.clear(1)  # the parent replaces worker 1: its slot starts again from nothing
    assert table.may_accept(0, 5)


def test_the_table_is_shared_with_forked_workers() -> None:
    table = ConnectionTable(2)
    pid = os.fork()
    if pid == 0:
        table.write(1, 7)
        os._exit(0)
    os.waitpid(pid, 0)
    assert table.fewest(time.monotonic()) == 7


class FakeServer:
    """What balance_accepts uses of a waitress server: ``readable`` and the dispatcher map."""

    def __init__(self, listening: bool = True) -> None:
        self._map: dict[int, Any] = {1: "listener", 2: "trigger"}
        self.adj = type("Adjustments", (), {"asyncore_loop_timeout": 1})()
        self.listening = listening
        self.asked = 0

    def readable(self) -> bool:
        self.asked += 1
        return self.listening


def test_a_waitress_server_listens_only_while_it_holds_the_fewest() -> None:
    table = ConnectionTable(2)
    first, second = FakeServer(), FakeServer()
    balance_accepts(first, table, 0)
    balance_accepts(second, table, 1)
    assert first.readable() and second.readable()
    first._map[3] = "a connection"
    assert not first.readable()
    assert second.readable()
    second._map[3] = "a connection"
    assert second.readable()  # each worker writes its count as its own loop asks
    assert first.readable()
    # waitress' own answer (its connection limit) still counts, and is always asked.
    second.listening = False
    assert not second.readable()
    assert second.asked == 4
    # A worker that stopped listening looks again soon, not after waitress' second.
    assert first.adj.asyncore_loop_timeout == balance.RECHECK_EVERY
