"""Facet tables: which documents hold which facet values, as numpy pairs, and counts over a mask.

One FacetTable per facet and index generation. Filters are boolean masks over docnums (OR of the
selected values), made from a per-value copy of the pairs. Counts under a mask: a facet of few
values (focus areas, types, years, regions, counties) ANDs and popcounts one bitset per value
(tens of microseconds at 100,000 documents, whatever the number of matches); a bigger one reads
the matching documents' pairs from a per-document copy when few match (the usual search), else
tests each value's documents and sums per value.
Region and county facets are derived from municipality tags through the taxonomy at open time, so
editing a region's members needs no reindex.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

# Count from the matching documents' own pairs when fewer than 1 in SPARSE_BELOW documents match.
SPARSE_BELOW = 16
# A facet of at most this many values counts with one bitset per value (an AND and a popcount of
# n_docs bits each), whatever the number of matches; bigger facets (municipalities) use the pairs.
BITSET_VALUES = 64


@dataclass(frozen=True)
class FacetTable:
    """The (document, value) pairs of one facet.

    Attributes:
        name: public facet name ("municipality", ...).
        values: the value strings; a value's index is its position.
        doc_idx / val_idx: parallel int32 arrays, one entry per (document, value) pair.
        n_docs: number of docnums in the index generation (deleted ones included).
    """

    name: str
    values: tuple[str, ...]
    doc_idx: np.ndarray
    val_idx: np.ndarray
    n_docs: int

    @classmethod
    def from_postings(
        cls, name: str, postings: Mapping[str, np.ndarray], n_docs: int
    ) -> FacetTable:
        """Build from ``value -> sorted docnums``; empty values are skipped."""
        values = tuple(v for v in postings if v)
        docs = [postings[v] for v in values]
        doc_idx = np.concatenate(docs).astype(np.int32) if docs else np.zeros(0, np.int32)
        val_idx = (
            np.concatenate([np.full(len(d), i, np.int32) for i, d in enumerate(docs)])
            if docs
            else np.zeros(0, np.int32)
        )
        return cls(name, values, doc_idx, val_idx, n_docs)

    def derive(
        self, name: str, mapping: Mapping[str, Sequence[str]], extra: FacetTable | None = None
    ) -> FacetTable:
        """A new facet whose values come from mapping each of this facet's values (a roll-up).

        ``extra`` adds pairs that were tagged directly (a document tagged with a region). Pairs are
        de-duplicated, so a document in two member municipalities counts once for the region.
        """
        targets = sorted(
            {t for v in self.values for t in mapping.get(v, ())}
            | set(extra.values if extra else ())
        )
        index = {t: i for i, t in enumerate(targets)}
        docs_parts: list[np.ndarray] = []
        vals_parts: list[np.ndarray] = []
        for vi, value in enumerate(self.values):
            mapped = mapping.get(value, ())
            if not mapped:
                continue
            docs = self.doc_idx[self.val_idx == vi]
            for t in mapped:
                docs_parts.append(docs)
                vals_parts.append(np.full(len(docs), index[t], np.int32))
        if extra is not None:
            for vi, value in enumerate(extra.values):
                docs = extra.doc_idx[extra.val_idx == vi]
                docs_parts.append(docs)
                vals_parts.append(np.full(len(docs), index[value], np.int32))
        if not docs_parts:
            return FacetTable(
                name, tuple(targets), np.zeros(0, np.int32), np.zeros(0, np.int32), self.n_docs
            )
        keys = np.unique(
            np.concatenate(docs_parts).astype(np.int64) * len(targets) + np.concatenate(vals_parts)
        )
        return FacetTable(
            name,
            tuple(targets),
            (keys // len(targets)).astype(np.int32),
            (keys % len(targets)).astype(np.int32),
            self.n_docs,
        )

    def mask(self, selected: Iterable[str]) -> np.ndarray:
        """Documents holding ANY of ``selected`` (OR within a facet); unknown values match none."""
        chosen = set(selected)
        wanted = [i for i, v in enumerate(self.values) if v in chosen]
        out = np.zeros(self.n_docs, dtype=bool)
        if wanted:
            # Only the chosen values' documents are read, not every pair of the facet.
            starts, docs = self._by_value
            for i in wanted:
                out[docs[starts[i] : starts[i + 1]]] = True
        return out

    @cached_property
    def _by_value(self) -> tuple[np.ndarray, np.ndarray]:
        """(start of each value's documents, one more than values; the documents), built once
        per table for ``mask``."""
        order = np.argsort(self.val_idx, kind="stable")
        starts = np.searchsorted(self.val_idx[order], np.arange(len(self.values) + 1))
        # As intp: ``counts`` indexes a mask with every pair's document, and numpy converts an
        # int32 index array on every use.
        return starts, self.doc_idx[order].astype(np.intp)

    @cached_property
    def _by_document(self) -> tuple[np.ndarray, np.ndarray]:
        """(start of each document's pairs, one more than documents; the pairs' values), built
        once per table for the sparse path of ``counts``."""
        order = np.argsort(self.doc_idx, kind="stable")
        starts = np.searchsorted(self.doc_idx[order], np.arange(self.n_docs + 1))
        return starts, np.ascontiguousarray(self.val_idx[order])

    @cached_property
    def _bits(self) -> np.ndarray:
        """Each value's documents as a row of bits (uint64 words, document d at bit d), built
        once per table for ``counts``."""
        words = (self.n_docs + 63) // 64
        rows = np.zeros((len(self.values), words * 8), dtype=np.uint8)
        starts, docs = self._by_value
        for i in range(len(self.values)):
            holds = np.zeros(words * 64, dtype=bool)
            holds[docs[starts[i] : starts[i + 1]]] = True
            rows[i] = np.packbits(holds, bitorder="little")
        return rows.view(np.uint64)

    def counts(self, base: np.ndarray, packed: np.ndarray | None = None) -> dict[str, int]:
        """Value -> number of documents in ``base`` (a boolean mask) holding it; zeros left out.

        ``packed``: ``pack_bits(base)``, when the caller counts several facets under one mask.
        """
        if not len(self.doc_idx):
            return {}
        if len(self.values) <= BITSET_VALUES:
            words = packed if packed is not None else pack_bits(base)
            hits = np.bitwise_count(self._bits & words).sum(axis=1)
        elif np.count_nonzero(base) * SPARSE_BELOW < self.n_docs:
            # Few documents: gather their pairs instead of testing every pair of the facet.
            docs = np.flatnonzero(base)
            starts, values = self._by_document
            first, lengths = starts[docs], starts[docs + 1] - starts[docs]
            ends = np.cumsum(lengths)
            at = np.repeat(first - ends + lengths, lengths) + np.arange(
                int(ends[-1]) if len(ends) else 0
            )
            hits = np.bincount(values[at], minlength=len(self.values))
        else:
            # Many documents: test each value's documents (stored together) and sum per value.
            starts, docs = self._by_value
            held = np.zeros(len(docs) + 1, dtype=np.uint8)  # one more: every start is an index
            held[:-1] = base[docs]
            hits = np.add.reduceat(held, starts[:-1], dtype=np.int64)
            hits[starts[:-1] == starts[1:]] = 0  # reduceat gives a value without documents one
        nonzero = np.flatnonzero(hits)
        names = self.values
        return dict(zip([names[i] for i in nonzero.tolist()], hits[nonzero].tolist(), strict=True))


def pack_bits(base: np.ndarray) -> np.ndarray:
    """``base`` (a boolean mask over docnums) as uint64 words, document d at bit d: what a
    facet of few values ANDs with its rows (``FacetTable._bits``)."""
    words = (len(base) + 63) // 64
    packed = np.zeros(words * 8, dtype=np.uint8)
    flat = np.packbits(base, bitorder="little")
    packed[: len(flat)] = flat
    return packed.view(np.uint64)


def single_valued(table: FacetTable, default: int = -1) -> np.ndarray:
    """docnum -> value index for a facet with at most one value per document (else ``default``)."""
    out = np.full(table.n_docs, default, dtype=np.int32)
    out[table.doc_idx] = table.val_idx
    return out
