"""Relevance on the dev set: nDCG@10, recall@20 and MRR per query and overall.

    python -m bench.eval_relevance /work/shared/devset
    python -m bench.eval_relevance /work/shared/devset --record   # store figures in docs/

Ingests every document under ``DEVSET/docs`` with the real pipeline (fetch, extract, enrich,
normalise, index) into a data folder under ``--cache`` (default /tmp/kb-devset-eval), kept between
runs and rebuilt when the index schema or analyzer version changes (or with ``--rebuild``). Then
runs the graded queries of ``queries*.tsv`` (grades 0-3 per document; a row with document ``-``
marks a question that has no answer in the set) through ``KnowledgeBase.search`` and compares the
figures with the previous ones in ``docs/relevance.json``.

Metrics (answerable queries only; overall = mean over queries):
- nDCG@10 with gain 2^grade - 1 and the ideal ranking of all judged documents;
- recall@20: share of documents graded >= 1 among the first 20 hits;
- MRR: 1 / rank of the first document graded >= 1 (0 when none in the first 20);
- nDCG@10 judged (a diagnostic, not a target): the same over the hits that were judged for the
  question, unjudged hits skipped (a "condensed list"). Each query file was judged over its own
  documents, so an unjudged document may be a good answer; the gap between the two nDCG figures
  shows how much of a shortfall is the judgements' reach rather than the ranking;
- nDCG@10 in grade order (a diagnostic, not a target): the same if the first 20 hits were
  sorted by their grades (unjudged as 0), so what a perfect reordering of the hits found would
  reach; the gap to nDCG@10 is the ranking's, the gap from it to 1 is the recall of the first 20;
- nDCG@10 within the pool (a diagnostic, not a target): the same over the hits from the pool the
  question was judged over (the documents of the label file that goes with its query file:
  ``queries_municipal.tsv`` with ``labels_municipal.tsv``), other documents skipped. Unlike the
  judged figure it keeps the pool's unjudged documents, as misses: the gap between it and nDCG@10
  is what the other pool's documents, never judged for the question, cost.
No-answer questions report their hit count and how many of those hits are full matches: the
target is 0 full matches (partial matches are allowed, flagged as such).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.config import DEFAULT_CORPUS_DIR, Settings
from kb.errors import SchemaMismatchError
from kb.index.schema import current_version
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "relevance.json"
DEPTH = 20


@dataclass
class Query:
    qid: str
    text: str
    grades: dict[str, int] = field(default_factory=dict)  # doc_file -> grade
    source: str = ""  # the queries file (queries.tsv, queries_municipal.tsv)

    @property
    def answerable(self) -> bool:
        return any(g > 0 for g in self.grades.values())


def load_queries(devset: Path) -> list[Query]:
    queries: dict[str, Query] = {}
    for path in sorted(devset.glob("queries*.tsv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in lines[1:]:
            if not line.strip():
                continue
            qid, text, doc, grade = line.split("\t")[:4]
            q = queries.setdefault(qid, Query(qid, text, source=path.name))
            if doc.strip() not in ("", "-"):
                q.grades[doc.strip()] = int(grade)
    return list(queries.values())


def load_pools(devset: Path) -> dict[str, set[str]]:
    """Query file name -> the documents its questions were judged over (its label file's)."""
    pools: dict[str, set[str]] = {}
    for path in sorted(devset.glob("queries*.tsv")):
        labels = devset / path.name.replace("queries", "labels", 1)
        if labels.exists():
            rows = labels.read_text(encoding="utf-8").splitlines()[1:]
            pools[path.name] = {r.split("\t")[0].strip() for r in rows if r.strip()}
    return pools


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def ndcg_in_grade_order(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """nDCG@10 of the first ``depth`` hits sorted by their grades (unjudged as 0; ties keep
    their rank): what a perfect reordering of the hits found would give."""
    reordered = sorted(ranked[:depth], key=lambda d: -grades.get(d, 0))
    return ndcg(reordered, grades)


def recall(ranked: list[str], grades: dict[str, int], k: int = DEPTH) -> float:
    relevant = {d for d, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr(ranked: list[str], grades: dict[str, int]) -> float:
    for i, d in enumerate(ranked[:DEPTH]):
        if grades.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def _fingerprint(devset: Path) -> str:
    """Index format and the document set: a change in either rebuilds the cached data folder."""
    h = hashlib.sha256(json.dumps(current_version(), sort_keys=True).encode())
    for p in sorted((devset / "docs").rglob("*")):
        if p.is_file():
            h.update(f"{p.relative_to(devset)}:{p.stat().st_size}".encode())
    return h.hexdigest()[:16]


def open_devset_kb(
    devset: Path, cache: Path, rebuild: bool, corpus_dir: Path | None = None
) -> KnowledgeBase:
    stamp = cache / "fingerprint"
    fingerprint = _fingerprint(devset)
    # No time budget: on a loaded shared machine a slow query would stop the whole evaluation,
    # and the figures must not depend on the load (the service keeps its budget).
    settings = Settings(
        data_dir=cache / "data",
        corpus_dir=corpus_dir or DEFAULT_CORPUS_DIR,
        ingest_demo_on_start=False,
        query_time_budget=0,
    )
    fresh = not rebuild and stamp.exists() and stamp.read_text() == fingerprint
    if fresh:
        try:
            kb = KnowledgeBase.open(settings)
            kb.search(SearchRequest(q="test"))
            return kb
        except SchemaMismatchError:
            pass
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    click.echo(f"Ingesting {devset / 'docs'} into {cache} (once; cached) ...", err=True)
    started = time.perf_counter()
    kb = KnowledgeBase.open(settings)
    report = run(kb, resolve([str(devset / "docs")]), IngestOptions(delay=0.0, jobs=2))
    click.echo(
        f"  {report.totals} in {time.perf_counter() - started:.0f} s",
        err=True,
    )
    stamp.write_text(fingerprint)
    return kb


def doc_key(url: str, known: set[str]) -> str:
    """The devset file name (``pdf/401_x.pdf``) of a hit's source path."""
    parts = url.replace("\\", "/").split("/")
    key = "/".join(parts[-2:])
    return key if key in known else url


def evaluate(
    kb: KnowledgeBase, queries: list[Query], pools: dict[str, set[str]] | None = None
) -> dict[str, Any]:
    pools = pools or {}
    known = {d for q in queries for d in q.grades}.union(*pools.values())
    per_query: dict[str, dict[str, Any]] = {}
    for q in queries:
        result = kb.search(SearchRequest(q=q.text, page_size=DEPTH), facets=False)
        ranked = [doc_key(h.url, known) for h in result.hits]
        partial = [bool(getattr(h, "partial", False)) for h in result.hits]
        row: dict[str, Any] = {"query": q.text, "hits": result.total, "file": q.source}
        if q.answerable:
            row.update(
                ndcg10=round(ndcg(ranked, q.grades), 4),
                ndcg10_judged=round(ndcg([d for d in ranked if d in q.grades], q.grades), 4),
                ndcg10_pool=round(_pool_ndcg(kb, q, pools, known), 4),
                ndcg10_grade_order=round(ndcg_in_grade_order(ranked, q.grades), 4),
                recall20=round(recall(ranked, q.grades), 4),
                mrr=round(mrr(ranked, q.grades), 4),
            )
        else:
            # Partial matches rank below full ones: hits beyond the first page are partial too
            # when the first page already has partial hits.
            row.update(full_hits=sum(1 for p in partial if not p))
        per_query[q.qid] = row
    scored = [r for r in per_query.values() if "ndcg10" in r]
    overall = _means(scored)
    overall["min_ndcg10"] = min(r["ndcg10"] for r in scored)
    overall["below_0_4"] = sum(1 for r in scored if r["ndcg10"] < 0.4)
    overall["no_answer_full_hits"] = sum(
        r.get("full_hits", 0) for r in per_query.values() if "ndcg10" not in r
    )
    # Each query file was judged over its own pool of documents: figures per file show whether a
    # change helps one set of questions at the other's expense.
    files = sorted({r["file"] for r in scored})
    by_file = {f: _means([r for r in scored if r["file"] == f]) for f in files}
    # The answerable questions in id order, alternating (the halves docs/relevance.md uses): a
    # number tuned on one half must hold on the other.
    halves = {"A": _means(scored[0::2]), "B": _means(scored[1::2])}
    return {"overall": overall, "by_file": by_file, "halves": halves, "queries": per_query}


def _pool_ndcg(kb: KnowledgeBase, q: Query, pools: dict[str, set[str]], known: set[str]) -> float:
    """nDCG@10 over the hits from the question's judged pool (all hits when it has none)."""
    pool = pools.get(q.source)
    # A page of 100, so that ten of the pool's documents are there to rank after the skipping.
    result = kb.search(SearchRequest(q=q.text, page_size=100), facets=False)
    ranked = [doc_key(h.url, known) for h in result.hits]
    return ndcg([d for d in ranked if pool is None or d in pool], q.grades)


def _corpus_with(thesaurus: Path, cache: Path) -> Path:
    """A corpus folder beside the cache: the shipped taxonomy and demo, ``thesaurus`` as its own."""
    folder = cache.with_name(cache.name + "-corpus")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in ("taxonomy", "demo"):
        (folder / name).symlink_to(DEFAULT_CORPUS_DIR / name, target_is_directory=True)
    shutil.copyfile(thesaurus, folder / "thesaurus.txt")
    return folder


def _means(rows: list[dict[str, Any]]) -> dict[str, Any]:
    measures = ("ndcg10", "recall20", "mrr", "ndcg10_judged", "ndcg10_grade_order", "ndcg10_pool")
    out: dict[str, Any] = {
        m: round(sum(r.get(m, 0.0) for r in rows) / len(rows), 4) for m in measures
    }
    out["questions"] = len(rows)
    return out


def _delta(now: float, before: float | None) -> str:
    if before is None:
        return ""
    d = now - before
    return f" ({'+' if d >= 0 else ''}{d:.3f})" if abs(d) >= 0.0005 else " (=)"


def report(figures: dict[str, Any], previous: dict[str, Any] | None) -> None:
    prev_q = (previous or {}).get("queries", {})
    click.echo("| query | text | nDCG@10 | recall@20 | MRR | hits |")
    click.echo("| --- | --- | ---: | ---: | ---: | ---: |")
    for qid, r in figures["queries"].items():
        p = prev_q.get(qid, {})
        if "ndcg10" in r:
            cells = [f"{r[m]:.3f}{_delta(r[m], p.get(m))}" for m in ("ndcg10", "recall20", "mrr")]
        else:
            cells = ["no answer", f"full hits {r['full_hits']}", ""]
        click.echo(f"| {qid} | {r['query']} | {' | '.join(cells)} | {r['hits']} |")
    o, po = figures["overall"], (previous or {}).get("overall", {})
    click.echo("")
    for m in ("ndcg10", "recall20", "mrr", "min_ndcg10", "ndcg10_judged"):
        click.echo(f"{m}: {o[m]:.4f}{_delta(o[m], po.get(m))}")
    ordered = "ndcg10_grade_order"
    per_file = "".join(f", {name} {f[ordered]:.4f}" for name, f in figures["by_file"].items())
    click.echo(
        f"nDCG@10 if the first {DEPTH} hits were sorted by their grades (diagnostic): "
        f"{o[ordered]:.4f}{_delta(o[ordered], po.get(ordered))}{per_file}"
    )
    per_file = "".join(f", {name} {f['ndcg10_pool']:.4f}" for name, f in figures["by_file"].items())
    below = sum(1 for r in figures["queries"].values() if r.get("ndcg10_pool", 1.0) < 0.4)
    click.echo(
        "nDCG@10 within each question's judged pool (diagnostic): "
        f"{o['ndcg10_pool']:.4f}{_delta(o['ndcg10_pool'], po.get('ndcg10_pool'))}{per_file}; "
        f"below 0.4: {below}"
    )
    click.echo(f"queries with nDCG@10 < 0.4: {o['below_0_4']} (before: {po.get('below_0_4')})")
    click.echo(
        f"full hits on no-answer questions: {o['no_answer_full_hits']} "
        f"(before: {po.get('no_answer_full_hits')})"
    )
    prev_files = (previous or {}).get("by_file", {})
    for name, f in figures.get("by_file", {}).items():
        pf = prev_files.get(name, {})
        line = ", ".join(
            f"{m} {f[m]:.4f}{_delta(f[m], pf.get(m))}"
            for m in ("ndcg10", "recall20", "mrr", "ndcg10_judged")
        )
        click.echo(f"{name} ({f['questions']} questions): {line}")
    for name, f in figures.get("halves", {}).items():
        click.echo(
            f"half {name} ({f['questions']} questions): ndcg10 {f['ndcg10']:.4f}, "
            f"recall20 {f['recall20']:.4f}, mrr {f['mrr']:.4f}"
        )
    if previous:
        click.echo(f"previous figures: {previous.get('label', '?')} ({previous.get('date', '?')})")


def _override(item: str) -> None:
    """Set one constant of a kb.search module (for sweeps over the whole dev set):
    ``scoring.K1=1.5``, or one entry of a dict constant: ``scoring.FIELD_WEIGHTS.lead=0.5``."""
    name, _, value = item.partition("=")
    module_name, _, attr = name.partition(".")
    attr, _, key = attr.partition(".")
    module = importlib.import_module(f"kb.search.{module_name}")
    if not hasattr(module, attr):
        raise click.BadParameter(f"kb.search.{module_name} has no {attr}")
    current = getattr(module, attr)
    if key:
        if not isinstance(current, dict) or key not in current:
            raise click.BadParameter(f"kb.search.{module_name}.{attr} has no entry {key}")
        current[key] = type(current[key])(float(value))
    else:
        setattr(module, attr, type(current)(float(value)))


@click.command()
@click.argument("devset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--cache", type=click.Path(path_type=Path), default=Path("/tmp/kb-devset-eval"))
@click.option("--rebuild", is_flag=True, help="Ingest again even if the cache looks current.")
@click.option("--record", is_flag=True, help=f"Store the figures in {RECORD.relative_to(ROOT)}.")
@click.option("--label", default="", help="What this run measures (stored with --record).")
@click.option("--json-out", "json_out", type=click.Path(path_type=Path), default=None)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    help="Try a ranking constant for this run: --set scoring.B_BODY=0.9 (kb.search.<module>).",
)
@click.option(
    "--thesaurus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Search with this thesaurus file instead of corpus/thesaurus.txt (the shipped taxonomy).",
)
def main(
    devset: Path,
    cache: Path,
    rebuild: bool,
    record: bool,
    label: str,
    json_out: Path | None,
    overrides: tuple[str, ...],
    thesaurus: Path | None,
) -> None:
    """Ingest the dev set (cached) and print relevance figures against the recorded ones."""
    for item in overrides:
        _override(item)
    queries = load_queries(devset)
    if not queries:
        raise click.ClickException(f"no queries*.tsv in {devset}")
    corpus_dir = _corpus_with(thesaurus, cache) if thesaurus else None
    kb = open_devset_kb(devset, cache, rebuild, corpus_dir)
    try:
        figures = evaluate(kb, queries, load_pools(devset))
    finally:
        kb.close()
    previous = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else None
    report(figures, previous)
    figures["label"] = label or "unlabelled run"
    figures["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    if record:
        history = list((previous or {}).get("history", []))
        entry = {"label": figures["label"], "date": figures["date"], **figures["overall"]}
        entry["by_file"] = figures["by_file"]
        entry["halves"] = figures["halves"]
        history.append(entry)
        figures["history"] = history
        text = json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
        RECORD.write_text(text, encoding="utf-8")
        click.echo(f"recorded in {RECORD}")


if __name__ == "__main__":
    main()
