"""Factors on the text score that kb.search.matching applies once the clauses are scored: the
document prior (long reports lose a little, newer documents gain a little) and the proximity
boost (the best-scored documents in which adjacent query words stand close rank higher).

Their weights are kb.search.scoring's ("Ranking weights: the one place"), read at each call so a
sweep (bench.eval_relevance --set scoring.PROXIMITY=...) applies.
"""

from __future__ import annotations

import numpy as np

from kb.index.schema import POSITION_FIELDS
from kb.search import scoring
from kb.search.positions import near
from kb.search.scoring import QueryScorer
from kb.search.snapshot import Snapshot

MAX_PRIORS = 4  # document priors kept (one per live snapshot and weight set)
_priors: dict[tuple[object, ...], np.ndarray] = {}


def best_scored(scores: np.ndarray, limit: int) -> np.ndarray:
    """The entries of the ``limit`` best positive ``scores`` (all positive ones when fewer), in
    ascending order: the documents a boost reads positions for."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > limit:
        positive = positive[np.argpartition(-scores[positive], limit)[:limit]]
    return np.sort(positive)


def proximity_boost(
    scorer: QueryScorer, pairs: list[list[tuple[str, str]]], scores: np.ndarray
) -> None:
    """Raise, in place, the best-scored documents in which adjacent query words stand close.

    Each pair of words is given as its term pairs (more than one when a word has another form:
    öppna / öppen); any of them near counts. Positions are decoded (kb.search.positions) only for
    the ``scoring.PROXIMITY_CANDIDATES`` best documents, so the cost does not grow with the index.
    """
    if not scoring.PROXIMITY or not pairs:
        return
    positive = best_scored(scores, scoring.PROXIMITY_CANDIDATES)
    if not len(positive):
        return
    candidates = scorer.docnums(positive).astype(np.int32)
    near_pairs = np.zeros(len(candidates), dtype=np.float32)
    for forms in pairs:
        found = np.zeros(len(candidates), dtype=bool)
        for a, b in forms:
            for field in POSITION_FIELDS:
                found |= near(
                    scorer.searcher,
                    scorer.snap,
                    field,
                    (a, b),
                    candidates,
                    scoring.PROXIMITY_SLOP,
                    scorer.position_memo,
                )
        near_pairs += found
    factor = 1.0 + scoring.PROXIMITY * near_pairs / len(pairs)
    scores[positive] *= factor


def document_prior(snap: Snapshot) -> np.ndarray:
    """Per-document factor on the text score: long reports lose a little, newer gain a little."""
    key = (
        snap.generation,
        snap.n_docs,
        scoring.LENGTH_PRIOR,
        scoring.LENGTH_PIVOT,
        scoring.RECENCY,
    )
    prior = _priors.get(key)
    if prior is None:
        prior = np.ones(snap.n_docs, dtype=np.float32)
        if scoring.LENGTH_PRIOR and "body" in snap.lengths:
            rel = snap.lengths["body"] / max(snap.avg_length.get("body", 1.0), 1e-6)
            prior /= 1.0 + scoring.LENGTH_PRIOR * np.log2(
                np.maximum(rel / scoring.LENGTH_PIVOT, 1.0)
            )
        if scoring.RECENCY and len(snap.date_rank):
            top = max(int(snap.date_rank.max()), 1)
            prior *= 1.0 + scoring.RECENCY * (snap.date_rank / top)
        while len(_priors) >= MAX_PRIORS:
            _priors.pop(next(iter(_priors)))
        _priors[key] = prior
    return prior
