"""`kb ingest`, `kb list` and `kb remove` through the real CLI (click's CliRunner, --data-dir)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfWriter

from kb.taxonomy.model import Taxonomy
from kbcli.main import cli
from tests.ingest_support import html_page, http_server, make_pdf, make_scanned_pdf, ok


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "handlingsplan.pdf").write_bytes(
        make_pdf(
            ["Uddevalla kommun antar en handlingsplan för e-arkiv.", "Arkivet digitaliseras."],
            title="Handlingsplan för e-arkiv i Uddevalla kommun",
        )
    )
    (folder / "nyhet.html").write_bytes(
        html_page("Nyhet", "<h1>Trollhättans stad lanserar e-tjänst för bygglov</h1><p>Text.</p>")
    )
    return folder


def kb(runner: CliRunner, data: Path, *args: str) -> Result:
    return runner.invoke(cli, [args[0], "--data-dir", str(data), *args[1:]], catch_exceptions=False)


def json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_ingest_list_and_remove(runner: CliRunner, docs: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = kb(runner, data, "ingest", str(docs), "--delay", "0")
    assert result.exit_code == 0, result.output
    assert "Handlingsplan för e-arkiv i Uddevalla kommun" in result.output
    assert "2 tillagda / added" in result.output

    listed = json_lines(kb(runner, data, "list", "--json").output)
    plan = next(d for d in listed if d["url"] == str(docs / "handlingsplan.pdf"))
    assert set(plan) >= {"id", "title", "url", "focus_areas", "municipalities", "regions"}
    assert set(plan) >= {"doc_type", "year", "auto"}
    assert "1485" in plan["municipalities"]  # type: ignore[operator]
    assert "municipalities" in plan["auto"]  # type: ignore[operator]

    again = kb(runner, data, "ingest", str(docs))
    assert again.exit_code == 0 and "2 oförändrade / unchanged" in again.output

    removed = kb(runner, data, "remove", str(docs / "handlingsplan.pdf"))
    assert removed.exit_code == 0 and plan["id"] in removed.output
    left = json_lines(kb(runner, data, "list", "--json").output)
    assert [d["url"] for d in left] == [str(docs / "nyhet.html")]
    by_id = kb(runner, data, "remove", str(left[0]["id"]))
    assert by_id.exit_code == 0
    assert "0 dokument" in kb(runner, data, "list").output

    missing = kb(runner, data, "remove", "https://example.se/finns-inte")
    assert missing.exit_code == 1 and "not found" in missing.output
    assert "Traceback" not in missing.output
    # What to give instead, in Swedish first as every message (the hint was English only).
    assert "ange ett id, en adress eller en sökväg" in missing.output


def test_json_lines_then_totals_and_exit_status_on_failure(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    (docs / "trasig.pdf").write_bytes(b"%PDF-1.5\n1 0 obj <<")
    result = kb(runner, tmp_path / "data", "ingest", str(docs), "--json")
    assert result.exit_code == 1
    lines = json_lines(result.output)
    assert lines[-1]["totals"] == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "failed": 1,
        "skipped": 0,
    }
    failed = next(line for line in lines if line.get("status") == "failed")
    assert failed["source"] == str(docs / "trasig.pdf")
    assert failed["code"] == "corrupt" and "PDF" in str(failed["reason"])
    assert all({"source", "status", "reason"} <= set(line) for line in lines[:-1])
    assert "\r" not in result.output  # no progress bar when stderr is not a terminal


def test_dry_run_shows_the_tags_and_writes_nothing(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    result = kb(runner, data, "ingest", str(docs), "--dry-run", "--focus-area", "digital-trygghet")
    assert result.exit_code == 0, result.output
    assert "would add" in result.output
    assert "digital-trygghet (given)" in result.output
    assert "1485 (auto)" in result.output
    assert "dry run, nothing written" in result.output
    # A web page is one page: "1 sida / page", not "1 sidor / pages".
    assert "text/html, 1 sida / page" in result.output and " 1 sidor" not in result.output
    assert not data.exists()


def test_help_names_every_document_type(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ingest", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = result.output[result.output.index("--doc-type") :]
    listed = text[: text.index("--title")].replace(",", " ").replace(".", " ").split()
    for doc_type in Taxonomy.load().ids("doc_type"):
        assert doc_type in listed, doc_type


def test_an_empty_folder_says_nothing_was_found(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "tom"
    empty.mkdir()
    result = kb(runner, tmp_path / "data", "ingest", str(empty))
    assert result.exit_code == 0, result.output
    assert "inga dokument hittades att läsa in" in result.output
    assert "no documents found to ingest" in result.output


def test_flags_set_given_tags_and_bad_flags_stop_before_any_work(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    args = ["--municipality", "Borås", "--doc-type", "Vägledning", "--date", "2022-10"]
    result = kb(runner, data, "ingest", str(docs / "nyhet.html"), *args, "--title", "Min titel")
    assert result.exit_code == 0, result.output
    [doc] = json_lines(kb(runner, data, "list", "--json").output)
    assert doc["municipalities"] == ["1490"] and doc["doc_type"] == "guide"
    assert doc["title"] == "Min titel" and doc["year"] == 2022
    assert "municipalities" not in doc["auto"] and "doc_type" not in doc["auto"]  # type: ignore[operator]

    bad = kb(runner, tmp_path / "other", "ingest", str(docs), "--focus-area", "fiske")
    assert bad.exit_code == 1 and "fiske" in bad.output and "Traceback" not in bad.output
    assert not (tmp_path / "other").exists()
    # What to write instead, as the API's 400 says it (the ids had to be looked up elsewhere).
    assert "välj bland / choose from: digital-kompetens, digital-trygghet," in bad.output
    wrong_type = kb(runner, data, "edit", str(doc["id"]), "--doc-type", "Broschyr")
    assert wrong_type.exit_code == 1
    assert "'Broschyr'; välj bland / choose from: guide (Vägledning), project" in wrong_type.output
    wrong_region = kb(runner, data, "ingest", str(docs), "--region", "Väst")
    assert "'Väst'; välj bland / choose from: fyrbodal, goteborgsregionen," in wrong_region.output


def test_password_and_size_limit(runner: CliRunner, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Sekretessbelagd plan för e-hälsa."])))
    writer.encrypt(user_password="hemligt", algorithm="RC4-128")
    locked = tmp_path / "låst.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    data = tmp_path / "data"
    refused = kb(runner, data, "ingest", str(locked), "--json")
    assert refused.exit_code == 1
    assert json_lines(refused.output)[0]["code"] == "encrypted"
    opened = kb(runner, data, "ingest", str(locked), "--password", "hemligt")
    assert opened.exit_code == 0, opened.output
    too_big = kb(runner, data, "ingest", str(locked), "--max-bytes", "100", "--force", "--json")
    assert too_big.exit_code == 1 and json_lines(too_big.output)[0]["code"] == "too-large"


def test_a_scanned_pdf_without_tesseract_is_reported_as_needing_ocr(
    runner: CliRunner, tmp_path: Path
) -> None:
    scan = tmp_path / "skannad.pdf"
    scan.write_bytes(make_scanned_pdf([["Protokoll från kommunstyrelsen", "om bredband"]]))
    result = kb(
        runner, tmp_path / "data", "ingest", str(scan), "--ocr-command", "/nonexistent/tesseract"
    )
    assert result.exit_code == 1
    assert "apt-get install tesseract-ocr tesseract-ocr-swe" in result.output


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_a_scanned_pdf_is_ocr_read_and_marked(runner: CliRunner, tmp_path: Path) -> None:
    scan = tmp_path / "skannad.pdf"
    scan.write_bytes(make_scanned_pdf([["Protokoll från kommunstyrelsen", "Beslut om bredband"]]))
    data = tmp_path / "data"
    assert kb(runner, data, "ingest", str(scan)).exit_code == 0
    [doc] = json_lines(kb(runner, data, "list", "--json").output)
    assert doc["ocr"] is True
    assert "bredband" in kb(runner, data, "search", "bredband").output.lower()


def test_a_crawl_then_a_manifest_that_gives_metadata(runner: CliRunner, tmp_path: Path) -> None:
    routes = {
        "/robots.txt": ok(b"User-agent: *\nDisallow: /intern/\n", "text/plain"),
        "/": ok(html_page("Start", '<p><a href="/plan">Plan</a> <a href="/intern/x">x</a></p>')),
        "/plan": ok(html_page("Plan", "<h1>Digitaliseringsplan för Vara kommun</h1><p>…</p>")),
    }
    data = tmp_path / "data"
    manifest = tmp_path / "manifest.csv"
    with http_server(routes) as server:  # type: ignore[arg-type]
        crawled = kb(runner, data, "ingest", server.url("/"), "--crawl", "--delay", "0", "--json")
        manifest.write_text(f"url,region\n{server.url('/plan')},Skaraborg\n", encoding="utf-8")
        given = kb(runner, data, "ingest", "--manifest", str(manifest), "--json", "--delay", "0")
        again = kb(runner, data, "ingest", "--manifest", str(manifest), "--json", "--delay", "0")

    def statuses(result: Result) -> dict[str, object]:
        lines = json_lines(result.output)
        return {str(x["source"]).removeprefix(server.base): x["status"] for x in lines[:-1]}

    assert crawled.exit_code == 0, crawled.output
    assert statuses(crawled) == {"/": "added", "/plan": "added", "/intern/x": "skipped"}
    assert statuses(given) == {"/plan": "updated"}  # same bytes, new given metadata
    assert statuses(again) == {"/plan": "unchanged"}
    listed = json_lines(kb(runner, data, "list", "--json").output)
    plan = next(d for d in listed if str(d["url"]).endswith("/plan"))
    assert plan["regions"] == ["skaraborg"] and "regions" not in plan["auto"]  # type: ignore[operator]


def test_a_page_now_gone_says_its_kept_version_stays_searchable(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = html_page("Bygglov", "<h1>Vara kommun inför e-tjänst för bygglov</h1><p>Text.</p>")
    routes = {"/bygglov": ok(page)}
    data = tmp_path / "data"
    with http_server(routes) as server:  # type: ignore[arg-type]
        url = server.url("/bygglov")
        first = kb(runner, data, "ingest", url, "--delay", "0")
        del routes["/bygglov"]
        gone = kb(runner, data, "ingest", url, "--delay", "0")
        never = kb(runner, data, "ingest", server.url("/aldrig"), "--delay", "0")
    assert first.exit_code == 0, first.output
    assert gone.exit_code == 1
    assert "Sidan finns inte / not found" in gone.output
    assert (
        f"den sparade versionen är kvar och går att söka fram; ta bort den med: kb remove {url}"
        in (" ".join(gone.output.split()))
    )
    assert "its kept version stays searchable" in gone.output
    assert kb(runner, data, "search", "bygglov").output.count("Vara kommun") >= 1
    # A page never ingested has nothing kept: no such note.
    assert never.exit_code == 1 and "sparade versionen" not in never.output


def test_ingest_without_sources_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = kb(runner, tmp_path / "data", "ingest")
    assert result.exit_code == 2 and "--manifest" in result.output


def test_a_data_folder_that_cannot_be_made_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder's parent should be")
    source = tmp_path / "plan.txt"
    source.write_text("Plan för e-arkiv i Vara kommun.", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["ingest", str(source), "--data-dir", str(blocker / "data")], env={"KB_DATA_DIR": ""}
    )
    # Was a traceback ending in NotADirectoryError.
    assert result.exit_code == 1
    assert "data folder unusable" in result.output
    assert not isinstance(result.exception, OSError)


def test_ingest_of_the_same_file_at_another_address_says_so_and_keeps_both(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert kb(runner, data, "ingest", str(docs), "--delay", "0").exit_code == 0
    other = tmp_path / "arkiv" / "kopia-av-planen.pdf"
    other.parent.mkdir()
    shutil.copyfile(docs / "handlingsplan.pdf", other)
    result = kb(runner, data, "ingest", str(other))
    assert result.exit_code == 0 and "1 tillagda / added" in result.output
    first = docs / "handlingsplan.pdf"
    assert f"samma innehåll som / same content as: {first}" in result.output
    # Nothing is lost: both addresses are documents; a search shows one hit naming the other.
    urls = {d["url"] for d in json_lines(kb(runner, data, "list", "--json").output)}
    assert {str(first), str(other)} <= urls
    found = json.loads(kb(runner, data, "search", "handlingsplan e-arkiv", "--json").output)
    plans = [r for r in found["results"] if r["url"] in (str(first), str(other))]
    assert len(plans) == 1 and len(plans[0]["also_at"]) == 1
    text = kb(runner, data, "search", "handlingsplan e-arkiv").output
    (copy,) = plans[0]["also_at"]
    elsewhere, elsewhere_id = copy["url"], copy["id"]
    assert elsewhere == ({str(first), str(other)} - {plans[0]["url"]}).pop()
    # The other copy by its file name and the id kb edit/remove take, not this machine's path.
    assert f"Finns även på (also at): {Path(elsewhere).name} (id {elsewhere_id})" in text
    assert elsewhere not in text


def test_a_dry_run_says_same_content_as_a_real_run_would(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = docs / "handlingsplan.pdf"
    assert kb(runner, data, "ingest", str(first)).exit_code == 0
    copies = tmp_path / "kopior"
    copies.mkdir()
    for name in ("a.pdf", "b.pdf"):
        shutil.copyfile(first, copies / name)
    result = kb(runner, data, "ingest", str(copies), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 skulle läggas till / would add" in result.output
    # Each copy names the stored document; the second also the first of this run.
    assert result.output.count(f"samma innehåll som / same content as: {first}") == 2
    a = copies / "a.pdf"
    assert f"samma innehåll som / same content as: {a}" in result.output
    unchanged = kb(runner, data, "ingest", str(first), "--dry-run")
    assert "same content as" not in unchanged.output  # itself, unchanged: nothing to say


def test_two_copies_in_one_ingest_are_both_kept_and_one_names_the_other(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    twins = tmp_path / "tvillingar"
    twins.mkdir()
    for name in ("a.pdf", "b.pdf"):
        shutil.copyfile(docs / "handlingsplan.pdf", twins / name)
    result = kb(runner, tmp_path / "data", "ingest", str(twins), "--delay", "0")
    assert result.exit_code == 0 and "2 tillagda / added" in result.output
    assert result.output.count("same content as") == 1


def test_data_dir_before_or_after_the_command_name(
    runner: CliRunner, docs: Path, tmp_path: Path
) -> None:
    # `kb --data-dir X ingest` was "No such option: --data-dir"; only `kb ingest --data-dir X` ran.
    before, after, env_dir = tmp_path / "before", tmp_path / "after", tmp_path / "env"
    first = runner.invoke(cli, ["--data-dir", str(before), "ingest", str(docs), "--delay", "0"])
    assert first.exit_code == 0, first.output
    assert "2 tillagda / added" in first.output and (before / "index").is_dir()

    def listed(*args: str, env: dict[str, str] | None = None) -> list[str]:
        result = runner.invoke(cli, [*args], env=env)
        assert result.exit_code == 0, result.output
        return sorted(str(d["url"]) for d in json_lines(result.output))

    urls = sorted(str(docs / name) for name in ("handlingsplan.pdf", "nyhet.html"))
    assert listed("--data-dir", str(before), "list", "--json") == urls
    assert listed("list", "--json", "--data-dir", str(before)) == urls
    # After the command name wins over before it; a typed option wins over KB_DATA_DIR.
    assert kb(runner, after, "ingest", str(docs / "nyhet.html"), "--delay", "0").exit_code == 0
    only_news = [str(docs / "nyhet.html")]
    assert listed("--data-dir", str(before), "list", "--json", "--data-dir", str(after)) == (
        only_news
    )
    assert listed("--data-dir", str(after), "list", "--json", env={"KB_DATA_DIR": str(before)}) == (
        only_news
    )
    assert listed("list", "--json", env={"KB_DATA_DIR": str(after)}) == only_news
    # A group in a group (`kb stats queries`) and a read-only command on a missing folder.
    stats = runner.invoke(cli, ["--data-dir", str(after), "stats", "--json"])
    assert json.loads(stats.output)["documents"] == 1
    queries = runner.invoke(cli, ["--data-dir", str(after), "stats", "queries", "--json"])
    assert queries.exit_code == 0 and json.loads(queries.output) == []
    missing = runner.invoke(cli, ["--data-dir", str(env_dir), "list"])
    assert missing.exit_code == 1 and f"Ingen kunskapsbank i {env_dir}" in missing.output
    help_text = runner.invoke(cli, ["--help"], terminal_width=200).output
    assert "--data-dir" in help_text and "a --data-dir after the command name wins" in help_text
