"""Segment files read through a memory map: Whoosh's ``StructFile`` with reads as slices.

Whoosh reads a term's row from the term dictionary by probing its hash table: about six small
reads per lookup, each a ``seek`` and a ``read`` through two Python wrappers and a system call,
and a word absent from a field (most words are absent from the title, headings and lead) probes
longer. At 100,000 documents that was about 0.1 ms per lookup and sixteen lookups per new query
word (four fields, four segments) before any posting was read. ``MappedFile`` answers the same
calls from a read-only memory map: ``get`` is one slice. The bytes are the same, so every reader
behaves the same; the mapped pages belong to the page cache, shared by all processes.

Used by kb.index.codec.KbCodec for the term dictionary, the postings and the columns (stored
fields, page texts, lengths) of each segment. Owns no format: must not import kb.search.
"""

from __future__ import annotations

import mmap
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.filedb.structfile import StructFile


class MappedFile(StructFile):
    """A read-only ``StructFile`` over a memory map of a whole file."""

    def __init__(self, mapped: mmap.mmap, name: str | None = None) -> None:
        super().__init__(mapped, name=name)
        self._map = mapped
        self.is_real = False  # no fileno-based array reads: they would bypass the map's position

    def get(self, position: int, length: int) -> bytes:
        return self._map[position : position + length]


def open_mapped(storage: Any, name: str) -> Any:
    """``storage.open_file(name)``, memory-mapped when it is a plain non-empty file on disk
    (otherwise the file Whoosh would have opened)."""
    opened = storage.open_file(name)
    raw = getattr(opened, "file", None)
    fileno = getattr(raw, "fileno", None)
    if fileno is None or not getattr(opened, "is_real", False):
        return opened
    try:
        mapped = mmap.mmap(fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # an empty file cannot be mapped
        return opened
    opened.close()  # the map keeps its own reference to the file
    return MappedFile(mapped, name=name)


class MappedPerDocReader(W3PerDocReader):
    """Whoosh's per-document reader (stored fields and columns) over memory-mapped column files."""

    def _get_column_file(self, fieldname: str) -> tuple[Any, int, int]:
        filename = W3Codec.column_filename(self._segment, fieldname)
        return open_mapped(self._storage, filename), 0, self._storage.file_length(filename)
