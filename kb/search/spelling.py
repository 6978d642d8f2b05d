"""Spelling suggestions ("Menade du ...?") from the words the indexed documents really use.

A query word that no document holds is replaced by the most frequent indexed word within a small
edit distance (Whoosh's Levenshtein automaton over the ``spell`` field, which keeps words as people
type them). A suggestion is offered only when it finds more documents than the query did, under the
same filters, so it never leads to an empty page (Solr's "collation that guarantees hits").
Candidates are weighed by the live documents holding them (kb.search.livecount): a word only
deleted documents still hold is never proposed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from whoosh.searching import Searcher

from kb.search.livecount import live_counter
from kb.search.query import AllOf, ParsedQuery, Word
from kb.search.scoring import QueryScorer

SPELL_FIELD = "spell"
MAX_WORDS = 6


def suggest(
    searcher: Searcher,
    scorer: QueryScorer,
    parsed: ParsedQuery,
    filter_mask: np.ndarray,
    total: int,
) -> str | None:
    """A corrected query string that finds more than ``total`` documents, or None."""
    words = [n.text for n in parsed.root.must if isinstance(n, Word)]
    if not words or len(words) > MAX_WORDS or parsed.root.must_not:
        return None
    if len(words) < len(parsed.root.must):
        # The suggestion is the corrected plain words alone: beside a phrase, a prefix or an OR
        # group it would drop them ('"digital kompetens" skoal' suggested "skola").
        return None
    counter = live_counter(scorer.snap)

    def count(term: str) -> int:
        return counter.count(searcher, SPELL_FIELD, term)

    reader = searcher.reader()
    replaced: dict[str, str] = {}
    for word in words:
        terms = scorer.analyze(word)
        if not terms or all(scorer.term_scores(t) is not None for t in terms):
            continue
        best = _closest(reader, word.lower(), count)
        if best and best != word.lower():
            replaced[word] = best
    if not replaced:
        return None
    corrected = [replaced.get(w, w) for w in words]
    scores = scorer.evaluate(AllOf(tuple(Word(w) for w in corrected)))
    if scores is None:
        return None
    found = int(np.count_nonzero((scores > 0) & filter_mask))
    return " ".join(corrected) if found > total else None


def _closest(reader: object, word: str, count: Callable[[str], int]) -> str | None:
    if len(word) < 3:
        return None
    maxdist = 1 if len(word) <= 5 else 2
    best: tuple[float, str] | None = None
    for raw in reader.terms_within(SPELL_FIELD, word, maxdist, prefix=1):  # type: ignore[attr-defined]
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        df = count(term)
        if df <= 0:
            continue
        # A frequent word two edits away beats a rare one-edit typo that happens to be indexed.
        key = (-df / (1 + 4 * _distance(word, term)), term)
        if best is None or key < best:
            best = key
    return best[1] if best else None


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
