"""The naive Whoosh set-up the issue compares with: StandardAnalyzer, KEYWORD facets, groupedby."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import fields, index, query, sorting
from whoosh.analysis import StandardAnalyzer
from whoosh.qparser import MultifieldParser

from bench.corpus_gen import BenchQuery
from kb.document import Document


def naive_schema() -> fields.Schema:
    ana = StandardAnalyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=ana, stored=True),
        body=fields.TEXT(analyzer=ana),
        focus_area=fields.KEYWORD(commas=True, stored=True),
        municipality=fields.KEYWORD(commas=True, stored=True),
        region=fields.KEYWORD(commas=True),
        doc_type=fields.ID(stored=True),
        year=fields.ID(stored=True),
    )


def build_naive(path: Path, docs: Iterable[Document], procs: int = 2) -> None:
    path.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(path), naive_schema())
    args: dict[str, object] = {"limitmb": 64, "compound": False}
    if procs > 1:
        args.update(procs=procs, multisegment=True)
    w = ix.writer(**args)
    for d in docs:
        w.add_document(
            id=d.id,
            title=d.title,
            body=d.text,
            focus_area=",".join(d.values("focus_areas")),
            municipality=",".join(d.values("municipalities")),
            doc_type=d.doc_type.value,
            year=str(d.year or ""),
        )
    w.commit()


class NaiveSearch:
    def __init__(self, path: Path) -> None:
        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema)
        self.facets = {
            "focus_area": sorting.FieldFacet("focus_area", allow_overlap=True),
            "municipality": sorting.FieldFacet("municipality", allow_overlap=True),
            "doc_type": sorting.FieldFacet("doc_type"),
            "year": sorting.FieldFacet("year"),
        }

    def _filter(self, q: BenchQuery) -> query.Query | None:
        parts: list[query.Query] = []
        for field, values in (
            ("focus_area", q.focus_areas),
            ("municipality", q.municipalities),
            ("doc_type", q.doc_types),
        ):
            if values:
                parts.append(query.Or([query.Term(field, v) for v in values]))
        if q.year_from is not None and q.year_to is not None:
            years = [str(y) for y in range(q.year_from, q.year_to + 1)]
            parts.append(query.Or([query.Term("year", y) for y in years]))
        return query.And(parts) if parts else None

    def top10(self, q: BenchQuery) -> list[str]:
        results = self.searcher.search(self.parser.parse(q.text), limit=10, filter=self._filter(q))
        return [hit["title"] for hit in results]

    def search_facets(self, q: BenchQuery) -> dict[str, dict[str, int]]:
        results = self.searcher.search(
            self.parser.parse(q.text),
            limit=10,
            filter=self._filter(q),
            groupedby=self.facets,
            maptype=sorting.Count,
        )
        [hit["title"] for hit in results[:10]]
        return {name: results.groups(name) for name in self.facets}
