"""Evaluate a parsed query over decoded postings: BM25 scores as one float32 array per node.

An array covers every docnum, or a query's candidates only (``use_space``; kb.search.candidates);
0 = no match, None = the node holds only stop words. AND sums scores where all parts match, OR
where any does, exclusions zero documents out. Title, headings, lead and body are scored apart and
weighted (the weights below). Phrases check word positions (kb.search.positions), then the text.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.analyzer import normalize
from kb.index.schema import POSITION_FIELDS, TEXT_FIELDS
from kb.search.budget import check_time, prefix_cap
from kb.search.phrase_words import whole_word_phrases
from kb.search.positions import BlockMemo, near
from kb.search.postings import term_list, term_postings
from kb.search.query import AllOf, AnyOf, Node, Phrase, Prefix, Word
from kb.search.snapshot import Snapshot

# -- Ranking weights: the one place --------------------------------------------------------
# Found by sweeping one constant at a time over the whole dev set (python -m bench.eval_relevance
# DEVSET --set scoring.NAME=VALUE) and keeping values on a plateau of mean nDCG@10, never for one
# question; the figures of each step are in docs/relevance.md.
# BM25 is summed over the text fields (kb.index.schema.TEXT_FIELDS), each with its weight: a word
# in the title counts 2.5 times one in the body. Headings and lead repeat body lines, so their
# weight comes on top of the body's score for the same words.
FIELD_WEIGHTS = {"title": 2.5, "headings": 0.1, "lead": 0.25, "body": 1.0}
K1 = 1.2  # BM25 term-frequency saturation
B_TITLE = 0.75  # BM25 length normalisation of the title (and of headings and lead)
B_BODY = 0.75
LENGTH_PRIOR = 0.3  # score / (1 + LENGTH_PRIOR * log2(body length / (LENGTH_PIVOT * average)))
LENGTH_PIVOT = 4.0  # ... for bodies longer than this many times the average: huge reports
RECENCY = 0.02  # score * (1 + RECENCY * share of older documents): newer first among equals
PROXIMITY = 1.0  # score * (1 + PROXIMITY * share of adjacent query words found near each other)
PROXIMITY_SLOP = 4  # "near": at most this many positions apart, in order
PROXIMITY_CANDIDATES = 30  # best-scored documents checked for proximity
# Documents of the officer's own region (SearchRequest.home_region) * (1 + REGION_BOOST). The dev
# set has no region per question, so this is set by hand: enough to reorder near-ties only.
REGION_BOOST = 0.15
# A query word of a publisher's name that the query names ("Region Halland ...") counts for that
# publisher's documents like one occurrence in the title (kb.search.publishers), without the
# title's length normalisation. Set to the title weight; swept on half A of the dev set.
PUBLISHER_WEIGHT = 2.5
COMPOUND_PARTS_WEIGHT = 0.5  # a compound's parts found apart count half as much as the compound
# A two-part compound written out head first, the modifier at most this many positions after the
# head (stop words do not count): "utbyggnad av bredband" for bredbandsutbyggnad. Not swept: 2
# allows one word between ("utbyggnad av snabbt bredband"); kb.search.matching uses it.
PARAPHRASE_SLOP = 2
MAX_PREFIX_TERMS = 64
Scores = np.ndarray


class QueryScorer:
    """Scores query trees against one searcher and its snapshot.

    Args:
        analyze: maps one user word to its query-mode index terms (stop words -> []).
    """

    def __init__(
        self,
        searcher: Searcher,
        snapshot: Snapshot,
        analyze: Callable[[str], list[str]],
        parts: Callable[[str], list[str]] | None = None,
        variants: Callable[[str], tuple[str, ...]] | None = None,
    ) -> None:
        self.searcher = searcher
        self.snap = snapshot
        self.analyze = analyze
        self.parts = parts
        self.variants = variants
        # Documents matched only through a compound's separate parts since the last reset:
        # kb.search.matching counts them as partial matches of that clause.
        self.split_only: np.ndarray | None = None
        # ... and among them those that write it out head first ("utbyggnad av bredband").
        self.paraphrased: np.ndarray | None = None
        self.terms_used: set[str] = set()
        # Query term -> documents whose publisher the query names (kb.search.publishers).
        self.named: dict[str, np.ndarray] = {}
        self._prefix_cap: int | None = None  # set from the whole query at its first evaluate
        # The sorted docnums score arrays cover (entry i = docnum space[i]), or None: all.
        self.space: np.ndarray | None = None
        self._slot: np.ndarray | None = None  # docnum -> its entry in space (valid there only)
        # Position blocks this query read (kb.search.positions.BlockMemo): the best-passage
        # scoring reads mostly blocks the proximity boost has read (docs/benchmarks.md).
        self.position_memo: BlockMemo = {}
        # The cached postings hold scores made with the scoring constants (postings): a sweep
        # that changes them (bench.eval_relevance --set) must not meet scores made before.
        snapshot.cache.expect((tuple(FIELD_WEIGHTS.items()), K1, B_TITLE, B_BODY))

    def use_space(self, space: np.ndarray | None) -> None:
        """Index the score arrays by the docnums ``space`` (None: by every docnum)."""
        self.space = space
        self._slot = None
        # The bookkeeping masks are indexed like the score arrays: ones made over the old space
        # must not meet the new one's (the spelling check evaluates over every document after
        # matching did over the candidates: 'sjukfrånvaro RPA' failed with a server error).
        self.split_only = None
        self.paraphrased = None
        if space is not None:
            self._slot = np.empty(self.snap.n_docs, dtype=np.intp)
            self._slot[space] = np.arange(len(space), dtype=np.intp)

    @property
    def size(self) -> int:  # the length of a score array
        return self.snap.n_docs if self.space is None else len(self.space)

    def slots(self, docnums: np.ndarray) -> np.ndarray:
        """Where the ``docnums`` (all in the space) stand in a score array."""
        return docnums if self._slot is None else self._slot[docnums.astype(np.intp, copy=False)]

    def docnums(self, slots: np.ndarray) -> np.ndarray:  # the docnums of score array entries
        return slots if self.space is None else self.space[slots]

    def postings(self, field: str, term: str, keep: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """``term``'s docnums in ``field`` and its weighted BM25 in each (the field's weight times
        BM25, float32); ``keep=False``: not cached.

        The cache keeps the scores in place of the frequencies (the same bytes): they depend
        only on the generation's statistics and the constants (``PostingsCache.expect``), and a
        common word recurs in many queries (docs/benchmarks.md, "Matching speed, 2026-12-07").
        """
        key = (field, term)
        item = self.snap.cache.get(key)
        if item is None:
            if field in POSITION_FIELDS:
                # Where the blocks stand, too: kb.search.positions reads some documents' blocks
                # of these fields (the proximity boost) without walking the list again.
                ids, tf, blocks = term_list(self.searcher, field, term)
                item = (ids, self._bm25(field, ids, tf), *blocks)
            else:
                ids, tf = term_postings(self.searcher, field, term)
                item = (ids, self._bm25(field, ids, tf))
            if keep:
                self.snap.cache.put(key, item)
        return item[0], item[1]

    def _bm25(self, field: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """The weighted BM25 of frequencies ``tf`` in the documents ``ids`` of ``field``."""
        if not len(ids):
            return tf
        weight = FIELD_WEIGHTS.get(field, 0.0)
        b = B_BODY if field == "body" else B_TITLE
        df = len(ids)
        n = max(self.snap.live_count, 1)
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        at = ids.astype(np.intp, copy=False)
        dl = self.snap.lengths[field][at] / max(self.snap.avg_length[field], 1e-6)
        scores: np.ndarray = (weight * idf) * tf * (K1 + 1) / (tf + K1 * (1 - b + b * dl))
        return scores

    def term_scores(self, term: str, keep: bool = True) -> Scores | None:
        """BM25 over the text fields for one index term (None: no document holds it)."""
        check_time()
        out: Scores | None = None
        for field in TEXT_FIELDS:
            weight = FIELD_WEIGHTS.get(field, 0.0)
            if not weight:
                continue
            ids, scores = self.postings(field, term, keep)
            if not len(ids):
                continue
            # numpy converts an int32 index array to intp for each pass of a fancy index, twice
            # for ``+=``: converted once here (a dense list of 80,000 postings: 378 -> 258 µs).
            at = self.slots(ids).astype(np.intp, copy=False)
            if out is None:
                out = np.zeros(self.size, dtype=np.float32)
                # Into zeros: the sums ``+=`` would make (0.0 + x, the same bits as x + 0.0),
                # written without reading the zeros first (80,000 postings: 258 -> 117 µs).
                out[at] = scores + np.float32(0.0)
            else:
                out[at] += scores
        named = self.named.get(term)
        if named is not None and PUBLISHER_WEIGHT:
            # The query names these documents' publisher (kb.search.publishers): the word counts
            # as if it stood once in their title.
            if out is None:
                out = np.zeros(self.size, dtype=np.float32)
            n = max(self.snap.live_count, 1)
            df = len(named)
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            at = self.slots(named)
            out[at] = np.maximum(out[at], PUBLISHER_WEIGHT * idf)
        self.terms_used.add(term)
        return out

    def terms_in_each(self, docnums: list[int], terms: list[str]) -> list[list[str]]:
        """For each of ``docnums``, the ``terms`` it holds (from the cached postings; terms this
        scorer never read, such as prefixes, are kept): a snippet need not look for the others.
        One search of each term's lists for all the documents (the hits of a page)."""
        docs = np.array(docnums, dtype=np.int64)
        held: list[list[bool] | None] = []
        for term in terms:
            if term not in self.terms_used:
                held.append(None)
                continue
            found = np.zeros(len(docs), dtype=bool)
            for field in POSITION_FIELDS:
                ids = self.postings(field, term)[0]
                if len(ids):
                    at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
                    found |= ids[at] == docs
            held.append(found.tolist())
        return [
            [t for t, h in zip(terms, held, strict=True) if h is None or h[k]]
            for k in range(len(docnums))
        ]

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
        return np.zeros(self.size, dtype=np.float32)

    def _word(self, word: str) -> Scores | None:
        terms = self.analyze(word)
        if not terms:
            return None
        parts = [self.term_scores(t) for t in terms]
        if any(p is None for p in parts):
            self.terms_used.update(terms)
            whole = self._empty()
        else:
            whole = _and([p for p in parts if p is not None])
        if self.variants is not None and len(terms) == 1:
            # Another form of the same word, stemmed apart (öppna for öppen): the better one counts.
            for term in self.variants(word):
                extra = self.term_scores(term)
                if extra is not None:
                    np.maximum(whole, extra, out=whole)
        return self._with_compound_parts(word, terms, whole)

    def _with_compound_parts(self, word: str, terms: list[str], whole: Scores) -> Scores:
        """A compound also matches documents that use all its parts as separate words
        ("utbyggnad av bredband" for bredbandsutbyggnad), scored lower than the compound."""
        if self.parts is None or len(terms) != 1:
            return whole
        pieces = [t for t in self.parts(word) if t != terms[0]]
        if len(pieces) < 2:
            return whole
        scored = [self.term_scores(t) for t in pieces]
        if any(s is None for s in scored):
            return whole
        split = _and([s for s in scored if s is not None]) * COMPOUND_PARTS_WEIGHT
        weak = (split > 0) & (whole == 0)
        self.split_only = weak if self.split_only is None else self.split_only | weak
        if len(pieces) == 2 and weak.any():
            para = self._head_first(pieces[1], pieces[0], weak)
            self.paraphrased = para if self.paraphrased is None else self.paraphrased | para
        return np.maximum(whole, split)

    def _head_first(self, head: str, modifier: str, weak: np.ndarray) -> np.ndarray:
        """The ``weak`` documents in which ``head`` stands before ``modifier``, at most
        PARAPHRASE_SLOP positions apart: the Swedish way to write a compound out ("utbyggnad av
        bredband"). The other order is usually two things ("välfärden och tekniken")."""
        key = (f"#head-first-{PARAPHRASE_SLOP}", f"{head} {modifier}")
        cached = self.snap.cache.get(key)
        if cached is None:
            candidates = self.docnums(np.flatnonzero(weak)).astype(np.int32)
            where = np.zeros(len(candidates), dtype=bool)
            for field in POSITION_FIELDS:
                check_time()
                where |= near(
                    self.searcher, self.snap, field, (head, modifier), candidates, PARAPHRASE_SLOP
                )
            cached = (candidates[where],)
            self.snap.cache.put(key, cached)
        out = np.zeros(self.size, dtype=bool)
        out[self.slots(cached[0])] = True
        return out & weak

    def _prefix(self, prefix: str) -> Scores | None:
        stem = normalize(prefix)
        cap = self._prefix_cap or MAX_PREFIX_TERMS
        check_time()
        reader = self.searcher.reader()
        found: dict[str, int] = {}
        for field in POSITION_FIELDS:  # headings and lead hold no word the body lacks
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
        # One concept weighs as one word: the mean of its words' scores, not their sum, which
        # made "offentlig sektor" outweigh "AI" (docs/relevance.md, "A concept weighs as one word").
        total = _and([p for p in parts if p is not None]) * np.float32(1.0 / len(parts))
        # Where the phrase stands is a property of the index generation, and the same phrases
        # recur (thesaurus entries such as "digital tjänst"): kept in the postings cache.
        key = ("#phrase", " ".join(terms))
        cached = self.snap.cache.get(key)
        if cached is None:
            candidates = self.docnums(np.flatnonzero(total > 0)).astype(np.int32)
            where = np.zeros(len(candidates), dtype=bool)
            for field in POSITION_FIELDS:
                check_time()
                where |= near(self.searcher, self.snap, field, terms, candidates)
            # Positions put a compound's parts at the compound's place: later words must be whole.
            found = candidates[where]
            cached = (whole_word_phrases(self.searcher, terms, found, total[self.slots(found)]),)
            self.snap.cache.put(key, cached)
        keep = np.zeros(self.size, dtype=bool)
        keep[self.slots(cached[0])] = True
        keep_only(total, keep)
        return total

    def _any(self, children: tuple[Node, ...]) -> Scores | None:
        # A document is matched only weakly (a compound's parts apart) when every alternative
        # that finds it does so weakly: "gdpr OR dataskyddsförordningen" holds fully for a text
        # that says GDPR, whatever it says about dataskydd and förordning.
        outer = self.split_only
        parts: list[Scores] = []
        strong: np.ndarray | None = None
        for child in children:
            self.split_only = None
            p = self.evaluate(child)
            if p is None:
                continue
            parts.append(p)
            found = p > 0 if self.split_only is None else (p > 0) & ~self.split_only
            strong = found if strong is None else strong | found
        if not parts or strong is None:
            self.split_only = outer
            return None
        out = parts[0].copy()
        for p in parts[1:]:
            out += p
        weak = (out > 0) & ~strong
        self.split_only = weak if outer is None else outer | weak
        return out

    def _all(self, node: AllOf) -> Scores | None:
        parts = [p for p in (self.evaluate(c) for c in node.must) if p is not None]
        if not parts:
            return None
        out = _and(parts)
        if node.concept:  # a multi-word entry or a linked pair weighs as one word (as a phrase)
            out *= np.float32(1.0 / len(parts))
        for child in node.must_not:
            excluded = self.evaluate(child)
            if excluded is not None:
                keep_only(out, ~(excluded > 0))
        return out


def _and(parts: list[Scores]) -> Scores:
    matched = parts[0] > 0
    out = parts[0].copy()
    for p in parts[1:]:
        matched &= p > 0
        out += p
    keep_only(out, matched)
    return out


def keep_only(scores: Scores, keep: np.ndarray) -> None:
    """``scores[~keep] = 0.0`` in place, as float32 bits ANDed with all ones or all zeros: the
    same bits, without the data-dependent branch per entry of a boolean-mask assignment (770 µs
    for 100,000 scores half kept, 56 µs this way; docs/benchmarks.md, "Matching speed,
    2026-12-07")."""
    if scores.dtype != np.float32 or not scores.flags.c_contiguous:
        scores[~keep] = 0.0
        return
    bits = scores.view(np.uint32)
    bits &= np.subtract(0, keep, dtype=np.uint32)  # True -> 0xFFFFFFFF, False -> 0
