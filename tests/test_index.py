"""The index: schema version, one writer at a time, atomic commits, rebuilds from the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kb.errors import IndexLockedError, SchemaMismatchError
from kb.index.schema import VERSION_FILE
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document


def _docs(n: int, word: str = "kommun") -> list:  # type: ignore[type-arg]
    return [
        make_document(
            f"https://example.se/{word}/{i}",
            f"Dokument {i}",
            f"Text om {word} nummer {i}.",
            date=f"2023-05-{i + 1:02d}",
        )
        for i in range(n)
    ]


def test_schema_version_mismatch_says_run_reindex(kb: KnowledgeBase) -> None:
    add_documents(kb, _docs(2))
    version_file = kb.index.current_dir() / VERSION_FILE
    version_file.write_text(json.dumps({"schema_version": -1, "analyzer_version": "old"}))
    kb.close()
    with pytest.raises(SchemaMismatchError, match="kb reindex"):
        kb.search(SearchRequest(q="kommun"))
    assert kb.reindex() == 2
    assert kb.search(SearchRequest(q="kommun")).total == 2


WAITING = "Väntar på att en annan skrivning blir klar (waiting for another write to finish: "


def _waiting_said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(WAITING)]


def test_second_writer_waits_then_fails_clearly(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with kb.writer():
            holding.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    assert holding.wait(10)
    try:
        with pytest.raises(IndexLockedError, match="skrivs redan"), kb.writer(timeout=0.3):
            pass
    finally:
        release.set()
        t.join()
    # Said once for the whole wait, naming the holder (this process).
    assert _waiting_said(caplog) == [f"{WAITING}process {os.getpid()} ({_command()}))"]
    caplog.clear()
    with kb.writer(timeout=1) as w:  # free again once the first writer is done
        w.add(_docs(1)[0])
    assert _waiting_said(caplog) == []  # the lock was free: nothing said


def _command() -> str:
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:3]])


def test_waiting_writer_proceeds_when_lock_frees(kb: KnowledgeBase) -> None:
    holding = threading.Event()
    release = threading.Event()
    released_at: list[float] = []

    def hold() -> None:
        with kb.writer():
            holding.set()
            release.wait(10)
            released_at.append(time.monotonic())

    t = threading.Thread(target=hold)
    t.start()
    assert holding.wait(10)
    # The second writer starts while the lock is held; the first lets go a moment later.
    threading.Timer(0.3, release.set).start()
    with kb.writer(timeout=10) as w:
        entered_at = time.monotonic()
        w.add(_docs(1)[0])
    t.join()
    assert released_at and entered_at >= released_at[0]  # it waited, then went ahead
    assert kb.search(SearchRequest(q="kommun")).total == 1


def test_failed_batch_leaves_index_and_store_as_at_last_commit(kb: KnowledgeBase) -> None:
    add_documents(kb, _docs(3))
    with pytest.raises(RuntimeError), kb.writer() as w:
        for d in _docs(5, "skola"):
            w.add(d, b"original")
        raise RuntimeError("crash mid-ingest")
    assert kb.search(SearchRequest(q="skola")).total == 0
    assert kb.search(SearchRequest(q="kommun")).total == 3
    assert len(kb.store) == 3


def test_searcher_opened_before_commit_keeps_working(kb: KnowledgeBase) -> None:
    add_documents(kb, _docs(3))
    ix = kb.index.open()
    old = ix.searcher()
    before = old.doc_count()
    updated = make_document("https://example.se/kommun/0", "Dokument 0 ny", "Ny text om kommun.")
    add_documents(kb, [updated, *_docs(2, "skola")])
    assert old.doc_count() == before  # the old snapshot still reads
    old.close()
    result = kb.search(SearchRequest(q="kommun"))
    assert result.total == 3  # the update replaced, never duplicated (Whoosh refresh() bug)
    assert "Dokument 0 ny" in [h.title for h in result.hits]
    assert kb.search(SearchRequest(q="skola")).total == 2


def test_reindex_rebuilds_from_store_alone(kb: KnowledgeBase) -> None:
    add_documents(kb, _docs(4))
    with kb.writer() as w:
        w.remove(_docs(4)[0].id)
    before = [h.id for h in kb.search(SearchRequest(q="kommun", sort="newest")).hits]
    kb.destroy_index()
    with KnowledgeBase.open(kb.settings) as rebuilt:
        assert rebuilt.search(SearchRequest(q="kommun")).total == 0
        assert rebuilt.reindex() == 3
        after = rebuilt.search(SearchRequest(q="kommun", sort="newest"))
        assert [h.id for h in after.hits] == before


def test_original_is_kept_content_addressed(kb: KnowledgeBase) -> None:
    doc = _docs(1)[0]
    with kb.writer() as w:
        w.add(doc, b"%PDF-1.4 original bytes")
    path = kb.original_path(doc.id)
    assert path.read_bytes() == b"%PDF-1.4 original bytes"
    assert kb.document(doc.id).title == doc.title


def test_searches_keep_working_while_a_writer_commits(kb: KnowledgeBase) -> None:
    add_documents(kb, _docs(5))
    errors: list[BaseException] = []
    totals: list[int] = []
    done = threading.Event()

    def search_loop() -> None:
        try:
            while not done.is_set():
                totals.append(kb.search(SearchRequest(q="kommun")).total)
        except BaseException as err:  # any error would reach a user as a failed search
            errors.append(err)

    readers = [threading.Thread(target=search_loop) for _ in range(2)]
    for t in readers:
        t.start()
    for batch in range(4):
        docs = [
            make_document(
                f"https://example.se/ny/{batch}/{i}", "Ny", f"Ny text {batch}.{i} om kommun."
            )
            for i in range(5)
        ]
        add_documents(kb, docs)
    done.set()
    for t in readers:
        t.join()
    assert not errors
    assert totals and min(totals) >= 5 and max(totals) <= 25
    assert kb.search(SearchRequest(q="kommun")).total == 25


def test_writer_lock_is_held_across_processes(kb: KnowledgeBase, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    script = (
        "import sys, time\n"
        "from kb.index.builds import IndexStore\n"
        "from pathlib import Path\n"
        "store = IndexStore(Path(sys.argv[1]))\n"
        "with store.write_lock(timeout=1):\n"
        "    print('locked', flush=True)\n"
        "    sys.stdin.readline()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(kb.index.index_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLockedError), kb.writer(timeout=0.2):
            pass
        assert _waiting_said(caplog) == [f"{WAITING}process {proc.pid} (-c {kb.index.index_dir}))"]
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.close()
        proc.wait(10)
        proc.stdout.close()  # type: ignore[union-attr]
    with kb.writer(timeout=2) as w:
        w.add(_docs(1)[0])
