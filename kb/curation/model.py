"""The values of curation: one document's corrections, their history and its withdrawal.

A ``Curation`` is what people decided about one document, kept apart from what ingest found
(kb.curation.files stores it, kb.curation.apply lays it over the automatic tags). Values are
JSON-shaped: a string for title, publisher, doc_type, date and language; a tuple of taxonomy
ids for focus areas, municipalities and regions. Imports no other part of kb.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

# The fields an editor may correct, in the order they are shown.
CURATED_FIELDS = (
    "title",
    "publisher",
    "municipalities",
    "focus_areas",
    "regions",
    "doc_type",
    "date",
    "language",
)
LIST_FIELDS = frozenset({"municipalities", "focus_areas", "regions"})
# Names people type for a field ("concerns" is what the municipality facet means).
FIELD_ALIASES = {
    "concerns": "municipalities",
    "municipality": "municipalities",
    "kommun": "municipalities",
    "focus_area": "focus_areas",
    "focus-area": "focus_areas",
    "focus-areas": "focus_areas",
    "region": "regions",
    "type": "doc_type",
    "doc-type": "doc_type",
}

Value = str | tuple[str, ...] | None
Action = Literal["set", "revert", "withdraw", "restore", "hide"]


def now_iso() -> str:
    """The current UTC time as an ISO timestamp with seconds (what curation records)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Correction:
    """The current corrected value of one field: what, by whom, when, and through what."""

    field: str
    value: Value
    by: str
    at: str
    via: str = "cli"


@dataclass(frozen=True)
class Change:
    """One entry of a document's history: ``old`` -> ``new`` of ``field`` (or a withdrawal).

    ``old`` and ``new`` are the values shown on the document before and after the change.
    """

    action: Action
    field: str
    old: Value
    new: Value
    by: str
    at: str
    via: str = "cli"


@dataclass(frozen=True)
class Withdrawal:
    """The source no longer has the document (a harvest saw it vanish).

    Attributes:
        since: when it was first seen missing (ISO timestamp).
        reason: why ("HTTP 404", "gone from the sitemap").
        hidden: True once the grace period passed: it is left out of the index.
        source_name: the harvested source that saw it vanish.
    """

    since: str
    reason: str
    hidden: bool = False
    source_name: str = ""


@dataclass(frozen=True)
class Curation:
    """What people (and harvests) decided about one document."""

    doc_id: str
    corrections: dict[str, Correction] = field(default_factory=dict)
    history: tuple[Change, ...] = ()
    withdrawal: Withdrawal | None = None

    @property
    def hidden(self) -> bool:
        """True when the document is left out of the index (withdrawn past its grace period)."""
        return self.withdrawal is not None and self.withdrawal.hidden

    def __bool__(self) -> bool:
        return bool(self.corrections or self.history or self.withdrawal)

    def with_changes(self, **changes: Any) -> Curation:
        return replace(self, **changes)


def canonical_field(name: str) -> str:
    """The field name for what a person typed ("concerns", "focus-area" -> the real name).

    Raises ValueError for a name that is no curated field (callers turn it into their error).
    """
    key = name.strip().lower()
    key = FIELD_ALIASES.get(key, key)
    if key not in CURATED_FIELDS:
        raise ValueError(name)
    return key


def to_json(curation: Curation) -> dict[str, Any]:
    """The JSON record of ``curation`` in the data directory (``from_json`` reverses it)."""
    return {
        "doc_id": curation.doc_id,
        "corrections": {
            name: {"value": _json_value(c.value), "by": c.by, "at": c.at, "via": c.via}
            for name, c in curation.corrections.items()
        },
        "history": [
            {
                "action": h.action,
                "field": h.field,
                "old": _json_value(h.old),
                "new": _json_value(h.new),
                "by": h.by,
                "at": h.at,
                "via": h.via,
            }
            for h in curation.history
        ],
        "withdrawal": None
        if curation.withdrawal is None
        else {
            "since": curation.withdrawal.since,
            "reason": curation.withdrawal.reason,
            "hidden": curation.withdrawal.hidden,
            "source_name": curation.withdrawal.source_name,
        },
    }


def from_json(data: dict[str, Any]) -> Curation:
    """The Curation of a JSON record (KeyError / TypeError / ValueError when malformed)."""
    corrections = {
        str(name): Correction(
            str(name), _value(c["value"]), str(c["by"]), str(c["at"]), str(c.get("via", "cli"))
        )
        for name, c in dict(data.get("corrections") or {}).items()
    }
    history = tuple(
        Change(
            h["action"],
            str(h["field"]),
            _value(h.get("old")),
            _value(h.get("new")),
            str(h["by"]),
            str(h["at"]),
            str(h.get("via", "cli")),
        )
        for h in data.get("history") or ()
    )
    w = data.get("withdrawal")
    withdrawal = (
        None
        if not w
        else Withdrawal(
            str(w["since"]),
            str(w.get("reason", "")),
            bool(w.get("hidden")),
            w.get("source_name", ""),
        )
    )
    return Curation(str(data["doc_id"]), corrections, history, withdrawal)


def _json_value(value: Value) -> str | list[str] | None:
    return list(value) if isinstance(value, tuple) else value


def _value(raw: object) -> Value:
    if raw is None:
        return None
    if isinstance(raw, list | tuple):
        return tuple(str(v) for v in raw)
    return str(raw)
