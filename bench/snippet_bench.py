"""Snippet cost per hit on real documents: the engine's snippets against the previous algorithm.

    python -m bench.snippet_bench /work/shared/devset

Uses the dev-set data folder of ``bench.eval_relevance`` (ingested once, cached in /tmp). For the
first 10 hits of every dev-set question it times, in one run and interleaved, (a) the engine's
``snippet_from_compressed`` and (b) the algorithm it replaced (issue 10): decompress the whole
text, lower-case it and fold å/ä/ö character by character, then substring-search each term.
Both get the same stored text and terms; CPU time (``time.process_time``) is reported beside
wall time because the machine is shared.
"""

from __future__ import annotations

import statistics
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_relevance import load_queries, open_devset_kb
from bench.stats import rounded_rank
from kb.analysis.analyzer import index_terms, query_terms, tokenize_with_offsets
from kb.analysis.termkeys import key_patterns
from kb.index.record import StoredRecord
from kb.search.request import SearchRequest
from kb.search.snippets import PAGE_BREAK, snippet_from_compressed


def previous_snippet(blob: bytes, terms: list[str]) -> int:
    """The work the previous algorithm did before tokenising windows (whole-text passes)."""
    text = zlib.decompress(blob).decode("utf-8")
    text = PAGE_BREAK.join(text.split(PAGE_BREAK))
    lowered = text.lower()
    folded = "".join(unicodedata.normalize("NFKD", c)[0] if ord(c) > 127 else c for c in lowered)
    found = 0
    for probe in {t[:6] for t in terms}:
        for hay in (lowered, folded):
            found += hay.count(probe)
    return found


def _summary(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = rounded_rank(ms, 0.95)
    return f"median {statistics.median(ms):.3f} ms, p95 {p95:.3f} ms, max {ms[-1]:.2f} ms"


@click.command()
@click.argument("devset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--cache", type=click.Path(path_type=Path), default=Path("/tmp/kb-devset-eval"))
def main(devset: Path, cache: Path) -> None:
    """Time snippets per hit, new and previous, on the dev-set documents."""
    kb = open_devset_kb(devset, cache, rebuild=False)
    searcher = kb._context().searcher
    rows = []
    for q in load_queries(devset):
        terms = [t for w in q.text.split() for t in query_terms(w)]
        for hit in kb.search(SearchRequest(q=q.text, page_size=10), facets=False).hits:
            record = StoredRecord.of(searcher, searcher.document_number(id=hit.id))
            rows.append((record.text_z, list(record.page_numbers), record.summary, terms))
    timings: dict[str, list[float]] = {"new_wall": [], "new_cpu": [], "old_wall": [], "old_cpu": []}
    for blob, pages, summary, terms in rows:
        for name in ("new", "old"):
            w, c = time.perf_counter(), time.process_time()
            if name == "new":
                # As kb.search.hits.make_hit calls it: the record's summary, the term keys.
                snippet_from_compressed(
                    blob,
                    pages,
                    terms,
                    tokenize_with_offsets,
                    index_terms,
                    fallback=summary,
                    key_patterns=key_patterns,
                )
            else:
                previous_snippet(blob, terms)
            timings[f"{name}_wall"].append(time.perf_counter() - w)
            timings[f"{name}_cpu"].append(time.process_time() - c)
    kb.close()
    sizes = sorted(len(zlib.decompress(row[0])) for row in rows)
    click.echo(
        f"{len(rows)} hits; text per hit: median {statistics.median(sizes)} chars, max {sizes[-1]}"
    )
    for key, values in timings.items():
        click.echo(f"{key}: {_summary(values)}")


if __name__ == "__main__":
    main()
