"""The Whoosh schema of the index and its version.

The version is stored beside the index (``kb-schema.json``); an index built with another schema or
analyzer version refuses to open with a clear "run kb reindex" message. Facet fields come from the
facet registry (kb.facets.registry). Only kb imports whoosh.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import Analyzer

from kb.errors import SchemaMismatchError
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.index.record import META_FIELD, TEXT_FIELD
from kb.index.textfield import SvText, SvWords

# Bump when fields or how they are filled change (the analyzer has its own version).
# 4: publisher facet; 5: spell keeps document lists only; 6: date added; 7: headings, lead;
# 8: compact posting blocks and varint positions (kb.index.codec); 9: page texts in a column;
# 10: smaller block headers and term hash tables
SCHEMA_VERSION = 10
VERSION_FILE = "kb-schema.json"

# Text fields scored by the search engine (their weights are in kb.search.scoring). Headings and
# lead repeat lines of the body, so phrases and word positions are read from title and body only.
TEXT_FIELDS = ("title", "headings", "lead", "body")
POSITION_FIELDS = ("title", "body")


def build_schema(
    analyzer: Analyzer | None = None,
    spelling: Analyzer | None = None,
    facets: FacetRegistry = DEFAULT_FACETS,
) -> fields.Schema:
    """The schema; ``analyzer``/``spelling`` default to the Swedish chain (benchmarks swap them)."""
    if analyzer is None or spelling is None:
        from kb.analysis.analyzer import spelling_analyzer, swedish_analyzer

        analyzer = analyzer or swedish_analyzer()
        spelling = spelling or spelling_analyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=SvText(analyzer=analyzer, stored=False, phrase=True),
        # Weighted, without positions: their words are also in the body (kb.index.outline).
        headings=SvText(analyzer=analyzer, stored=False, phrase=False),
        lead=SvText(analyzer=analyzer, stored=False, phrase=False),
        body=SvText(analyzer=analyzer, stored=False, phrase=True),
        # Surface words as people type them, for "Menade du ...?" suggestions: which documents
        # hold each word, nothing more (docs/decisions.md, "What the index keeps").
        spell=SvWords(analyzer=spelling),
        date=fields.ID(),
        # When the document entered the bank (kb.index.record.sortable_added), for sort "added".
        added=fields.ID(),
        # The hash of the original bytes (kb.index.record.original_key): the same file under
        # several addresses is one hit (kb.search.copies). An index built before this field
        # existed opens all the same; its first commit adds the field (kb.index.originals).
        original=fields.ID(),
    )
    for facet in facets.indexed:
        field: fields.FieldType = (
            fields.KEYWORD(commas=True, lowercase=False, scorable=False)
            if facet.multi_valued
            else fields.ID()
        )
        schema.add(facet.field, field)
    # Display data of a hit (JSON) and the compressed page texts for snippets (kb.index.record):
    # the texts as raw bytes in a column of their own, not pickled among the stored fields.
    schema.add(META_FIELD, fields.STORED())
    schema.add(TEXT_FIELD, fields.COLUMN(columns.VarBytesColumn()))
    return schema


def current_version(analyzer_version: str | None = None) -> dict[str, Any]:
    """The version record written beside a new index."""
    if analyzer_version is None:
        from kb.analysis.analyzer import ANALYZER_VERSION

        analyzer_version = ANALYZER_VERSION
    return {"schema_version": SCHEMA_VERSION, "analyzer_version": analyzer_version}


def write_version(index_dir: Path, version: dict[str, Any]) -> None:
    (index_dir / VERSION_FILE).write_text(json.dumps(version, sort_keys=True), encoding="utf-8")


def check_version(index_dir: Path, expected: dict[str, Any]) -> None:
    """Raise SchemaMismatchError unless the index in ``index_dir`` has the ``expected`` version."""
    path = index_dir / VERSION_FILE
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaMismatchError(
            f"Indexet i {index_dir} saknas eller är ofullständigt (ingen {VERSION_FILE}): "
            "kör `kb reindex` för att bygga om det från de sparade originalen / the index is "
            "missing or incomplete: run `kb reindex`"
        ) from None
    except (OSError, ValueError):
        found = None
    if found != expected:
        raise SchemaMismatchError(
            f"Indexet i {index_dir} byggdes med en annan schemaversion ({found}, nu {expected}): "
            "kör `kb reindex` för att bygga om det från de sparade originalen"
        )
