"""Facet counts are the same whether read from each value's documents, from the matching
documents' own pairs (the path taken when few documents match) or from one bitset per value (facets
of few values)."""

from __future__ import annotations

import numpy as np
import pytest

from kb.search import facets
from kb.search.facets import FacetTable


@pytest.mark.parametrize("share", [0.0, 0.0005, 0.01, 0.05, 0.5, 1.0])
def test_sparse_and_dense_counts_agree(share: float, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    n = 4000
    postings = {"none": np.zeros(0, dtype=np.int64)}
    postings |= {f"v{i}": np.unique(rng.integers(0, n, rng.integers(0, 300))) for i in range(40)}
    postings["empty"] = np.zeros(0, dtype=np.int64)
    base = rng.random(n) < share
    bitsets = FacetTable.from_postings("municipality", postings, n).counts(base)
    monkeypatch.setattr(facets, "BITSET_VALUES", 0)  # the pairs, as for a facet of many values
    table = FacetTable.from_postings("municipality", postings, n)
    monkeypatch.setattr(facets, "SPARSE_BELOW", 1)  # sparse whenever not every document matches
    sparse = table.counts(base)
    monkeypatch.setattr(facets, "SPARSE_BELOW", 10**9)  # dense unless nothing matches
    dense = table.counts(base)
    expected = {v: int(base[d].sum()) for v, d in postings.items() if base[d].sum()}
    assert sparse == dense == bitsets == expected


def test_listed_values_are_made_like_the_dataclass_makes_them() -> None:
    # kb.search.facet_values makes the listed values without the frozen dataclass's __init__;
    # a field added to FacetValue must be added there too.
    from dataclasses import asdict, fields

    from kb.search.facet_values import _value
    from kb.search.results import FacetValue

    made = _value("1480", "Göteborg", 12, True)
    assert made == FacetValue("1480", "Göteborg", 12, True)
    assert hash(made) == hash(FacetValue("1480", "Göteborg", 12, True))
    assert set(vars(made)) == {f.name for f in fields(FacetValue)}
    assert asdict(made) == asdict(FacetValue("1480", "Göteborg", 12, True))
