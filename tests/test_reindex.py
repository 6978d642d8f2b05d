"""`kb reindex` on a live knowledge base: a new build beside the old one, swapped in whole;
ingests and removals during it are replayed into it; progress with the time left; resuming."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kb.index.rebuild import built_ids
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kbcli import reindex_command
from kbcli.reindex_command import ProgressReport
from tests.conftest import add_documents
from tests.consistency import compare, indexed_ids, stored_ids
from tests.reindex_support import (
    documents,
    fill,
    kb_process,
    kb_run,
    leftovers,
    live_build,
    settings,
    total,
    wait_for,
)


def test_reindex_swaps_in_a_complete_build_while_open_searches_go_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(data, 30)
    old = live_build(data)
    with KnowledgeBase.open(settings(data)) as kb:
        before = kb.search(SearchRequest(q="bredband", page_size=50))
        seen: list[tuple[int, int]] = []
        report = kb.reindex_live(progress=lambda done, n: seen.append((done, n)))
        assert report.documents == 30 and report.resumed == 0
        # The same open knowledge base answers from the new build on its next search.
        after = kb.search(SearchRequest(q="bredband", page_size=50))
    assert live_build(data) != old and live_build(data).startswith("b-")
    # Documents are written in id order now, so equal scores may come in another order.
    assert sorted(h.id for h in after.hits) == sorted(h.id for h in before.hits)
    assert after.total == before.total > 0
    assert seen[0] == (0, 30) and seen[-1] == (30, 30)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert leftovers(data) == []
    # The previous build stays for requests still reading it; older ones are removed.
    assert sorted(p.name for p in (data / "index").glob("b-*")) == sorted([old, live_build(data)])
    assert compare(data) == set()


def test_an_unreadable_record_is_left_out_and_counted_not_fatal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ids = fill(data, 5)
    (data / "store" / "docs" / f"{ids[2]}.json").write_text("{broken", encoding="utf-8")
    with KnowledgeBase.open(settings(data)) as kb:
        report = kb.reindex_live()
    assert (report.documents, report.unreadable) == (4, 1)
    assert indexed_ids(data) == set(ids) - {ids[2]}


@pytest.mark.parametrize("step", ["reindex-checkpoint", "reindex-built"])
def test_ingest_and_remove_during_a_reindex_are_in_the_new_index(tmp_path: Path, step: str) -> None:
    """Writers do not wait for the build: what they commit meanwhile is replayed into it."""
    data, pause = tmp_path / "data", tmp_path / "pause"
    pause.mkdir()
    ids = fill(data, 40)
    proc = kb_process(
        data,
        "reindex",
        KB_REINDEX_CHECKPOINT_DOCS="1",
        KB_TEST_PAUSE_AT=step,
        KB_TEST_PAUSE_DIR=str(pause),
    )
    wait_for(pause / f"paused-{step}", proc)
    # While the reindex is stopped mid-way: new documents, two removed, and a changed one
    # and a removed one of those the new build already holds.
    written = built_ids(next((data / "index").glob("building-*")))
    picked = [i for i, doc_id in enumerate(ids) if doc_id in written and i not in (10, 11)]
    changed, gone = picked[0], [10, 11, *picked[1:2]]
    expected = 45 - len(gone)
    with KnowledgeBase.open(settings(data)) as kb:
        add_documents(kb, documents(40, 5) + documents(changed, 1, tag="ändrad"))
        with kb.writer(timeout=5) as w:  # no wait for the reindex: it holds no lock here
            for i in gone:
                w.remove(ids[i])
        assert kb.search(SearchRequest(page_size=1)).total == expected
    assert compare(data) == set()
    (pause / "resume").touch()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"Indexet byggdes om: {expected} dokument" in out
    assert compare(data) == set()
    assert indexed_ids(data) == stored_ids(data) and len(stored_ids(data)) == expected
    with KnowledgeBase.open(settings(data)) as kb:
        hits = kb.search(SearchRequest(q="ändrad")).hits
        assert [h.id for h in hits] == [ids[changed]]
    assert leftovers(data) == []


def test_an_interrupted_reindex_resumes_from_its_checkpoints(tmp_path: Path) -> None:
    data, pause = tmp_path / "data", tmp_path / "pause"
    pause.mkdir()
    fill(data, 12)
    old = live_build(data)
    proc = kb_process(
        data,
        "reindex",
        KB_REINDEX_CHECKPOINT_DOCS="1",
        KB_TEST_PAUSE_AT="reindex-checkpoint",
        KB_TEST_PAUSE_DIR=str(pause),
    )
    wait_for(pause / "paused-reindex-checkpoint", proc)
    proc.terminate()  # SIGTERM: a clean interruption, like Ctrl-C
    out, err = proc.communicate(timeout=60)
    (pause / "resume").touch()
    assert proc.returncode == 130, (out, err)
    assert "avbröts" in err and "kb reindex" in err
    assert live_build(data) == old and total(data) == 12
    building = next((data / "index").glob("building-*"))
    assert 0 < len(built_ids(building)) < 12
    done = kb_run(data, "reindex", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Fortsatte en avbruten omindexering" in done.stdout
    assert "Indexet byggdes om: 12 dokument" in done.stdout
    assert compare(data) == set() and leftovers(data) == [] and live_build(data) != old


def test_fresh_starts_over_instead_of_resuming(tmp_path: Path) -> None:
    data, pause = tmp_path / "data", tmp_path / "pause"
    pause.mkdir()
    fill(data, 6)
    proc = kb_process(
        data,
        "reindex",
        KB_REINDEX_CHECKPOINT_DOCS="1",
        KB_TEST_CRASH_AT="reindex-checkpoint",
    )
    proc.communicate(timeout=120)
    first = next((data / "index").glob("building-*")).name
    done = kb_run(data, "reindex", "--fresh", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Fortsatte" not in done.stdout
    assert live_build(data) != "b-" + first.removeprefix("building-")
    assert compare(data) == set() and leftovers(data) == []


def test_progress_lines_say_done_total_and_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = iter([0.0, 0.0, 11.0, 12.0, 22.0, 40.0])
    monkeypatch.setattr(reindex_command.time, "monotonic", lambda: next(clock))
    log = io.StringIO()
    report = ProgressReport(log, tty=False)  # a log file: whole lines, every 10 s
    report(0, 400)
    report(100, 400)  # 11 s in: 100 documents at 100/11 per s, 300 left: 33 s
    report(110, 400)  # 1 s after the last line: not printed
    report(200, 400)
    report(400, 400)
    lines = log.getvalue().splitlines()
    assert lines == [
        "Omindexering: 0/400 dokument (0 %)",
        "Omindexering: 100/400 dokument (25 %), cirka 33 s kvar",
        "Omindexering: 200/400 dokument (50 %), cirka 22 s kvar",
        "Omindexering: 400/400 dokument (100 %), skriver de sista ändringarna",
    ]
    assert "\r" not in log.getvalue()


def test_progress_on_a_terminal_redraws_one_line() -> None:
    screen = io.StringIO()
    report = ProgressReport(screen, tty=True)
    report(0, 10)
    report(10, 10)
    report.end()
    text = screen.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and text.count("\n") == 1
    assert "[##############################] 10/10 dokument (100 %)" in text


def test_cli_reindex_prints_progress_on_stderr_and_the_count(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(data, 8)
    done = kb_run(data, "reindex")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Indexet byggdes om: 8 dokument"
    assert "Omindexering: 0/8 dokument (0 %)" in done.stderr
    assert "Omindexering: 8/8 dokument (100 %)" in done.stderr
