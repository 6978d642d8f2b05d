"""CPU per results page in one process, split into search, view and render, optionally profiled.

Opens ``--data-dir`` through ``create_app`` (read only), builds the results-page URLs of
bench/web_bench.py from the index with Flask's test client, warms up, then requests each URL
``--rounds`` times. Prints the mean / median / p95 CPU time of a whole request
(``time.process_time``: the machine's load changes it far less than wall-clock latency) and the
mean of its three parts: ``kb.search``, ``build_view`` and ``render_template``.
``--typos`` requests the results pages of bench/typos.py's misspelt words instead (each page
with its "Menade du" suggestion). ``--render-only N`` instead renders each page's view N times
(the view built N times first), to compare template changes without the search. ``--profile``
prints the cProfile of the requests.

    .venv/bin/python bench/page_cpu.py --data-dir /work/bench-data/100k-final/data --rounds 3
    .venv/bin/python bench/page_cpu.py --data-dir <data dir> --render-only 20
    .venv/bin/python bench/page_cpu.py --data-dir <data dir> --rounds 2 --profile 60
    .venv/bin/python bench/page_cpu.py --data-dir <data dir> --rounds 3 --result-cache  # again
    .venv/bin/python bench/page_cpu.py --data-dir <data dir> --result-cache --distinct 300
    .venv/bin/python bench/page_cpu.py --data-dir <data dir> --render-only 20 --no-markup-cache
    .venv/bin/python bench/page_cpu.py --data-dir <data dir> --typos --rounds 5

Run it from a checkout (or a ``git archive`` copy of another commit) to measure that code.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import web.search_handler as handler
from bench.stats import floor_rank
from bench.typos import TYPOS
from bench.web_bench import BENCH_ENV, QUERIES, distinct_pages, search_urls
from kb.config import Settings
from kb.service import KnowledgeBase
from web import create_app

# No query statistics written into the shared index (recording a few-hit search costs ~0.01 ms
# since 2026-12-07; kb/query_stats.py), no request limits (bench/web_bench.py).
os.environ.update(BENCH_ENV)

# These timings are of the search itself: results kept for a search asked again
# (kb.search.result_cache) would answer the repeated benchmark queries from memory.
os.environ["KB_RESULT_CACHE_ENTRIES"] = "0"


PARTS = ("search", "view", "render")


def page_urls(client: Any) -> list[str]:
    """The results pages of bench/web_bench.py (queries x filters from the index's own values)."""
    urls: list[str] = []
    for q in QUERIES:
        facets = client.get("/api/search?" + urlencode({"q": q, "page_size": 1})).get_json()
        urls += search_urls(q, facets["facets"])
    return [u for u in urls if client.get(u).status_code == 200]


def timed(spent: dict[str, float], part: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` adding its CPU time to ``spent[part]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[part] += time.process_time() - began

    return wrapper


def whole_pages(client: Any, urls: list[str], rounds: int, profile: int) -> str:
    spent = dict.fromkeys(PARTS, 0.0)
    handler.build_view = timed(spent, "view", handler.build_view)
    handler.render_template = timed(spent, "render", handler.render_template)
    KnowledgeBase.search = timed(spent, "search", KnowledgeBase.search)  # type: ignore[method-assign]
    prof = cProfile.Profile()
    times = []
    for _ in range(rounds):
        for url in urls:
            began = time.process_time()
            if profile:
                prof.enable()
            client.get(url)
            if profile:
                prof.disable()
            times.append(time.process_time() - began)
    n = len(times)
    times.sort()
    parts = " ".join(f"{p} {spent[p] / n * 1e3:.2f}" for p in PARTS)
    if profile:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(profile)
    return (
        f"{n} pages: CPU per request mean {statistics.mean(times) * 1e3:.2f} ms, median "
        f"{statistics.median(times) * 1e3:.2f} ms, p95 {floor_rank(times, 0.95) * 1e3:.2f} ms; "
        f"of which (mean, ms) {parts}"
    )


def render_only(app: Any, urls: list[str], repeat: int) -> str:
    seen: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
    real_view, real_render = handler.build_view, handler.render_template

    def keep(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen[name] = (args, kwargs)
            return func(*args, **kwargs)

        return wrapper

    handler.build_view = keep("view", real_view)
    handler.render_template = keep("render", real_render)
    view_time = render_time = 0.0
    for url in urls:
        with app.test_request_context(url):
            app.preprocess_request()
            handler.render_search("search.html", "pages.search")
            (v_args, v_kwargs), (r_args, r_kwargs) = seen["view"], seen["render"]
            began = time.process_time()
            for _ in range(repeat):
                real_view(*v_args, **v_kwargs)
            view_time += time.process_time() - began
            for _ in range(repeat):
                _fresh_request_caches()  # as a new request: no links or labels made yet
                began = time.process_time()
                real_render(*r_args, **r_kwargs)
                render_time += time.process_time() - began
    n = len(urls) * repeat
    return (
        f"{len(urls)} pages x {repeat}: view {view_time / n * 1e3:.2f} ms, "
        f"render {render_time / n * 1e3:.2f} ms per page"
    )


def _fresh_request_caches() -> None:
    from flask import g

    for key in [k for k in g if k.startswith("facet_links")]:
        g.pop(key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the data folder to search")
    parser.add_argument("--rounds", type=int, default=3, help="times each URL is requested")
    parser.add_argument("--render-only", type=int, default=0, help="render each view N times")
    parser.add_argument("--profile", type=int, default=0, help="print this many profile rows")
    parser.add_argument(
        "--result-cache",
        action="store_true",
        help="keep search results (a page asked again): time the page around a cached search",
    )
    parser.add_argument(
        "--distinct", type=int, default=0, help="instead: N pages never asked before, once each"
    )
    parser.add_argument(
        "--typos",
        action="store_true",
        help="instead: the results pages of bench/typos.py's misspelt words (spelling suggestion)",
    )
    parser.add_argument(
        "--no-markup-cache",
        action="store_true",
        help="keep no pages, hits or facet markup (web/markup_cache.py): time making them",
    )
    args = parser.parse_args(argv)
    settings = replace(Settings.from_env(), data_dir=args.data_dir)
    if args.result_cache:
        # The setting's default (the environment of a bench turns it off).
        settings = replace(settings, result_cache_entries=Settings().result_cache_entries)
    app = create_app(settings)
    if args.no_markup_cache:
        for name, cache in app.extensions.items():
            if name.startswith("markup_cache."):
                cache.max_entries = 0
    client = app.test_client()
    urls = [f"/search?{urlencode({'q': t})}" for t in TYPOS] if args.typos else page_urls(client)
    for url in urls:  # warm: snapshot, caches, compiled templates
        client.get(url)
    if args.distinct:
        # Pages never asked before (no cache of results, hits, facets or pages has them): the
        # benchmark queries crossed with filters and sorts, shuffled, each requested once.
        def fetch(path: str) -> tuple[int, bytes]:
            response = client.get(path)
            return response.status_code, response.data

        cycled = set(urls)
        pages = [p for p in distinct_pages(fetch) if p not in cycled]
        random.Random(7).shuffle(pages)
        print(whole_pages(client, pages[: args.distinct], 1, args.profile))
    elif args.render_only:
        print(render_only(app, urls, args.render_only))
    else:
        print(whole_pages(client, urls, args.rounds, args.profile))
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
