"""Copies ingested into a bank that already holds the original: one hit from the ingest's own
commit on, without `kb reindex`, also in a bank whose index was built before it kept originals'
hashes (kb.index.originals); and a removed copy leaves the other findable.

Real ingests: `kb ingest` of a PDF file and of the same bytes from a real HTTP server on
127.0.0.1, then `kb search --json`, `kb remove`, and a kill at each step of the copy's commit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kb.config import Settings
from kb.index import builds
from kb.index.builds import IndexStore
from kb.index.commit import STEPS
from kb.index.originals import BEFORE_FILE
from kb.index.record import ORIGINAL_FIELD
from kb.index.schema import build_schema
from kbcli.main import cli
from tests.consistency import compare, indexed_ids, stored_ids
from tests.ingest_support import http_server, make_pdf, ok

ROOT = Path(__file__).resolve().parents[1]
PLAN = (
    "Vara kommun inför ett e-arkiv för alla förvaltningar. Handlingar bevaras digitalt och "
    "gallras enligt dokumenthanteringsplanen. Arbetet följs upp av kommunstyrelsen varje år."
)
QUERY = "e-arkiv dokumenthanteringsplanen"


@cache
def _pdf() -> bytes:
    """One PDF's bytes (fpdf2 stamps each PDF it writes with the time)."""
    return make_pdf([PLAN], title="Handlingsplan för e-arkiv")


def _kb(runner: CliRunner, data: Path, *args: str) -> Result:
    result = runner.invoke(cli, [args[0], "--data-dir", str(data), *args[1:]])
    assert result.exit_code == 0, result.output
    return result


def _hits(runner: CliRunner, data: Path, sort: str = "relevance") -> list[tuple[str, list[str]]]:
    found = json.loads(_kb(runner, data, "search", QUERY, "--sort", sort, "--json").output)
    return [(r["url"], [a["url"] for a in r["also_at"]]) for r in found["results"]]


def _older_bank(data: Path) -> None:
    """An empty bank as a version before the original's hash made it: its schema lacks the
    field, so everything ingested before the upgrade lacks the term."""

    def schema() -> object:
        old = build_schema()
        old.remove(ORIGINAL_FIELD)
        return old

    IndexStore(Settings(data_dir=data).index_dir, schema_factory=schema)  # type: ignore[arg-type]


def _next_second() -> None:
    """Return once the clock has passed the second it reads now: a document added after this
    was added later than one added before it (``added`` is kept to the second)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    while datetime.now(UTC).isoformat(timespec="seconds") == now:
        time.sleep(0.02)


def _current_build(data: Path) -> str:
    return (Settings(data_dir=data).index_dir / "CURRENT").read_text(encoding="utf-8")


@pytest.mark.parametrize("older", [False, True], ids=["bank", "older-bank"])
def test_a_copy_ingested_later_merges_at_once_and_its_removal_leaves_the_other(
    runner: CliRunner, tmp_path: Path, older: bool
) -> None:
    data = tmp_path / "data"
    if older:
        _older_bank(data)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    local = inbox / "handlingsplan.pdf"
    local.write_bytes(_pdf())
    _kb(runner, data, "ingest", str(local))
    _next_second()
    build = _current_build(data)
    with http_server({"/e-arkiv/plan.pdf": ok(_pdf(), "application/pdf")}) as server:
        web = server.url("/e-arkiv/plan.pdf")
        result = _kb(runner, data, "ingest", web, "--delay", "0")
    assert "1 tillagda / added" in result.output
    assert f"samma innehåll som / same content as: {local}" in result.output
    assert _current_build(data) == build  # no reindex: the ingest's own commit did it
    # One hit. The two rank alike: the web address is the hit and names the file ...
    assert _hits(runner, data) == [(web, [str(local)])]
    # ... and sorted by when they came (the feed), the copy added first is.
    assert _hits(runner, data, "added") == [(str(local), [web])]
    # Removing the hit leaves the other copy findable, as a hit of its own.
    _kb(runner, data, "remove", web)
    assert _hits(runner, data) == [(str(local), [])]
    assert _hits(runner, data, "added") == [(str(local), [])]


def test_removing_the_feeds_copy_leaves_the_web_address(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _older_bank(data)
    local = tmp_path / "plan.pdf"
    local.write_bytes(_pdf())
    with http_server({"/plan.pdf": ok(_pdf(), "application/pdf")}) as server:
        web = server.url("/plan.pdf")
        _kb(runner, data, "ingest", web, "--delay", "0")
        _kb(runner, data, "ingest", str(local))
    # The web address came first: it is the hit whatever the sort.
    assert _hits(runner, data) == _hits(runner, data, "added") == [(web, [str(local)])]
    _kb(runner, data, "remove", web)
    assert _hits(runner, data) == [(str(local), [])]


def test_an_older_bank_notes_its_originals_once_and_a_reindex_drops_the_note(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _older_bank(data)
    first, second, other = (tmp_path / n for n in ("a.pdf", "b.pdf", "c.pdf"))
    first.write_bytes(_pdf())
    second.write_bytes(_pdf())
    other.write_bytes(make_pdf(["Vara kommun bygger ut bredband på landsbygden."]))
    _kb(runner, data, "ingest", str(first), str(other))
    index_dir = Settings(data_dir=data).index_dir
    note = index_dir / _current_build(data) / BEFORE_FILE
    assert note.exists()  # the field was added by that commit; older documents lack it
    _kb(runner, data, "ingest", str(second))
    assert _hits(runner, data) == [(str(first), [str(second)])]
    _kb(runner, data, "reindex")
    assert not (index_dir / _current_build(data) / BEFORE_FILE).exists()
    # Still one hit naming the other, the same one: tied copies are ordered by when they were
    # added, then by address (kb.search.copies.tie_key), never by the docnums a reindex renews.
    assert _hits(runner, data) == [(str(first), [str(second)])]


def _kb_killed(data: Path, source: Path, step: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env |= {"PYTHONPATH": str(ROOT), "KB_TEST_CRASH_AT": step}
    return subprocess.run(
        [sys.executable, "-m", "kbcli.main", "ingest", str(source), "--data-dir", str(data)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _ingest_as_before(runner: CliRunner, data: Path, source: Path) -> None:
    """``kb ingest`` as the version before the field: the document is indexed without its hash
    (only ``kb.index.originals.LegacyOriginals`` finds it then)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builds, "add_original_field", lambda writer, build: None)
        _kb(runner, data, "ingest", str(source))
    assert ORIGINAL_FIELD not in IndexStore(Settings(data_dir=data).index_dir).open().schema


@pytest.mark.parametrize("unhashed", [False, True], ids=["first-hashed", "first-unhashed"])
@pytest.mark.parametrize("step", [s for s in STEPS if "removed" not in s])
def test_a_kill_while_a_copy_is_committed_into_an_older_bank(
    runner: CliRunner, tmp_path: Path, step: str, unhashed: bool
) -> None:
    data = tmp_path / "data"
    _older_bank(data)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(_pdf())
    second.write_bytes(_pdf())
    if unhashed:  # the copy's commit indexes the first again (Changes.again), in its journal
        _ingest_as_before(runner, data, first)
    else:  # the first commit into the older index added the field: the first has its hash
        _kb(runner, data, "ingest", str(first))
    crashed = _kb_killed(data, second, step)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert indexed_ids(data) <= stored_ids(data)
    # Before the next writer: the index as at the last commit, or with the copy's commit.
    assert _hits(runner, data) in ([(str(first), [])], [(str(first), [str(second)])])
    _kb(runner, data, "ingest", str(second))
    assert compare(data) == set() and indexed_ids(data) == stored_ids(data)
    assert _hits(runner, data) == [(str(first), [str(second)])]


def test_the_report_names_an_older_banks_unhashed_copy_once_found(
    runner: CliRunner, tmp_path: Path
) -> None:
    # kb.writer finds the committed copy an older index holds without its hash once per original
    # (when adding), and the report's "same content as" notes name it from what it found.
    data = tmp_path / "data"
    _older_bank(data)
    first, second, third = (tmp_path / n for n in ("a.pdf", "b.pdf", "c.pdf"))
    for path in (first, second, third):
        path.write_bytes(_pdf())
    _ingest_as_before(runner, data, first)
    output = _kb(runner, data, "ingest", str(second), str(third)).output
    notes = [line for line in output.splitlines() if "same content as" in line]
    assert any(str(first) in line for line in notes), output
    assert len([line for line in notes if str(first) in line]) == 2, output  # both copies say it
    assert _hits(runner, data) == [(str(first), sorted([str(second), str(third)]))]
