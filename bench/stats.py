"""Percentiles of a benchmark's timings: the two ways the bench scripts have always taken them.

The scripts' figures in docs/benchmarks.md were taken with one of these two, so each script keeps
the one it had; a script that starts now can use either (they differ by at most one rank).
"""

from __future__ import annotations


def rounded_rank(ordered: list[float], q: float) -> float:
    """The value at rank ``round(q * n)`` (1-based) of the sorted ``ordered``: search_bench,
    snippet_bench (search_ab's _p95 too)."""
    return ordered[min(len(ordered) - 1, round(q * len(ordered)) - 1)]


def floor_rank(ordered: list[float], q: float) -> float:
    """The value at index ``int(q * n)`` (0-based) of the sorted ``ordered``, at most the last:
    web_bench, web_configs, page_cpu, load_bench."""
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]
