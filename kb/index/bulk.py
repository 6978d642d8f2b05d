"""Bulk segment writing for rebuilds: postings grouped per term in memory, written straight out.

Whoosh's SegmentWriter puts every posting (one tuple per term per document) into an external
sort pool that pickles runs to temporary files once ``limitmb`` is reached, merges them back at
commit and then looks each posting's field length up in a column. A rebuild adds documents in
order, so postings are already sorted by document within a term: ``BulkWriter`` appends them to
one list per (field, term) and, at commit, sorts only the distinct terms and hands each term's
postings to the codec (kb.index.codec) block by block, with field lengths kept in memory. The
files are byte-for-byte what SegmentWriter writes for the same documents
(tests/test_index_bulk.py), so searching and incremental writes see no difference.

Memory grows with the postings of one segment; kb.index.fullbuild therefore starts a new segment
every ``segment_docs`` documents.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3PostingsWriter, W3TermInfo
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from kb.index.codec import KbCodec, KbPostingsWriter, block_bytes

# (document numbers, weights, encoded values) of one term, in document order.
_TermPostings = tuple[array, array, list[bytes]]


class BulkWriter(SegmentWriter):
    """A SegmentWriter for adding many documents to a new segment (no updates, no deletes)."""

    def __init__(self, ix: Any, lock: bool = True) -> None:
        # lock=False: several bulk writers fill segments of one build at once and the builder
        # commits them together (kb.index.fullbuild); the build folder is not live yet.
        super().__init__(ix, _lk=lock, limitmb=1, compound=False, codec=KbCodec())
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"BulkWriter does not write vectors or spelling ({name})")
        self._terms: dict[str, dict[bytes, _TermPostings]] = {}
        self._lengths: dict[str, array] = {}

    def add_document(self, **fields: Any) -> None:
        """Add one document (the same fields as ``SegmentWriter.add_document``, no boosts)."""
        self._check_state()
        if any(name.startswith("_") for name in fields):
            raise ValueError("BulkWriter takes no boosts or custom stored values")
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        names = sorted(fields)
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    terms = self._terms.get(name)
                    if terms is None:
                        terms = self._terms[name] = {}
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        entry = terms.get(tbytes)
                        if entry is None:
                            entry = terms[tbytes] = (array("I"), array("f"), [])
                        entry[0].append(docnum)
                        entry[1].append(weight)
                        entry[2].append(vbytes)
                if length:
                    lengths = self._lengths.get(name)
                    if lengths is None:
                        lengths = self._lengths[name] = array("I")
                    if len(lengths) < docnum:
                        lengths.extend([0] * (docnum - len(lengths)))
                    lengths.append(byte_to_length(length_to_byte(length)))
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_documents(self, documents: Iterable[dict[str, Any]]) -> int:
        """Add each field dict of ``documents``; returns how many."""
        count = 0
        for fields in documents:
            self.add_document(**fields)
            count += 1
        return count

    def finish_segment(self) -> Segment:
        """Write the segment's files and close the writer; the caller lists it in a TOC."""
        segment = self._finalize_segment()
        self._finish()
        return segment

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        for name in sorted(self._terms):
            terms = self._terms[name]
            if not terms:
                continue
            lengths = self._lengths.get(name, array("I"))
            fw.start_field(name, self.schema[name])
            pw = fw._postwriter
            fast = isinstance(pw, KbPostingsWriter)
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                if fast and len(postings[0]) <= pw._blocklimit:
                    _write_one_block_term(fw, tbytes, postings, lengths)
                    continue
                fw.start_term(tbytes)
                _write_term(pw, postings, lengths)
                fw.finish_term()
            fw.finish_field()
            del self._terms[name]  # free each field's postings as soon as they are written
        fw.close()


def _write_one_block_term(fw: Any, tbytes: bytes, postings: _TermPostings, lengths: array) -> None:
    """What ``start_term``, ``_write_term`` and ``finish_term`` write for a term whose postings
    fit in one block, without the writer objects' per-term bookkeeping (most terms are rare:
    this was half of a build's commit)."""
    ids, weights, values = postings
    nlengths = len(lengths)
    lens = [lengths[d] for d in ids if d < nlengths and lengths[d]]
    minlength = min(lens) if lens else None
    maxlength = max(lens) if lens else 0
    maxweight = max(0, max(weights))
    postfile = fw._postfile
    offset = postfile.tell()
    fixedsize = fw._format.fixed_value_size()
    compression = fw._postwriter._compression
    postfile.write(
        block_bytes(
            ids,
            weights,
            [v for v in values if v],
            fixedsize,
            compression,
            maxweight,
            minlength,
            maxlength,
            True,
        )
    )
    info = W3TermInfo(
        weight=0 + sum(weights),
        df=len(ids),
        minlength=minlength,
        maxlength=max(0, maxlength),
        maxweight=max(0, maxweight),
        minid=ids[0],
        maxid=ids[-1],
    )
    info.set_extent(offset, postfile.tell() - offset)
    fw._tindex.add(pack_ushort(fw._fieldid) + tbytes, info.to_bytes())


def _write_term(pw: W3PostingsWriter, postings: _TermPostings, lengths: array) -> None:
    """Fill ``pw`` block by block as ``add_posting`` would; the caller's finish_term writes the
    last block (or inlines it)."""
    ids, weights, values = postings
    n = len(ids)
    limit = pw._blocklimit
    nlengths = len(lengths)
    for start in range(0, n, limit):
        end = min(start + limit, n)
        if start:
            pw._write_block()
            pw._new_block()
        block_ids = ids[start:end]
        block_weights = weights[start:end]
        pw._ids = block_ids
        pw._weights = block_weights
        pw._values = [v for v in values[start:end] if v]
        pw._maxweight = max(0, max(block_weights))
        lens = [lengths[d] for d in block_ids if d < nlengths and lengths[d]]
        pw._minlength = min(lens) if lens else None
        pw._maxlength = max(lens) if lens else 0
