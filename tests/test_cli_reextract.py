"""`kb reextract`: the kept originals are extracted and tagged again with today's rules."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import ingest.workers
from ingest.pipeline import IngestOptions
from ingest.reextract import given_defaults, reextract
from kb.config import Settings
from kb.document import Document, Page, Tag
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kbcli.main import cli
from tests.ingest_support import html_page, http_server, make_pdf, ok

_enrich = ingest.workers.enrich_extracted


def _older_rules(*args: Any, **kwargs: Any) -> Any:
    """Enrichment as an older rule set did it: no focus areas found."""
    return replace(_enrich(*args, **kwargs), focus_areas=())


def kb(runner: CliRunner, data: Path, *args: str) -> Result:
    return runner.invoke(cli, [args[0], "--data-dir", str(data), *args[1:]], catch_exceptions=False)


def listed(runner: CliRunner, data: Path) -> dict[str, dict[str, Any]]:
    out = kb(runner, data, "list", "--json").output
    return {d["url"]: d for d in (json.loads(line) for line in out.splitlines())}


def test_reextract_applies_new_rules_keeps_corrections_and_reports_a_damaged_original(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, data = tmp_path / "docs", tmp_path / "data"
    folder.mkdir()
    plan, etj, gone = folder / "plan.pdf", folder / "etjanster.pdf", folder / "trasig.pdf"
    plan.write_bytes(
        make_pdf(
            ["Uddevalla kommun antar en handlingsplan för e-arkiv och digital arkivering."],
            title="Handlingsplan för e-arkiv i Uddevalla kommun",
        )
    )
    etj.write_bytes(
        make_pdf(["Trollhättans stad inför e-tjänster för bygglov."], title="E-tjänster")
    )
    gone.write_bytes(make_pdf(["Borås stad om e-arkiv."], title="Borås e-arkiv"))

    with monkeypatch.context() as patched:
        patched.setattr(ingest.workers, "enrich_extracted", _older_rules)
        assert kb(runner, data, "ingest", str(folder)).exit_code == 0
    before = listed(runner, data)
    assert all(d["focus_areas"] == [] for d in before.values())
    added = {url: d for url, d in before.items()}
    # A person's correction, which the new rules must not overturn.
    edited = kb(runner, data, "edit", before[str(etj)]["id"], "--municipality", "Borås")
    assert edited.exit_code == 0, edited.output
    # Damage the kept original of one document (and only that one: each has its own bytes).
    settings = Settings(data_dir=data, ingest_demo_on_start=False)
    with KnowledgeBase.open(settings) as base:
        base.original_path(before[str(gone)]["id"]).write_bytes(b"%PDF-1.4 trasig")
        facet = base.search(SearchRequest()).facets["focus_area"]
        assert {v.value: v.count for v in facet}.get("digital-infrastruktur", 0) == 0
    plan.unlink()  # the source is gone; the kept original is what is read

    result = kb(runner, data, "reextract")
    assert result.exit_code == 1, result.output
    assert "2 omlästa / re-extracted" in result.output
    assert "2 ändrade och skrivna / changed and written" in result.output
    assert "1 misslyckade / failed" in result.output
    assert "skadat" in result.output and str(gone) in result.output
    assert "+focus_areas: digital-infrastruktur" in result.output
    assert "Traceback" not in result.output

    after = listed(runner, data)
    assert after[str(plan)]["focus_areas"] == ["digital-infrastruktur"]
    assert after[str(plan)]["id"] == before[str(plan)]["id"]
    assert after[str(etj)]["focus_areas"]  # new tags ...
    assert after[str(etj)]["municipalities"] == ["1490"]  # ... under the person's correction
    assert "municipalities" not in after[str(etj)]["auto"]
    assert after[str(gone)] == added[str(gone)]  # the damaged one stays as it was
    with KnowledgeBase.open(settings) as base:
        shown = base.document(before[str(plan)]["id"])
        assert shown.added and shown.source == str(plan)
        facet = base.search(SearchRequest()).facets["focus_area"]
        assert {v.value: v.count for v in facet}.get("digital-infrastruktur", 0) >= 1
        found = base.search(SearchRequest(filters={"focus_area": ("digital-infrastruktur",)}))
        assert before[str(plan)]["id"] in {h.id for h in found.hits}

    # Run again, one document by its id: it comes out as stored, and is not written again.
    index_files = sorted(p.name for p in (data / "index").rglob("*"))
    record = data / "store" / "docs" / f"{before[str(plan)]['id']}.json"
    stamp = record.stat().st_mtime_ns
    again = kb(runner, data, "reextract", before[str(plan)]["id"], "--json")
    assert again.exit_code == 0, again.output
    lines = [json.loads(line) for line in again.output.splitlines()]
    assert (lines[0]["status"], lines[0]["changes"]) == ("unchanged", [])
    assert lines[-1]["totals"] == {"reextracted": 1, "changed": 0, "unchanged": 1, "failed": 0}
    assert record.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in (data / "index").rglob("*")) == index_files  # no commit


def test_reextract_of_an_unknown_document_stops_before_any_work(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    result = kb(runner, tmp_path / "data", "reextract", "https://example.se/finns-inte")
    assert result.exit_code == 1 and "not found" in result.output
    assert "Traceback" not in result.output


def test_a_mistyped_data_folder_is_named_not_searched_as_an_empty_bank(
    runner: CliRunner, tmp_path: Path
) -> None:
    typo = tmp_path / "dta"
    commands = (("search", "e-arkiv"), ("stats",), ("list",), ("check",), ("reextract",))
    for args in (*commands, ("stats", "queries")):
        result = kb(runner, typo, *args)
        assert result.exit_code == 1, args
        assert f"Ingen kunskapsbank i {typo}" in result.output and "Traceback" not in result.output
    assert not typo.exists()


def test_a_web_page_is_reextracted_as_its_url_after_the_site_is_gone(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    page = html_page("Plan", "<h1>Digitaliseringsplan för Vara kommun</h1><p>E-arkiv.</p>")
    with http_server({"/plan": ok(page)}) as server:  # type: ignore[arg-type]
        url = server.url("/plan")
        assert kb(runner, data, "ingest", url, "--delay", "0").exit_code == 0
    [before] = listed(runner, data).values()

    result = kb(runner, data, "reextract", url, "--json")  # the server is down now
    assert result.exit_code == 0, result.output
    first = json.loads(result.output.splitlines()[0])
    assert first["status"] == "unchanged" and first["changes"] == []  # not written again
    assert "kept original" in first["reason"]
    [after] = listed(runner, data).values()
    assert (after["id"], after["url"], after["municipalities"]) == (
        before["id"], url, before["municipalities"],
    )  # fmt: skip


def test_a_document_removed_meanwhile_is_not_added_back(runner: CliRunner, tmp_path: Path) -> None:
    folder, data = tmp_path / "docs", tmp_path / "data"
    folder.mkdir()
    (folder / "plan.pdf").write_bytes(make_pdf(["Uddevalla kommun om e-arkiv."], title="Plan"))
    assert kb(runner, data, "ingest", str(folder)).exit_code == 0
    with KnowledgeBase.open(Settings(data_dir=data, ingest_demo_on_start=False)) as base:
        [doc] = list(base.store)
        with base.writer() as writer:  # another run removes it after this one picked it
            writer.remove(doc.id)
        report, tally = reextract(base, [doc], IngestOptions())
        assert [o.code for o in report.outcomes] == ["removed"] and not tally.changed
        assert len(base.store) == 0


def test_a_sources_default_tags_go_back_in_as_defaults() -> None:
    doc = Document(
        id="0123456789abcdef", source="https://example.se/a", title="A",
        pages=(Page(1, "text"),), content_sha256="0" * 64, content_type="text/html",
        focus_areas=(Tag("digital-infrastruktur", "given"), Tag("digital-innovation")),
        municipalities=(Tag("1485"),), doc_type=Tag("plan", "given"),
        date="2021", date_source="given",
    )  # fmt: skip
    given = given_defaults(doc)
    assert given.focus_areas == ("digital-infrastruktur",) and given.municipalities == ()
    assert (given.doc_type, given.date) == ("plan", "2021")
