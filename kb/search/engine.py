"""The one search function: SearchRequest -> SearchResult (hits, snippets, facets, suggestion).

Facets are multi-select: values within a facet combine with OR, facets with AND, and each facet's
counts apply every filter but its own (Solr's tag/exclude). The text query is scored by
kb.search.scoring; filters and counts are numpy masks over the snapshot's facet tables, one per
facet of the registry (kb.facets.registry), which also says how each facet's values are listed
(kb.search.facet_values builds the masks, the counts and the listing). Before the query is matched,
its excluded words are widened to their synonym groups (kb.search.expansion); after the filters,
one original under several addresses keeps only its best-ranked copy (kb.search.copies).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from whoosh.searching import Searcher

from kb.errors import ValidationError
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.search.copies import also_at
from kb.search.expansion import Expansions, expand, widen_exclusions
from kb.search.facet_values import filter_masks, list_facets
from kb.search.feedback import add_related
from kb.search.hits import compound_words, hit_terms, make_hit, positive_terms
from kb.search.matching import Matched, link_phrases, match, typed_clauses
from kb.search.passages import concepts, passage_boost
from kb.search.publishers import named_terms
from kb.search.query import AllOf, ParsedQuery, parse
from kb.search.request import SearchRequest, last_page
from kb.search.results import SearchResult
from kb.search.scoring import QueryScorer
from kb.search.snapshot import Snapshot
from kb.search.spelling import suggest
from kb.taxonomy.model import Taxonomy

SUGGEST_BELOW = 3  # offer "Menade du ...?" when fewer hits than this


@dataclass(frozen=True)
class Analysis:
    """The analysis functions search needs (kb.analysis in production)."""

    query_terms: Callable[[str], list[str]]
    index_terms: Callable[[str], frozenset[str]]
    tokenize: Callable[[str], list[tuple[str, int, int]]]
    # Query terms of a compound's parts (bredbandsutbyggnad -> bredband, utbyggn), or [].
    compound_parts: Callable[[str], list[str]] | None = None
    # Other stems of the same word the stemmer keeps apart (öppna -> öpp, as öppen), or ().
    variant_terms: Callable[[str], tuple[str, ...]] | None = None
    # Where words that can produce given terms are (kb.analysis.termkeys): snippets analyse only
    # those words. None: every word of a snippet window is analysed.
    key_patterns: Callable[[frozenset[str]], tuple[re.Pattern[str], ...]] | None = None

    def scorer(self, searcher: Searcher, snapshot: Snapshot) -> QueryScorer:
        """A query scorer over ``searcher`` with these analysis functions."""
        return QueryScorer(
            searcher, snapshot, self.query_terms, self.compound_parts, self.variant_terms
        )

    def highlight_terms(self, text: str) -> list[str]:
        """The query terms of ``text`` and their variants: the words a snippet marks."""
        terms = self.query_terms(text)
        if self.variant_terms is not None and len(terms) == 1:
            terms = [*terms, *self.variant_terms(text)]
        return terms


@dataclass
class SearchContext:
    searcher: Searcher
    snapshot: Snapshot
    taxonomy: Taxonomy
    analysis: Analysis
    facets: FacetRegistry = DEFAULT_FACETS
    # Hierarchical facet id -> value -> the values beneath it (FacetRegistry.children).
    children: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)
    # Thesaurus expansions keyed by index terms (kb.search.thesaurus); empty: none.
    expansions: Expansions = field(default_factory=dict)


def validate(
    request: SearchRequest, taxonomy: Taxonomy, facets: FacetRegistry = DEFAULT_FACETS
) -> SearchRequest:
    """Clamp the request; reject unknown facets and values the taxonomy does not know.

    Raises:
        ValidationError: naming the facet and up to three unknown values.
    """
    req = request.clamped()
    for facet_id, values in req.filters.items():
        if facet_id not in facets or facets[facet_id].selection != "multi":
            raise ValidationError(f"Okänd facett / unknown facet: {facet_id[:40]!r}")
        unknown = facets[facet_id].unknown_values(values, taxonomy)
        if unknown:
            raise ValidationError(
                f"Okänt värde / unknown value for {facet_id}: {', '.join(unknown[:3])[:120]}"
            )
    if req.home_region and req.home_region not in taxonomy.regions:
        raise ValidationError(f"Okänd hemregion / unknown home region: {req.home_region[:60]}")
    return req


def run_search(
    ctx: SearchContext,
    request: SearchRequest,
    facets: bool = True,
    snippets: bool = True,
    did_you_mean: bool = True,
) -> SearchResult:
    """Search with facets (unless ``facets`` is False); see the module docstring for semantics.

    ``snippets=False`` leaves each hit's snippet empty (an export reads only the facts).
    ``did_you_mean=False`` looks for no "Menade du" (a count needs none; for a word no document
    holds it is most of the search's cost: ~30 ms at 100k documents against ~1 ms).
    """
    req = validate(request, ctx.taxonomy, ctx.facets)
    snap = ctx.snapshot
    # An excluded word leaves out its synonym group too (kb.search.expansion.widen_exclusions).
    parsed, also_excluded = widen_exclusions(parse(req.q), ctx.expansions, ctx.analysis.query_terms)
    scorer = ctx.analysis.scorer(ctx.searcher, snap)
    scores: np.ndarray | None = None
    found: Matched | None = None
    expanded: tuple[str, ...] = ()
    root = parsed.root
    searched = bool(req.q) and not parsed.excludes_only  # else a browse
    if searched:
        found, root, expanded = _match_query(ctx, scorer, parsed.root, req.home_region)
        scores = found.scores
        matched = (scores > 0) & snap.live if scores is not None else np.zeros(snap.n_docs, bool)
    else:
        matched = _browse(scorer, snap, parsed)
    filters = filter_masks(req, snap, ctx.facets)
    final = matched.copy()
    for mask in filters.values():
        final &= mask
    coverage = found.coverage if found is not None else None
    if snap.copies:  # one original under several addresses: its best-ranked copy is the hit
        final = snap.copies.collapse(
            final,
            lambda idx: _key(idx, scores, snap, req, coverage, among_copies=True),
            ctx.searcher,
        )
    total = int(np.count_nonzero(final))
    facet_values = (
        list_facets(snap, ctx.taxonomy, ctx.facets, ctx.children, req, matched, filters)
        if facets
        else {}
    )
    order = _top(final, scores, snap, req, coverage)
    terms = positive_terms(root, ctx.analysis.highlight_terms) if searched else []
    compounds = compound_words(root, ctx.analysis) if searched else []
    related = set(found.related.tolist()) if found is not None and found.related is not None else ()
    feedback = list(found.feedback) if found is not None else []
    own = [int(d) for d in order if int(d) not in related]  # their marked words: at once
    marks = (
        dict(zip(own, hit_terms(scorer, own, terms, compounds), strict=True)) if snippets else {}
    )
    hits = tuple(
        make_hit(
            ctx,
            int(d),
            float(scores[d]) if scores is not None else 0.0,
            (
                feedback  # a related hit: the words it was found by (not cached: no terms_in_each)
                if int(d) in related
                else marks[int(d)]
            )
            if snippets
            else None,
            found,
        )
        for d in order
    )
    if snap.copies:
        hits = tuple(
            also_at(ctx.searcher, snap.copies, int(d), h) for d, h in zip(order, hits, strict=True)
        )
    partial_total = (
        int(np.count_nonzero(final & ~found.full))
        if found is not None and found.full is not None
        else 0
    )
    related_total = (
        int(np.count_nonzero(final[found.related]))
        if found is not None and found.related is not None
        else 0
    )
    suggestion = None
    if did_you_mean and searched and total - partial_total < SUGGEST_BELOW and not parsed.fallback:
        full_total = total - partial_total
        suggestion = suggest(ctx.searcher, scorer, parsed, final_filter(filters, snap), full_total)
    return SearchResult(
        total=total,
        hits=hits,
        facets=facet_values,
        suggestion=suggestion,
        fallback=parsed.fallback,
        page=req.page,
        page_size=req.page_size,
        partial_total=partial_total,
        related_total=related_total,
        expanded=expanded,
        also_excluded=also_excluded,
    )


def scope_mask(ctx: SearchContext, request: SearchRequest, skip: Sequence[str] = ()) -> np.ndarray:
    """The documents matching the request's query and every filter but those named in ``skip``.

    What a cross-tabulation counts within (kb.search.compare): the facets it tabulates are
    skipped, as a facet's own counts skip its own filter.
    """
    req = validate(request, ctx.taxonomy, ctx.facets)
    snap = ctx.snapshot
    parsed = widen_exclusions(parse(req.q), ctx.expansions, ctx.analysis.query_terms)[0]
    scorer = ctx.analysis.scorer(ctx.searcher, snap)
    if req.q and not parsed.excludes_only:
        scores = _match_query(ctx, scorer, parsed.root, req.home_region)[0].scores
        out = (scores > 0) & snap.live if scores is not None else np.zeros(snap.n_docs, bool)
    else:
        out = _browse(scorer, snap, parsed)
    for facet_id, mask in filter_masks(req, snap, ctx.facets).items():
        if facet_id not in skip:
            out &= mask
    return out


def _match_query(
    ctx: SearchContext, scorer: QueryScorer, parsed: AllOf, home_region: str
) -> tuple[Matched, AllOf, tuple[str, ...]]:
    """Score the parsed query: synonyms expanded, the home region's boost, the typed clauses and
    the publishers the query names; returns the match, the expanded query and its added words."""
    snap = ctx.snapshot
    analyze = ctx.analysis.query_terms
    root, expanded = expand(parsed, ctx.expansions, analyze)
    root = link_phrases(root, analyze)
    home = snap.facets["region"].mask([home_region]) if home_region else None
    scorer.named = named_terms(snap, analyze, positive_terms(root, analyze))
    found = match(scorer, root, snap.n_docs, snap.live, home, typed_clauses(parsed, analyze))
    found = add_related(
        scorer,
        found,
        set(positive_terms(root, ctx.analysis.highlight_terms)),
        _excluded(scorer, root),
    )
    if found.scores is not None:
        # After the related hits, which learn from the query's text scores as before: the best
        # passage of a long document reorders the hits (kb.search.passages).
        passage_boost(scorer, concepts(root, analyze, scorer), found.scores, found.coverage)
    return found, root, expanded


def _browse(scorer: QueryScorer, snap: Snapshot, parsed: ParsedQuery) -> np.ndarray:
    """Every live document, less those a query of exclusions only ("-bygglov") names."""
    out = snap.live.copy()
    excluded = _excluded(scorer, parsed.root) if parsed.excludes_only else None
    if excluded is not None:
        out &= ~excluded
    return out


def _excluded(scorer: QueryScorer, root: AllOf) -> np.ndarray | None:
    """The documents the query's exclusions (-word) name, over every docnum."""
    out: np.ndarray | None = None
    for child in root.must_not:
        # Matching's bookkeeping (split-only and paraphrase masks) covered its candidates, not
        # every docnum: an excluded compound ("-landsbygd") must start its own.
        scorer.split_only = None
        scorer.paraphrased = None
        s = scorer.evaluate(child)
        if s is not None:
            out = s > 0 if out is None else out | (s > 0)
    return out


def final_filter(filters: dict[str, np.ndarray], snap: Snapshot) -> np.ndarray:
    out = snap.live.copy()
    for mask in filters.values():
        out &= mask
    return out


def _top(
    final: np.ndarray,
    scores: np.ndarray | None,
    snap: Snapshot,
    req: SearchRequest,
    coverage: np.ndarray | None = None,
) -> np.ndarray:
    idx = np.flatnonzero(final)
    start = (req.page - 1) * req.page_size
    end = start + req.page_size
    if start >= len(idx) or req.page > last_page(req.page_size):  # past the result window
        return idx[:0]
    if req.sort in ("newest", "added") or scores is None:
        key = _key(idx, scores, snap, req, coverage)
    else:
        ranks = snap.date_rank
        score = scores[idx].astype(np.float64)
        tier = coverage[idx].astype(np.float64) if coverage is not None else np.zeros(len(idx))
        base = tier * 1e4 + score  # the key before its date term, the same floats as _key
        if end < len(idx):
            # Only documents that can reach the page: a date term is between 0 and n_docs * 1e-9
            # (rounding is monotone), so a key is at least its base and at most base + that, and
            # the page's last key is at least the end-th largest base. The same keys, ties and
            # order for those documents; the dates of the rest (most of a common word's
            # matches) are not read.
            kth = np.partition(base, len(base) - end)[len(base) - end]
            near = np.flatnonzero(base + snap.n_docs * 1e-9 >= kth)
            idx, base = idx[near], base[near]
        key = base + ranks[idx].astype(np.float64) * 1e-9
    # Ties broken by docnum so paging is stable. argpartition keeps an arbitrary subset of the
    # documents tied with the last one of the page, so every one of them is kept and sorted:
    # otherwise page 2 could repeat page 1 and skip others (many documents share a date).
    key = -key
    if end < len(idx):
        part = np.argpartition(key, end - 1)[:end]
        part = np.flatnonzero(key <= key[part].max())
    else:
        part = np.arange(len(idx))
    part = part[np.lexsort((idx[part], key[part]))]
    return idx[part[start:end]]


def _key(
    idx: np.ndarray,
    scores: np.ndarray | None,
    snap: Snapshot,
    req: SearchRequest,
    coverage: np.ndarray | None,
    *,
    among_copies: bool = False,
) -> np.ndarray:
    """The ranking key of documents ``idx`` (higher first; ties by docnum): documents that match
    more of the query's clauses first (full before partial), then by score and date, or by date
    and score for the sorts by time.

    ``among_copies`` chooses which copy of one original is the hit: the best ranked, except in
    the sort by when documents were added (the Atom feed's order), where the copy added first
    stays: a copy published later at another address is not a new document, and a feed reader
    would announce it as one under a new id.
    """
    if among_copies and req.sort == "added":
        return -snap.added_rank[idx].astype(np.float64)
    ranks = snap.added_rank if req.sort == "added" else snap.date_rank
    score = scores[idx].astype(np.float64) if scores is not None else np.zeros(len(idx))
    tier = coverage[idx].astype(np.float64) if coverage is not None else np.zeros(len(idx))
    if req.sort in ("newest", "added") or scores is None:
        return tier * 1e11 + ranks[idx].astype(np.float64) * 1e4 + np.minimum(score, 9999.0)
    return tier * 1e4 + score + ranks[idx].astype(np.float64) * 1e-9
