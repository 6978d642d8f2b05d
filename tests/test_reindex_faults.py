"""A reindex killed at any step, or on a disk that fills: the previous index serves on, nothing
half-built is ever live, and the next `kb reindex` ends with store and index equal."""

from __future__ import annotations

import gc
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.index.rebuild import REINDEX_STEPS
from kb.service import KnowledgeBase
from tests.conftest import add_documents
from tests.consistency import compare, indexed_ids, stored_ids
from tests.reindex_support import (
    ROOT,
    documents,
    fill,
    kb_env,
    kb_process,
    kb_run,
    leftovers,
    live_build,
    settings,
    total,
)


def _builds(data: Path) -> list[str]:
    return sorted(p.name for p in (data / "index").glob("b-*"))


@pytest.mark.parametrize("step", REINDEX_STEPS)
def test_kill_at_each_step_keeps_an_index_serving_and_the_next_reindex_finishes(
    tmp_path: Path, step: str
) -> None:
    data = tmp_path / "data"
    fill(data, 6)  # six checkpoints at one document each: every step is reached
    old = live_build(data)
    crashed = kb_run(
        data, "reindex", "--quiet", KB_REINDEX_CHECKPOINT_DOCS="1", KB_TEST_CRASH_AT=step
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    # The live index is the old one until the swap, then the complete new one; never a part.
    if step == "reindex-swapped":
        assert live_build(data) != old
    else:
        assert live_build(data) == old
    assert total(data) == 6 and compare(data) == set()
    # Writing goes on before anyone reindexes again.
    with KnowledgeBase.open(settings(data)) as kb:
        add_documents(kb, documents(6, 2))
    assert total(data) == 8
    done = kb_run(data, "reindex", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Indexet byggdes om: 8 dokument" in done.stdout
    assert compare(data) == set() and indexed_ids(data) == stored_ids(data)
    assert leftovers(data) == []
    assert len(_builds(data)) == 2  # the live build and the one before it, nothing orphaned


def test_kill_9_in_the_middle_of_the_build_then_resume(tmp_path: Path) -> None:
    """A real SIGKILL from outside while documents are being written (no hook)."""
    data = tmp_path / "data"
    fill(data, 60)
    old = live_build(data)
    proc = kb_process(data, "reindex", "--quiet", KB_REINDEX_CHECKPOINT_DOCS="1")
    deadline = time.monotonic() + 120
    # Whoosh names each commit's table of contents _MAIN_<generation>.toc and deletes the older
    # ones: wait for the third checkpoint or any later one (a fast build may skip past the third
    # between two looks).
    while not any(
        int(toc.stem.rsplit("_", 1)[1]) >= 3
        for toc in (data / "index").glob("building-*/_MAIN_*.toc")
    ):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert live_build(data) == old and total(data) == 60
    done = kb_run(data, "reindex", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Fortsatte en avbruten omindexering" in done.stdout
    assert "Indexet byggdes om: 60 dokument" in done.stdout
    assert compare(data) == set() and leftovers(data) == []


def _limit_file_size() -> None:
    # A file may grow to 40 KB: the new build's postings outgrow it, as on a full disk. Ignore
    # SIGXFSZ so that the write fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_disk_that_fills_gives_one_clear_line_and_the_old_index_serves(
    tmp_path: Path, jobs: str
) -> None:
    """With --jobs 2 the second build process (spawned: it inherits the limit) may be the one
    whose write fails; its error reaches the first as text and is recognised too."""
    data = tmp_path / "data"
    fill(data, 60)
    old = live_build(data)
    command = ["reindex", "--quiet", "--jobs", jobs, "--data-dir", str(data)]
    full = subprocess.run(
        [sys.executable, "-m", "kbcli.main", *command],
        env=kb_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert full.returncode == 1
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and "Disken är full" in lines[0], full.stderr
    assert "det gamla indexet används som förut" in lines[0]
    assert "Traceback" not in full.stderr
    # The half-built index is gone, the old one serves, and writing still works.
    assert leftovers(data) == [] and live_build(data) == old and _builds(data) == [old]
    assert total(data) == 60 and compare(data) == set()
    done = kb_run(data, "reindex", "--quiet")
    assert done.returncode == 0 and "60 dokument" in done.stdout, done.stderr


# After a write fails inside its commit, Whoosh's writer cannot close its files itself (closing
# flushes, which fails again); they are closed by the garbage collector. A `kb reindex` process
# ends right after, and the files are already deleted with the build.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_no_space_while_replaying_under_the_lock_cleans_up_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC injected at Whoosh's file layer in the last, locked step (the replay)."""
    import errno

    from whoosh.filedb import structfile

    data = tmp_path / "data"
    ids = fill(data, 10)
    old = live_build(data)
    real_file_write = structfile.StructFile.write
    replaying = {"on": False}

    def write(self: structfile.StructFile, data: bytes) -> object:
        if replaying["on"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_file_write(self, data)

    monkeypatch.setattr(structfile.StructFile, "write", write)
    with KnowledgeBase.open(settings(data)) as kb:
        from kb.index import rebuild

        real_write = rebuild.LiveReindex._write

        def write_then_remove(self: rebuild.LiveReindex, *args: object) -> tuple[int, int]:
            written = real_write(self, *args)  # type: ignore[arg-type]
            with kb.writer() as w:  # a removal during the build, so there is something to replay
                w.remove(ids[0])
            replaying["on"] = True  # from here on every index file write finds the disk full
            return written

        monkeypatch.setattr(rebuild.LiveReindex, "_write", write_then_remove)
        with pytest.raises(Exception, match="Disken är full") as caught:
            kb.reindex()
        replaying["on"] = False
        assert type(caught.value).__name__ == "DiskFullError"
        del caught  # its traceback holds the failed writer: collect its files within this test
        gc.collect()
    assert leftovers(data) == [] and live_build(data) == old
    assert total(data) == 9 and compare(data) == set()
