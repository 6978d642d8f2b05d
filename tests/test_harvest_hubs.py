"""`kb harvest` of a site whose start page is link-only (a hub: followed, not added) against a
real HTTP server on 127.0.0.1 that honours If-None-Match: the hub is remembered with its
validators and content hash, so an unchanged hub is neither downloaded (304) nor extracted
(the same bytes) again, while a changed one, or one judged by other rules (another
``ingest.extract.hub.rules_version``), is looked at again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

import ingest.extract.hub
import ingest.workers
from ingest.extract.hub import fingerprint, rules_version
from ingest.harvest import harvest
from kb.config import Settings
from kb.service import KnowledgeBase
from kb.sources.registry import SourceRegistry, checked_source
from kb.sources.reports import HarvestFiles, HarvestReport
from tests.harvest_support import (
    T0,
    TOPICS,
    Site,
    content_page,
    options,
    page,
    serve_site,
    start_page,
)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as state:
        yield state


def _site(site: Site, etag: str) -> None:
    """Vara's section: a link-only start page (with ``etag``, or none) and its topic pages."""
    site.pages["/"] = (start_page(), etag, "")
    for i, topic in enumerate(TOPICS):
        site.pages[f"/{topic}"] = (content_page(topic), f'"t{i}"', "")
    site.pages["/plan"] = (content_page("digitaliseringsplan"), '"p1"', "")


def _hub(report: HarvestReport, base: str) -> list[tuple[str, str, str]]:
    """The report's lines about the start page: (status, code, reason)."""
    return [(i.status, i.code, i.reason) for i in report.items if i.location == base + "/"]


def _others(report: HarvestReport, base: str) -> set[str]:
    return {i.status for i in report.items if i.location != base + "/"}


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The locations the pipeline extracted (its one processing step, in this process)."""
    seen: list[str] = []
    real = ingest.workers.process

    def counting(fetched, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(fetched.source.location)
        return real(fetched, *args, **kwargs)

    monkeypatch.setattr(ingest.workers, "process", counting)
    monkeypatch.setattr("ingest.pipeline.process", counting)
    return seen


def _source(kb: KnowledgeBase, settings: Settings, site: Site) -> SourceRegistry:
    registry = SourceRegistry(settings.sources_path)
    registry.add(checked_source("vara", "site", f"{site.base}/", depth=1, taxonomy=kb.taxonomy))
    return registry


@pytest.mark.parametrize("etag", ['"h1"', ""], ids=["etag", "no-validators"])
def test_an_unchanged_hub_is_not_fetched_or_extracted_again_and_a_changed_one_is(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
    extracted: list[str],
    etag: str,
) -> None:
    _site(site, etag)
    registry, files = _source(kb, settings, site), HarvestFiles(settings.harvest_dir)
    [first] = harvest(kb, registry, files, options(T0))
    assert [(s, c) for s, c, _ in _hub(first, site.base)] == [("skipped", "links-only")]
    assert _others(first, site.base) == {"added"}
    hub = site.base + "/"
    assert extracted.count(hub) == 1

    # Nothing changed: the hub is followed through the links it had, and not looked at again.
    site.log.clear()
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    [(status, code, reason)] = _hub(second, site.base)
    assert (status, code) == ("skipped", "links-only") and "bara länkar" in reason
    assert extracted.count(hub) == 1  # not extracted again
    asked = [(status, inm) for path, status, inm, _ in site.log if path == "/"]
    if etag:
        assert asked == [(304, etag)] and "(304)" in reason  # asked with its ETag
    else:
        assert asked == [(200, "")] and "same content as at the last harvest" in reason
    assert _others(second, site.base) == {"not-modified"}  # its links were followed
    assert len(second.items) == len(first.items) == len(TOPICS) + 1

    # The hub changes: a new link. It is fetched and looked at again, and its new link followed.
    new = start_page().replace(b"</ul>", b'<li><a href="/ny">Nytt i Vara kommun</a></li></ul>')
    site.pages["/"] = (new, etag and '"h2"', "")
    site.pages["/ny"] = (content_page("välfärdsteknik"), '"n1"', "")
    [third] = harvest(kb, registry, files, options(T0 + timedelta(days=2)))
    [(status, code, reason)] = _hub(third, site.base)
    assert (status, code) == ("skipped", "links-only") and "förra skörden" not in reason
    assert extracted.count(hub) == 2
    assert {i.status for i in third.items if i.location.endswith("/ny")} == {"added"}

    # It becomes a page of its own (running text): added as a document.
    site.pages["/"] = (page("Vara kommun", "<h1>Om Vara</h1>" + "<p>Vara kommun har ett "
                       "e-arkiv sedan 2020. Arbetet följs upp varje år. Det styrs av "
                       "kommunstyrelsen.</p>" * 3), etag and '"h3"', "")  # fmt: skip
    [fourth] = harvest(kb, registry, files, options(T0 + timedelta(days=3)))
    assert [s for s, _, _ in _hub(fourth, site.base)] == ["added"]


def _site_with_archive(site: Site, archived: tuple[str, ...]) -> None:
    """``_site`` whose start page also links /arkiv/, a second hub linking ``archived``."""
    _site(site, '"h1"')
    site.pages["/"] = (
        start_page().replace(b"</ul>", b'<li><a href="/arkiv/">Arkivet</a></li></ul>'),
        '"h1"',
        "",
    )
    links = "".join(f'<li><a href="/{t}">{t} i arkivet</a></li>' for t in archived)
    site.pages["/arkiv/"] = (page("Arkivet", f"<h1>Arkivet</h1><ul>{links}</ul>"), '"a1"', "")


def test_a_hub_no_longer_linked_is_forgotten_not_withdrawn(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
) -> None:
    _site_with_archive(site, TOPICS)
    registry, files = _source(kb, settings, site), HarvestFiles(settings.harvest_dir)
    [first] = harvest(kb, registry, files, options(T0))
    arkiv = site.base + "/arkiv/"
    assert [i.code for i in first.items if i.location == arkiv] == ["links-only"]
    assert files.load_state("vara").pages[arkiv].not_added
    site.pages["/"] = (start_page(), '"h2"', "")  # the link to /arkiv/ is gone
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    assert not [i for i in second.items if i.location == arkiv]  # nothing to withdraw
    assert arkiv not in files.load_state("vara").pages
    assert not [i for i in second.items if i.status == "failed"]


def test_a_hub_at_the_crawls_depth_keeps_its_links_for_a_deeper_crawl(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
) -> None:
    # /arkiv/ stands at the source's depth: its links are not followed this time, but they are
    # what the next harvest follows when it answers 304, after the depth is raised.
    _site_with_archive(site, (*TOPICS, "gammalt"))
    site.pages["/gammalt"] = (content_page("bredband"), '"g1"', "")
    registry, files = _source(kb, settings, site), HarvestFiles(settings.harvest_dir)
    [first] = harvest(kb, registry, files, options(T0))
    gammalt = site.base + "/gammalt"
    assert [i.code for i in first.items if i.location == site.base + "/arkiv/"] == ["links-only"]
    assert not [i for i in first.items if i.location == gammalt]  # beyond depth 1
    entry = registry.get("vara")
    registry.add(checked_source("vara", "site", entry.location, depth=2, taxonomy=kb.taxonomy),
                 replace_existing=True)  # fmt: skip
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    assert [i.status for i in second.items if i.location == gammalt] == ["added"]


@pytest.mark.parametrize("etag", ['"h1"', ""], ids=["etag", "no-validators"])
def test_a_remembered_hub_is_judged_again_once_the_rules_change(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
    extracted: list[str],
    monkeypatch: pytest.MonkeyPatch,
    etag: str,
) -> None:
    _site(site, etag)
    registry, files = _source(kb, settings, site), HarvestFiles(settings.harvest_dir)
    hub = site.base + "/"
    harvest(kb, registry, files, options(T0))
    assert files.load_state("vara").pages[hub].rules == rules_version()

    # New rules that still find it links only: asked unconditionally (a 304 brings no bytes to
    # judge), extracted and judged once, then remembered under the new rules.
    monkeypatch.setattr("ingest.harvest_run.rules_version", lambda: "regler-2")
    site.log.clear()
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    [(status, code, reason)] = _hub(second, site.base)
    assert (status, code) == ("skipped", "links-only") and "förra skörden" not in reason
    assert [(s, inm) for path, s, inm, _ in site.log if path == "/"] == [(200, "")]
    assert extracted.count(hub) == 2
    assert files.load_state("vara").pages[hub].rules == "regler-2"
    [third] = harvest(kb, registry, files, options(T0 + timedelta(days=2)))
    assert "förra skörden" in _hub(third, site.base)[0][2] and extracted.count(hub) == 2

    # Rules under which the same bytes are no hub: the unchanged page is added as a document.
    monkeypatch.setattr("ingest.extract.hub.MIN_LINKS", 1000)
    monkeypatch.setattr("ingest.harvest_run.rules_version", lambda: "regler-3")
    [fourth] = harvest(kb, registry, files, options(T0 + timedelta(days=3)))
    assert [s for s, _, _ in _hub(fourth, site.base)] == ["added"]
    assert files.load_state("vara").pages[hub].not_added == ""


def test_the_rules_version_follows_the_extraction_code(tmp_path: Path) -> None:
    # A fingerprint of ingest/extract's modules: any change to how a page is read or judged
    # is a new version, with no number for anyone to remember to raise.
    package = Path(ingest.extract.hub.__file__).parent
    assert rules_version() == rules_version() == fingerprint(package)
    copy = tmp_path / "extract"
    copy.mkdir()
    for module in package.glob("*.py"):
        (copy / module.name).write_bytes(module.read_bytes())
    assert fingerprint(copy) == fingerprint(package)
    hub_py = copy / "hub.py"
    # A rule changed (whatever MIN_LINKS is today: a replace of "= 5" did nothing once it moved).
    hub_py.write_bytes(hub_py.read_bytes() + b"\nMIN_LINKS += 1\n")
    assert fingerprint(copy) != fingerprint(package)
