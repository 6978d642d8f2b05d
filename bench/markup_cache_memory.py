"""Memory the web's markup caches (web/markup_cache.py) hold once full, per cache.

Opens ``--data-dir`` through ``create_app`` in one process, requests ``--pages`` results pages
never asked twice (the ``--distinct`` pages of bench/web_bench.py, shuffled) so that every cache
fills up, then empties the caches one by one and prints what each gave back
(``tracemalloc``, after ``gc.collect()``). kb's own result cache is not counted: what the web's
keys share with it (the results, their facet values) stays alive.

    cd CHECKOUT && /work/main/.venv/bin/python bench/markup_cache_memory.py \
        --data-dir /work/bench-data/100k/data --pages 400
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.web_bench import BENCH_ENV, distinct_pages
from kb.config import Settings
from web import create_app
from web.markup_cache import MarkupCache

# No request limits, and no query statistics written into the shared index (bench/web_bench.py).
os.environ.update(BENCH_ENV)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the data folder to search")
    parser.add_argument("--pages", type=int, default=400, help="distinct pages to request")
    args = parser.parse_args(argv)
    app = create_app(replace(Settings.from_env(), data_dir=args.data_dir))
    client = app.test_client(use_cookies=False)

    def fetch(path: str) -> tuple[int, bytes]:
        response = client.get(path)
        return response.status_code, response.data

    pages = distinct_pages(fetch)
    random.Random(7).shuffle(pages)
    tracemalloc.start()
    for path in pages[: args.pages]:
        client.get(path)
    gc.collect()
    held = before = tracemalloc.get_traced_memory()[0]
    for name, cache in app.extensions.items():
        if isinstance(cache, MarkupCache):
            entries = len(cache)
            cache._entries.clear()
            gc.collect()
            now = tracemalloc.get_traced_memory()[0]
            print(f"{name}: {entries} of {cache.max_entries} entries, {(held - now) / 1e6:.1f} MB")
            held = now
    print(f"all markup caches: {(before - held) / 1e6:.1f} MB after {args.pages} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
