"""Helpers of the reindex tests: a knowledge base of generated documents, `kb` in a separate
process (so that it can be killed or paused at a named step), and what the index folder holds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from kb.config import Settings
from kb.document import Document
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "arkiv",
    "e-tjänst",
    "bredband",
    "skola",
    "omsorg",
    "bygglov",
    "informationssäkerhet",
    "molntjänst",
    "digitalisering",
    "kompetens",
    "ledarskap",
    "invånare",
    "handläggning",
    "robotisering",
    "öppna",
    "data",
    "samverkan",
    "upphandling",
]


def settings(data: Path) -> Settings:
    return Settings(data_dir=data, writer_timeout=60.0, ingest_demo_on_start=False)


def documents(start: int, n: int, tag: str = "") -> list[Document]:
    """``n`` distinct documents numbered from ``start`` (``tag`` makes a changed version)."""
    docs = []
    for i in range(start, start + n):
        words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(40))
        text = f"Rapport {i} {tag} om digitalisering i kommun {i}.\n{words} nummer{i}"
        docs.append(make_document(f"https://kommun.example/r{i}", f"Rapport {i} {tag}", text))
    return docs


def fill(data: Path, n: int) -> list[str]:
    """A knowledge base of ``n`` generated documents in ``data``; their ids."""
    docs = documents(0, n)
    with KnowledgeBase.open(settings(data)) as kb:
        add_documents(kb, docs)
    return [d.id for d in docs]


def total(data: Path) -> int:
    """Documents a search of everything finds in the live index, opened afresh."""
    with KnowledgeBase.open(settings(data)) as kb:
        return kb.search(SearchRequest(page_size=1)).total


def live_build(data: Path) -> str:
    return (data / "index" / "CURRENT").read_text(encoding="utf-8").strip()


def leftovers(data: Path) -> list[str]:
    """What an unfinished reindex leaves in the index folder: marker, change log, builds."""
    index = data / "index"
    names = [p.name for p in index.glob("building-*")]
    names += [n for n in ("REINDEX.json", "REINDEX.changes") if (index / n).exists()]
    return sorted(names)


def kb_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(PYTHONPATH=str(ROOT), KB_INGEST_DEMO_ON_START="false", **extra)
    return env


def kb_process(data: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """`kb ARGS --data-dir DATA` started in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "kbcli.main", *args, "--data-dir", str(data)],
        env=kb_env(**env),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kb_run(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    proc = kb_process(data, *args, **env)
    out, err = finish(proc, timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def finish(proc: subprocess.Popen[str], timeout: float = 120.0) -> tuple[str, str]:
    """Wait for ``proc`` to end: its stdout and stderr. One that outlives ``timeout`` is
    killed (and the test fails), so that no test leaves a `kb` process behind."""
    try:
        return proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def signal_taken(proc: subprocess.Popen[str], timeout: float = 10.0) -> None:
    """Wait until no signal sent to ``proc`` is pending (Linux /proc): each has reached its
    handler, which the main thread runs before its next Python line (a pause loop's check)."""
    deadline = time.monotonic() + timeout
    while True:
        masks = []
        for status in Path(f"/proc/{proc.pid}/task").glob("*/status"):
            try:
                lines = status.read_text(encoding="ascii").splitlines()
            except FileNotFoundError:  # a thread that has just ended
                continue
            pending = [line for line in lines if line.startswith(("SigPnd:", "ShdPnd:"))]
            masks += [int(line.split()[1], 16) for line in pending]
        if masks and not any(masks):
            return
        assert proc.poll() is None, f"exited {proc.returncode}: {finish(proc)}"
        assert time.monotonic() < deadline, f"a signal still pending after {timeout} s"
        time.sleep(0.01)


def wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 120.0) -> None:
    """Wait until ``path`` exists; fail with the process's output if it ends first."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"exited {proc.returncode} before {path.name}: {out} {err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"{path.name} not reached in {timeout} s")
        time.sleep(0.02)
