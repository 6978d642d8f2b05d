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
