"""CPU of the zero-hit page's ways out (web/zero_hits.py): each word of a query that found
nothing searched alone, and each filter left out.

Opens ``--data-dir`` through ``create_app`` as bench/page_cpu.py does (no query statistics, no
result cache, no request limits; a secret key given so no admin key is written). Point it at a
copy of a shared index: opening an index writes its snapshot files. Generates zero-hit queries of
two to six clauses from the index's own vocabulary (common words mixed with words no document
holds), requests each results page ``--rounds`` times and prints, per number of clauses, the CPU
of the whole page and of ``words_alone`` (``time.process_time``) with the load average.

    .venv/bin/python bench/zero_hits_cpu.py --data-dir /tmp/100k-copy/data --rounds 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import web.search_view as search_view
from bench.web_bench import BENCH_ENV
from kb.config import Settings
from web import create_app

os.environ.update(BENCH_ENV)
os.environ["KB_RESULT_CACHE_ENTRIES"] = "0"

# Common words of the benchmark corpora first (each matches thousands of documents at 100k).
COMMON = ("kommun", "digitalisering", "bygglov", "bredband", "e-tjänst", "informationssäkerhet")
# Words no document holds. Their first letters are common ones: the spelling suggestion reads
# every indexed word within two edits that starts with the same letter, the costly case.
ABSENT = ("sqxz", "bqxz", "kqxz", "dqxz", "vqxz", "fqxz")


def queries() -> dict[int, list[str]]:
    """Per clause count (3-6): queries of that many words, fewer than half of them common (so no
    document holds half the words and the page has zero hits), the rest absent."""
    out: dict[int, list[str]] = {}
    for n in range(3, 7):
        common = max(1, (n - 1) // 2)
        out[n] = [
            " ".join([*COMMON[shift : shift + common], *ABSENT[: n - common]])
            for shift in range(0, 3)
        ]
    return out


def timed(spent: list[float], func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent.append(time.process_time() - began)

    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    settings = replace(Settings.from_env(), data_dir=args.data_dir, secret_key="b" * 40)
    app = create_app(settings)
    client = app.test_client()
    alone: list[float] = []
    search_view.words_alone = timed(alone, search_view.words_alone)
    client.get("/search?q=kommun")  # warm: snapshot, templates
    for n, texts in queries().items():
        page_ms: list[float] = []
        alone_ms: list[float] = []
        for q in texts:
            url = "/search?" + urlencode({"q": q})
            response = client.get(url)
            if b"words-alone" not in response.data and b'class="zero"' not in response.data:
                print(f"  (not a zero-hit page: {q!r})")
                continue
            for _ in range(args.rounds):
                alone.clear()
                began = time.process_time()
                client.get(url)
                page_ms.append((time.process_time() - began) * 1e3)
                alone_ms.append(sum(alone) * 1e3)
        if page_ms:
            print(
                f"{n} clauses, {len(page_ms)} pages: page CPU median "
                f"{statistics.median(page_ms):.1f} ms (max {max(page_ms):.1f}), of which "
                f"words alone median {statistics.median(alone_ms):.1f} ms "
                f"(max {max(alone_ms):.1f})"
            )
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
