"""Which documents match a query, and how fully: all words first, then most of them.

A query's top-level clauses (words, phrases, OR groups, prefixes) must all match for a *full*
match. When few documents match them all (none, for a query of one clause), documents that
match at least ``MIN_SHOULD_MATCH`` of the clauses are added as *partial* matches (for a one-word
compound: documents with all its parts written apart). They rank below every full match and each
says which clauses it lacks ("Träffar som saknar: bygglov").
Exclusions (-word) always hold. Before scoring, thesaurus rules have widened single words and
word sequences to their synonyms (an OR group; kb.search.expansion); two words a preposition
links ("strategi för digitalisering") become one clause needing both.
When a query has few hits, kb.search.feedback adds *related* hits below all of these: documents
that share the best hits' subject but none of the query's words (partial, never full matches).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kb.search import scoring
from kb.search.boosts import document_prior, proximity_boost
from kb.search.candidates import candidate_docs
from kb.search.query import AllOf, AnyOf, Node, Phrase, Word, describe
from kb.search.scoring import QueryScorer

# Add partial matches when fewer documents than this match every clause (two result pages)...
PARTIAL_BELOW = 20
# ... but for queries of at most this many clauses only when no document matches them all: a
# compound's parts apart are not the compound (välfärdsteknik vs "välfärden och tekniken"). Two
# typed words are two concepts ("välfärdsteknik äldreomsorg"): a document about one of them is a
# partial match. Was 2 until the late evening of 2026-12-06; 1 gave nDCG@10 0.737 -> 0.749,
# recall@20 0.651 -> 0.704 with no question worse (docs/relevance.md).
SHORT_QUERY = 1
# Prepositions (stop words, so never clauses of their own) that join the words on either side into
# one concept: "strategi för digitalisering" is how one writes digitaliseringsstrategi, so a
# document must hold both words ("strategi för miljöarbete" is no partial match of it).
LINKING_WORDS = frozenset(
    ("av", "för", "i", "på", "om", "till", "med", "från", "vid", "inom", "mot", "mellan", "utan")
)
# Share of the clauses a partial match must have (rounded up, and at least one).
MIN_SHOULD_MATCH = 0.5


@dataclass
class Matched:
    """The outcome of matching one query.

    Attributes:
        scores: score per docnum, 0 = no match (None: only stop words, nothing constrains).
        coverage: clauses matched per docnum (ranks full matches above partial ones).
        full: docnums matching every clause.
        clauses: each clause as typed and where it matched (for the missing words of a hit).
        expanded: thesaurus entries searched as well ("Sökte även på").
        related: docnums added as related hits (kb.search.feedback; they match no clause).
        feedback: the index terms related hits were found by (their snippets mark them).
    """

    scores: np.ndarray | None
    coverage: np.ndarray | None
    full: np.ndarray | None
    clauses: list[tuple[str, np.ndarray]]
    expanded: tuple[str, ...] = ()
    related: np.ndarray | None = None
    feedback: tuple[str, ...] = ()

    def missing(self, docnum: int) -> tuple[str, ...]:
        return tuple(label for label, where in self.clauses if not where[docnum])

    def is_partial(self, docnum: int) -> bool:
        return self.full is not None and not bool(self.full[docnum])

    def is_related(self, docnum: int) -> bool:
        return self.related is not None and bool((self.related == docnum).any())


def link_phrases(root: AllOf, analyze: Callable[[str], list[str]]) -> AllOf:
    """Join two query words that a preposition links ("strategi för digitalisering") into one
    clause that needs both; each word joins at most one such pair, left to right."""

    def content(node: Node) -> bool:  # a word, or a word the thesaurus widened
        return isinstance(node, AnyOf | Phrase) or (
            isinstance(node, Word) and bool(analyze(node.text))
        )

    def linker(node: Node) -> bool:
        return isinstance(node, Word) and node.text.lower() in LINKING_WORDS

    nodes = list(root.must)
    must: list[Node] = []
    i = 0
    while i < len(nodes):
        triple = nodes[i : i + 3]
        if len(triple) == 3 and content(triple[0]) and linker(triple[1]) and content(triple[2]):
            must.append(AllOf(tuple(triple), concept=True))
            i += 3
            continue
        must.append(nodes[i])
        i += 1
    return AllOf(tuple(must), root.must_not)


def clause_label(clause: Node) -> str:
    """A clause as the hits that lack it name it ("Saknar: e-tjänst för bygglov"): as typed, so
    a concept (words a preposition links) without the brackets ``describe`` gives a group,
    which read as an aside: "Saknar: (e-tjänst för bygglov)"."""
    label = describe(clause)
    if isinstance(clause, AllOf) and clause.concept and label.startswith("("):
        return label[1:-1]
    return label


def typed_clauses(root: AllOf, analyze: Callable[[str], list[str]]) -> int:
    """The clauses of the query as typed that constrain anything (stop words do not)."""
    return sum(1 for n in root.must if not isinstance(n, Word) or analyze(n.text))


def match(
    scorer: QueryScorer,
    root: AllOf,
    n_docs: int,
    live: np.ndarray,
    home: np.ndarray | None = None,
    typed: int = 0,
) -> Matched:
    """Score ``root``'s clauses and decide full and partial matches (see the module docstring).

    ``typed``: the number of clauses as typed, before thesaurus synonyms were merged (0: as many
    as ``root`` has).

    ``home``: documents of the officer's region, raised by ``scoring.REGION_BOOST``.

    The clauses are scored over the query's candidate documents only (kb.search.candidates);
    the returned arrays cover every docnum.
    """
    space = candidate_docs(scorer, root)
    if space is None:
        return _match(scorer, root, n_docs, live, home, typed)
    scorer.use_space(space)
    try:
        found = _match(scorer, root, len(space), live[space], _within(home, space), typed)
    finally:
        scorer.use_space(None)
    return Matched(
        _dense(found.scores, space, n_docs),
        _dense(found.coverage, space, n_docs),
        _dense(found.full, space, n_docs),
        [(label, _spread(where, space, n_docs)) for label, where in found.clauses],
    )


def _within(home: np.ndarray | None, space: np.ndarray) -> np.ndarray | None:
    return None if home is None else home[space]


def _dense(values: np.ndarray | None, space: np.ndarray, n_docs: int) -> np.ndarray | None:
    """``values`` over the docnums ``space``, spread over every docnum (0 elsewhere)."""
    return None if values is None else _spread(values, space, n_docs)


def _spread(values: np.ndarray, space: np.ndarray, n_docs: int) -> np.ndarray:
    out = np.zeros(n_docs, dtype=values.dtype)
    out[space] = values
    return out


def _match(
    scorer: QueryScorer,
    root: AllOf,
    n_docs: int,
    live: np.ndarray,
    home: np.ndarray | None,
    typed: int,
) -> Matched:
    """match() over the scorer's arrays: ``n_docs`` entries, ``live`` and ``home`` alike."""
    parts: list[tuple[str, np.ndarray]] = []
    weak: list[np.ndarray | None] = []
    scorer.paraphrased = None
    for clause in root.must:
        scorer.split_only = None
        scores = scorer.evaluate(clause)
        if scores is not None:
            parts.append((clause_label(clause), scores))
            weak.append(scorer.split_only)
    if not parts:
        return Matched(None, None, None, [])
    excluded = np.zeros(n_docs, dtype=bool)
    for child in root.must_not:
        ex = scorer.evaluate(child)
        if ex is not None:
            excluded |= ex > 0
    allowed = live & ~excluded
    # A clause found only as a compound's separate parts is a partial match of that clause.
    wheres = [
        (label, (s > 0) if w is None else (s > 0) & ~w)
        for (label, s), w in zip(parts, weak, strict=True)
    ]
    coverage = np.zeros(n_docs, dtype=np.int16)
    total = np.zeros(n_docs, dtype=np.float32)
    for (_, s), (_, where) in zip(parts, wheres, strict=True):
        coverage += where
        total += s
    full = (coverage == len(parts)) & allowed
    keep = full.copy()
    n_full = int(np.count_nonzero(full))
    # Short by what the user typed: three words that the thesaurus makes two concepts ("SITHS
    # e-legitimation inloggning") are still a longer query.
    short = max(len(parts), typed) <= SHORT_QUERY
    if (short and n_full == 0) or (not short and n_full < PARTIAL_BELOW):
        need = max(1, math.ceil(len(parts) * MIN_SHOULD_MATCH)) if not short else len(parts) - 1
        # need 0: a one-word query whose compound was found only as separate parts.
        keep |= ((coverage >= need) if need else (total > 0)) & allowed
    elif short and n_full < PARTIAL_BELOW and scorer.paraphrased is not None:
        # A one-word compound with few full matches: add the documents that write it out head
        # first ("utbyggnad av bredband"). That is the query's one concept, so they rank by their
        # score among the full matches; they stay partial: the word as typed is not in them.
        written_out = scorer.paraphrased & allowed
        keep |= written_out
        coverage[written_out & ~full] = len(parts)
    prior = document_prior(scorer.snap)
    total *= prior if scorer.space is None else prior[scorer.space]
    if home is not None:
        total[home] *= 1.0 + scoring.REGION_BOOST
    scoring.keep_only(total, keep)
    proximity_boost(scorer, _adjacent_pairs(root, scorer), total)
    return Matched(total, coverage, full, wheres)


def _adjacent_pairs(root: AllOf, scorer: QueryScorer) -> list[list[tuple[str, str]]]:
    """Index terms of neighbouring one-term words of the query, for the proximity boost.

    A stop word between two words does not part them ("strategi för digitalisering"): the index
    leaves stop words out of the positions too. A word or words the thesaurus widened keep their
    place: the words as typed ("öppna data" of *öppna data OR "open data"*) are paired.
    """
    terms: list[tuple[str, ...]] = []  # per word: its term and its other forms' terms

    def forms(word: Word) -> tuple[str, ...]:
        found = scorer.analyze(word.text)
        if len(found) != 1:
            return ()
        extra = scorer.variants(word.text) if scorer.variants is not None else ()
        return (found[0], *extra)

    def add(node: Node) -> None:
        if isinstance(node, Word):
            if scorer.analyze(node.text):  # a stop word adds nothing and parts nothing
                terms.append(forms(node))
        elif isinstance(node, AllOf):
            for child in node.must:
                add(child)
        elif isinstance(node, AnyOf) and isinstance(node.children[0], AllOf):
            add(node.children[0])  # a typed multi-word entry: its words, in order
        else:
            terms.append(())

    for clause in root.must:
        add(clause)
    return [list(itertools.product(a, b)) for a, b in itertools.pairwise(terms) if a and b]
