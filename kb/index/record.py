"""The index record: the one mapping from a Document to its index fields, and back from the stored
fields to what a hit shows.

``index_fields`` is the only writer of the fields (text for analysis: title, headings and lead
(kb.index.outline) and body; one field per facet of the registry, the sort date, the stored
display data and the page texts joined by ``PAGE_BREAK``);
``StoredRecord.of`` (or ``read`` with the stored fields and ``read_text_z``) the only reader.
The compressed page texts are a column of their own, not a stored field: Whoosh pickles stored
fields with protocol 2 (a latin-1 string for bytes) and compresses them again, which cost a
quarter more than the texts themselves, and every read of a hit's display data (suggestions
read every title) would inflate the text as well. The store keeps the full Document
(kb.index.store), the public JSON is kb.search.serialize: this record is internal to kb.
"""

from __future__ import annotations

import json
import zlib
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kb.document import Document
from kb.facets.registry import DEFAULT_FACETS, FacetRegistry
from kb.index.outline import headings, lead

PAGE_BREAK = "\f"  # between page texts in the stored text; never inside a page's text
META_FIELD = "meta"  # JSON display data of a hit
TEXT_FIELD = "text_z"  # the zlib-compressed page texts, for snippets (a column)
ORIGINAL_FIELD = "original"  # the original bytes' hash (original_key): copies under other addresses


def index_fields(doc: Document, facets: FacetRegistry = DEFAULT_FACETS) -> dict[str, Any]:
    """The index fields of ``doc`` (text for analysis, facet values, stored display data)."""
    body = "\n".join(x for x in (doc.summary, doc.text) if x)
    meta = {
        "id": doc.id,
        "title": doc.title,
        "source": doc.source,
        "date": doc.date,
        "doc_type": doc.doc_type.value,
        "focus_areas": list(doc.values("focus_areas")),
        "municipalities": list(doc.values("municipalities")),
        "regions": list(doc.values("regions")),
        "content_type": doc.content_type,
        "publisher": doc.publisher,
        "summary": doc.summary,
        "language": doc.language,
        "pages": [p.number for p in doc.pages],
        "added": doc.added,
    }
    page_text = PAGE_BREAK.join(p.text.replace(PAGE_BREAK, " ") for p in doc.pages)
    texts = [p.text for p in doc.pages]
    fields: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        # Weighted text fields (kb.search.scoring): what a reader sees first, also in the body.
        "headings": "\n".join(headings(texts, doc.title)),
        "lead": lead(doc.summary, texts),
        "body": body,
        "spell": f"{doc.title}\n{body}",
        "date": sortable_date(doc.date),
        "added": sortable_added(doc),
        ORIGINAL_FIELD: original_key(doc.content_sha256),
        META_FIELD: json.dumps(meta, ensure_ascii=False),
        TEXT_FIELD: zlib.compress(page_text.encode("utf-8"), 6),
    }
    for facet in facets.indexed:
        assert facet.values_of is not None  # the registry checks it
        # Commas separate the values of a KEYWORD field, so a value cannot hold one.
        values = [v.replace(",", " ").strip() for v in facet.values_of(doc)]
        fields[facet.field] = ",".join(v for v in values if v)
    return fields


def original_key(sha256: str) -> str:
    """The index term of an original's SHA-256: its first 16 hex digits (64 bits, as a document
    id: a chance collision among a million originals is about one in 30 million); "" for none."""
    return sha256[:16].lower()


def sortable_date(date: str | None) -> str:
    """``2021-05-00`` for "2021-05": partial dates sort before any day of their year or month."""
    if not date:
        return ""
    parts = ([*date.split("-"), "00", "00"])[:3]
    return "-".join(p.zfill(2) for p in parts)


def sortable_added(doc: Document) -> str:
    """When ``doc`` entered the bank, as a key that sorts in time ("2026-12-06T05:40:00").

    Records from before the store kept that time sort before every document that has it, by their
    own date ("0" + the sortable date), so old collections stay in a sensible order.
    """
    return added_key(doc.added, doc.date)


def added_key(added: str, date: str | None) -> str:
    """``sortable_added`` of a document added at ``added`` and dated ``date`` (a document's or
    a stored record's)."""
    if added:
        return added[:19]
    return "0" + sortable_date(date) if date else ""


@dataclass(frozen=True)
class StoredRecord:
    """What the index keeps of a document for showing it as a hit."""

    id: str
    title: str
    source: str
    date: str | None
    doc_type: str
    focus_areas: tuple[str, ...]
    municipalities: tuple[str, ...]
    regions: tuple[str, ...]
    content_type: str
    publisher: str
    summary: str
    language: str
    page_numbers: tuple[int, ...]
    text_z: bytes
    added: str = ""  # when the document entered the bank ("" in records from before)

    @classmethod
    def of(cls, searcher: Any, docnum: int) -> StoredRecord:
        """The record of ``docnum`` in ``searcher`` (its stored fields and its page texts)."""
        return cls.read(searcher.stored_fields(docnum), read_text_z(searcher, docnum))

    @classmethod
    def read(cls, stored: Mapping[str, Any], text_z: bytes | None = None) -> StoredRecord:
        """The record of one document from the searcher's ``stored_fields``; ``text_z`` is its
        page-text column (``read_text_z``), or empty when the caller needs no text."""
        meta: dict[str, Any] = json.loads(stored[META_FIELD])
        return cls(
            id=meta["id"],
            title=meta.get("title") or "",
            source=meta["source"],
            date=meta.get("date"),
            doc_type=meta.get("doc_type", "other"),
            focus_areas=tuple(meta.get("focus_areas", ())),
            municipalities=tuple(meta.get("municipalities", ())),
            regions=tuple(meta.get("regions", ())),
            content_type=meta.get("content_type", ""),
            publisher=meta.get("publisher", ""),
            summary=meta.get("summary", ""),
            language=meta.get("language") or "sv",
            page_numbers=tuple(meta.get("pages") or (1,)),
            text_z=stored.get(TEXT_FIELD, b"") if text_z is None else text_z,
            added=meta.get("added") or "",
        )

    def pages(self) -> list[str]:
        """The page texts, in order."""
        if not self.text_z:
            return [""]
        return zlib.decompress(self.text_z).decode("utf-8").split(PAGE_BREAK)

    @property
    def year(self) -> int | None:
        date = self.date
        return int(date[:4]) if date and date[:4].isdigit() else None


def read_text_z(searcher: Any, docnum: int) -> bytes:
    """The compressed page texts of ``docnum`` (global in ``searcher``) from their column."""
    reader = searcher.reader()
    if reader.is_atomic():
        leaf, local = reader, docnum
    else:
        i = max(0, bisect_right(reader.doc_offsets, docnum) - 1)
        leaf, local = reader.readers[i], docnum - reader.doc_offsets[i]
    perdoc = getattr(leaf, "_perdoc", None)  # an empty index has an EmptyReader
    if perdoc is None:
        return b""
    column = perdoc._cached_reader(TEXT_FIELD, searcher.schema[TEXT_FIELD].column_type)
    return bytes(column[local]) if column is not None else b""
