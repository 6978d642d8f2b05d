"""bench.eval_relevance's metrics on rankings written here: nDCG@10 and its grade-order
diagnostic (the first 20 hits sorted by their grades), whose figure docs/relevance.md quotes."""

from __future__ import annotations

import math

import pytest

from bench.eval_relevance import ndcg, ndcg_in_grade_order

GRADES = {"a": 3, "b": 2, "c": 1}


def test_hits_already_in_grade_order_keep_their_ndcg() -> None:
    ranked = ["a", "b", "c", "x", "y"]
    assert ndcg_in_grade_order(ranked, GRADES) == pytest.approx(ndcg(ranked, GRADES))


def test_misordered_hits_are_sorted_by_grade_with_unjudged_as_zero() -> None:
    ranked = ["x", "c", "y", "b", "a"]  # x, y unjudged
    assert ndcg(ranked, GRADES) < 1.0
    assert ndcg_in_grade_order(ranked, GRADES) == pytest.approx(1.0)


def test_only_the_first_twenty_hits_are_reordered() -> None:
    # "a" (grade 3) is the 21st hit: a perfect reordering of the first 20 cannot bring it up.
    ranked = ["c", "b", *(f"u{i}" for i in range(18)), "a"]
    ideal = 7 + 3 / math.log2(3) + 1 / math.log2(4)
    got = (3 / math.log2(2) + 1 / math.log2(3)) / ideal
    assert ndcg_in_grade_order(ranked, GRADES) == pytest.approx(got)
    assert ndcg_in_grade_order(ranked, GRADES, depth=21) == pytest.approx(1.0)


def test_no_relevant_hit_gives_zero() -> None:
    assert ndcg_in_grade_order(["x", "y"], GRADES) == 0.0
