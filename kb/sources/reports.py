"""Harvest reports and harvest state, per source, under ``<data_dir>/harvest/<name>/``.

``report-<time>.json`` is one run's report (what was checked, added, changed, unchanged,
withdrawn, failed, and why); the newest few are kept. ``state.json`` is what the next run needs
to ask conditionally: per URL or file its ETag, Last-Modified, content hash, document id, when
it was last seen and since when it is missing, a crawled page's links (None: not read), and for
a link-only page a crawl followed but did not add, why and by which rules. Imports kb values
only; never fetches.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kb.atomic import atomic_write, exclusive_lock
from kb.errors import KbError, StoreError

KEEP_REPORTS = 20
# state.json's format. 2: a page's ``links`` is None when they were not read; in format 1 such
# a page had [] like a page without links, so a 1's [] is read as None (unread).
STATE_FORMAT = 2


class HarvestRunningError(KbError):
    """Another process is harvesting the same source right now."""


@dataclass(frozen=True)
class ReportItem:
    """What a harvest did with one page or file."""

    location: str
    status: (
        str  # added, updated, unchanged, not-modified, withdrawn, hidden, restored, failed, skipped
    )
    reason: str = ""
    code: str = ""
    doc_id: str = ""


@dataclass(frozen=True)
class HarvestReport:
    """One run over one source."""

    source: str
    started: str
    finished: str = ""
    error: str = ""  # the source as a whole could not be checked (unreachable)
    items: tuple[ReportItem, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """How many items had each status."""
        out: dict[str, int] = {}
        for item in self.items:
            out[item.status] = out.get(item.status, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "started": self.started,
            "finished": self.finished,
            "error": self.error,
            "counts": self.counts,
            "items": [asdict(i) for i in self.items],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HarvestReport:
        return cls(
            source=str(data["source"]),
            started=str(data["started"]),
            finished=str(data.get("finished", "")),
            error=str(data.get("error", "")),
            items=tuple(ReportItem(**i) for i in data.get("items", ())),
        )


@dataclass
class PageState:
    """What the last harvest knew of one URL or file."""

    etag: str = ""
    last_modified: str = ""
    sha256: str = ""
    doc_id: str = ""
    last_seen: str = ""
    missing_since: str = ""
    missing_reason: str = ""
    # A crawled page's links, followed on a 304; None when they were not read (a page at the
    # crawl's depth, or not crawled): a deeper crawl reads them then, [] says there are none.
    links: list[str] | None = None
    # Why a crawled page was followed but not added (links only, ingest.extract.hub); "" for
    # others. Such a page is asked conditionally too, and not looked at again while unchanged
    # and judged by the same ``rules`` (ingest.extract.hub.rules_version).
    not_added: str = ""
    rules: str = ""


@dataclass
class HarvestState:
    """Per location, what the previous runs of one source learnt; ``last_run`` for schedules."""

    pages: dict[str, PageState] = field(default_factory=dict)
    last_run: str = ""


class HarvestFiles:
    """The reports and the state of every source, under one folder.

    Args:
        root: ``Settings.harvest_dir``.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _folder(self, name: str) -> Path:
        return self.root / name

    def save_report(self, report: HarvestReport) -> Path:
        """Keep ``report`` (and only the newest KEEP_REPORTS of its source)."""
        stamp = report.started.replace(":", "").replace("+", "Z")
        path = self._folder(report.source) / f"report-{stamp}.json"
        self._write(path, report.to_json())
        for old in sorted(self._folder(report.source).glob("report-*.json"))[:-KEEP_REPORTS]:
            old.unlink(missing_ok=True)
        return path

    def reports(self, name: str, limit: int = KEEP_REPORTS) -> list[HarvestReport]:
        """The reports of source ``name``, newest first."""
        paths = sorted(self._folder(name).glob("report-*.json"), reverse=True)[:limit]
        return [HarvestReport.from_json(self._read(p)) for p in paths]

    def latest_report(self, name: str) -> HarvestReport | None:
        """The newest report of source ``name``, or None before its first harvest."""
        found = self.reports(name, limit=1)
        return found[0] if found else None

    def load_state(self, name: str) -> HarvestState:
        path = self._folder(name) / "state.json"
        if not path.exists():
            return HarvestState()
        data = self._read(path)
        pages = {k: PageState(**v) for k, v in dict(data.get("pages") or {}).items()}
        if int(data.get("format", 1)) < 2:
            for page in pages.values():
                # A link-only page's [] may be stale too, but it has no ``rules`` in format 1:
                # it is fetched and judged again anyway, and its links read then.
                if page.links == [] and not page.not_added:
                    page.links = None
        return HarvestState(pages, str(data.get("last_run", "")))

    def save_state(self, name: str, state: HarvestState) -> None:
        data = {
            "format": STATE_FORMAT,
            "last_run": state.last_run,
            "pages": {k: asdict(v) for k, v in state.pages.items()},
        }
        self._write(self._folder(name) / "state.json", data)

    @contextlib.contextmanager
    def running(self, name: str) -> Iterator[None]:
        """Hold source ``name``'s harvest lock: two harvests of one source never overlap (a cron
        job that starts while the last one still runs).

        Raises:
            HarvestRunningError: another process is harvesting ``name`` now.
        """
        folder = self._folder(name)
        folder.mkdir(parents=True, exist_ok=True)

        def busy() -> HarvestRunningError:
            return HarvestRunningError(
                f"Källan {name} skördas redan av en annan process / "
                f"source {name} is being harvested by another process"
            )

        with exclusive_lock(folder / "RUNNING.lock", busy):
            yield

    def _write(self, path: Path, data: Mapping[str, Any]) -> None:
        try:
            atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as err:
            raise StoreError(f"Kunde inte skriva {path}: {err}") from err

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise StoreError(f"Kunde inte läsa {path}: {err}") from err
        return data
