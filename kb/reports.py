"""The kept ingest reports: one JSON file per ingest run in ``<data dir>/reports/ingest/``.

`kb ingest` (through the composition root) and the web admin's uploads each save what happened to
every source, so staff can read the last runs in the admin without a shell. A report is a plain
dict (``{"when", "origin", "who", "totals", "outcomes": [{"source", "status", "reason", "code",
"id", "title"}]}``); files are written atomically and named by time, so the newest sort last.
The oldest are deleted past ``keep``. Imports only the standard library and kb.atomic.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kb.atomic import atomic_write

STATUSES = ("added", "updated", "unchanged", "failed", "skipped")


class ReportLog:
    """The ingest reports of one data directory.

    Args:
        folder: where the report files live; created on first save.
        keep: how many reports are kept (the oldest are deleted on save).
    """

    def __init__(self, folder: Path, keep: int = 200) -> None:
        self.folder = Path(folder)
        self.keep = keep

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> ReportLog:
        return cls(Path(data_dir) / "reports" / "ingest")

    def save(self, origin: str, who: str, outcomes: list[dict[str, Any]]) -> dict[str, Any]:
        """Save one run's outcomes (dicts with at least ``source`` and ``status``).

        Raises:
            OSError: the folder cannot be written (callers report it; the ingest itself is done).
        """
        now = datetime.now(UTC)
        totals = {status: 0 for status in STATUSES}
        for outcome in outcomes:
            totals[outcome["status"]] = totals.get(outcome["status"], 0) + 1
        report = {
            "when": now.isoformat(timespec="seconds"),
            "origin": origin,
            "who": who,
            "totals": totals,
            "outcomes": outcomes,
        }
        name = f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(3)}.json"
        atomic_write(self.folder / name, json.dumps(report, ensure_ascii=False).encode("utf-8"))
        self._prune()
        return report

    def newest(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest ``limit`` reports, newest first (an unreadable file is skipped)."""
        reports: list[dict[str, Any]] = []
        for path in self._files()[::-1]:
            try:
                reports.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
            if len(reports) >= limit:
                break
        return reports

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.json"))

    def _prune(self) -> None:
        files = self._files()
        for path in files[: max(0, len(files) - self.keep)]:
            path.unlink(missing_ok=True)
