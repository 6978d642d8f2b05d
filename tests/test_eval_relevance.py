"""bench.eval_relevance's metrics on rankings written here: nDCG@10 and its grade-order
diagnostic (the first 20 hits sorted by their grades), whose figure docs/relevance.md quotes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.eval_relevance import _corpus_with, load_pools, ndcg, ndcg_in_grade_order
from bench.vector_thesaurus import acyclic
from kb.config import DEFAULT_CORPUS_DIR, Settings

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


def test_each_query_file_is_judged_over_its_own_label_files_documents(tmp_path: Path) -> None:
    head = "doc_file\tpublisher\n"
    (tmp_path / "queries.tsv").write_text("query_id\tquery\tdoc_file\tgrade\n", encoding="utf-8")
    (tmp_path / "queries_municipal.tsv").write_text("query_id\tquery\tdoc_file\tgrade\n")
    (tmp_path / "labels.tsv").write_text(head + "pdf/401_a.pdf\tX\nmd/500_b.md\tY\n")
    (tmp_path / "labels_municipal.tsv").write_text(head + "md/301_c.md\tZ\n\n")
    pools = load_pools(tmp_path)
    assert pools == {
        "queries.tsv": {"pdf/401_a.pdf", "md/500_b.md"},
        "queries_municipal.tsv": {"md/301_c.md"},
    }


def test_a_thesaurus_to_try_is_searched_with_the_shipped_taxonomy(tmp_path: Path) -> None:
    trial = tmp_path / "trial.txt"
    trial.write_text("kommun => kommunal\n", encoding="utf-8")
    folder = _corpus_with(trial, tmp_path / "cache")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=folder)
    assert settings.thesaurus_path.read_text(encoding="utf-8") == "kommun => kommunal\n"
    assert (settings.taxonomy_dir / "municipalities.tsv").read_bytes() == (
        DEFAULT_CORPUS_DIR / "taxonomy" / "municipalities.tsv"
    ).read_bytes()


def test_word_vector_rules_leave_out_targets_that_close_a_cycle() -> None:
    rules = {"omsorg": ["vård", "stöd"], "vård": ["omsorg", "hälsa"], "hälsa": ["omsorg"]}
    # vård -> omsorg and hälsa -> omsorg would lead back to omsorg, which already leads there.
    assert acyclic(rules) == {"omsorg": ["vård", "stöd"], "vård": ["hälsa"]}
