"""Best-passage scoring: a long document also counts by its best stretch of text.

Meeting minutes and notices hold a dozen unrelated items; the one item a question is about is a
short passage inside a long document. Whole-document BM25 divides its words by the whole
length, so the item scores below a short text that names the question's words once in passing.
Here the query's concepts (its clauses: a word with its other forms, a thesaurus group with its
alternatives, a phrase as a whole) are counted in overlapping windows of ``PASSAGE_WORDS``
positions of the body, and the best window's BM25 (every window has the same length, so no
length normalisation) is added to the document's score, times ``PASSAGE_WEIGHT`` (Callan 1994:
document and best-passage evidence combined). A body no longer than a window is its own passage.

The same windows say whether a long document's concepts ever stand together: one that holds
three of the question's concepts, each in another item of its minutes, ranks with the documents
that match fewer clauses (docs/relevance.md, "Concepts that never meet"); it is still a full
match and lacks no word.

It runs after the related hits (kb.search.feedback), which learn from the query's own scores,
and reorders the hits only: no document is added or dropped. Cost: the positions of the
``PASSAGE_CANDIDATES`` best-scored documents (the proximity boost reads thirty), and only for
concepts held by at most ``MAX_SHARE`` of the documents: a word nearly every document holds
(*kommun*, *digital*) says little about which passage is on the question, and its long position
lists are what reading costs (docs/relevance.md, "Best passage").
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from kb.search.boosts import best_scored
from kb.search.budget import QueryTooSlowError, check_time
from kb.search.positions import position_lists, rows_positions
from kb.search.query import AllOf, AnyOf, Node, Phrase, Word
from kb.search.scoring import K1, QueryScorer

# -- Passage weights: the one place ---------------------------------------------------------
# Swept on half A of the dev set's answerable questions (alternate ids; python -m
# bench.eval_relevance DEVSET --set passages.NAME=VALUE) and checked on half B and both query
# files: half A was flat for weights 0.5-6 and windows of 50-300 words; weight 1 is the cheapest
# value that lowers no query file's figure (docs/relevance.md, "Best passage"). Candidates 20-100
# and MAX_SHARE 0.2-1 gave the same figures (the cheaper values kept: every position read costs);
# MAX_SHARE 0.2 as in kb.search.feedback.
PASSAGE_WEIGHT = 1.0  # the best passage's BM25 added to the document's, times this
PASSAGE_WORDS = 200  # window width in positions (stop words are not counted); windows overlap half
PASSAGE_CANDIDATES = 20  # best-scored documents read
MAX_SHARE = 0.2  # concepts held by more than this share of the documents are not counted
FIELD = "body"

Concept = list[tuple[str, ...]]  # alternatives, each a run of index terms (one term: a word)


def concepts(
    root: AllOf, analyze: Callable[[str], list[str]], scorer: QueryScorer
) -> list[Concept]:
    """The query's concepts: its clauses, a linked pair ("strategi för digitalisering") as its
    words; each concept as the term runs any of which counts as one occurrence."""
    out: list[Concept] = []

    def alternatives(node: Node) -> Concept:
        if isinstance(node, Word):
            terms = analyze(node.text)
            if not terms:
                return []
            runs = [tuple(terms)]
            if len(terms) == 1 and scorer.variants is not None:
                runs += [(t,) for t in scorer.variants(node.text)]
            return runs
        if isinstance(node, Phrase):
            terms = [t for w in node.words for t in analyze(w)]
            return [tuple(terms)] if terms else []
        if isinstance(node, AnyOf):
            return [run for child in node.children for run in alternatives(child)]
        if isinstance(node, AllOf):
            words = [alternatives(c) for c in node.must]
            words = [w for w in words if w]
            if all(len(w) == 1 for w in words):  # a typed multi-word entry: its words in a row
                return [tuple(t for w in words for t in w[0])]
            return []
        return []

    def add(node: Node) -> None:
        if isinstance(node, AllOf):
            for child in node.must:
                add(child)
            return
        found = alternatives(node)
        if found:
            out.append(found)

    for clause in root.must:
        add(clause)
    return out


def _occurrences(scorer: QueryScorer, run: tuple[str, ...], docs: np.ndarray) -> np.ndarray:
    """Each place the ``run`` of terms ends in the body: (index into ``docs``) << 32 | position."""
    keys: np.ndarray | None = None
    for term in run:
        ids, offsets, blob = position_lists(
            scorer.searcher, scorer.snap, FIELD, term, docs, scorer.position_memo
        )
        if not len(ids):
            return np.zeros(0, np.int64)
        i = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        held = np.flatnonzero(ids[i] == docs)
        positions, owner = rows_positions((ids, offsets, blob), i[held])
        found = (held[owner].astype(np.int64) << 32) + positions
        # A phrase: each next word right after the previous one.
        keys = found if keys is None else found[np.isin(found - 1, keys)]
        if not len(keys):
            break
    return np.zeros(0, np.int64) if keys is None else keys


def _df(scorer: QueryScorer, concept: Concept) -> int:
    """The concept's document frequency, from its most common alternative (a phrase: its rarest
    word)."""
    return max(min(len(scorer.postings(FIELD, t)[0]) for t in run) for run in concept)


def _idf(scorer: QueryScorer, concept: Concept) -> float:
    n = max(scorer.snap.live_count, 1)
    df = _df(scorer, concept)
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def _holds(scorer: QueryScorer, term: str, docs: np.ndarray) -> np.ndarray:
    """Which of ``docs`` hold ``term`` in the body (from the cached postings)."""
    ids = scorer.postings(FIELD, term)[0]
    if not len(ids):
        return np.zeros(len(docs), dtype=bool)
    i = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
    return np.asarray(ids[i] == docs)


def _saturate(tf: np.ndarray) -> np.ndarray:
    return tf * (K1 + 1) / (tf + K1)


def passage_boost(
    scorer: QueryScorer,
    found: list[Concept],
    scores: np.ndarray,
    coverage: np.ndarray | None = None,
) -> None:
    """Add, in place, ``PASSAGE_WEIGHT`` times the best passage's score of the best-scored
    documents (see the module docstring).

    ``coverage`` (the clauses each document matches, which rank before the score): lowered, in
    place, by the counted concepts a document holds that its best passage does not: a long text
    whose concepts never stand together ranks with those that hold fewer (at least one). Its
    words stay found: the hit is no partial match and lacks nothing."""
    if not PASSAGE_WEIGHT:
        return
    n = max(scorer.snap.live_count, 1)
    found = [c for c in found if _df(scorer, c) <= MAX_SHARE * n]
    if not found:
        return
    positive = best_scored(scores, PASSAGE_CANDIDATES)
    if not len(positive):
        return
    docs = scorer.docnums(positive).astype(np.int32)
    try:
        best_doc, apart = _best_passages(scorer, found, docs)
    except QueryTooSlowError:
        return  # a reordering only: the hits are complete without it
    scores[positive] += (PASSAGE_WEIGHT * best_doc).astype(np.float32)
    if coverage is not None:
        held = coverage[positive]
        lowered = np.where(held > 0, np.maximum(held - apart, 1), held)
        coverage[positive] = lowered.astype(coverage.dtype)


def _best_passages(
    scorer: QueryScorer, found: list[Concept], docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The best passage's score of each of ``docs``, and how many of the concepts it holds are
    not in any one passage with the most of them (0: some passage holds them all)."""
    half = max(PASSAGE_WORDS // 2, 1)
    window_keys: list[np.ndarray] = []
    window_scores: list[np.ndarray] = []
    for concept in found:
        check_time()
        places: list[np.ndarray] = []
        for run in concept:
            # Only the documents that hold the run's words are read.
            rows = np.flatnonzero(np.all([_holds(scorer, t, docs) for t in run], axis=0))
            if not len(rows):
                continue
            at = _occurrences(scorer, run, docs[rows])
            places.append((rows[at >> 32].astype(np.int64) << 32) | (at & 0xFFFFFFFF))
        if not places:
            continue
        # Alternatives add up, as an OR group's scores do in the document's score.
        at = np.concatenate(places)
        owner, bucket = at >> 32, (at & 0xFFFFFFFF) // half
        # Window w covers buckets w and w + 1: an occurrence counts in windows b - 1 and b. A body
        # no longer than a window is one passage (its positions are below its length).
        later = bucket > 0
        keys = np.concatenate(((owner << 32) + bucket, (owner[later] << 32) + bucket[later] - 1))
        uniq, n = np.unique(keys, return_counts=True)
        window_keys.append(uniq)
        window_scores.append(_idf(scorer, concept) * _saturate(n.astype(np.float64)))
    out = np.zeros(len(docs), dtype=np.float64)
    held = np.zeros(len(docs), dtype=np.int64)  # concepts found in each document's body
    together = np.zeros(len(docs), dtype=np.int64)  # ... the most of them in one passage
    if window_keys:
        uniq, where = np.unique(np.concatenate(window_keys), return_inverse=True)
        per_window = np.bincount(where, weights=np.concatenate(window_scores))
        np.maximum.at(out, uniq >> 32, per_window)
        # Each concept's windows are distinct: a window's count is its number of concepts.
        np.maximum.at(together, uniq >> 32, np.bincount(where))
        for keys in window_keys:
            held[np.unique(keys >> 32)] += 1
    return out, held - together
