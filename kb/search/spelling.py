"""Spelling suggestions ("Menade du ...?") from the words the indexed documents really use.

A query word that no document holds is replaced by the most frequent indexed word within a small
edit distance of the ``spell`` field, which keeps words as people type them (candidates from
kb.search.spell_table, built once per index generation: å/ä/ö folded, a swap one edit). The
nearest word wins, the one most documents hold among equally near ones. A suggestion is offered
only when it finds more documents than the query did, under the same filters, so it never leads to
an empty page (Solr's "collation that guarantees hits"), or when a corrected word finds documents
the typed one did not: with no document holding every word the hits are partial, and the
correction's match more of its words. Candidates are weighed by the live
documents holding them (kb.search.livecount): a word only deleted documents still hold is never
proposed.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import numpy as np
from whoosh.searching import Searcher

from kb.search.livecount import live_counter
from kb.search.query import AllOf, ParsedQuery, Word, describe_excluded
from kb.search.scoring import QueryScorer
from kb.search.spell_table import SpellTable, spell_table

SPELL_FIELD = "spell"
MAX_WORDS = 6
DOCS_PER_EDIT = 150
_EDIT_WEIGHT = math.log(DOCS_PER_EDIT)


def suggest(
    searcher: Searcher,
    scorer: QueryScorer,
    parsed: ParsedQuery,
    filter_mask: np.ndarray,
    total: int,
) -> str | None:
    """A corrected query string that finds more than ``total`` documents, or None.

    ``scorer`` is the query's; the correction is scored on a copy of it (``_scorer_apart``), so
    the query's bookkeeping is as matching left it whatever reads it after.
    """
    words = [n.text for n in parsed.root.must if isinstance(n, Word)]
    if not words or len(words) > MAX_WORDS:
        return None
    if len(words) < len(parsed.root.must):
        # The suggestion is the corrected plain words alone: beside a phrase, a prefix or an OR
        # group it would drop them ('"digital kompetens" skoal' suggested "skola").
        return None
    scorer = _scorer_apart(scorer)
    counter = live_counter(scorer.snap)

    def count(term: str) -> int:
        return counter.count(searcher, SPELL_FIELD, term)

    table = spell_table(searcher, scorer.snap.generation, SPELL_FIELD)
    replaced: dict[str, str] = {}
    for word in words:
        terms = scorer.analyze(word)
        if not terms or all(scorer.term_scores(t) is not None for t in terms):
            continue
        best = closest_word(table, word.lower(), count)
        if best and best != word.lower():
            replaced[word] = best
    if not replaced:
        return None
    corrected = [replaced.get(w, w) for w in words]
    # Counted and written with the query's exclusions (as widened: what the search leaves out).
    scores = scorer.evaluate(AllOf(tuple(Word(w) for w in corrected), parsed.root.must_not))
    if scores is None:
        return None
    found = int(np.count_nonzero((scores > 0) & filter_mask))
    if found <= total and not _more_words_found(scorer, parsed, replaced, filter_mask):
        return None
    excluded = [describe_excluded(node) for node in parsed.root.must_not]
    return " ".join([*corrected, *excluded])


def _scorer_apart(scorer: QueryScorer) -> QueryScorer:
    """A copy of ``scorer`` (its analysis, the publishers the query names, its wildcard budget
    and caches) with bookkeeping of its own: the split-only and paraphrase masks, which covered
    matching's candidates, start empty, and so do the terms used, which say what the page's
    snippets look for."""
    own = copy.copy(scorer)
    own.split_only = own.paraphrased = None
    own.terms_used = set()
    return own


def _more_words_found(
    scorer: QueryScorer, parsed: ParsedQuery, replaced: dict[str, str], filter_mask: np.ndarray
) -> bool:
    """Whether the correction matches more of its words than the typed query: a corrected word
    finds documents (under the filters and exclusions) where the typed one found none. When no
    document holds every word, the hits are partial ones ranked by the words they match, so
    "bredbnd uddevalla" (hits for uddevalla alone) is helped by "bredband uddevalla" though no
    document holds both. One evaluation per word replaced, of which there are few."""

    def finds(word: str) -> bool:
        scores = scorer.evaluate(AllOf((Word(word),), parsed.root.must_not))
        return scores is not None and bool(np.any((scores > 0) & filter_mask))

    return any(finds(meant) and not finds(typed) for typed, meant in replaced.items())


def closest_word(table: SpellTable, word: str, count: Callable[[str], int]) -> str | None:
    """The word of ``table`` that ``word`` (lower-case) most likely means, weighed by ``count``
    (live documents holding it), or None: too short, or nothing near that a document holds."""
    if len(word) < 3:
        return None
    maxdist = 1 if len(word) <= 5 else 2
    best: tuple[float, str] | None = None
    for term, dist in table.candidates(word, maxdist):
        df = count(term)
        if df <= 0:
            continue
        # Nearest first, then most documents; but an edit more is worth DOCS_PER_EDIT times the
        # documents, so a frequent word two edits away beats a rare indexed typo one edit away.
        key = (dist * _EDIT_WEIGHT - math.log(df), term)
        if best is None or key < best:
            best = key
    return best[1] if best else None
