"""Suggestions benchmark: build time and memory of the completion tables, and lookup latency.

Opens the knowledge base in ``--data-dir`` in this process, reads the resident memory
(/proc/self/statm) after a first search, builds the suggestion tables (kb.search.suggest) with
the first ``KnowledgeBase.suggest`` call, reads it again, then times ``--rounds`` passes over
prefixes of 2–8 letters drawn from the words and facet labels of the index (with å/ä/ö folded
away in half of them, as people type them).

    .venv/bin/python bench/suggest_bench.py --data-dir /work/bench-data/100k/data
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.analysis.lexicon import fold
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase

SEED = 20261206


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def prefixes(kb: KnowledgeBase, n: int) -> list[str]:
    rng = random.Random(SEED)
    words: list[str] = []
    for facet in kb.facets.multi:
        for value in kb.indexed_values(facet.id):
            words.append(facet.label(kb.taxonomy, value))
    words += [s.text for q in ("di", "ko", "e-", "in", "pl", "st") for s in kb.suggest(q, 20)]
    out = []
    for _ in range(n):
        word = rng.choice(words).lower()
        cut = word[: rng.randint(2, min(8, max(len(word), 2)))]
        out.append(fold(cut) if rng.random() < 0.5 else cut)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--prefixes", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    kb = KnowledgeBase.open(args.data_dir)
    total = kb.search(SearchRequest(page_size=1)).total
    before = rss_mb()
    t0 = time.perf_counter()
    kb.suggest("di")
    build_s = time.perf_counter() - t0
    after = rss_mb()
    sample = prefixes(kb, args.prefixes)
    times = []
    for _ in range(args.rounds):
        for prefix in sample:
            t = time.perf_counter()
            kb.suggest(prefix)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"documents: {total}")
    print(f"tables built in {build_s:.1f} s; resident memory {before:.0f} -> {after:.0f} MB")
    print(
        f"lookups: {len(times)}, median {statistics.median(times):.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms"
    )
    kb.close()


if __name__ == "__main__":
    main()
