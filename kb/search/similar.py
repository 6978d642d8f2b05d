"""More like this, and "other municipalities that worked on this".

A document's key terms are its most distinctive index terms (term frequency times inverse document
frequency over the body field); documents are then scored by BM25 against those terms. The "other
municipalities" list keeps documents that share a focus area but none of the document's
municipalities, best document per municipality. A document page shows both lists: ``related_hits``
gives a document to the more specific "other municipalities" list only, and fills "similar" with
the next candidates; ``similar_hits`` and ``other_municipality_hits`` give each list alone (the
tests' reference for ``related_hits``: tests/related_support.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import numpy as np

from kb.document import Document
from kb.index.record import StoredRecord
from kb.search.engine import SearchContext
from kb.search.hits import make_hit
from kb.search.results import Hit
from kb.search.scoring import QueryScorer

KEY_TERMS = 15


def key_terms(
    text: str, scorer: QueryScorer, analyze: Callable[[str], list[str]], limit: int = KEY_TERMS
) -> list[str]:
    """The ``limit`` most distinctive query-mode terms of ``text``."""
    tf = Counter(t for t in analyze(text[:50_000]) if len(t) > 2 and not t.isdigit())
    n = max(scorer.snap.live_count, 1)
    reader = scorer.searcher.reader()
    weighted: list[tuple[float, str]] = []
    for term, count in tf.most_common(300):
        df = reader.doc_frequency("body", term)
        if df <= 1:
            continue  # a term only this document holds finds nothing similar
        weighted.append(((1 + math.log(count)) * math.log(n / df), term))
    weighted.sort(reverse=True)
    return [t for _, t in weighted[:limit]]


def similarity_scores(scorer: QueryScorer, terms: list[str]) -> np.ndarray:
    """Sum of BM25 scores of ``terms`` for every document (0 where none matches)."""
    out = np.zeros(scorer.snap.n_docs, dtype=np.float32)
    for term in terms:
        s = scorer.term_scores(term)
        if s is not None:
            out += s
    out[~scorer.snap.live] = 0.0
    return out


def top_docnums(scores: np.ndarray, mask: np.ndarray, limit: int) -> list[int]:
    """Docnums of the ``limit`` best scores within ``mask`` (score > 0)."""
    cand = np.flatnonzero(mask & (scores > 0))
    if not len(cand):
        return []
    order = cand[np.argsort(-scores[cand], kind="stable")]
    return [int(d) for d in order[:limit]]


def best_per_group(
    scores: np.ndarray, mask: np.ndarray, group_of: Callable[[int], tuple[str, ...]], limit: int
) -> list[tuple[int, str]]:
    """(docnum, group) for the best document of each group, groups ordered by that score."""
    cand = np.flatnonzero(mask & (scores > 0))
    order = cand[np.argsort(-scores[cand], kind="stable")]
    seen: set[str] = set()
    out: list[tuple[int, str]] = []
    for d in order[:2000]:
        groups = [g for g in group_of(int(d)) if g not in seen]
        if not groups:
            continue
        seen.update(groups)
        out.append((int(d), groups[0]))
        if len(out) >= limit:
            break
    return out


def similar_hits(ctx: SearchContext, doc: Document, limit: int) -> tuple[Hit, ...]:
    """The documents most like ``doc`` (more like this), best first."""
    terms, scores = _similarity(ctx, doc)
    picked = top_docnums(scores, _one_copy(ctx, scores, ctx.snapshot.live), limit)
    return tuple(make_hit(ctx, d, float(scores[d]), terms) for d in picked)


def other_municipality_hits(ctx: SearchContext, doc: Document, limit: int) -> tuple[Hit, ...]:
    """The best document like ``doc`` from each other municipality, in its focus areas."""
    terms, scores = _similarity(ctx, doc)
    picked = _other_municipality_docnums(ctx, doc, scores, limit)
    return tuple(make_hit(ctx, d, float(scores[d]), terms) for d in picked)


def related_hits(
    ctx: SearchContext, doc: Document, limit: int
) -> tuple[tuple[Hit, ...], tuple[Hit, ...]]:
    """(similar, other municipalities) for a page that shows both: a document (or a copy of it
    at another address) is in one list only. It stays in "other municipalities", the narrower
    list (another municipality, a shared focus area), and "similar" takes the next best instead;
    listed twice, the page showed three documents where it had room for five."""
    terms, scores = _similarity(ctx, doc)
    others = _other_municipality_docnums(ctx, doc, scores, limit)
    mask = ctx.snapshot.live.copy()
    for d in others:
        mask[d] = False
        mask[ctx.snapshot.copies.others(d)] = False  # and its copies at other addresses
    similar = top_docnums(scores, _one_copy(ctx, scores, mask), limit)
    return (
        tuple(make_hit(ctx, d, float(scores[d]), terms) for d in similar),
        tuple(make_hit(ctx, d, float(scores[d]), terms) for d in others),
    )


def _other_municipality_docnums(
    ctx: SearchContext, doc: Document, scores: np.ndarray, limit: int
) -> list[int]:
    facets = ctx.snapshot.facets
    mask = ctx.snapshot.live & facets["municipality"].mask(facets["municipality"].values)
    if doc.focus_areas:
        mask &= facets["focus_area"].mask(doc.values("focus_areas"))
    own = doc.values("municipalities")
    if own:
        mask &= ~facets["municipality"].mask(own)

    def municipalities_of(docnum: int) -> tuple[str, ...]:
        return StoredRecord.read(ctx.searcher.stored_fields(docnum)).municipalities

    picked = best_per_group(scores, _one_copy(ctx, scores, mask), municipalities_of, limit)
    return [d for d, _ in picked]


def _similarity(ctx: SearchContext, doc: Document) -> tuple[list[str], np.ndarray]:
    """The key terms of ``doc`` and every document's score on them (``doc`` itself 0)."""
    query_terms = ctx.analysis.query_terms
    scorer = QueryScorer(ctx.searcher, ctx.snapshot, query_terms)
    terms = key_terms(f"{doc.title}\n{doc.text}", scorer, query_terms)
    scores = similarity_scores(scorer, terms)
    self_num = ctx.searcher.document_number(id=doc.id)
    if self_num is not None:
        scores[self_num] = 0.0
        # Its copies at other addresses are the same text: the page names them ("Finns även på").
        scores[ctx.snapshot.copies.others(self_num)] = 0.0
    return terms, scores


def _one_copy(ctx: SearchContext, scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mask`` with one document (the best scored) of an original held at several addresses."""
    copies = ctx.snapshot.copies
    if not copies:
        return mask
    return copies.collapse(
        mask & (scores > 0), lambda idx: scores[idx].astype(np.float64), ctx.searcher
    )
