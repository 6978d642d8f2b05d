""" "Filtrera på Jönköpings kommun?": a results page whose query names a municipality or region
offers its filter, as the suggestions as you type do.

A place in the query is searched as a word, which finds the documents that mention it, not those
about it, and misses the name typed without å, ä, ö. The taxonomy's own lookups (kb.taxonomy) read
the name: case, hyphens and diacritics aside when that leaves one place ("jonkoping" is
Jönköping, "habo" is Habo, not Håbo). The link filters on that place instead of any place
ticked before, keeps the other filters and takes the name out of the query; the search itself
(its ranking) is untouched. A municipality whose bare name is often something else ("Mark",
"Bjuv"...) is offered only when typed with "kommun" or "stad". A place the query's syntax binds
(excluded, one side of an OR, inside brackets or a longer phrase) is not. Each offer is counted
with a real search and made only when it finds something, with its count: "bygglov göteborg"
finds documents that mention Göteborg, while none tagged with it may say bygglov, and an offer
that empties the page is no help.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from kb.facets.registry import FacetRegistry
from kb.search.request import SearchRequest
from kb.search.suggest import suggest_key
from kb.taxonomy.model import Taxonomy
from web.params import toggled

# Place names have at most three words ("Upplands Väsby kommun", "Västra Götalands län").
MAX_NAME_WORDS = 3
# Fewer folded letters than this is never read as a place ("Ale" stays a word, "ale kommun" not).
MIN_NAME_CHARS = 3
MAX_OFFERS = 2
# Each candidate is counted with a search; a query of many place names that find nothing
# together must not cost a search each on every results page.
MAX_COUNTED = 2 * MAX_OFFERS
PUNCTUATION = "\"'“”‘’«»,.;:!?()[]"


@dataclass(frozen=True)
class PlaceFilter:
    """One offer: the place's name ("Jönköpings kommun"), the search filtered on it and the
    number of hits that search has."""

    name: str
    url: str
    count: int


def place_filters(
    req: SearchRequest,
    url: Callable[[SearchRequest], str],
    taxonomy: Taxonomy,
    facets: FacetRegistry,
    indexed: Callable[[str], Collection[str]],
    count: Callable[[SearchRequest], int],
) -> list[PlaceFilter]:
    """The filters the query's place names ask for (longest names first, at most ``MAX_OFFERS``),
    leaving out a filter already set, a place no document holds (``indexed(facet_id)``: the
    values some document holds) and an offer whose search (``count``: its total) finds nothing;
    at most ``MAX_COUNTED`` searches."""
    tokens = req.q.split()
    if not tokens or len(tokens) > 12:
        return []
    words = [t.strip(PUNCTUATION) for t in tokens]
    free = _free(tokens)
    taken: set[int] = set()
    offers: list[PlaceFilter] = []
    counted = 0
    for n in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - n + 1):
            span = set(range(start, start + n))
            phrase = " ".join(words[start : start + n])
            if span & taken or not all(free[i] for i in span) or not _whole(tokens, start, n):
                continue
            if len(suggest_key(phrase).replace(" ", "")) < MIN_NAME_CHARS:
                continue
            found = _place(phrase, taxonomy, facets)
            if found is None:
                continue
            facet_id, value, name = found
            if value in req.values(facet_id) or value not in indexed(facet_id):
                continue
            rest = " ".join(t for i, t in enumerate(tokens) if i not in span)
            filtered = replace(toggled(_no_places(req, facets), facet_id, value, facets), q=rest)
            if counted == MAX_COUNTED:
                return offers
            counted += 1
            hits = count(filtered)
            if not hits:
                continue
            taken |= span
            offers.append(PlaceFilter(name, url(filtered), hits))
            if len(offers) == MAX_OFFERS:
                return offers
    return offers


def _no_places(req: SearchRequest, facets: FacetRegistry) -> SearchRequest:
    """``req`` without its place filters (municipalities, regions, counties), so the offered
    one is the only place: ticked municipalities combine as one OR, so another would widen the
    results to "Trollhättan or Uddevalla", and a region, a county and a municipality as an AND,
    so a place outside the ticked region would find nothing."""
    places = {"municipality"} | {f.id for f in facets.multi if f.rollup_of == "municipality"}
    return replace(req, filters={k: v for k, v in req.filters.items() if k not in places})


# The query syntax of kb.search.query: an OR's sides, an exclusion, brackets and a prefix.
_OR = frozenset({"OR", "|"})
_NOT = frozenset({"NOT", "-"})
_OPERATORS = _OR | _NOT | {"AND", "&&", "+"}


def _free(tokens: list[str]) -> list[bool]:
    """Whether each token is a plain word of the query: a place excluded ("-uddevalla"), one
    side of an OR or inside brackets is not what the query is filtered on, and taking it out
    would leave broken syntax ("bredband OR")."""
    out = []
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        out.append(
            token not in _OPERATORS
            and not token.startswith("-")
            and before not in _NOT
            and before not in _OR
            and after not in _OR
            and not any(ch in token for ch in "()*")
        )
    return out


def _whole(tokens: list[str], start: int, n: int) -> bool:
    """Whether tokens ``start`` to ``start + n`` are outside a "phrase", or are all of one."""
    before = sum(t.count('"') for t in tokens[:start])
    inside = sum(t.count('"') for t in tokens[start : start + n])
    return before % 2 == 0 and inside % 2 == 0


def _place(phrase: str, taxonomy: Taxonomy, facets: FacetRegistry) -> tuple[str, str, str] | None:
    """(facet id, value, name) of the municipality or region ``phrase`` names, or None."""
    if "municipality" in facets:
        muni = taxonomy.municipality_by_name(phrase)
        bare = muni is not None and suggest_key(phrase) in {suggest_key(f) for f in muni.bare_forms}
        if muni is not None and not (muni.ambiguous and bare):
            return "municipality", muni.code, muni.official_name
    if "region" in facets:
        region = taxonomy.region_by_name(phrase)
        if region is not None:
            return "region", region.id, region.name
    return None
