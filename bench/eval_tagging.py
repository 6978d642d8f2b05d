"""Evaluate automatic tagging on a labelled set of real documents (the dev set).

    python -m bench.eval_tagging /work/shared/devset [--worst 15] [--no-ocr] [--json out.json]

Runs the real pipeline stages (read, extract, enrich, normalise: ``ingest.pipeline.process``)
on every document listed in ``labels.tsv`` and ``labels_municipal.tsv`` (with its published
address when a ``source_url`` column gives one, as a manifest row does) and compares the Document
with the labels: municipalities the document is about (``concerns``), its publisher, focus areas,
document type and whether its title is one a reader would accept (``bench.title_check``). Prints
micro precision / recall / F1 per label, per-class figures, and the worst documents with the reason.
The files are read in place and never copied. Figures and the command go in docs/enrichment.md.
"""

from __future__ import annotations

import csv
import json
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click

from bench.title_check import title_problem
from ingest.enrich.rules import rules_for
from ingest.extract.dispatch import ExtractOptions
from ingest.extract.ocr import OcrOptions
from ingest.fetch.download import FetchOptions, fetch_file
from ingest.model import Source
from ingest.normalise import Given
from ingest.pipeline import process
from kb.document import Document
from kb.taxonomy.model import Taxonomy

LABEL_FILES = ("labels.tsv", "labels_municipal.tsv")
NONE = "-"


@dataclass(frozen=True)
class Label:
    """One labelled document (one row of a labels file)."""

    file: str
    publisher: str
    publisher_code: str
    concerns: frozenset[str]
    mentions: frozenset[str]
    focus_areas: frozenset[str]
    doc_type: str
    note: str
    source_url: str = ""
    year: str = ""  # "" when the label gives none


@dataclass
class Counts:
    """True positives, false positives and false negatives of one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: set[str] | frozenset[str], want: set[str] | frozenset[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocResult:
    """What went wrong for one document, for the worst-documents list."""

    label: Label
    problems: list[str] = field(default_factory=list)

    @property
    def penalty(self) -> int:
        return len(self.problems)


def _cell(value: str | None) -> str:
    """A one-value cell: empty for a missing cell or the "-" of none (a hyphen inside a value,
    as in "org:sis-standard" or a web address, stays)."""
    value = (value or "").strip()
    return "" if value == NONE else value


def _codes(value: str) -> frozenset[str]:
    """A cell of comma-separated codes (none for an empty cell or "-")."""
    return frozenset(v.strip() for v in _cell(value).split(",") if v.strip())


def read_labels(devset: Path, names: tuple[str, ...] = LABEL_FILES) -> list[Label]:
    """Every labelled row of the label files ``names`` (a missing file is skipped)."""
    labels: list[Label] = []
    for name in names:
        path = devset / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if not row.get("doc_file") or row["doc_file"] == "doc_file":
                    continue
                labels.append(
                    Label(
                        file=row["doc_file"],
                        publisher=row["publisher"].strip(),
                        publisher_code=_cell(row["publisher_code"]),
                        concerns=_codes(row["concerns"]),
                        mentions=_codes(row["mentions"]),
                        focus_areas=_codes(row["focus_areas"]),
                        doc_type=row["doc_type"].strip(),
                        note=row.get("note", "").strip(),
                        source_url=_cell(row.get("source_url")),
                        year=_cell(row.get("year")),
                    )
                )
    return labels


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _outside_parentheses(text: str) -> str:
    depth, kept = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(ch)
    return "".join(kept)


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", _fold(text))) + " "


def _document_path(devset: Path, name: str) -> Path:
    """The labelled file: under ``docs/`` in the dev set's layout, else beside the labels."""
    nested = devset / "docs" / name
    return (nested if nested.is_file() else devset / name).resolve()


def _source(devset: Path, label: Label) -> Source:
    """The labelled file as ``kb ingest`` would see it: with the address it was published at when
    the labels give one (a ``source_url`` column; its host is evidence of the publisher), read
    from the local copy."""
    path = str(_document_path(devset, label.file))
    if label.source_url.startswith(("http://", "https://")):
        return Source(label.source_url, "url", local_path=path)
    return Source(path, "file")


def publisher_right(doc: Document, label: Label, taxonomy: Taxonomy) -> bool:
    """True when the document's publisher is the labelled one.

    A labelled municipality or county code must be the publisher's code. Otherwise one of the
    publisher's name forms (its name, acronym, host) must occur, as whole words, in the label
    outside parentheses: "Digg (Kristine Ulander)" accepts Digg; "Suntarbetsliv (Sobona, SKR och
    fackförbunden)" does not accept SKR, which is only named inside the parentheses.
    """
    forms = publisher_forms(doc, taxonomy)
    if not forms:
        return False
    if label.publisher_code:
        code = _publisher_code(doc)
        return code == label.publisher_code
    wanted = _words(_outside_parentheses(label.publisher))
    return any(_words(form).strip() and _words(form) in wanted for form in forms)


def publisher_forms(doc: Document, taxonomy: Taxonomy) -> tuple[str, ...]:
    """The names a document's publisher goes by (name, acronym, host), for the comparison."""
    forms = [doc.publisher] if doc.publisher else []
    if doc.publisher_org is not None:
        org = rules_for(taxonomy).organisations.by_id.get(doc.publisher_org.value)
        if org is not None:
            forms += [*org.forms, *org.hosts]
    return tuple(f for f in forms if f.strip() and not f.startswith("*"))


def _publisher_code(doc: Document) -> str:
    value = doc.publisher_org.value if doc.publisher_org is not None else ""
    kind, _, code = value.partition(":")
    return code if kind in ("kommun", "lan") else ""


def doc_concerns(doc: Document) -> set[str]:
    """The municipalities the document is about (the facet's values)."""
    return {t.value for t in doc.concerns}


def doc_type_code(doc: Document, taxonomy: Taxonomy) -> str:
    """The document's type as one of the six core types the labels use: an added type counts as
    its ``broader`` type in doc_types.toml (a kallelse is labelled "decision", a presentation or
    a web page "other")."""
    doc_type = taxonomy.doc_types.get(doc.doc_type.value)
    return doc_type.core if doc_type else doc.doc_type.value


def evaluate(
    devset: Path, ocr: bool, names: tuple[str, ...] = LABEL_FILES
) -> tuple[dict[str, object], list[DocResult]]:
    """Run the pipeline over the dev set (the label files ``names``); the figures and each
    document's problems."""
    taxonomy = Taxonomy.load()
    options = ExtractOptions(ocr=OcrOptions(enabled=ocr))
    concerns, mentions, focus = Counts(), Counts(), Counts()
    per_area: dict[str, Counts] = {a: Counts() for a in taxonomy.focus_areas}
    per_type: dict[str, Counts] = {}
    publisher_ok = type_ok = titles_ok = failed = years_ok = 0
    title_reasons: Counter[str] = Counter()
    results: list[DocResult] = []
    labels = read_labels(devset, names)
    for label in labels:
        result = DocResult(label)
        results.append(result)
        source = _source(devset, label)
        try:
            processed = process(fetch_file(source, FetchOptions()), Given(), options, taxonomy)
        except Exception as err:
            processed = None
            result.problems.append(f"läsfel: {err}")
        doc = processed.document if processed else None
        if doc is None:
            failed += 1
            if processed is not None and processed.error is not None:
                result.problems.append(f"extraktion: {processed.error}")
            concerns.add(set(), label.concerns)
            mentions.add(set(), label.mentions)
            focus.add(set(), label.focus_areas)
            title_reasons["no document"] += 1
            continue
        got_concerns = doc_concerns(doc)
        concerns.add(got_concerns, label.concerns)
        for code in sorted(got_concerns - label.concerns):
            result.problems.append(f"kommun fel: {code}")
        for code in sorted(label.concerns - got_concerns):
            result.problems.append(f"kommun saknas: {code}")
        mentions.add(set(doc.values("mentions")), label.mentions)
        got_areas = set(doc.values("focus_areas"))
        focus.add(got_areas, label.focus_areas)
        for area, counts in per_area.items():
            counts.add(got_areas & {area}, label.focus_areas & {area})
        for area in sorted(got_areas - label.focus_areas):
            result.problems.append(f"område fel: {area}")
        for area in sorted(label.focus_areas - got_areas):
            result.problems.append(f"område saknas: {area}")
        if publisher_right(doc, label, taxonomy):
            publisher_ok += 1
        else:
            shown = doc.publisher or "(ingen)"
            result.problems.append(f"utgivare {shown!r}, ska vara {label.publisher!r}")
        got_type = doc_type_code(doc, taxonomy)
        for code in {got_type, label.doc_type}:
            per_type.setdefault(code, Counts())
        for code, counts in per_type.items():
            counts.add({got_type} & {code}, {label.doc_type} & {code})
        if got_type == label.doc_type:
            type_ok += 1
        else:
            result.problems.append(f"typ {doc.doc_type.value}, ska vara {label.doc_type}")
        got_year = (doc.date or "")[:4]
        years_ok += bool(label.year) and got_year == label.year
        if label.year and got_year != label.year:
            result.problems.append(f"år {got_year or '(inget)'}, ska vara {label.year}")
        problem = title_problem(doc.title, Path(label.file).name, doc.publisher or "")
        if problem is None:
            titles_ok += 1
        else:
            title_reasons[problem] += 1
            result.problems.append(f"rubrik {doc.title[:70]!r}: {problem}")
    n = len(labels)
    figures: dict[str, object] = {
        "documents": n,
        "extraction_failed": failed,
        "concerns": _prf(concerns),
        "mentions": _prf(mentions),
        "publisher_right": round(publisher_ok / n, 3) if n else 0.0,
        "focus_areas": _prf(focus),
        "focus_areas_per_area": {a: _prf(c) for a, c in per_area.items()},
        "doc_type_accuracy": round(type_ok / n, 3) if n else 0.0,
        "doc_type_per_type": {t: _prf(c) for t, c in sorted(per_type.items())},
        "titles_acceptable": round(titles_ok / n, 3) if n else 0.0,
        "year_right": round(years_ok / dated, 3)
        if (dated := sum(bool(x.year) for x in labels))
        else 0.0,
        "title_problems": dict(title_reasons.most_common()),
    }
    return figures, results


def _prf(counts: Counts) -> dict[str, float | int]:
    return {
        "precision": round(counts.precision, 3),
        "recall": round(counts.recall, 3),
        "f1": round(counts.f1, 3),
        "tp": counts.tp,
        "fp": counts.fp,
        "fn": counts.fn,
    }


def _line(name: str, prf: object) -> str:
    assert isinstance(prf, dict)
    return (
        f"| {name} | {prf['precision']:.3f} | {prf['recall']:.3f} | {prf['f1']:.3f} "
        f"| {prf['tp']} / {prf['fp']} / {prf['fn']} |"
    )


def report(figures: dict[str, object], results: list[DocResult], worst: int) -> str:
    """The figures as Markdown tables, then the worst documents."""
    out = [
        f"{figures['documents']} documents, {figures['extraction_failed']} not extracted",
        "",
        "| label | precision | recall | F1 | tp / fp / fn |",
        "| --- | --- | --- | --- | --- |",
        _line("municipality (concerns)", figures["concerns"]),
        _line("municipality (mentions)", figures["mentions"]),
        _line("focus areas", figures["focus_areas"]),
    ]
    per_area = figures["focus_areas_per_area"]
    assert isinstance(per_area, dict)
    out += [_line(f"  {area}", prf) for area, prf in per_area.items()]
    per_type = figures["doc_type_per_type"]
    assert isinstance(per_type, dict)
    out += [_line(f"  type {code}", prf) for code, prf in per_type.items()]
    out += [
        "",
        "| label | share right |",
        "| --- | --- |",
        f"| publisher | {figures['publisher_right']:.3f} |",
        f"| document type | {figures['doc_type_accuracy']:.3f} |",
        f"| titles acceptable | {figures['titles_acceptable']:.3f} |",
        f"| year (of documents with a labelled year) | {figures['year_right']:.3f} |",
        "",
        f"title problems: {figures['title_problems']}",
        "",
        f"worst {worst} documents:",
    ]
    ranked = sorted(results, key=lambda r: (-r.penalty, r.label.file))
    for result in ranked[:worst]:
        if not result.penalty:
            break
        out.append(f"- {result.label.file} ({result.penalty}): " + "; ".join(result.problems))
    return "\n".join(out)


@click.command()
@click.argument("devset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--worst", default=15, show_default=True, help="How many worst documents to list.")
@click.option("--ocr/--no-ocr", default=True, show_default=True, help="OCR scanned PDFs.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Also write figures.")
@click.option(
    "--labels",
    "names",
    multiple=True,
    type=click.Choice(LABEL_FILES),
    help="Only this label file (repeatable; default both). The two were labelled at different "
    "times: figures per file show over-fitting to one.",
)
def main(
    devset: Path, worst: int, ocr: bool, json_out: Path | None, names: tuple[str, ...]
) -> None:
    """Print tagging precision, recall and F1 on the labelled documents in DEVSET."""
    started = time.perf_counter()
    figures, results = evaluate(devset, ocr, names or LABEL_FILES)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    click.echo(report(figures, results, worst))
    click.echo(f"\n{figures['seconds']} s")
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
