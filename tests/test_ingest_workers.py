"""`kb ingest --jobs 2`: the worker processes die with the ingest, even under kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ")".
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_workers_die_when_the_ingest_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    paragraph = "Kommunen digitaliserar arkivet och inför e-tjänster för bygglov. " * 300
    for i in range(800):
        (folder / f"d{i:03d}.txt").write_text(f"Rapport {i}\n{paragraph}{i}", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env["PYTHONPATH"] = str(ROOT)
    args = ["ingest", str(folder), "--jobs", "2", "--delay", "0", "--data-dir", str(tmp_path / "d")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "kbcli.main", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers: set[int] = set()
    try:
        # Generous: on a loaded machine starting Python and the workers' imports is slow.
        deadline = time.monotonic() + 240
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = {p for p in _children(proc.pid) if b"spawn_main" in _cmdline(p)}
            time.sleep(0.05)
        assert len(workers) >= 2, "the ingest never started its two workers"
        assert proc.poll() is None, "the ingest ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in workers if _alive(p)], "workers outlived the killed ingest"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers:  # never leave a process behind, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
