"""The candidate documents of one query: every docnum any of its index terms can score.

Scoring (kb.search.scoring) and matching (kb.search.matching) then work on arrays over these
candidates instead of over every document of the index: a query whose words occur in a few
hundred documents costs a few hundred entries per term, not the index's size. The candidates
are a superset of the documents that can score above 0, so the scores and the match decisions
of every candidate are the ones a dense evaluation gives, and every other document scores 0.

The terms are found the way QueryScorer evaluates the query tree: each word's query terms, its
other forms (QueryScorer.variants) and a compound's parts (QueryScorer.parts), each phrase's
words, and the publishers the query names (QueryScorer.named). A prefix expands to index terms
only while it is evaluated, so a query with one is evaluated over every document.
"""

from __future__ import annotations

import numpy as np

from kb.index.schema import TEXT_FIELDS
from kb.search.query import AllOf, AnyOf, Node, Phrase, Prefix, Word
from kb.search.scoring import FIELD_WEIGHTS, QueryScorer

# Above this share of the index the candidates save little over dense arrays: use those.
MAX_SHARE = 0.5


def candidate_docs(scorer: QueryScorer, root: AllOf) -> np.ndarray | None:
    """The sorted docnums that ``root`` can score, or None to score every document."""
    terms: set[str] = set()
    if not _collect(scorer, root, terms):
        return None
    n_docs = scorer.snap.n_docs
    limit = MAX_SHARE * n_docs
    held = np.zeros(n_docs, dtype=bool)
    for term in terms:
        for field in TEXT_FIELDS:
            if FIELD_WEIGHTS.get(field, 0.0):
                ids = scorer.postings(field, term)[0]
                if len(ids) > limit:  # the union holds at least these: no need to make it
                    return None
                held[ids.astype(np.intp, copy=False)] = True  # int32 indexes: converted slowly
        named = scorer.named.get(term)
        if named is not None:
            held[named] = True
    space = np.flatnonzero(held)
    return space if len(space) <= limit else None


def _collect(scorer: QueryScorer, node: Node, terms: set[str]) -> bool:
    """Add the index terms that evaluating ``node`` scores; False when they cannot be known."""
    if isinstance(node, Prefix):
        return False
    if isinstance(node, Word):
        found = scorer.analyze(node.text)
        terms.update(found)
        if len(found) == 1:
            if scorer.variants is not None:
                terms.update(scorer.variants(node.text))
            if scorer.parts is not None:
                terms.update(scorer.parts(node.text))
        return True
    if isinstance(node, Phrase):
        terms.update(t for w in node.words for t in scorer.analyze(w))
        return True
    if isinstance(node, AnyOf):
        return all(_collect(scorer, child, terms) for child in node.children)
    return all(_collect(scorer, child, terms) for child in (*node.must, *node.must_not))
