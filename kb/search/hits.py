"""The hits of a result: which query words each document marks, and the Hit of a document built
from its stored record with the snippet of those words (kb.search.snippets).

kb.search.engine decides which documents are on the page; kb.search.similar builds its hits here
too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from kb.analysis.analyzer import normalize
from kb.document import source_name
from kb.index.record import StoredRecord
from kb.search.matching import Matched
from kb.search.query import AllOf, AnyOf, Node, Phrase, Word
from kb.search.results import Hit
from kb.search.scoring import QueryScorer
from kb.search.snippets import snippet_from_compressed

if TYPE_CHECKING:  # engine builds its hits here: a type only, no import at run time
    from kb.search.engine import Analysis, SearchContext


def positive_terms(node: Node, analyze: Callable[[str], list[str]]) -> list[str]:
    """Index terms of the words that must or may match (for highlighting)."""
    if isinstance(node, Word):
        return analyze(node.text)
    if isinstance(node, Phrase):
        return [t for w in node.words for t in analyze(w)]
    if isinstance(node, AnyOf):
        return [t for c in node.children for t in positive_terms(c, analyze)]
    if isinstance(node, AllOf):
        return [t for c in node.must for t in positive_terms(c, analyze)]
    return [normalize(node.text)]  # Prefix: marked by its prefix


def compound_words(node: Node, analysis: Analysis) -> list[tuple[list[str], list[str]]]:
    """(terms, parts' terms) of each compound word that must or may match."""
    if isinstance(node, Word) and analysis.compound_parts is not None:
        parts = analysis.compound_parts(node.text)
        return [(analysis.query_terms(node.text), parts)] if parts else []
    if isinstance(node, AnyOf):
        return [p for c in node.children for p in compound_words(c, analysis)]
    if isinstance(node, AllOf):
        return [p for c in node.must for p in compound_words(c, analysis)]
    return []


def hit_terms(
    scorer: QueryScorer,
    docnums: list[int],
    terms: list[str],
    compounds: list[tuple[list[str], list[str]]],
) -> list[list[str]]:
    """The query terms to mark in each document: those it holds, and the parts of a compound
    it holds only written apart."""
    held = scorer.terms_in_each(docnums, terms)
    for whole, parts in compounds:
        apart = scorer.terms_in_each(docnums, parts)
        for mine, extra in zip(held, apart, strict=True):
            if not all(t in mine for t in whole):
                mine += extra
    return held


def make_hit(
    ctx: SearchContext,
    docnum: int,
    score: float,
    terms: list[str] | None,
    found: Matched | None = None,
) -> Hit:
    """The hit of ``docnum``: its stored record with the best snippet for ``terms`` (none when
    ``terms`` is None); a partial match says which clauses it lacks."""
    record = StoredRecord.of(ctx.searcher, docnum)
    if terms is None:
        hit = hit_from_record(record, "", None, score)
    else:
        snip = snippet_from_compressed(
            record.text_z,
            list(record.page_numbers),
            terms,
            ctx.analysis.tokenize,
            ctx.analysis.index_terms,
            fallback=record.summary,
            key_patterns=ctx.analysis.key_patterns,
        )
        hit = hit_from_record(record, snip.html, snip.page, score)
    if found is not None and found.is_partial(docnum):
        hit = replace(
            hit, partial=True, missing=found.missing(docnum), related=found.is_related(docnum)
        )
    return hit


def hit_from_record(record: StoredRecord, snippet: str, page: int | None, score: float) -> Hit:
    """A Hit from the index record (the title falls back to the source's file name)."""
    return Hit(
        id=record.id,
        title=record.title or record.source.rsplit("/", 1)[-1],
        url=record.source,
        source=record.publisher or source_name(record.source),
        date=record.date,
        year=record.year,
        doc_type=record.doc_type,
        focus_areas=record.focus_areas,
        municipalities=record.municipalities,
        regions=record.regions,
        snippet=snippet,
        page=page,
        score=score,
        content_type=record.content_type,
        publisher=record.publisher,
        language=record.language,
        added=record.added,
    )
