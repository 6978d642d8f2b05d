"""Writers in separate processes at once (ingest --force, remove, reindex, two ingests of one
folder), then an exact comparison of store and index, and reports that say what each run did.

The ``..._waits_and_nothing_is_lost`` tests stop one writer at a named step of its commit
(KB_TEST_PAUSE_AT) and start another there: they fail without the writer lock (checked by
turning the lock off), where the first test above only may."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from click.testing import CliRunner

from kb.document import document_id
from kbcli.main import cli
from tests.consistency import compare, indexed_ids, stored_ids
from tests.reindex_support import kb_process, wait_for

ROOT = Path(__file__).resolve().parents[1]
WAITING = "Väntar på att en annan skrivning blir klar (waiting for another write to finish: "


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(n):
        text = f"Rapport {i} om e-arkiv\nKommun {i} digitaliserar arkivet. Nummer {i}."
        (folder / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _start_together(tmp_path: Path, jobs: list[list[list[str]]]) -> list[str]:
    """Run each list of kb commands in its own process, all released at once; their outputs."""
    go = tmp_path / "go"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(PYTHONPATH=str(ROOT), KB_WRITER_TIMEOUT="60")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.cli_worker", str(go)]
            + [x for args in commands for x in ("--", *args)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for commands in jobs
    ]
    go.touch()
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


def test_remove_ingest_and_reindex_at_once_leave_store_and_index_equal(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", _folder(tmp_path, 48)
    base = ["--data-dir", str(data)]
    assert CliRunner().invoke(cli, ["ingest", str(folder), "--delay", "0", *base]).exit_code == 0
    ids = [document_id(str(p)) for p in sorted(folder.glob("*.txt"))]
    outputs = _start_together(
        tmp_path,
        [
            [["ingest", str(folder), "--force", "--delay", "0", *base]] * 2,
            [
                ["sleep", "1.0"],
                ["remove", *ids[:8], *base],
                ["sleep", "1.0"],
                ["remove", *ids[8:16], *base],
            ],
            [
                ["sleep", "1.5"],
                ["remove", *ids[16:24], *base],
                ["sleep", "1.0"],
                ["remove", *ids[24:32], *base],
            ],
            [["reindex", *base]] * 2,
        ],
    )
    # A remove may find its document already gone only if another remove took it: none here.
    assert all("EXIT 1" not in out for out in outputs), outputs
    assert compare(data) == set()
    assert indexed_ids(data) == stored_ids(data)
    # A removed document that the later --force ingest wrote again is in both; none in one only.
    assert CliRunner().invoke(cli, ["check", *base]).exit_code == 0


def test_two_ingests_of_one_folder_report_what_each_really_did(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", _folder(tmp_path, 30)
    base = ["--data-dir", str(data)]
    args = ["ingest", str(folder), "--delay", "0", "--json", *base]
    outputs = _start_together(tmp_path, [[args], [args]])
    added: list[str] = []
    for out in outputs:
        lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
        statuses = {line["source"]: line["status"] for line in lines if "source" in line}
        assert set(statuses.values()) <= {"added", "unchanged"}
        assert len(statuses) == 30
        added += [source for source, status in statuses.items() if status == "added"]
    # Every document was added by exactly one of the two runs.
    assert sorted(added) == sorted(str(p) for p in folder.glob("*.txt"))
    assert compare(data) == set() and len(stored_ids(data)) == 30


def _read_stderr(
    proc: subprocess.Popen[str], needle: str
) -> tuple[threading.Thread, threading.Event, list[str]]:
    """Read ``proc``'s stderr in a thread; the event is set once a line holds ``needle``."""
    seen, lines = threading.Event(), []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if needle in line:
                seen.set()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, seen, lines


def _second_writer_during_first(
    tmp_path: Path, data: Path, first: list[str], step: str, second: list[str]
) -> tuple[bool, str, str]:
    """Run `kb FIRST` until it stops at ``step`` (KB_TEST_PAUSE_AT), holding whatever it holds
    there; start `kb SECOND` and wait until it either ends or says on stderr that it waits for
    the other write (no fixed sleep); then let the first go on. Returns whether the second
    finished while the first was stopped, and both outputs (the second's stderr included)."""
    pause = tmp_path / f"pause-{step}"
    pause.mkdir()
    a = kb_process(data, *first, KB_TEST_PAUSE_AT=step, KB_TEST_PAUSE_DIR=str(pause))
    wait_for(pause / f"paused-{step}", a)
    b = kb_process(data, *second, KB_WRITER_TIMEOUT="120")
    reader, waiting, b_err = _read_stderr(b, WAITING)
    deadline = time.monotonic() + 120
    while b.poll() is None and not waiting.is_set():
        assert time.monotonic() < deadline, "the second writer neither ended nor waited"
        time.sleep(0.02)
    early = b.poll() is not None
    (pause / "resume").touch()
    a_out, a_err = a.communicate(timeout=300)
    assert b.stdout is not None
    with b.stdout:
        b_out = b.stdout.read()
    b.wait(timeout=300)
    reader.join(timeout=60)
    assert b.stderr is not None
    b.stderr.close()
    assert a.returncode == 0, a_err
    assert b.returncode == 0, "".join(b_err)
    # Said once, naming the paused writer (its process id is in the lock file).
    said = [line for line in b_err if WAITING in line]
    assert len(said) <= 1 and (early or f"process {a.pid} (" in said[0]), b_err
    return early, a_out, b_out


def test_a_remove_during_an_ingest_commit_waits_and_nothing_is_lost(tmp_path: Path) -> None:
    """Without the writer lock the remove runs inside the ingest's commit (store written, index
    not yet): it deletes the records the ingest then indexes, leaving ids without a record."""
    data, folder = tmp_path / "data", _folder(tmp_path, 24)
    assert (
        CliRunner()
        .invoke(cli, ["ingest", str(folder), "--delay", "0", "--data-dir", str(data)])
        .exit_code
        == 0
    )
    ids = [document_id(str(p)) for p in sorted(folder.glob("*.txt"))]
    early, _a, _b = _second_writer_during_first(
        tmp_path, data, ["ingest", str(folder), "--force", "--delay", "0"], "store-written",
        ["remove", *ids[:8]],
    )  # fmt: skip
    assert not early  # the remove waited for the ingest's commit to end
    assert compare(data) == set()
    assert indexed_ids(data) == stored_ids(data) == set(ids[8:])


def test_an_ingest_during_a_remove_waits_and_nothing_is_lost(tmp_path: Path) -> None:
    """Without the lock the ingest writes the documents back between the remove's index commit
    and its store removal; the remove then deletes their records under the index's feet."""
    data, folder = tmp_path / "data", _folder(tmp_path, 24)
    assert (
        CliRunner()
        .invoke(cli, ["ingest", str(folder), "--delay", "0", "--data-dir", str(data)])
        .exit_code
        == 0
    )
    ids = [document_id(str(p)) for p in sorted(folder.glob("*.txt"))]
    early, _a, _b = _second_writer_during_first(
        tmp_path, data, ["remove", *ids[:8]], "index-committed",
        ["ingest", str(folder), "--force", "--delay", "0"],
    )  # fmt: skip
    assert not early
    assert compare(data) == set()
    # The ingest ran after the remove and wrote the 8 documents again.
    assert indexed_ids(data) == stored_ids(data) == set(ids)


def test_a_remove_during_a_reindex_swap_waits_and_nothing_is_lost(tmp_path: Path) -> None:
    """The reindex holds the lock from its replay to the swap; without it a remove in between
    reaches the old index and the store only, and the swapped-in build still has the ids."""
    data, folder = tmp_path / "data", _folder(tmp_path, 24)
    assert (
        CliRunner()
        .invoke(cli, ["ingest", str(folder), "--delay", "0", "--data-dir", str(data)])
        .exit_code
        == 0
    )
    ids = [document_id(str(p)) for p in sorted(folder.glob("*.txt"))]
    early, a_out, _b = _second_writer_during_first(
        tmp_path, data, ["reindex", "--quiet"], "reindex-replayed", ["remove", *ids[:8]]
    )
    assert not early
    assert "Indexet byggdes om: 24 dokument" in a_out
    assert compare(data) == set()
    assert indexed_ids(data) == stored_ids(data) == set(ids[8:])
