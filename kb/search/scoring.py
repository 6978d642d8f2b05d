"""Evaluate a parsed query over decoded postings: BM25 scores for every document, as one array.

Every node yields a dense float32 array over docnums (0 = no match), or None when it holds only
stop words and so constrains nothing. AND sums scores where all parts match, OR sums where any
does, exclusions zero documents out. Title and body are scored separately and weighted
(kb.schema.TEXT_FIELDS). Phrases use Whoosh's positional matcher to find documents, then the
same BM25 scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from kb.analysis.analyzer import normalize
from kb.index.schema import TEXT_FIELDS
from kb.search.budget import check_time, prefix_cap
from kb.search.postings import term_postings
from kb.search.query import AllOf, AnyOf, Node, Phrase, Prefix, Word
from kb.search.snapshot import Snapshot

K1, B = 1.2, 0.75
MAX_PREFIX_TERMS = 64
Scores = np.ndarray


class QueryScorer:
    """Scores query trees against one searcher and its snapshot.

    Args:
        analyze: maps one user word to its query-mode index terms (stop words -> []).
    """

    def __init__(
        self, searcher: Searcher, snapshot: Snapshot, analyze: Callable[[str], list[str]]
    ) -> None:
        self.searcher = searcher
        self.snap = snapshot
        self.analyze = analyze
        self.terms_used: set[str] = set()
        self._prefix_cap: int | None = None  # set from the whole query at its first evaluate

    # -- postings ---------------------------------------------------------------

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, term)
        item = self.snap.cache.get(key)
        if item is None:
            item = term_postings(self.searcher, field, term)
            self.snap.cache.put(key, item)
        return item

    def term_scores(self, term: str) -> Scores | None:
        """BM25 over the text fields for one index term, or None when no document holds it."""
        check_time()
        out: Scores | None = None
        for field, weight in TEXT_FIELDS.items():
            ids, tf = self.postings(field, term)
            if not len(ids):
                continue
            if out is None:
                out = np.zeros(self.snap.n_docs, dtype=np.float32)
            df = len(ids)
            n = max(self.snap.live_count, 1)
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            dl = self.snap.lengths[field][ids] / max(self.snap.avg_length[field], 1e-6)
            out[ids] += (weight * idf) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl))
        self.terms_used.add(term)
        return out

    # -- nodes -------------------------------------------------------------------

    def evaluate(self, node: Node) -> Scores | None:
        if self._prefix_cap is None:  # the root: share the wildcard budget among its prefixes
            self._prefix_cap = prefix_cap(node, MAX_PREFIX_TERMS)
        if isinstance(node, Word):
            return self._word(node.text)
        if isinstance(node, Prefix):
            return self._prefix(node.text)
        if isinstance(node, Phrase):
            return self._phrase(node.words)
        if isinstance(node, AnyOf):
            return self._any(node.children)
        return self._all(node)

    def _empty(self) -> Scores:
        return np.zeros(self.snap.n_docs, dtype=np.float32)

    def _word(self, word: str) -> Scores | None:
        terms = self.analyze(word)
        if not terms:
            return None
        parts = [self.term_scores(t) for t in terms]
        if any(p is None for p in parts):
            self.terms_used.update(terms)
            return self._empty()
        return _and([p for p in parts if p is not None])

    def _prefix(self, prefix: str) -> Scores | None:
        stem = normalize(prefix)
        cap = self._prefix_cap or MAX_PREFIX_TERMS
        check_time()
        reader = self.searcher.reader()
        found: dict[str, int] = {}
        for field in TEXT_FIELDS:
            for raw in reader.expand_prefix(field, stem):
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                found[term] = max(found.get(term, 0), reader.doc_frequency(field, raw))
                if len(found) > max(4 * cap, 64):
                    break
        best = sorted(found, key=lambda t: -found[t])[:cap]
        out = self._empty()
        for term in best:
            s = self.term_scores(term)
            if s is not None:
                np.maximum(out, s, out=out)
        return out

    def _phrase(self, words: tuple[str, ...]) -> Scores | None:
        terms = [t for w in words for t in self.analyze(w)]
        if not terms:
            return None
        if len(terms) == 1:
            return self.term_scores(terms[0])
        parts = [self.term_scores(t) for t in terms]
        if any(p is None for p in parts):
            return self._empty()
        total = _and([p for p in parts if p is not None])
        where = np.zeros(self.snap.n_docs, dtype=bool)
        for field in TEXT_FIELDS:
            matcher = wq.Phrase(field, terms).matcher(self.searcher)
            ids: list[int] = []
            while matcher.is_active():
                ids.append(matcher.id())
                matcher.next()
            where[ids] = True
        total[~where] = 0.0
        return total

    def _any(self, children: tuple[Node, ...]) -> Scores | None:
        parts = [p for p in (self.evaluate(c) for c in children) if p is not None]
        if not parts:
            return None
        out = parts[0].copy()
        for p in parts[1:]:
            out += p
        return out

    def _all(self, node: AllOf) -> Scores | None:
        parts = [p for p in (self.evaluate(c) for c in node.must) if p is not None]
        if not parts:
            return None
        out = _and(parts)
        for child in node.must_not:
            excluded = self.evaluate(child)
            if excluded is not None:
                out[excluded > 0] = 0.0
        return out


def _and(parts: list[Scores]) -> Scores:
    matched = parts[0] > 0
    out = parts[0].copy()
    for p in parts[1:]:
        matched &= p > 0
        out += p
    out[~matched] = 0.0
    return out
