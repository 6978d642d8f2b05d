"""SearchResult, Hit and FacetValue: what one search returns to the CLI, the pages and the API.

Snippets are HTML-safe: every character from the document is escaped and only ``<mark>`` tags are
added (see kb/search/snippets.py). Their JSON is kb.search.serialize's.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its count under every filter except the facet's own.

    ``children`` holds the roll-up beneath a value (the member municipalities of a region or the
    municipalities of a county), each with its own count.
    """

    value: str
    label: str
    count: int
    selected: bool = False
    children: tuple[FacetValue, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One search hit.

    ``snippet`` is escaped HTML with the matched words in ``<mark>``; ``page`` is the PDF page where
    the best snippet was found (None for HTML or when unknown), for links to ``#page=N``.
    """

    id: str
    title: str
    url: str
    source: str
    date: str | None
    year: int | None
    doc_type: str
    focus_areas: tuple[str, ...]
    municipalities: tuple[str, ...]
    regions: tuple[str, ...]
    snippet: str
    page: int | None
    score: float
    content_type: str = ""
    publisher: str = ""
    language: str = "sv"
    # A partial match lacks some of the query's clauses (kb.search.matching): which ones.
    partial: bool = False
    missing: tuple[str, ...] = ()
    # A related hit holds none of the query's words but is like its best hits (kb.search.feedback).
    related: bool = False
    # When the document entered the bank (ISO timestamp; "" for records from before that).
    added: str = ""
    # (address, document id) of each other copy of the same original (kb.search.copies): the
    # same file published at other addresses, not shown as hits of their own.
    also_at: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """The answer to a SearchRequest.

    Attributes:
        total: number of matching documents under all filters.
        hits: the requested page of hits.
        facets: facet name -> values with counts ("focus_area", "municipality", "region",
            "county", "doc_type", "year").
        suggestion: a corrected query ("Menade du ...?") when there are few or no hits.
        fallback: True when the query syntax could not be read and plain words were used.
        page, page_size: the (clamped) paging actually used.
        partial_total: how many of ``total`` are partial matches (ranked after the full ones).
        related_total: how many of ``partial_total`` are related hits (kb.search.feedback): they
            hold none of the query's words and rank after every other hit, so the pages describe
            them apart from the hits that lack only some words.
        expanded: thesaurus entries searched as well as the query ("Sökte även på").
        also_excluded: synonyms of the query's excluded words, left out too ("Uteslöt även").
    """

    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    suggestion: str | None = None
    fallback: bool = False
    page: int = 1
    page_size: int = 10
    partial_total: int = 0
    related_total: int = 0
    expanded: tuple[str, ...] = ()
    also_excluded: tuple[str, ...] = ()

    @property
    def missing_words(self) -> tuple[str, ...]:
        """The clauses the partial hits of this page lack, in order ("Träffar som saknar")."""
        seen: dict[str, None] = {}
        for hit in self.hits:
            for word in hit.missing:
                seen.setdefault(word, None)
        return tuple(seen)

    @property
    def lacking_words(self) -> tuple[str, ...]:
        """The clauses this page's partial hits that are not related hits lack, in order: what
        "Träffar som saknar" names (a related hit lacks every word, and says so on its own)."""
        seen: dict[str, None] = {}
        for hit in self.hits:
            if not hit.related:
                for word in hit.missing:
                    seen.setdefault(word, None)
        return tuple(seen)

    @property
    def related_words(self) -> tuple[str, ...]:
        """The clauses this page's related hits lack (every clause of the query), or ()."""
        return next((hit.missing for hit in self.hits if hit.related), ())

    @property
    def pages(self) -> int:
        return max((self.total + self.page_size - 1) // self.page_size, 1)
