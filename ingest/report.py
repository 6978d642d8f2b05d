"""The ingest report: one outcome per source (added, updated, unchanged, failed, skipped), totals.

The pipeline records every source here and nowhere else; the CLI prints it as lines for people
(Swedish first, English after a slash) or as JSON lines for scripts. A dry run reports
"would_add" / "would_update" instead of "added" / "updated".
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kb.document import Document

STATUSES = ("added", "updated", "unchanged", "failed", "skipped")
_DRY = {"added": "would_add", "updated": "would_update"}
_LABELS = {
    "added": "tillagda / added",
    "updated": "uppdaterade / updated",
    "unchanged": "oförändrade / unchanged",
    "failed": "misslyckade / failed",
    "skipped": "överhoppade / skipped",
    "would_add": "skulle läggas till / would add",
    "would_update": "skulle uppdateras / would update",
}


@dataclass(frozen=True)
class Outcome:
    """What happened to one source.

    Attributes:
        source: the path or URL.
        status: one of STATUSES, or "would_add"/"would_update" in a dry run.
        reason: why it failed or was skipped, or what changed; "" when nothing to say.
        code: a short stable key for the reason ("http-404", "encrypted", "needs-ocr", ...).
        document: the document added, updated or (dry run) that would be.
        notes: warnings from extraction (pages needing OCR, unreadable pages).
    """

    source: str
    status: str
    reason: str = ""
    code: str = ""
    document: Document | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """One JSON object for `kb ingest --json`."""
        data: dict[str, Any] = {"source": self.source, "status": self.status, "reason": self.reason}
        if self.code:
            data["code"] = self.code
        if self.notes:
            data["notes"] = list(self.notes)
        doc = self.document
        if doc is not None:
            data.update(
                id=doc.id,
                title=doc.title,
                content_type=doc.content_type,
                pages=len(doc.pages),
                ocr=doc.ocr,
                date=doc.date,
                date_source=doc.date_source,
                language=doc.language,
                doc_type=_tag(doc.doc_type),
                focus_areas=[_tag(t) for t in doc.focus_areas],
                municipalities=[_tag(t) for t in doc.municipalities],
                regions=[_tag(t) for t in doc.regions],
            )
        return data


def _tag(tag: Any) -> dict[str, Any]:
    data = {"value": tag.value, "source": tag.source}
    if tag.evidence:
        data["evidence"] = list(tag.evidence)
    return data


class Report:
    """Outcomes of one ingest run, in the order they happened."""

    def __init__(self, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.outcomes: list[Outcome] = []
        self._counts: Counter[str] = Counter()
        self._started = time.monotonic()

    def record(self, outcome: Outcome) -> Outcome:
        """Add ``outcome`` (its status is turned into the dry-run form when needed)."""
        if self.dry_run and outcome.status in _DRY:
            outcome = Outcome(
                outcome.source,
                _DRY[outcome.status],
                outcome.reason,
                outcome.code,
                outcome.document,
                outcome.notes,
            )
        self.outcomes.append(outcome)
        self._counts[outcome.status] += 1
        return outcome

    @property
    def totals(self) -> dict[str, int]:
        """Count per status (every status present, zeros included)."""
        names = [*(_DRY.get(s, s) if self.dry_run else s for s in STATUSES)]
        return {name: self._counts.get(name, 0) for name in names}

    @property
    def failed(self) -> bool:
        """True when any source failed (the CLI then exits non-zero)."""
        return self._counts.get("failed", 0) > 0

    @property
    def seconds(self) -> float:
        return time.monotonic() - self._started

    def totals_json(self) -> dict[str, Any]:
        """The closing object of `kb ingest --json`."""
        return {"totals": self.totals, "dry_run": self.dry_run, "seconds": round(self.seconds, 3)}

    def to_records(self) -> list[dict[str, Any]]:
        """The outcomes as the kept ingest report stores them (kb.reports): no tags, no text."""
        records = []
        for o in self.outcomes:
            record: dict[str, Any] = {
                "source": o.source, "status": o.status, "reason": o.reason, "code": o.code,
            }  # fmt: skip
            if o.document is not None:
                record.update(id=o.document.id, title=o.document.title)
            if o.notes:
                record["notes"] = list(o.notes)
            records.append(record)
        return records

    def summary_lines(self, interrupted: bool = False) -> list[str]:
        """The closing summary for people: totals, every failure with its reason, skips grouped;
        ``interrupted``: the run was stopped (Ctrl-C, kill) and these are the outcomes so far."""
        parts = [
            f"{n} {_LABELS[s]}" for s, n in self.totals.items() if n or s in ("added", "failed")
        ]
        head = "Provkörning, inget sparades / dry run, nothing written. " if self.dry_run else ""
        done = "Avbruten / interrupted" if interrupted else "Klart / done"
        lines = [f"{head}{done}: {', '.join(parts)} ({self.seconds:.1f} s)"]
        if interrupted and not self.dry_run:
            lines.append(INTERRUPTED)
        elif not self.outcomes:
            # An empty folder (or a mistyped one full of sub-folders) would else end in a bare
            # "0 tillagda", as if the documents had been read and found unchanged.
            lines.append(
                "Obs / note: inga dokument hittades att läsa in (tom mapp?) / "
                "no documents found to ingest (empty folder?)"
            )
        failures = [o for o in self.outcomes if o.status == "failed"]
        if failures:
            lines.append("Misslyckades / failed:")
            lines += [f"  {o.source}\n    {o.reason}" for o in failures]
        skipped: dict[str, list[str]] = {}
        for o in self.outcomes:
            if o.status == "skipped":
                skipped.setdefault(o.reason, []).append(o.source)
        if skipped:
            # Which ones, not only how many: with the progress bar no per-source line names them.
            lines.append("Överhoppade / skipped:")
            for reason, sources in sorted(skipped.items(), key=lambda kv: -len(kv[1])):
                lines.append(f"  {len(sources)} × {reason}")
                lines += [f"      {source}" for source in sources[:_NAMED_SKIPS]]
                if len(sources) > _NAMED_SKIPS:
                    more = len(sources) - _NAMED_SKIPS
                    lines.append(f"      … och {more} till (--json listar alla) / and {more} more")
        noted = [o for o in self.outcomes if o.notes and o.status != "failed"]
        for o in noted:
            lines.append(f"Obs / note: {o.source}")
            lines += [f"    {note}" for note in o.notes]
        return lines


# Skipped sources named under each reason in the summary (the rest are counted).
_NAMED_SKIPS = 5


# What staff need after a stopped run: what is in the bank, and that running it again finishes it.
INTERRUPTED = (
    "Obs / note: det som räknas ovan är sparat. Kör samma kommando igen för att läsa in resten: "
    "det sparade blir oförändrat / what is counted above is saved: run the same command again "
    "to ingest the rest (what is saved is reported unchanged)"
)


def outcome_line(outcome: Outcome) -> str:
    """One line per source for people (`kb ingest` without --json)."""
    doc = outcome.document
    label = _LABELS.get(outcome.status, outcome.status).split(" / ")[-1]
    what = f"{doc.title}  <{outcome.source}>" if doc else outcome.source
    tail = f"  ({outcome.reason})" if outcome.reason else ""
    return f"{label:>12}  {what}{tail}"


def describe(doc: Document) -> list[str]:
    """How a document was extracted and tagged (for --dry-run): indented lines."""

    def tags(name: str, values: tuple[Any, ...]) -> str:
        shown = ", ".join(f"{t.value} ({t.source})" for t in values) or "-"
        return f"    {name}: {shown}"

    return [
        f"    titel / title: {doc.title}",
        f"    typ / type: {doc.content_type}, {_pages(len(doc.pages))}"
        + (", OCR" if doc.ocr else ""),
        f"    datum / date: {doc.date or '-'} ({doc.date_source}); "
        f"språk / language: {doc.language}",
        tags("dokumenttyp / doc_type", (doc.doc_type,)),
        tags("fokusområden / focus_areas", doc.focus_areas),
        tags("kommuner / municipalities", doc.municipalities),
        tags("regioner / regions", doc.regions),
        f"    sammanfattning / summary: {doc.summary[:160]}",
    ]


def _pages(n: int) -> str:
    return "1 sida / page" if n == 1 else f"{n} sidor / pages"


def same_content(source: str) -> str:
    """The note of a document whose original is byte for byte the one at ``source``: both
    addresses are kept, and a search shows them as one hit that names the other."""
    # The address once, after both languages: a long URL twice made the note hard to read.
    return f"samma innehåll som / same content as: {source}"


# The code of a crawled page followed for its links but not added (ingest.extract.hub).
LINKS_ONLY = "links-only"
