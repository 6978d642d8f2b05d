"""The registry of sources that keep themselves current: ``<data_dir>/sources.json``.

A source is a site section (a crawl root), a sitemap, a folder or a list of URLs, with default
tags for what it yields and a schedule; `kb harvest` (ingest.harvest) re-checks each one. This
module only keeps and checks the entries: it never fetches. Imports kb values only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast

from kb.atomic import atomic_write
from kb.curation.model import Value, now_iso
from kb.curation.values import checked_value, field_name
from kb.errors import NotFoundError, StoreError, ValidationError
from kb.taxonomy.model import Taxonomy

SourceKind = Literal["site", "sitemap", "folder", "urls"]
KINDS: tuple[SourceKind, ...] = ("site", "sitemap", "folder", "urls")
Schedule = Literal["hourly", "daily", "weekly", "manual"]
SCHEDULES: dict[str, timedelta | None] = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "manual": None,
}
# The fields a source may give defaults for (what it yields is about).
DEFAULT_FIELDS = ("focus_areas", "municipalities", "regions", "doc_type", "publisher", "language")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass(frozen=True)
class SourceEntry:
    """One registered source.

    Attributes:
        name: a short slug ("uddevalla-e-arkiv"), the key in the registry and of its reports.
        kind: "site" (crawl from ``location``), "sitemap", "folder" or "urls".
        location: the crawl root or sitemap URL, or the folder's absolute path ("" for "urls").
        urls: the pages of a "urls" source.
        defaults: default tags of what it yields (field -> checked value, kb.curation.values).
        schedule: "hourly", "daily", "weekly" or "manual" (only ``kb harvest --source``).
        depth / max_pages: crawl bounds of a "site" (and max_pages of a sitemap).
        added / added_by: when and by whom it was registered.
    """

    name: str
    kind: SourceKind
    location: str = ""
    urls: tuple[str, ...] = ()
    defaults: Mapping[str, Value] = field(default_factory=dict)
    schedule: Schedule = "daily"
    depth: int = 2
    max_pages: int = 500
    added: str = ""
    added_by: str = ""

    def due(self, last_run: str | None, now: datetime) -> bool:
        """Whether a scheduled harvest should re-check this source (``last_run``: ISO time)."""
        interval = SCHEDULES[self.schedule]
        if interval is None:
            return False
        if not last_run:
            return True
        try:
            last = datetime.fromisoformat(last_run)
        except ValueError:
            return True
        # A few minutes' slack so a cron job that starts a little early still runs it.
        return now - last >= interval - timedelta(minutes=5)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "location": self.location,
            "urls": list(self.urls),
            "defaults": {
                k: list(v) if isinstance(v, tuple) else v for k, v in self.defaults.items()
            },
            "schedule": self.schedule,
            "depth": self.depth,
            "max_pages": self.max_pages,
            "added": self.added,
            "added_by": self.added_by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceEntry:
        defaults = {
            str(k): tuple(v) if isinstance(v, list) else v
            for k, v in dict(data.get("defaults") or {}).items()
        }
        return cls(
            name=str(data["name"]),
            kind=cast(SourceKind, data["kind"]),
            location=str(data.get("location", "")),
            urls=tuple(str(u) for u in data.get("urls", ())),
            defaults=defaults,
            schedule=cast(Schedule, data.get("schedule", "daily")),
            depth=int(data.get("depth", 2)),
            max_pages=int(data.get("max_pages", 500)),
            added=str(data.get("added", "")),
            added_by=str(data.get("added_by", "")),
        )


def checked_source(
    name: str,
    kind: str,
    location: str = "",
    urls: tuple[str, ...] | list[str] = (),
    defaults: Mapping[str, object] | None = None,
    schedule: str = "daily",
    depth: int = 2,
    max_pages: int = 500,
    taxonomy: Taxonomy | None = None,
    by: str = "",
) -> SourceEntry:
    """A new entry from what a person typed, every value checked.

    Raises:
        ValidationError: a bad name, kind, schedule, location or URL, or a default tag the
            taxonomy does not know (the message names it).
    """
    name = name.strip().lower()
    if not _NAME.fullmatch(name):
        raise ValidationError(
            f"Ogiltigt källnamn / invalid source name: {name!r} (a-z, 0-9, - and _, at most 64)"
        )
    if kind not in KINDS:
        raise ValidationError(f"Okänd källtyp / unknown source kind: {kind!r} ({', '.join(KINDS)})")
    if schedule not in SCHEDULES:
        raise ValidationError(
            f"Okänt schema / unknown schedule: {schedule!r} ({', '.join(SCHEDULES)})"
        )
    location = location.strip()
    clean_urls = tuple(u.strip() for u in urls if u.strip())
    if kind in ("site", "sitemap"):
        _check_url(location)
    elif kind == "folder":
        if not Path(location).is_absolute():
            raise ValidationError(
                f"Mappen måste anges med full sökväg / absolute path: {location!r}"
            )
    elif not clean_urls:
        raise ValidationError("En URL-lista behöver minst en URL / a url list needs URLs")
    for url in clean_urls:
        _check_url(url)
    checked: dict[str, Value] = {}
    for key, value in (defaults or {}).items():
        fname = field_name(key)
        if fname not in DEFAULT_FIELDS:
            raise ValidationError(
                f"Standardvärde för {fname} stöds inte / no default for {fname} "
                f"({', '.join(DEFAULT_FIELDS)})"
            )
        if taxonomy is None:
            raise ValidationError("Standardtaggar kräver taxonomin / defaults need the taxonomy")
        checked[fname] = checked_value(fname, value, taxonomy)
    if depth < 0 or max_pages < 1:
        raise ValidationError("depth >= 0 och max_pages >= 1 / depth and max_pages out of range")
    return SourceEntry(
        name, cast(SourceKind, kind), location, clean_urls, checked,
        cast(Schedule, schedule), depth, max_pages, now_iso(), by,
    )  # fmt: skip


def _check_url(url: str) -> None:
    if not re.match(r"https?://[^/\s]+", url):
        raise ValidationError(f"Ogiltig URL / invalid URL (http or https): {url[:200]!r}")


class SourceRegistry:
    """The sources of one data directory, in ``sources.json`` (written atomically).

    Args:
        path: the registry file (``Settings.sources_path``).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def entries(self) -> list[SourceEntry]:
        """Every source, in the order added."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as err:
            raise StoreError(f"Kunde inte läsa källregistret {self.path}: {err}") from err
        try:
            return [SourceEntry.from_json(d) for d in json.loads(raw)["sources"]]
        except (ValueError, KeyError, TypeError) as err:
            raise StoreError(f"Trasigt källregister / broken registry {self.path}: {err}") from err

    def get(self, name: str) -> SourceEntry:
        """The source called ``name`` (NotFoundError naming the known ones)."""
        for entry in self.entries():
            if entry.name == name:
                return entry
        known = ", ".join(e.name for e in self.entries()) or "-"
        raise NotFoundError(f"Okänd källa / unknown source: {name!r} (known: {known})")

    def add(self, entry: SourceEntry, replace_existing: bool = False) -> SourceEntry:
        """Register ``entry`` (ValidationError when the name is taken, unless replacing)."""
        entries = self.entries()
        if any(e.name == entry.name for e in entries):
            if not replace_existing:
                raise ValidationError(f"Källan {entry.name!r} finns redan / source exists")
            old = next(e for e in entries if e.name == entry.name)
            entry = replace(entry, added=old.added or entry.added)
            entries = [entry if e.name == entry.name else e for e in entries]
        else:
            entries.append(entry)
        self._write(entries)
        return entry

    def remove(self, name: str) -> SourceEntry:
        """Forget the source ``name`` (its documents stay; NotFoundError when unknown)."""
        entry = self.get(name)
        self._write([e for e in self.entries() if e.name != name])
        return entry

    def _write(self, entries: list[SourceEntry]) -> None:
        data = json.dumps({"sources": [e.to_json() for e in entries]}, ensure_ascii=False, indent=1)
        try:
            atomic_write(self.path, data.encode("utf-8"))
        except OSError as err:
            raise StoreError(f"Kunde inte spara källregistret {self.path}: {err}") from err
