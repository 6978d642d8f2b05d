"""Thesaurus rules from word vectors trained on a bank's own texts: an experiment, not a feature.

    pip install --target /tmp/w2v/lib gensim        # not a project dependency
    PYTHONPATH=/tmp/w2v/lib python -m bench.vector_thesaurus /work/shared/devset \\
        --cache /tmp/kb-devset-eval --out /tmp/w2v/thesaurus.txt
    python -m bench.eval_relevance /work/shared/devset --cache /tmp/kb-devset-eval \\
        --thesaurus /tmp/w2v/thesaurus.txt

The questions' vocabulary gap (docs/relevance.md, "What recall@20 can reach") needs words the
documents share with no question. No Swedish sentence model can be installed here, so this tries
the one kind of semantic model that can: word2vec (skip-gram) trained on the texts of the bank
that ``bench.eval_relevance`` ingested. For each word of the dev set's questions (standing in for
whatever a user types) it writes the shipped thesaurus plus one-way rules to the word's nearest
neighbours (cosine >= ``--min-cos``, at most ``--top``), leaving out rules that would close a
cycle, which the thesaurus refuses.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_relevance import load_queries
from kb.config import DEFAULT_CORPUS_DIR
from kb.index.store import Store

TOKEN = re.compile(r"[a-zåäöéü0-9]+(?:-[a-zåäöéü0-9]+)*")
WORD = re.compile(r"[a-zåäö-]{4,}")  # a neighbour worth a rule: a word, not a number or a code


def sentences(store_dir: Path) -> list[list[str]]:
    """Each line of each stored document's title and text, as lower-case tokens."""
    store = Store(store_dir)
    out: list[list[str]] = []
    for path in sorted((store_dir / "docs").glob("*.json")):
        doc = store.load(path.stem)
        for line in f"{doc.title}\n{doc.text}".split("\n"):
            words = TOKEN.findall(line.lower())
            if len(words) > 2:
                out.append(words)
    return out


def acyclic(rules: dict[str, list[str]]) -> dict[str, list[str]]:
    """The rules without the targets that would lead back to their source."""
    kept: dict[str, list[str]] = {}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in kept.get(start, []):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    for source, targets in rules.items():
        ok = [t for t in targets if t != source and not reaches(t, source, {t})]
        if ok:
            kept[source] = ok
    return kept


@click.command()
@click.argument("devset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--cache", type=click.Path(path_type=Path), default=Path("/tmp/kb-devset-eval"))
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--min-cos", type=float, default=0.75, show_default=True)
@click.option("--top", type=int, default=2, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def main(devset: Path, cache: Path, out: Path, min_cos: float, top: int, seed: int) -> None:
    """Write the shipped thesaurus plus word-vector rules for the dev set's question words."""
    try:
        from gensim.models import Word2Vec
    except ImportError as err:
        raise click.ClickException(
            "gensim is not installed: pip install --target /tmp/w2v/lib gensim, then run with "
            "PYTHONPATH=/tmp/w2v/lib"
        ) from err
    texts = sentences(cache / "data" / "store")
    model = Word2Vec(
        texts, vector_size=100, window=5, min_count=3, sg=1, epochs=30, workers=1, seed=seed
    )
    words = sorted({w for q in load_queries(devset) for w in TOKEN.findall(q.text.lower())})
    rules: dict[str, list[str]] = {}
    for word in words:
        if len(word) < 4 or word not in model.wv:
            continue
        near = [n for n, cos in model.wv.most_similar(word, topn=10) if cos >= min_cos]
        near = [n for n in near if WORD.fullmatch(n) and n != word][:top]
        if near:
            rules[word] = near
    kept = acyclic(rules)
    shipped = (DEFAULT_CORPUS_DIR / "thesaurus.txt").read_text(encoding="utf-8").rstrip("\n")
    lines = [f"{source} => {', '.join(targets)}" for source, targets in kept.items()]
    out.write_text(
        shipped
        + "\n\n# word2vec neighbours (bench/vector_thesaurus.py)\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    click.echo(f"{len(texts)} lines, {sum(map(len, texts))} words; {len(kept)} rules -> {out}")
    for line in lines:
        click.echo(f"  {line}")


if __name__ == "__main__":
    main()
