"""kill -9 at each step of an ingest and of a remove, then an exact comparison of store and index.

The crash hook (KB_TEST_CRASH_AT, kb.index.commit) SIGKILLs the real `kb` process at a named step.
Right after the crash the index may only lack documents, never hold one without a store record;
`kb check` must name exactly the differences an independent comparison finds; the next writer
(or `kb check --repair`) must leave store and index equal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.document import document_id
from kb.index.commit import STEPS
from kbcli.main import cli
from tests.consistency import compare, indexed_ids, stored_ids

ROOT = Path(__file__).resolve().parents[1]
INGEST_STEPS = ("journal-written", "store-partly-written", "store-written", "index-committed")
REMOVE_STEPS = ("journal-written", "index-committed", "store-partly-removed", "store-removed")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _kb(data: Path, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env["PYTHONPATH"] = str(ROOT)
    if crash_at:
        env["KB_TEST_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "kbcli.main", *args, "--data-dir", str(data)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _run(data: Path, *args: str) -> tuple[int, str]:
    """The `kb` command in this process (fast); only the crashing run needs its own."""
    result = CliRunner().invoke(cli, [*args, "--data-dir", str(data)])
    return result.exit_code, result.stdout


def _check(data: Path, *extra: str) -> tuple[int, set[tuple[str, str]]]:
    result = CliRunner().invoke(cli, ["check", "--data-dir", str(data), *extra])
    lines = {tuple(line.split()[:2]) for line in result.stdout.splitlines() if " " in line}
    return result.exit_code, {(k, i) for k, i in lines if k != "Lagret"}  # type: ignore[misc]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        _write(folder, f"plan{i}.txt", f"Plan {i} för e-arkiv\nUddevalla kommun arkiverar {i}.")
    return folder


def test_every_step_is_named_and_reached() -> None:
    assert set(INGEST_STEPS) | set(REMOVE_STEPS) == set(STEPS)


@pytest.mark.parametrize("step", INGEST_STEPS)
def test_kill_during_ingest_then_store_and_index_agree(tmp_path: Path, step: str) -> None:
    data, folder = tmp_path / "data", _folder(tmp_path)
    assert _run(data, "ingest", str(folder), "--delay", "0")[0] == 0
    # One changed document and two new ones, then a crash at ``step`` of their commit.
    _write(folder, "plan0.txt", "Ny plan för e-tjänster\nTrollhättans stad bygger e-tjänster.")
    new = [
        _write(folder, f"ny{i}.txt", f"Ny rapport {i}\nVänersborg digitaliserar.") for i in (1, 2)
    ]
    crashed = _kb(data, "ingest", str(folder), "--delay", "0", crash_at=step)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr

    # Never a hit without its record: the index holds only ids the store has.
    assert indexed_ids(data) <= stored_ids(data)
    expected = compare(data)
    code, reported = _check(data)
    assert code == 1  # the unfinished write at least
    assert reported == expected | {("unfinished-write", "-")}

    code, out = _run(data, "ingest", str(folder), "--delay", "0")
    assert code == 0, out
    assert compare(data) == set()
    assert indexed_ids(data) == stored_ids(data)
    assert _check(data) == (0, set())
    assert {document_id(str(p)) for p in new} <= indexed_ids(data)
    # The changed document is findable in its new version.
    hits = _run(data, "search", "Trollhättans e-tjänster")[1]
    assert "Ny plan för e-tjänster" in hits


@pytest.mark.parametrize("step", REMOVE_STEPS)
def test_kill_during_remove_then_repair_completes_it(tmp_path: Path, step: str) -> None:
    data, folder = tmp_path / "data", _folder(tmp_path)
    assert _run(data, "ingest", str(folder), "--delay", "0")[0] == 0
    gone = [document_id(str(folder / f"plan{i}.txt")) for i in (0, 1)]
    kept = document_id(str(folder / "plan2.txt"))
    crashed = _kb(data, "remove", *gone, crash_at=step)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr

    assert indexed_ids(data) <= stored_ids(data)
    expected = compare(data)
    code, reported = _check(data)
    assert code == 1
    assert reported == expected | {("unfinished-write", "-")}

    code, _ = _check(data, "--repair")
    assert code == 0
    assert compare(data) == set()
    # The removal was committed by its journal: it is completed, not undone.
    assert stored_ids(data) == indexed_ids(data) == {kept}
    assert _check(data) == (0, set())
