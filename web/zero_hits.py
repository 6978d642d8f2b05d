"""Ways out of a search that found nothing: each active filter left out, the query without its
quotes, and each word of a query of several words searched alone, counted with real searches
and offered only with hits.

kb's partial matching already lists documents with at least half of the words, so a query of
three or more words that finds nothing at all has no document with half of them; leaving out
one word does not help either. Each word alone is the search that can.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from kb.facets.registry import FacetRegistry
from kb.search.query import AllOf, AnyOf, Node, Phrase, describe, describe_excluded, parse
from kb.search.request import SearchRequest
from kb.search.results import SearchResult
from web.i18n import translate
from web.params import without_filter

Searcher = Callable[[SearchRequest], SearchResult]
# Words searched alone at most (each is a search, without facets or snippets).
MAX_WORD_SEARCHES = 6


@dataclass(frozen=True)
class DropFilter:
    """Zero-result help: the result count without one active filter."""

    facet: str
    count: int
    url: str


@dataclass(frozen=True)
class WordAlone:
    """Zero-result help: the result count of one word of the query, searched alone."""

    word: str
    count: int
    url: str


def _mid_sentence(label: str) -> str:
    """A facet's heading ("Kommun", "Document type") inside "Utan …"/"Without …": lower-case
    its first letter only, so an abbreviation later in the label keeps its capitals."""
    return label[:1].lower() + label[1:]


def filter_drops(
    req: SearchRequest, url: Callable, search: Searcher, facets: FacetRegistry
) -> list[DropFilter]:
    """Each active filter left out, counted, and only those with hits (a way out to another
    empty page is none); all filters at once when no single one helps."""
    drops = []
    active = [(f.id, f.legend_key) for f in facets.multi if req.values(f.id)]
    if facets.year is not None and (req.year_from is not None or req.year_to is not None):
        active.append(("year", facets.year.legend_key))
    for param, legend_key in active:
        relaxed = replace(without_filter(req, param), page_size=1)
        count = search(relaxed).total
        if count:
            drops.append(
                DropFilter(
                    _mid_sentence(translate(legend_key)),
                    count,
                    url(replace(relaxed, page_size=req.page_size)),
                )
            )
    if not drops and len(active) > 1:
        bare = SearchRequest(q=req.q, sort=req.sort, page_size=1)
        count = search(bare).total
        if count:
            all_filters = translate("zero_drop_all_filters")
            drops.append(
                DropFilter(all_filters, count, url(replace(bare, page_size=req.page_size)))
            )
    return drops


def words_alone(req: SearchRequest, url: Callable, search: Searcher) -> list[WordAlone]:
    """Each clause of a query of several (a word, a "phrase", an OR group) searched alone with
    the same filters and exclusions, in the order typed, when it finds anything."""
    root = parse(req.q).root
    if len(root.must) < 2:
        return []
    out = []
    seen = set()
    # An excluded OR group keeps its brackets: "-gdpr OR dataskydd" would search dataskydd.
    exclusions = " ".join(describe_excluded(node) for node in root.must_not)
    for node in root.must[:MAX_WORD_SEARCHES]:
        text = describe(node)
        if isinstance(node, AllOf) or text in seen:
            continue
        seen.add(text)
        alone = replace(req, q=f"{text} {exclusions}".strip(), page=1, page_size=1)
        count = search(alone).total
        if count:
            out.append(WordAlone(text, count, url(replace(alone, page_size=req.page_size))))
    return out


def unquoted(req: SearchRequest, url: Callable, search: Searcher) -> WordAlone | None:
    """The query with the quotes taken off its phrases, with the same filters and exclusions,
    when that finds anything. A phrase asks for its words in that order and as written (no
    other forms, no synonyms), so a quoted question that finds nothing ("e-tjänst bygglov" in
    quotes) may well find its words unquoted; a single phrase has no other clause to search alone.
    Excluded phrases keep their quotes: unquoted, they would exclude every document with a word."""
    parsed = parse(req.q)
    if parsed.fallback or not any(_has_phrase(node) for node in parsed.root.must):
        return None
    loose = " ".join(_loose(node, top=True) for node in parsed.root.must)
    exclusions = " ".join(describe_excluded(node) for node in parsed.root.must_not)
    plain = replace(req, q=f"{loose} {exclusions}".strip(), page=1, page_size=1)
    count = search(plain).total
    if not count:
        return None
    return WordAlone(plain.q, count, url(replace(plain, page_size=req.page_size)))


def _has_phrase(node: Node) -> bool:
    if isinstance(node, Phrase):
        return True
    children = node.children if isinstance(node, AnyOf) else getattr(node, "must", ())
    return any(_has_phrase(child) for child in children)


def _loose(node: Node, top: bool) -> str:
    """``node`` as typed, its phrases as plain words: in brackets inside an OR group, where
    "a b OR c" would read as a AND (b OR c)."""
    if isinstance(node, Phrase):
        words = " ".join(node.words)
        return words if top or len(node.words) == 1 else f"({words})"
    if isinstance(node, AnyOf):
        return " OR ".join(_loose(child, top=False) for child in node.children)
    if isinstance(node, AllOf) and _has_phrase(node):
        return "(" + " ".join(_loose(child, top=True) for child in node.must) + ")"
    return describe(node)
