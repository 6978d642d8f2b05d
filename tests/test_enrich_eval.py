"""Measure automatic tagging on the labelled set (tests/data/labelled); guard against regressions.

Prints precision and recall per tag kind and the accuracy of type, year and language, then
asserts the required bars (municipalities: precision >= 0.95, recall >= 0.85) and floors set just
below the measured values (see docs/enrichment.md). Run: pytest -s tests/test_enrich_eval.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.enrich.compose import Enrichment, enrich
from kb.taxonomy.model import Taxonomy

LABELLED = Path(__file__).parent / "data" / "labelled"
TODAY = date(2026, 11, 23)  # fixed, so "in the future" means the same thing on every run

# Required by the product owner.
MUNICIPALITY_PRECISION, MUNICIPALITY_RECALL = 0.95, 0.85
# Regression floors, a little below the figures measured when the tagging was tuned.
FLOORS = {
    "region_precision": 0.90,
    "region_recall": 0.90,
    # 0.90 / 0.87 since 2026-12-06 (measured 0.938 / 0.910 after the fourth focus-area pass).
    "focus_precision": 0.90,
    "focus_recall": 0.87,
    # 0.88 since 2026-12-06: "riktlinjer" count as guidance, as the independent labels of the
    # real dev set have them (two in-sample documents here call guidelines a plan).
    "doc_type_accuracy": 0.88,
    "year_accuracy": 0.93,
    "language_accuracy": 0.95,
}


@dataclass
class Counts:
    """True positives, false positives and false negatives over all documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        if got != want:
            self.misses.append(f"{name}: +{sorted(got - want)} -{sorted(want - got)}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_labels() -> list[dict[str, Any]]:
    return list(json.loads((LABELLED / "labels.json").read_text("utf-8"))["documents"])


def run_one(doc: dict[str, Any], taxonomy: Taxonomy) -> Enrichment:
    text = (LABELLED / "docs" / doc["file"]).read_text("utf-8")
    return enrich(
        doc["title"],
        text,
        url=doc["url"],
        meta_dates=tuple(doc["meta_dates"]),
        declared_language=doc["declared_language"],
        taxonomy=taxonomy,
        today=TODAY,
    )


def measure(docs: list[dict[str, Any]], taxonomy: Taxonomy, title: str) -> dict[str, float]:
    """Run enrichment on ``docs``, print the figures and the misses, return the figures."""
    places, regions, focus = Counts(), Counts(), Counts()
    hits = {"doc_type": 0, "year": 0, "language": 0}
    wrong: list[str] = []
    for doc in docs:
        result = run_one(doc, taxonomy)
        name = doc["file"][:2]
        # These labels list every municipality a text refers to: concerns and mentions together.
        found = {t.value for t in result.municipalities + result.mentions}
        places.add(name, found, set(doc["municipalities"]))
        regions.add(name, {t.value for t in result.regions}, set(doc["regions"]))
        focus.add(name, {t.value for t in result.focus_areas}, set(doc["focus_areas"]))
        for key, got in (
            # The labels use the six core types; a kallelse counts as a decision.
            ("doc_type", taxonomy.doc_types[result.doc_type.value].core),
            ("year", result.year),
            ("language", result.language),
        ):
            hits[key] += got == doc[key]
            if got != doc[key]:
                wrong.append(f"{name} {key}: {got} (true {doc[key]})")
    n = len(docs)
    print(f"\n{title}: {n} documents")
    for label, counts in (("municipalities", places), ("regions", regions), ("focus areas", focus)):
        print(
            f"  {label:15s} precision {counts.precision:.3f}  recall {counts.recall:.3f}"
            f"  (tp {counts.tp}, fp {counts.fp}, fn {counts.fn})"
        )
    for key in ("doc_type", "year", "language"):
        print(f"  {key:15s} accuracy  {hits[key] / n:.3f}  ({hits[key]}/{n})")
    for line in places.misses + regions.misses + [f"focus {m}" for m in focus.misses] + wrong:
        print(f"    {line}")
    return {
        "municipality_precision": places.precision,
        "municipality_recall": places.recall,
        "region_precision": regions.precision,
        "region_recall": regions.recall,
        "focus_precision": focus.precision,
        "focus_recall": focus.recall,
        "doc_type_accuracy": hits["doc_type"] / n,
        "year_accuracy": hits["year"] / n,
        "language_accuracy": hits["language"] / n,
    }


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    """Figures over the whole set; the tuning and held-out parts are printed separately."""
    taxonomy = Taxonomy.load()
    docs = load_labels()
    for split in ("tune", "holdout"):
        measure([d for d in docs if d["split"] == split], taxonomy, f"Split {split!r}")
    return measure(docs, taxonomy, "Whole labelled set (tests/data/labelled)")


def test_the_labelled_set_is_complete_and_uses_taxonomy_ids() -> None:
    taxonomy = Taxonomy.load()
    docs = load_labels()
    files = {p.name for p in (LABELLED / "docs").glob("*.txt")}
    assert len(docs) >= 40
    assert {d["file"] for d in docs} == files
    for doc in docs:
        assert set(doc["municipalities"]) <= set(taxonomy.municipalities), doc["file"]
        assert set(doc["regions"]) <= set(taxonomy.regions), doc["file"]
        assert set(doc["focus_areas"]) <= set(taxonomy.focus_areas), doc["file"]
        assert doc["doc_type"] in taxonomy.doc_types, doc["file"]
        assert 2015 <= doc["year"] <= 2026, doc["file"]
        assert doc["split"] in ("tune", "holdout"), doc["file"]
    assert {d["doc_type"] for d in docs} == {t.core for t in taxonomy.doc_types.values()}
    assert {a for d in docs for a in d["focus_areas"]} == set(taxonomy.focus_areas)


def test_municipality_tagging_meets_the_required_precision_and_recall(
    measured: dict[str, float],
) -> None:
    assert measured["municipality_precision"] >= MUNICIPALITY_PRECISION
    assert measured["municipality_recall"] >= MUNICIPALITY_RECALL


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_regression_below_the_measured_floor(measured: dict[str, float], name: str) -> None:
    assert measured[name] >= FLOORS[name], f"{name} fell to {measured[name]:.3f}"
