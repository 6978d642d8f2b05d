"""Every SearchResult of the benchmark queries as JSON, to compare two versions byte for byte.

    cd CHECKOUT && python /path/to/bench/result_dump.py bench --data DATA_DIR --out before.jsonl
    cd CHECKOUT && python /path/to/bench/result_dump.py devset --cache CACHE_DIR --out d.jsonl
    cmp before.jsonl after.jsonl

A speed change must not change results. ``bench`` runs the warm-up and timed queries of
``bench/search_bench.py`` (340 by default) in five modes: search with all facets, top 10 without
facets, browse (filters only) with facets, page 2 with facets, and the query quoted as a phrase;
``devset`` runs the dev set's questions (``bench.eval_relevance``'s cached index) plus a few query
syntax forms, with facets and top 20. Each line is one result, ``dataclasses.asdict`` as JSON with
sorted keys, so any difference in hits, scores, snippets, facet counts and listing, totals or the
suggestion shows in ``cmp``.

The script imports ``kb`` and ``bench`` from the current directory (like ``bench/search_ab.py``'s
workers), so an older checkout (``git archive COMMIT | tar -x -C DIR``) is dumped by running this
file from inside it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, os.getcwd())  # the checkout being dumped, not this file's
os.environ.setdefault("KB_RESULT_CACHE_ENTRIES", "0")  # every result searched, none remembered

import click

SYNTAX = ("e-tjänst", '"öppna data"', "digitali*", "bredband -landsbygd", "gdpr OR dataskydd")


def _line(label: dict[str, Any], result: Any) -> str:
    body = dataclasses.asdict(result)
    return json.dumps({**label, "result": body}, sort_keys=True, ensure_ascii=False, default=str)


def _write(out: Path, lines: Iterator[str]) -> None:
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
            n += 1
    click.echo(f"{n} results -> {out}")


@click.group()
def cli() -> None:
    """Dump search results for a byte-for-byte comparison."""


@cli.command()
@click.option("--data", type=click.Path(path_type=Path), required=True)
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--queries", type=int, default=240, show_default=True)
def bench(data: Path, out: Path, queries: int) -> None:
    """The benchmark queries (warm-up and timed) on a generated index, in five modes."""
    from bench.search_bench import FAVOURED_REGIONS, _generator, _request
    from kb.config import Settings
    from kb.search.request import SearchRequest
    from kb.service import KnowledgeBase

    gen = _generator()
    asked = gen.queries(queries, regions=FAVOURED_REGIONS)
    asked += gen.queries(100, seed_offset=7, regions=FAVOURED_REGIONS)
    kb = KnowledgeBase.open(Settings.from_env(data_dir=data))

    def phrase(q: Any) -> SearchRequest:
        req = _request(q)
        return dataclasses.replace(req, q=f'"{req.q}"')

    modes: dict[str, Callable[[Any], Any]] = {
        "facets": lambda q: kb.search(_request(q)),
        "top10": lambda q: kb.search(_request(q), facets=False),
        "browse": lambda q: kb.search(_request(q, text=False)),
        "page2": lambda q: kb.search(dataclasses.replace(_request(q), page=2)),
        "phrase": lambda q: kb.search(phrase(q)),
    }

    def lines() -> Iterator[str]:
        for i, q in enumerate(asked):
            for mode, fn in modes.items():
                yield _line({"i": i, "mode": mode, "q": q.text}, fn(q))

    _write(out, lines())


@cli.command()
@click.option("--devset", type=click.Path(path_type=Path), default=Path("/work/shared/devset"))
@click.option("--cache", type=click.Path(path_type=Path), required=True)
@click.option("--out", type=click.Path(path_type=Path), required=True)
def devset(devset: Path, cache: Path, out: Path) -> None:
    """The dev set's questions and a few syntax forms on the dev set's cached index."""
    from bench.eval_relevance import load_queries, open_devset_kb
    from kb.search.request import SearchRequest

    kb = open_devset_kb(devset, cache, rebuild=False)
    texts = [q.text for q in load_queries(devset)] + list(SYNTAX)

    def lines() -> Iterator[str]:
        for text in texts:
            yield _line({"mode": "facets", "q": text}, kb.search(SearchRequest(q=text)))
            top = kb.search(SearchRequest(q=text, page_size=20), facets=False)
            yield _line({"mode": "top20", "q": text}, top)

    _write(out, lines())


if __name__ == "__main__":
    cli()
