"""Spelling suggestion ("Menade du"): the candidate table (kb.search.spell_table) against the
Whoosh Levenshtein walk it replaced, in one run on one index.

Opens ``--data-dir`` (point it at a copy of a shared index: opening an index writes its snapshot
files), builds the table (CPU time and resident memory, then again under tracemalloc for its
peak and kept bytes), then:

- CPU ms (``time.process_time``) per word of a list of realistic Swedish typos, walk and table
  alternated, ``--rounds`` times each, with both suggestions;
- ``--typos`` typos generated from indexed words (a letter left out, two neighbours swapped,
  å/ä/ö typed as a/o, a letter doubled) that no document holds: the share where the table's
  suggestion equals the walk's or is the word the typo came from ("equal or better"), and how
  often each finds the word;
- CPU of whole searches for the list's typos with and without the suggestion.

    .venv/bin/python bench/spell_bench.py --data-dir /tmp/spell-100k/data
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.suggest_bench import rss_mb
from bench.typos import TYPOS
from kb.search.livecount import live_counter
from kb.search.request import SearchRequest
from kb.search.spell_table import SpellTable
from kb.search.spelling import SPELL_FIELD, closest_word
from kb.service import KnowledgeBase

SEED = 20261207
FOLD = {"å": "a", "ä": "a", "ö": "o"}


def walk_closest(reader: Any, word: str, count: Callable[[str], int]) -> str | None:
    """The suggestion before the table: Whoosh's automaton walk, Levenshtein distance."""
    if len(word) < 3:
        return None
    maxdist = 1 if len(word) <= 5 else 2
    best: tuple[float, str] | None = None
    for raw in reader.terms_within(SPELL_FIELD, word, maxdist, prefix=1):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        df = count(term)
        if df <= 0:
            continue
        key = (-df / (1 + 4 * _levenshtein(word, term)), term)
        if best is None or key < best:
            best = key
    return best[1] if best else None


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def make_typos(words: list[str], n: int, known: set[str]) -> list[tuple[str, str, str]]:
    """(kind, typo, word) for ``n`` words of 5+ letters; typos no indexed word spells."""
    rng = random.Random(SEED)
    pool = [w for w in words if len(w) >= 5 and w.isalpha()]
    accented = [w for w in pool if any(c in FOLD for c in w)]
    out: list[tuple[str, str, str]] = []
    kinds = ("deletion", "swap", "folded", "doubled")
    while len(out) < n:
        kind = kinds[len(out) % len(kinds)]
        word = rng.choice(accented if kind == "folded" else pool)
        i = rng.randrange(1, len(word) - 1)
        if kind == "deletion":
            typo = word[:i] + word[i + 1 :]
        elif kind == "swap":
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "folded":
            typo = "".join(FOLD.get(c, c) for c in word)
        else:
            typo = word[:i] + word[i] + word[i:]
        if typo != word and typo not in known:
            out.append((kind, typo, word))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--typos", type=int, default=400)
    args = parser.parse_args()
    os.environ["KB_RESULT_CACHE_ENTRIES"] = "0"
    kb = KnowledgeBase.open(args.data_dir)
    kb.search(SearchRequest(q="kommun"), did_you_mean=False)
    with kb._own_context() as ctx:
        searcher, reader = ctx.searcher, ctx.searcher.reader()
        counter = live_counter(ctx.snapshot)

        def count(term: str) -> int:
            return counter.count(searcher, SPELL_FIELD, term)

        rss = rss_mb()
        began = time.process_time()
        table = SpellTable.build(searcher, SPELL_FIELD)
        build_s = time.process_time() - began
        grown = rss_mb()
        del table
        tracemalloc.start()  # a second build, for its memory (tracemalloc slows it down)
        table = SpellTable.build(searcher, SPELL_FIELD)
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"table: {len(table.words)} words, built in {build_s:.2f} s CPU; kept "
            f"{kept / 1e6:.1f} MB (arrays {table.nbytes / 1e6:.1f} MB), peak {peak / 1e6:.1f} MB; "
            f"resident {rss:.0f} -> {grown:.0f} MB"
        )
        walk_ms: list[float] = []
        table_ms: list[float] = []
        for word in TYPOS:
            w_ms, t_ms = [], []
            for _ in range(args.rounds):
                t = time.process_time()
                old = walk_closest(reader, word, count)
                w_ms.append((time.process_time() - t) * 1e3)
                t = time.process_time()
                new = closest_word(table, word, count)
                t_ms.append((time.process_time() - t) * 1e3)
            walk_ms.append(statistics.median(w_ms))
            table_ms.append(statistics.median(t_ms))
            print(
                f"  {word:24} walk {walk_ms[-1]:6.2f} ms -> {old!s:24} "
                f"table {table_ms[-1]:5.2f} ms -> {new}"
            )
        print(
            f"typo list: median CPU per word walk {statistics.median(walk_ms):.2f} ms, "
            f"table {statistics.median(table_ms):.3f} ms"
        )
        typos = make_typos(table.words, args.typos, set(table.words))
        same = better = worse = other = old_right = new_right = 0
        for kind, typo, word in typos:
            old = walk_closest(reader, typo, count)
            new = closest_word(table, typo, count)
            old_right += old == word
            new_right += new == word
            if new == old:
                same += 1
            elif new == word:
                better += 1
            elif old == word:
                worse += 1
                print(f"  worse ({kind}): {typo} -> {new} (walk: {old})")
            else:
                other += 1
                print(f"  differs ({kind}): {typo} -> {new} (walk: {old}; typed from {word})")
        n = len(typos)
        print(
            f"generated typos: {n}; same {same}, better {better}, worse {worse}, other {other}; "
            f"equal or better {(same + better) / n:.1%}; right word walk {old_right / n:.1%}, "
            f"table {new_right / n:.1%}"
        )
    for flag in (False, True):
        spent = []
        for _ in range(args.rounds):
            for word in TYPOS:
                t = time.process_time()
                kb.search(SearchRequest(q=word), did_you_mean=flag)
                spent.append((time.process_time() - t) * 1e3)
        print(f"whole search, did_you_mean={flag}: median CPU {statistics.median(spent):.2f} ms")
    print(f"load average {os.getloadavg()[0]:.2f}")
    kb.close()


if __name__ == "__main__":
    main()
