"""`kb harvest` of a site section whose depth staff raise between two runs, against a real HTTP
server on 127.0.0.1: a document page at the old depth had its links unread, and the state says so
(``links`` None, not []), so the deeper harvest reads them (from the kept original, without
downloading the page again) and adds the pages only it leads to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from ingest.harvest import harvest
from kb.config import Settings
from kb.document import document_id
from kb.service import KnowledgeBase
from kb.sources.registry import SourceRegistry, checked_source
from kb.sources.reports import HarvestFiles, HarvestReport
from tests.harvest_support import T0, Site, options, serve_site


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as state:
        yield state


def statuses(report: HarvestReport, base: str) -> dict[str, str]:
    return {i.location.removeprefix(base): i.status for i in report.items}


def _section(site: Site, etag: bool) -> None:
    """/sektion/ links /sektion/a, which links /sektion/b (the grandchild): three documents."""
    site.page("/sektion/", "e-förvaltning", etag='"s1"' if etag else "", links=("a",))
    site.page("/sektion/a", "ärendehantering", etag='"a1"' if etag else "", links=("b",))
    site.page("/sektion/b", "bredbandsutbyggnad", etag='"b1"' if etag else "")


def _deepen(registry: SourceRegistry, depth: int) -> None:
    entry = registry.get("sektionen")
    registry.add(checked_source("sektionen", "site", entry.location, depth=depth),
                 replace_existing=True)  # fmt: skip


def _first(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
) -> tuple[SourceRegistry, HarvestFiles]:
    """Depth 1: the start page and /a are added, /b (two hops away) is not reached."""
    registry = SourceRegistry(settings.sources_path)
    registry.add(checked_source("sektionen", "site", f"{site.base}/sektion/", depth=1))
    files = HarvestFiles(settings.harvest_dir)
    [first] = harvest(kb, registry, files, options(T0))
    assert statuses(first, site.base) == {"/sektion/": "added", "/sektion/a": "added"}
    pages = files.load_state("sektionen").pages
    assert pages[f"{site.base}/sektion/"].links == [f"{site.base}/sektion/a"]
    assert pages[f"{site.base}/sektion/a"].links is None  # at the depth: not read, not "none"
    return registry, files


@pytest.mark.parametrize("etag", [True, False], ids=["304", "same-bytes"])
def test_a_page_at_the_old_depth_leads_to_new_pages_once_the_depth_is_raised(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
    etag: bool,
) -> None:
    _section(site, etag)
    registry, files = _first(kb, settings, site)
    _deepen(registry, 2)
    site.log.clear()
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    unchanged = "not-modified" if etag else "unchanged"
    assert statuses(second, site.base) == {
        "/sektion/": unchanged, "/sektion/a": unchanged, "/sektion/b": "added",
    }  # fmt: skip
    # /a is asked once, conditionally: its links come from the kept original, not a new download.
    assert site.statuses("/sektion/a") == ([304] if etag else [200])
    a = files.load_state("sektionen").pages[f"{site.base}/sektion/a"]
    assert a.links == [f"{site.base}/sektion/b"]  # read now, kept for the next 304

    site.log.clear()
    [third] = harvest(kb, registry, files, options(T0 + timedelta(days=2)))
    assert set(statuses(third, site.base).values()) == {unchanged}
    assert len(statuses(third, site.base)) == 3


def test_a_page_whose_kept_original_is_missing_is_fetched_for_its_links(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
) -> None:
    _section(site, etag=True)
    registry, files = _first(kb, settings, site)
    sha = kb.store.load(document_id(f"{site.base}/sektion/a")).content_sha256
    kb.store.blob_path(sha).unlink()
    _deepen(registry, 2)
    site.log.clear()
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    assert statuses(second, site.base)["/sektion/b"] == "added"
    assert site.statuses("/sektion/a") == [200]  # asked without its ETag: a 304 has no links
    assert [inm for p, _, inm, _ in site.log if p == "/sektion/a"] == [""]


def test_a_state_from_before_unread_links_were_told_apart_is_read_again(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
) -> None:
    # A state.json written before the format kept None: every document page had "links": [],
    # also those at the depth whose links were never read. Such a [] is not trusted.
    _section(site, etag=True)
    registry, files = _first(kb, settings, site)
    path = settings.harvest_dir / "sektionen" / "state.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("format", None)
    for page in data["pages"].values():
        page["links"] = page["links"] or []
    path.write_text(json.dumps(data), encoding="utf-8")
    _deepen(registry, 2)
    site.log.clear()
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    assert statuses(second, site.base)["/sektion/b"] == "added"
    assert site.statuses("/sektion/a") == [304]


def test_a_redirected_page_at_the_depth_keeps_links_relative_to_where_it_moved(
    kb: KnowledgeBase,
    settings: Settings,
    site: Site,
) -> None:
    # /sektion/a answers from /sektion/a/, where its link "b" is /sektion/a/b. The kept original
    # does not say where it answered from: its links are read at once, not from it later.
    _section(site, etag=True)
    site.moved["/sektion/a"] = "/sektion/a/"
    site.pages["/sektion/a/"] = site.pages.pop("/sektion/a")
    site.pages["/sektion/a/b"] = site.pages.pop("/sektion/b")
    registry, files = SourceRegistry(settings.sources_path), HarvestFiles(settings.harvest_dir)
    registry.add(checked_source("sektionen", "site", f"{site.base}/sektion/", depth=1))
    harvest(kb, registry, files, options(T0))
    a = files.load_state("sektionen").pages[f"{site.base}/sektion/a"]
    assert a.links == [f"{site.base}/sektion/a/b"]
    _deepen(registry, 2)
    [second] = harvest(kb, registry, files, options(T0 + timedelta(days=1)))
    assert statuses(second, site.base)["/sektion/a/b"] == "added"
    assert "/sektion/b" not in statuses(second, site.base)
