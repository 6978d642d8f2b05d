"""kb.atomic's exclusive lock: one holder at a time, a second one told at once when it asks to be
(the harvest) or kept waiting (the reindex), and the lock free again after the block."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kb.atomic import exclusive_lock


class Busy(Exception):
    pass


def test_a_second_holder_is_told_at_once_and_the_lock_is_free_after(tmp_path: Path) -> None:
    path = tmp_path / "JOB.lock"
    with exclusive_lock(path), pytest.raises(Busy), exclusive_lock(path, Busy):
        pass
    with exclusive_lock(path, Busy):  # released: taken at once
        pass


def test_an_error_inside_the_block_is_not_taken_for_a_busy_lock(tmp_path: Path) -> None:
    # Only the lock's own refusal becomes busy(): the block's errors pass through as they are.
    with pytest.raises(BlockingIOError), exclusive_lock(tmp_path / "JOB.lock", Busy):
        raise BlockingIOError
    with exclusive_lock(tmp_path / "JOB.lock", Busy):
        pass


def test_without_busy_a_second_holder_waits_for_the_first(tmp_path: Path) -> None:
    path = tmp_path / "JOB.lock"
    taken = threading.Event()

    def second() -> None:
        with exclusive_lock(path):
            taken.set()

    with exclusive_lock(path):
        thread = threading.Thread(target=second)
        thread.start()
        assert not taken.wait(0.2)  # still held here
    thread.join(10)
    assert taken.is_set()
