"""`kb ingest` as staff use it: what the report says about values they gave, manifests saved by
a spreadsheet, and an interrupted batch (QA round 8, docs/ingest.md)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ingest.workers import deferred_interrupt
from kbcli.main import cli
from tests.ingest_support import http_server, make_pdf, make_scanned_pdf, slow
from tests.reindex_support import finish, kb_env, kb_process, kb_run, signal_taken, wait_for

PLAN = "Uddevalla kommun antar en handlingsplan för e-arkiv. Arkivet digitaliseras under 2022."


def kb(runner: CliRunner, data: Path, *args: str) -> Result:
    return runner.invoke(cli, [args[0], "--data-dir", str(data), *args[1:]], catch_exceptions=False)


def json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.pdf"
    path.write_bytes(make_pdf([PLAN], title="Handlingsplan för e-arkiv"))
    return path


def test_the_report_shows_the_values_given_not_the_automatic_ones(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # The line and --json named the extracted title and the automatic tags, though the bank
    # shows the given ones (and --dry-run previewed them): staff thought their values were lost.
    data = tmp_path / "data"
    given = ("--title", "Plan för e-arkiv 2022", "--doc-type", "strategy", "--date", "2021-03")
    line = kb(runner, data, "ingest", str(plan), *given)
    assert line.exit_code == 0, line.output
    assert "added  Plan för e-arkiv 2022  <" in line.output

    again = kb(runner, data, "ingest", str(plan), "--json", *given)
    (outcome,) = json_lines(again.output)[:1]
    assert outcome["status"] == "unchanged"
    assert outcome["title"] == "Plan för e-arkiv 2022"
    assert outcome["date"] == "2021-03" and outcome["date_source"] == "given"
    assert outcome["doc_type"]["value"] == "strategy"  # type: ignore[index]
    assert outcome["doc_type"]["source"] == "given"  # type: ignore[index]

    listed = json_lines(kb(runner, data, "list", "--json").output)
    assert [d["title"] for d in listed] == ["Plan för e-arkiv 2022"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1252", ";"), ("utf-16", "\t"), ("mac_roman", ";")],
    ids=["excel-csv-semikolon", "excel-unicode-text", "mac-roman"],
)
def test_a_manifest_saved_by_a_spreadsheet_in_its_code_page_is_read(
    runner: CliRunner, plan: Path, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    # Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252 and "Unicode-text" in
    # UTF-16; the manifest was read as UTF-8 only and the run stopped on a codec error.
    rows = [["källa", "titel", "kommun"], [plan.name, "Plan för e-arkiv i Åmål", "Åmål"]]
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    manifest = tmp_path / "dokument.csv"
    manifest.write_bytes(text.encode(encoding))
    result = kb(runner, tmp_path / "data", "ingest", "--manifest", str(manifest), "--json")
    assert result.exit_code == 0, result.output
    outcome = json_lines(result.output)[0]
    assert outcome["title"] == "Plan för e-arkiv i Åmål"
    assert [t["value"] for t in outcome["municipalities"]] == ["1492"]  # type: ignore[union-attr]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_an_interrupted_ingest_keeps_what_it_read_and_says_how_to_go_on(
    runner: CliRunner, plan: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    # Ctrl-C printed click's bare "Aborted!" and dropped the documents read since the last
    # commit (up to 99); SIGTERM ended the process without a word.
    (plan.parent / "anteckning.md").write_text("# Anteckningar\n\nOm e-arkivet i Uddevalla.\n")
    data = tmp_path / "data"
    with http_server({"/slow": slow}) as server:
        proc = kb_process(data, "ingest", str(plan.parent), server.url("/slow"), "--delay", "0")
        # Local files are read first; once the server is asked, both wait for their commit.
        deadline = time.monotonic() + 120
        while "/slow" not in server.paths() and time.monotonic() < deadline:
            assert proc.poll() is None, finish(proc)
            time.sleep(0.05)
        proc.send_signal(stop)
        out, err = finish(proc, timeout=60)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err and "Aborted" not in err
    assert "Avbruten / interrupted: 2 tillagda / added" in out
    assert "Kör samma kommando igen" in out and "run the same command again" in out
    assert kb(runner, data, "check").exit_code == 0
    again = kb(runner, data, "ingest", str(plan.parent))
    assert "2 oförändrade / unchanged" in again.output, again.output


def test_a_source_named_twice_is_reported_not_silently_dropped(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # A manifest row repeated with other values vanished from the report: staff could not
    # tell that its title was never used.
    manifest = tmp_path / "dokument.csv"
    manifest.write_text(
        f"källa;titel\n{plan.name};Plan för e-arkiv\n{plan.name};Plan för e-arkiv, reviderad\n",
        encoding="utf-8",
    )
    result = kb(runner, tmp_path / "data", "ingest", "--manifest", str(manifest), "--json")
    assert result.exit_code == 0, result.output
    outcomes = {str(o["status"]): o for o in json_lines(result.output)[:-1]}
    added, twice = outcomes["added"], outcomes["skipped"]
    assert added["title"] == "Plan för e-arkiv"
    assert twice["status"] == "skipped" and twice["code"] == "duplicate"
    assert twice["source"] == str(plan)
    assert "manifest line 2" in str(twice["reason"])
    assert "named earlier in this run" in str(twice["reason"])


def test_a_list_written_with_commas_in_a_cell_or_a_flag_is_read_as_a_list(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # A spreadsheet's CSV separates cells with ";", so staff write a list in a cell with commas;
    # the whole cell was looked up as one name and the row failed ("okänt fokusområde").
    manifest = tmp_path / "dokument.csv"
    manifest.write_text(
        "källa;fokusområde;kommun;region\n"
        f"{plan.name};Digital kompetens, Digitalt ledarskap;Uddevalla, Vänersborg;Sjuhärad\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    result = kb(runner, data, "ingest", "--manifest", str(manifest), "--json")
    assert result.exit_code == 0, result.output
    (listed,) = json_lines(kb(runner, data, "list", "--json").output)
    assert listed["focus_areas"] == ["digital-kompetens", "digitalt-ledarskap"]
    assert listed["municipalities"] == ["1485", "1487"]
    assert listed["regions"] == ["sjuharad"]

    # A flag too; an unknown part is named alone, and nothing is written.
    bad = kb(
        runner, data, "ingest", str(plan), "--focus-area", "digital kompetens, digtal trygghet"
    )
    assert bad.exit_code == 1
    assert "unknown focus area: 'digtal trygghet'" in bad.output


@pytest.mark.parametrize(
    ("typed", "doc_type"),
    [("beslut", "decision"), ("Protokoll", "decision"), ("rapport", "report"),
     ("Utredning", "report"), ("minutes", "decision"), ("Vägledning", "guide")],
)  # fmt: skip
def test_a_document_type_is_taken_by_the_word_staff_use(
    runner: CliRunner, plan: Path, tmp_path: Path, typed: str, doc_type: str
) -> None:
    # "--doc-type beslut" or a manifest's "Rapport" failed: only the id or the whole label
    # ("Beslut och protokoll") was known, and the error listed English ids only.
    result = kb(runner, tmp_path / "data", "ingest", str(plan), "--doc-type", typed, "--json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.output)[0]["doc_type"]["value"] == doc_type  # type: ignore[index]


def test_an_unknown_document_type_lists_the_swedish_names(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    result = kb(runner, tmp_path / "data", "ingest", str(plan), "--doc-type", "broschyr")
    assert result.exit_code == 1
    assert "decision (Beslut och protokoll)" in result.output
    assert "report (Rapport och utredning)" in result.output


def test_the_summary_names_the_skipped_files_and_what_to_do_with_office_files(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # The summary said "3 × Filtypen .doc läses inte" and nothing more: with the progress bar
    # (a terminal) no line named them, and nothing said they could be saved as PDF.
    old_word = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    for i in range(7):
        (plan.parent / f"protokoll-{i}.doc").write_bytes(old_word)
    (plan.parent / "logga.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = kb(runner, tmp_path / "data", "ingest", str(plan.parent))
    assert result.exit_code == 0, result.output
    summary = result.output.split("Överhoppade / skipped:")[1]
    assert "7 × Filtypen .doc läses inte; spara filerna som PDF" in summary
    assert "save them as PDF to ingest them" in summary
    assert f"      {plan.parent / 'protokoll-0.doc'}\n" in summary
    assert f"      {plan.parent / 'protokoll-4.doc'}\n" in summary
    assert "protokoll-5.doc" not in summary
    assert "… och 2 till (--json listar alla) / and 2 more" in summary
    # An image is not a document in another format: no advice to save it as PDF.
    assert "1 × Filtypen .png läses inte / file type not read\n" in summary
    assert f"      {plan.parent / 'logga.png'}" in summary


def test_a_remove_with_one_unknown_target_says_nothing_was_removed(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # The error named the unknown target only: staff could not tell whether the others went.
    data = tmp_path / "data"
    assert kb(runner, data, "ingest", str(plan)).exit_code == 0
    result = kb(runner, data, "remove", str(plan), str(tmp_path / "finns-inte.pdf"))
    assert result.exit_code == 1
    assert "finns-inte.pdf" in result.output
    assert "inget togs bort / nothing was removed" in result.output
    assert len(json_lines(kb(runner, data, "list", "--json").output)) == 1


def test_a_harvest_reports_a_damaged_pdf_without_pypdf_noise_on_stderr(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # kb harvest (run by cron) left pypdf's "EOF marker not found" in the log, with no file
    # named; kb ingest and kb reextract already kept pypdf quiet.
    (plan.parent / "trasig.pdf").write_bytes(plan.read_bytes()[:700])
    data = tmp_path / "data"
    source = ["--data-dir", str(data), "source", "add", "mapp", "--folder", str(plan.parent)]
    added = runner.invoke(cli, source, catch_exceptions=False)
    assert added.exit_code == 0, added.output
    # A real process: pytest's log capture would hide what logging prints on stderr.
    result = kb_run(data, "harvest", "--source", "mapp")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"misslyckades / failed: {plan.parent / 'trasig.pdf'}: Trasig PDF" in result.stdout
    assert "EOF marker" not in result.stderr and result.stderr == ""


def test_ctrl_c_during_a_commit_waits_for_it_so_the_report_counts_every_document_committed(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # Ctrl-C inside a commit broke it off; the next writer finished it from the journal, so the
    # bank held documents the report never named ("1 tillagda" with 3 in the bank).
    for name in ("a.md", "b.md"):
        (plan.parent / name).write_text(f"# Anteckning {name}\n\nOm e-arkivet i Uddevalla.\n")
    data, pause = tmp_path / "data", tmp_path / "pause"
    pause.mkdir()
    proc = kb_process(
        data, "ingest", str(plan.parent), "--batch-size", "2",
        KB_TEST_PAUSE_AT="store-written", KB_TEST_PAUSE_DIR=str(pause),
    )  # fmt: skip
    wait_for(pause / "paused-store-written", proc)
    proc.send_signal(signal.SIGINT)
    signal_taken(proc)  # the commit holds it, then is let go on
    (pause / "resume").touch()
    out, err = finish(proc)
    assert proc.returncode == 130, out + err
    assert len(json_lines(kb(runner, data, "list", "--json").output)) == 3
    assert "Avbruten / interrupted: 3 tillagda / added" in out, out
    assert kb(runner, data, "check").exit_code == 0


def test_deferred_interrupt_holds_one_signal_and_gives_in_to_a_second() -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    finished = False
    with pytest.raises(KeyboardInterrupt), deferred_interrupt():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        finished = True  # held: the block runs to its end
    assert finished
    with pytest.raises(KeyboardInterrupt), deferred_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        pytest.fail("a second signal must interrupt at once")
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


FAKE_TESSERACT = """#!/bin/sh
# A stand-in for tesseract: its languages, then a page's text, or (FAKE_OCR_HOLD set) a page
# that takes until the test stops the run: it ends with kb, never left behind if kb leaves it.
if [ "$1" = "--list-langs" ]; then printf 'List of available languages (1):\\nswe\\n'; exit 0; fi
if [ -n "$FAKE_OCR_HOLD" ]; then
  touch "$FAKE_OCR_HOLD"
  while kill -0 "$PPID" 2>/dev/null; do sleep 0.1; done
  exit 1
fi
printf 'Protokoll fört vid sammanträde med kommunstyrelsen i Lysekil om e-arkiv.\\n'
"""


def test_an_interrupted_reextract_says_what_it_wrote(runner: CliRunner, tmp_path: Path) -> None:
    # Ctrl-C or kill during `kb reextract` (hours over a whole bank) printed click's bare
    # "Aborted!" (exit 1) or nothing: staff could not tell whether anything had been written.
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "skannad.pdf").write_bytes(make_scanned_pdf([["Protokoll", "Lysekil"]]))
    ocr = tmp_path / "tesseract"
    ocr.write_text(FAKE_TESSERACT)
    ocr.chmod(0o755)
    data = tmp_path / "data"
    added = kb(runner, data, "ingest", str(folder), "--ocr-command", str(ocr))
    assert added.exit_code == 0, added.output
    held = tmp_path / "ocr-started"
    proc = kb_process(data, "reextract", "--ocr-command", str(ocr), FAKE_OCR_HOLD=str(held))
    wait_for(held, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = finish(proc)
    assert proc.returncode == 130, out + err
    assert "Aborted" not in err and "Traceback" not in err
    assert "Avbruten / interrupted: 0 omlästa / re-extracted" in out
    assert "de övriga dokumenten är som förut" in out
    assert kb(runner, data, "check").exit_code == 0


def _limit_file_size() -> None:
    # A file may grow to 40 KB: the index's segment outgrows it, as on a full disk. SIGXFSZ is
    # ignored so that the write fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))


def test_a_disk_that_fills_during_an_ingest_stops_it_with_one_clear_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    # A full disk during an ingest ended in a Python traceback (OSError: [Errno 27] File too
    # large), with no summary of what was saved.
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(60):
        words = " ".join(f"ord{i}x{j} e-tjänst{j % 7} kommun{i * j % 11}" for j in range(120))
        (folder / f"d{i:02d}.md").write_text(f"# Rapport {i}\n\n{words}\n", encoding="utf-8")
    data = tmp_path / "data"
    full = subprocess.run(
        [sys.executable, "-m", "kbcli.main", "ingest", str(folder), "--data-dir", str(data)],
        env=kb_env(), capture_output=True, text=True, timeout=300,
        preexec_fn=_limit_file_size, check=False,
    )  # fmt: skip
    assert full.returncode == 1, full.stdout + full.stderr
    assert "Traceback" not in full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fel / error: Disken är full"), full.stderr
    assert "Frigör plats och kör kommandot igen" in lines[0]
    assert "Avbruten / interrupted: 0 tillagda / added, 60 misslyckade / failed" in full.stdout
    # With room again, the same command finishes the cut-off write and the rest.
    again = kb(runner, data, "ingest", str(folder))
    assert again.exit_code == 0, again.output
    assert kb(runner, data, "check").exit_code == 0
    assert len(json_lines(kb(runner, data, "list", "--json").output)) == 60
