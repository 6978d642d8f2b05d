"""Re-extraction: run extraction and enrichment again over the originals kept in the store.

Tagging rules improve; documents already in the bank keep the tags they got at ingest, and the
source (a URL) may be gone or changed. This module turns each stored document's kept original
back into a ``Fetched`` for the ordinary pipeline (ingest.pipeline.run_fetched): the source is the
document's own location (so the id, the URL and the host evidence stay) while the bytes come from
the store, as a manifest row with a local copy is read. The document's given defaults (a harvested
source's tags, source "given") go back in as defaults, and curated corrections are left alone: the
commit lays them over the new automatic tags, so they win as at ingest. A document that comes
out exactly as stored (text, tags and every other field) is "unchanged" and not written again: a
run over the whole bank rewrites only what today's rules change. A missing or damaged original is
a failed outcome in the report; the stored document then stays as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace

from ingest.fetch.urls import looks_like_url
from ingest.model import Fetched, Overrides, Rejected, Source, SourceKind
from ingest.pipeline import IngestOptions, run_fetched
from ingest.report import Outcome, Report
from kb.document import Document, Tag
from kb.errors import KbError
from kb.service import KnowledgeBase

# The fields that make a document's tags; a change in any of them counts as "changed tags".
_TAG_FIELDS = ("doc_type", "focus_areas", "municipalities", "regions", "mentions", "publisher_org")
_META_FIELDS = ("title", "date", "language", "publisher")
_REREAD = "omläst ur arkivet / re-extracted from the kept original"


@dataclass
class Tally:
    """What a re-extraction did, for its summary: documents written with their changes, and
    those that came out as stored (not written)."""

    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0


def stored_items(
    kb: KnowledgeBase, docs: Iterable[Document | Rejected]
) -> Iterator[Fetched | Rejected]:
    """Each document's kept original as a ``Fetched`` of its own source (or why it cannot be);
    a ``Rejected`` (an unreadable store record) is passed on to be reported."""
    for doc in docs:
        if isinstance(doc, Rejected):
            yield doc
            continue
        try:
            data = kb.store.blob_path(doc.content_sha256).read_bytes()
        except (KbError, OSError) as err:
            why = getattr(err, "strerror", None) or err
            yield Rejected(
                doc.source,
                "missing-original",
                f"Originalet saknas i arkivet / kept original missing: {why}",
            )
            continue
        if hashlib.sha256(data).hexdigest() != doc.content_sha256:
            yield Rejected(
                doc.source,
                "damaged-original",
                "Originalet i arkivet är skadat (SHA-256 stämmer inte) / "
                "kept original is damaged (SHA-256 differs)",
            )
            continue
        kind: SourceKind = "url" if looks_like_url(doc.source) else "file"
        source = Source(doc.source, kind, given_defaults(doc), origin="store")
        yield Fetched(source=source, data=data, content_type=doc.content_type)


def given_defaults(doc: Document) -> Overrides:
    """The values ``doc`` was given as defaults (its tags with source "given"), as overrides.

    Values a person gave are curated corrections, not stored tags, and stay where they are.
    """

    def given(tags: tuple[Tag, ...]) -> tuple[str, ...]:
        return tuple(t.value for t in tags if t.source == "given")

    return Overrides(
        date=doc.date if doc.date_source == "given" else None,
        doc_type=doc.doc_type.value if doc.doc_type.source == "given" else None,
        focus_areas=given(doc.focus_areas),
        municipalities=given(doc.municipalities),
        regions=given(doc.regions),
    )


def what_changed(old: Document, new: Document) -> list[str]:
    """What differs between ``old`` and ``new``: the automatic tags' values ("+focus_areas: x"),
    the shown metadata ("~title: 'a' -> 'b'"), then the names of other fields that differ
    ("~text", "~focus_areas (evidence)"); empty when only ``added`` does."""
    changes: list[str] = []
    for name in _TAG_FIELDS:
        before, after = _values(getattr(old, name)), _values(getattr(new, name))
        changes += [f"+{name}: {v}" for v in sorted(after - before)]
        changes += [f"-{name}: {v}" for v in sorted(before - after)]
        if before == after and getattr(old, name) != getattr(new, name):
            changes.append(f"~{name} (evidence)")  # the same values, found by other words
    for name in _META_FIELDS:
        if getattr(old, name) != getattr(new, name):
            changes.append(f"~{name}: {getattr(old, name)!r} -> {getattr(new, name)!r}")
    if old.pages != new.pages:
        changes.append("~text")
    shown = {*_TAG_FIELDS, *_META_FIELDS, "pages", "added"}
    for name in (f.name for f in fields(Document) if f.name not in shown):
        if getattr(old, name) != getattr(new, name):
            changes.append(f"~{name}")
    return changes


def _values(tags: Tag | tuple[Tag, ...] | None) -> set[str]:
    if tags is None:
        return set()
    if isinstance(tags, Tag):
        return {tags.value}
    return {t.value for t in tags}


def reextract(
    kb: KnowledgeBase,
    docs: list[Document | Rejected],
    options: IngestOptions,
    on_outcome: Callable[[Outcome, list[str] | None], None] | None = None,
    tally: Tally | None = None,
) -> tuple[Report, Tally]:
    """Re-extract and re-tag ``docs`` (their automatic, uncurated store records) from their kept
    originals; written in batches through the ordinary commit.

    Args:
        kb: the knowledge base.
        docs: the stored documents to re-extract (and unreadable records, to report).
        options: extraction, jobs and batch size (``force`` and ``given_as`` are set here).
        on_outcome: called with each recorded outcome and, for a re-extracted document, the
            list of its tag changes (empty: the tags stayed).
        tally: filled as outcomes are recorded, so a caller whose run is interrupted still has
            the counts so far; a new one otherwise.
    """
    before = {d.source: d for d in docs if isinstance(d, Document)}
    tally = Tally() if tally is None else tally

    def recorded(outcome: Outcome) -> None:
        changes: list[str] | None = None
        old = before.get(outcome.source)
        if outcome.status == "unchanged":
            changes = []
            tally.unchanged += 1
        elif outcome.status == "updated" and outcome.document is not None and old is not None:
            changes = what_changed(old, outcome.document)
            tally.changed.append((outcome.source, changes))
        if on_outcome is not None:
            if changes is not None:  # the pipeline's "--force" reason would mislead here
                outcome = replace(outcome, reason=_REREAD)
            on_outcome(outcome, changes)

    # force: the bytes are the stored ones, so without it nothing would be extracted again;
    # defaults: the given tags rebuilt above are a source's defaults, not new corrections.
    # replace_only: a document removed meanwhile (`kb remove`) must not come back.
    run_options = replace(
        options, force=True, given_as="defaults", dry_run=False, replace_only=True
    )
    report = run_fetched(kb, stored_items(kb, docs), run_options, recorded)
    return report, tally


def summary_lines(report: Report, tally: Tally, interrupted: bool = False) -> list[str]:
    """The closing summary: re-extracted, changed (written), unchanged (not written), failed,
    then each failure; ``interrupted``: stopped (Ctrl-C, kill), these are the counts so far."""
    failures = [o for o in report.outcomes if o.status == "failed"]
    done = len(tally.changed) + tally.unchanged
    head = "Avbruten / interrupted" if interrupted else "Klart / done"
    lines = [
        f"{head}: {done} omlästa / re-extracted, {len(tally.changed)} ändrade och skrivna / "
        f"changed and written, {tally.unchanged} oförändrade, inte skrivna / unchanged, not "
        f"written, {len(failures)} misslyckade / failed ({report.seconds:.1f} s)"
    ]
    if interrupted:
        lines.append(
            "Obs / note: det som räknas ovan är sparat; de övriga dokumenten är som förut. "
            "`kb reextract` läser om alla igen (de redan omlästa blir oförändrade) / what is "
            "counted above is saved, the other documents are as they were; `kb reextract` "
            "reads them all again (those done come out unchanged)"
        )
    if failures:
        lines.append("Misslyckades (dokumentet är kvar som förut) / failed (the document stays):")
        lines += [f"  {o.source}\n    {o.reason}" for o in failures]
    return lines
