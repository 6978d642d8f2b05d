"""Why the ranking misses judged documents: each relevant document outside the top 20, classed.

    python -m bench.eval_misses /work/shared/devset [--cache /tmp/kb-devset-eval]

For every answerable question of the dev set (see bench.eval_relevance, whose cached index it
opens), every document graded >= 1 that is not among the first 20 hits is put in one class:

- ``ranked below 20``: the query finds it, lower down (a ranking problem, or more relevant
  documents than 20);
- ``holds every word, not shown``: each typed word alone finds it, the whole query does not (a
  matching rule cut it: the all-words-first tier, a phrase, the compound rules);
- ``holds some words``: some typed words find it (a partial match the rules leave out or rank
  below 20);
- ``holds none of the words``: no typed word, with its thesaurus synonyms, finds it (vocabulary:
  only a synonym, a broader term or a semantic model could).

Each typed word is searched alone through ``KnowledgeBase.search`` (so synonyms, compounds and
folding apply as they do for the whole query). Prints the classes with their questions and the
sum of the missed grades, so a change can be aimed at the largest class.

It ends with the ceilings: the mean recall@20 if the missed documents of the first classes were
found too (within the 20 places a question has: a question with 30 relevant documents cannot
pass 20/30). The last line before "every class" is what lexical matching and ranking can reach
without a word the documents share with the question.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_relevance import DEPTH, Query, doc_key, load_queries, open_devset_kb
from kb.analysis.analyzer import query_terms
from kb.search.query import parse
from kb.search.request import MAX_PAGE_SIZE, SearchRequest
from kb.service import KnowledgeBase

CLASSES = (
    "ranked below 20",
    "holds every word, not shown",
    "holds some words",
    "holds none of the words",
)


def found_keys(kb: KnowledgeBase, text: str, known: set[str], limit: int = 3) -> list[str]:
    """The dev-set keys of the hits of ``text``, in order (up to ``limit`` pages of 100)."""
    keys: list[str] = []
    for page in range(1, limit + 1):
        result = kb.search(SearchRequest(q=text, page=page, page_size=MAX_PAGE_SIZE), facets=False)
        keys.extend(doc_key(h.url, known) for h in result.hits)
        if page * MAX_PAGE_SIZE >= result.total:
            break
    return keys


def classify(kb: KnowledgeBase, queries: list[Query]) -> dict[str, list[tuple[str, str, int]]]:
    """Class -> (question id, document, grade) of every relevant document missed in the top 20."""
    known = {d for q in queries for d in q.grades}
    out: dict[str, list[tuple[str, str, int]]] = {c: [] for c in CLASSES}
    for q in queries:
        if not q.answerable:
            continue
        ranked = found_keys(kb, q.text, known)
        words = [w for w in parse(q.text).words if query_terms(w)]
        alone = {w: set(found_keys(kb, w, known)) for w in words}
        for doc, grade in q.grades.items():
            if grade <= 0 or doc in ranked[:DEPTH]:
                continue
            held = [w for w in words if doc in alone[w]]
            if doc in ranked:
                cls = CLASSES[0]
            elif words and len(held) == len(words):
                cls = CLASSES[1]
            elif held:
                cls = CLASSES[2]
            else:
                cls = CLASSES[3]
            out[cls].append((q.qid, doc, grade))
    return out


@click.command()
@click.argument("devset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--cache", type=click.Path(path_type=Path), default=Path("/tmp/kb-devset-eval"))
def main(devset: Path, cache: Path) -> None:
    """Class the relevant documents the ranking leaves out of the first 20 hits."""
    queries = load_queries(devset)
    if not queries:
        raise click.ClickException(f"no queries*.tsv in {devset}")
    kb = open_devset_kb(devset, cache, rebuild=False)
    try:
        classes = classify(kb, queries)
    finally:
        kb.close()
    total = sum(len(rows) for rows in classes.values())
    click.echo(f"relevant documents missing from the first {DEPTH} hits: {total}")
    for cls, rows in classes.items():
        grades = sum(g for _, _, g in rows)
        click.echo(f"\n{cls}: {len(rows)} documents, grades {grades}")
        by_query: dict[str, list[str]] = {}
        for qid, doc, grade in rows:
            by_query.setdefault(qid, []).append(f"{doc.rsplit('/', 1)[-1][:3]}({grade})")
        for qid, docs in by_query.items():
            click.echo(f"  {qid}: {' '.join(docs)}")
    click.echo(f"\nrecall@{DEPTH} if the missed documents of these classes were found too:")
    for upto in range(len(CLASSES) + 1):
        label = "none (as ranked now)" if upto == 0 else " + ".join(CLASSES[:upto])
        click.echo(f"  {label}: {recall_ceiling(queries, classes, CLASSES[:upto]):.4f}")


def recall_ceiling(
    queries: list[Query], classes: dict[str, list[tuple[str, str, int]]], found: tuple[str, ...]
) -> float:
    """Mean recall@20 over answerable questions if the misses in ``found`` were in the top 20.

    A question still holds at most ``DEPTH`` documents, so one with more relevant documents than
    that stays below 1 whatever is found.
    """
    missed: dict[str, int] = {}
    for cls, rows in classes.items():
        if cls in found:
            continue
        for qid, _, _ in rows:
            missed[qid] = missed.get(qid, 0) + 1
    shares = []
    for q in queries:
        relevant = sum(1 for g in q.grades.values() if g > 0)
        if not q.answerable or not relevant:
            continue
        shares.append(min(relevant - missed.get(q.qid, 0), DEPTH) / relevant)
    return sum(shares) / len(shares) if shares else 0.0


if __name__ == "__main__":
    main()
