"""`kb harvest` against a real HTTP server on 127.0.0.1 that honours If-None-Match and
If-Modified-Since, and whose pages change, vanish and appear between runs; and a folder source."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.harvest import harvest
from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.config import Settings
from kb.document import document_id
from kb.errors import NotFoundError
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kb.sources.registry import SourceRegistry, checked_source
from kb.sources.reports import HarvestFiles, HarvestReport
from kbcli.main import cli
from tests.harvest_support import T0, Site, options, serve_site


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as state:
        yield state


def found(kb: KnowledgeBase, words: str) -> bool:
    return kb.search(SearchRequest(q=f'"{words}"')).total > 0


def statuses(report: HarvestReport, base: str) -> dict[str, str]:
    return {i.location.removeprefix(base): i.status for i in report.items}


def test_a_sitemap_source_is_kept_current_with_conditional_requests(
    kb: KnowledgeBase, settings: Settings, site: Site
) -> None:
    site.page("/a", "ärendehantering", etag='"a1"')
    site.page("/b", "bredbandsutbyggnad", modified="Mon, 05 Jan 2026 07:00:00 GMT")
    site.page("/c", "informationssäkerhet", etag='"c1"', modified="Mon, 05 Jan 2026 07:00:00 GMT")
    site.page("/e", "välfärdsteknik", etag='"e1"')
    site.sitemap = ["/a", "/b", "/c", "/e", "/trasig"]
    registry = SourceRegistry(settings.sources_path)
    registry.add(
        checked_source("kommunen", "sitemap", f"{site.base}/sitemap.xml",
                       defaults={"focus_areas": ["digital infrastruktur"]}, taxonomy=kb.taxonomy)
    )  # fmt: skip
    files = HarvestFiles(settings.harvest_dir)

    [first] = harvest(kb, registry, files, options(T0))
    assert first.error == ""
    assert statuses(first, site.base) == {
        "/a": "added", "/b": "added", "/c": "added", "/e": "added", "/trasig": "failed",
    }  # fmt: skip
    assert all(inm == ims == "" for _, _, inm, ims in site.log)  # nothing to ask with yet
    doc_b = document_id(f"{site.base}/b")
    assert kb.document(doc_b).values("focus_areas") == ("digital-infrastruktur",)  # the default
    kb.curator.edit(doc_b, {"focus_areas": ["digital kompetens"]}, by="redaktören")

    # Between the runs: /b changes, /c is gone (410), /e leaves the sitemap, /d appears.
    site.log.clear()
    site.page("/b", "bredbandsstrategi", modified="Tue, 06 Jan 2026 07:00:00 GMT")
    site.gone.add("/c")
    site.page("/d", "e-arkivering")
    site.sitemap = ["/a", "/b", "/c", "/d", "/trasig"]
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    assert statuses(second, site.base) == {
        "/a": "not-modified", "/b": "updated", "/c": "withdrawn", "/d": "added",
        "/e": "withdrawn", "/trasig": "failed",
    }  # fmt: skip
    conditional = {p: (inm, ims) for p, _, inm, ims in site.log}
    assert conditional["/a"] == ('"a1"', "") and site.statuses("/a") == [304]
    assert conditional["/b"] == ("", "Mon, 05 Jan 2026 07:00:00 GMT")
    assert conditional["/c"] == ('"c1"', "Mon, 05 Jan 2026 07:00:00 GMT")
    assert "/e" not in conditional  # not listed any more: not asked
    assert found(kb, "bredbandsstrategi") and not found(kb, "bredbandsutbyggnad")
    assert kb.document(doc_b).values("focus_areas") == ("digital-kompetens",)  # kept
    assert found(kb, "informationssäkerhet")  # withdrawn, but within the grace period

    # Past the grace period the vanished pages are hidden; /e coming back restores it.
    site.log.clear()
    [third] = harvest(kb, registry, files, options(T0 + timedelta(days=16)))
    assert statuses(third, site.base)["/c"] == "hidden"
    assert statuses(third, site.base)["/e"] == "hidden"
    assert not found(kb, "informationssäkerhet") and not found(kb, "välfärdsteknik")
    assert site.statuses("/a") == [304] and site.statuses("/b") == [304]
    assert kb.check() == ([], [])  # the index is store + curation, hidden ones left out
    doc_c = kb.curator.get(document_id(f"{site.base}/c"))
    assert doc_c.withdrawal is not None and doc_c.withdrawal.hidden
    assert doc_c.withdrawal.reason == "HTTP 410"

    # Ingesting a hidden page by hand does not extract it again nor bring it back by itself.
    by_hand = run(kb, resolve([f"{site.base}/e"]), IngestOptions(delay=0.0))
    assert [o.status for o in by_hand.outcomes] == ["unchanged"]
    assert not found(kb, "välfärdsteknik")

    site.sitemap.append("/e")
    [fourth] = harvest(kb, registry, files, options(T0 + timedelta(days=17)))
    assert {i.status for i in fourth.items if i.location.endswith("/e")} == {
        "not-modified",
        "restored",
    }
    assert found(kb, "välfärdsteknik")
    assert files.latest_report("kommunen") == fourth
    assert [r.started for r in files.reports("kommunen")][:2] == [fourth.started, third.started]


def test_a_site_section_is_crawled_again_through_304s(
    kb: KnowledgeBase, settings: Settings, site: Site
) -> None:
    site.page("/sektion/", "e-förvaltning", etag='"s1"', links=("a", "b", "/annat/x"))
    site.page("/sektion/a", "ärendehantering", etag='"a1"')
    site.page("/sektion/b", "bredbandsutbyggnad", etag='"b1"')
    site.page("/annat/x", "ekonomistyrning", etag='"x1"')
    registry = SourceRegistry(settings.sources_path)
    registry.add(checked_source("sektionen", "site", f"{site.base}/sektion/", depth=1))
    files = HarvestFiles(settings.harvest_dir)
    [first] = harvest(kb, registry, files, options(T0))
    assert statuses(first, site.base) == {
        "/sektion/": "added", "/sektion/a": "added", "/sektion/b": "added",
    }  # fmt: skip
    assert "/annat/x" not in [p for p, *_ in site.log]  # outside the section: not followed

    # Nothing changed: every page answers 304 and the crawl follows the links it kept.
    site.log.clear()
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    assert set(statuses(second, site.base).values()) == {"not-modified"}
    assert len(statuses(second, site.base)) == 3
    assert {s for p, s, *_ in site.log if p.startswith("/sektion/")} == {304}

    # The start page drops its link to /b: /b is no longer part of the section.
    site.page("/sektion/", "e-förvaltning", etag='"s2"', links=("a",))
    [third] = harvest(kb, registry, files, options(T0 + timedelta(days=2)))
    assert statuses(third, site.base) == {
        "/sektion/": "updated", "/sektion/a": "not-modified", "/sektion/b": "withdrawn",
    }  # fmt: skip
    reason = next(i.reason for i in third.items if i.location.endswith("/b"))
    assert "no longer linked" in reason


def test_only_sources_that_are_due_are_harvested(
    kb: KnowledgeBase, settings: Settings, site: Site
) -> None:
    site.page("/a", "ärendehantering")
    registry = SourceRegistry(settings.sources_path)
    registry.add(checked_source("varje-timme", "urls", urls=[f"{site.base}/a"], schedule="hourly"))
    registry.add(checked_source("varje-vecka", "urls", urls=[f"{site.base}/a"], schedule="weekly"))
    registry.add(checked_source("for-hand", "urls", urls=[f"{site.base}/a"], schedule="manual"))
    files = HarvestFiles(settings.harvest_dir)

    def due_at(moment: datetime) -> list[str]:
        return [r.source for r in harvest(kb, registry, files, options(moment))]

    assert due_at(T0) == ["varje-timme", "varje-vecka"]
    assert due_at(T0 + timedelta(minutes=30)) == []
    assert due_at(T0 + timedelta(hours=2)) == ["varje-timme"]
    assert due_at(T0 + timedelta(days=8)) == ["varje-timme", "varje-vecka"]
    assert [r.source for r in harvest(kb, registry, files, options(T0), ["for-hand"])] == [
        "for-hand"
    ]


def test_an_unreachable_source_is_reported_and_the_others_still_run(
    kb: KnowledgeBase, settings: Settings, site: Site
) -> None:
    site.page("/a", "ärendehantering")
    registry = SourceRegistry(settings.sources_path)
    registry.add(checked_source("borta", "sitemap", "http://127.0.0.1:9/sitemap.xml"))
    registry.add(checked_source("lista", "urls", urls=[f"{site.base}/a"]))
    files = HarvestFiles(settings.harvest_dir)
    reports = harvest(kb, registry, files, options(T0), everything=True)
    assert [r.source for r in reports] == ["borta", "lista"]
    assert "sitemap unreachable" in reports[0].error and "connection refused" in reports[0].error
    assert statuses(reports[1], site.base) == {"/a": "added"}
    assert files.latest_report("borta") == reports[0]
    with pytest.raises(NotFoundError, match="okand"):
        harvest(kb, registry, files, options(T0), names=["okand"])
    # While another process harvests a source, a second run leaves it alone.
    with files.running("lista"):
        [busy] = harvest(kb, registry, files, options(T0), names=["lista"])
    assert "another process" in busy.error and busy.items == ()
    assert files.latest_report("lista") == reports[1]


def test_a_folder_source_and_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_DATA_DIR", raising=False)
    folder = tmp_path / "delad"
    folder.mkdir()
    (folder / "plan.md").write_text("# Plan för e-arkiv\n\nVänersborgs kommun inför e-arkiv.\n")
    (folder / "beslut.txt").write_text("Beslut om bredband i Dals-Ed kommun.\n")
    data = str(tmp_path / "data")
    runner = CliRunner()

    def kb(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, [*args, "--data-dir", data])
        return result.exit_code, result.output

    code, out = kb("source", "add", "delat", "--folder", str(folder), "--region", "Fyrbodal")
    assert code == 0, out
    code, out = kb("source", "add", "fel", "--folder", str(folder), "--focus-area", "fiske")
    assert code == 1 and "fiske" in out
    code, out = kb("source", "add", "ingen")  # Swedish and English, as the other messages
    assert code == 2 and "give exactly one of --site, --sitemap, --folder or --url" in out
    code, out = kb("harvest", "--delay", "0")
    # Each outcome in Swedish and English, as `kb ingest` says it.
    assert code == 0 and "delat:" in out and "2 tillagda / added" in out, out
    plan = folder / "plan.md"
    plan.write_text("# Plan för e-arkiv\n\nVänersborgs kommun inför e-arkiv och e-tjänster.\n")
    os.utime(plan, ns=(plan.stat().st_atime_ns, plan.stat().st_mtime_ns + 10**9))
    (folder / "beslut.txt").unlink()
    (folder / "ny.txt").write_text("Ny rapport om välfärdsteknik i Trollhättan.\n")
    code, out = kb("harvest", "--source", "delat", "--delay", "0")
    assert code == 0, out
    assert "1 tillagda / added" in out and "1 uppdaterade / updated" in out
    assert "1 borta, dolda efter karenstiden / withdrawn" in out
    code, out = kb("source", "list")
    assert "delat  folder  daily" in out and "1 borta, dolda efter karenstiden / withdrawn" in out
    code, out = kb("harvest", "--source", "okand")
    assert code == 1 and "okand" in out
    assert kb("source", "remove", "delat")[0] == 0
    code, out = kb("source", "list")
    assert code == 0 and "delat" not in out
    # Was no output at all; --json stays empty (one object per source).
    assert out.strip() == "Inga registrerade källor / no sources registered (kb source add)"
    assert kb("source", "list", "--json") == (0, "")
