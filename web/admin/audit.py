"""The audit log: who changed what and when, one JSON object per line, only ever appended.

``<data dir>/admin/audit.jsonl``: each entry is written with one ``write`` on a file opened in
append mode under ``flock``, so entries of the CLI and of several server processes never
interleave; nothing in the service rewrites or truncates it. The admin shows the newest entries
(reading the end of the file only). Imports no Flask: `kb user ...` records here too.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Read at most this much of the end of the file to show the newest entries.
_TAIL_BYTES = 512 * 1024


@dataclass(frozen=True)
class Entry:
    """One change.

    Attributes:
        when: ISO 8601 UTC timestamp.
        who: the account name ("cli:<os user>" for a command run on the server).
        action: a short stable key ("login", "document.publish", "user.add", ...).
        target: what was changed (a document id, an account name), "" when nothing in particular.
        details: other facts worth keeping (a title, the old and the new tags, a client address).
    """

    when: str
    who: str
    action: str
    target: str = ""
    details: dict[str, Any] = field(default_factory=dict)


class AuditLog:
    """The append-only audit log of one data directory."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> AuditLog:
        return cls(Path(data_dir) / "admin" / "audit.jsonl")

    def record(self, who: str, action: str, target: str = "", **details: Any) -> Entry:
        """Append one entry and return it."""
        entry = Entry(
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            who=who,
            action=action,
            target=target,
            details=details,
        )
        line = json.dumps(
            {
                "when": entry.when,
                "who": entry.who,
                "action": entry.action,
                "target": entry.target,
                "details": entry.details,
            },
            ensure_ascii=False,
            default=str,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock
        return entry

    def newest(self, limit: int = 200) -> list[Entry]:
        """The newest ``limit`` entries, newest first (a damaged line is skipped, not fatal)."""
        try:
            with open(self.path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - _TAIL_BYTES))
                tail = fh.read()
        except FileNotFoundError:
            return []
        lines = tail.splitlines()
        if size > _TAIL_BYTES:
            lines = lines[1:]  # the first line may be cut in half
        entries: list[Entry] = []
        for raw in reversed(lines):
            try:
                data = json.loads(raw)
                entries.append(
                    Entry(
                        str(data["when"]),
                        str(data["who"]),
                        str(data["action"]),
                        str(data.get("target", "")),
                        dict(data.get("details") or {}),
                    )
                )
            except (ValueError, KeyError, TypeError):
                continue
            if len(entries) >= limit:
                break
        return entries
