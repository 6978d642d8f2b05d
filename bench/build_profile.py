"""Profile a full index build (``IndexStore.rebuild``, what `kb reindex` runs) under cProfile.

Generates ``N`` documents of bench/corpus_gen.py first (not profiled), builds them in one process
and prints the top functions by own time and by cumulative time, and the CPU seconds of the same
build without the profiler:

    .venv/bin/python bench/build_profile.py 1000
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_bench import _generator
from kb.analysis.analyzer import warm_up
from kb.index.builds import IndexStore


def main(count: int, top: int = 25) -> None:
    warm_up()
    docs = list(_generator().documents(count))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.process_time()
        IndexStore(Path(tmp) / "plain").rebuild(iter(docs))
        cpu = time.process_time() - started
        print(f"build of {count} documents without the profiler: {cpu:.1f} s CPU")
        profile = cProfile.Profile()
        profile.enable()
        IndexStore(Path(tmp) / "profiled").rebuild(iter(docs))
        profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
