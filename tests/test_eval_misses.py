"""bench.eval_misses's recall ceilings on misses written here: the figures docs/relevance.md
quotes for what matching and ranking can reach ("What recall@20 can reach")."""

from __future__ import annotations

import pytest

from bench.eval_misses import CLASSES, recall_ceiling
from bench.eval_relevance import Query

BELOW, _EVERY, SOME, NONE = CLASSES


def _queries() -> list[Query]:
    many = {f"d{i}": 1 for i in range(30)}  # 30 relevant documents: at most 20 of them fit
    return [
        Query("Q1", "a", {"a1": 3, "a2": 1, "a3": 0}),
        Query("Q2", "b", many),
        Query("Q3", "no answer", {"x": 0}),  # unanswerable: not in the mean
    ]


def test_nothing_found_is_the_recall_as_ranked() -> None:
    classes = {c: [] for c in CLASSES}
    classes[NONE] = [("Q1", "a2", 1)]
    classes[BELOW] = [("Q2", f"d{i}", 1) for i in range(10)]
    # Q1: 1 of 2; Q2: 20 of 30.
    assert recall_ceiling(_queries(), classes, ()) == pytest.approx((0.5 + 20 / 30) / 2)


def test_finding_a_class_counts_its_documents_within_twenty_places() -> None:
    classes = {c: [] for c in CLASSES}
    classes[NONE] = [("Q1", "a2", 1)]
    classes[BELOW] = [("Q2", f"d{i}", 1) for i in range(10)]
    # Finding Q2's ten lower-ranked documents cannot take it past 20 of 30.
    assert recall_ceiling(_queries(), classes, (BELOW,)) == pytest.approx((0.5 + 20 / 30) / 2)
    assert recall_ceiling(_queries(), classes, (BELOW, SOME, NONE)) == pytest.approx(
        (1.0 + 20 / 30) / 2
    )
