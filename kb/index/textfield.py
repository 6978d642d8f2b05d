"""The text field type of the index: Whoosh's TEXT, indexing the Swedish chain in one pass.

Whoosh's ``TEXT.index`` runs the analyzer's token stream for every value, one generator step per
token and filter, then encodes every term's postings. ``SvText.index`` gives the same
(term, frequency, weight, encoded value) tuples from kb.analysis.bulk, which analyses each
distinct token once (a bounded cache) and groups positions with plain dicts: the same bytes in the
index, several times faster (docs/benchmarks.md, "Index build"). Any other analyzer (the
benchmarks' plain one) or any keyword argument takes Whoosh's own path.

Whoosh pickles the field class into every index under this module path: keep the class here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import fields, formats
from whoosh.system import pack_uint

from kb.analysis.analyzer import SvNormalizeFilter, SvStopFilter, SvTermsFilter, SvTokenizer
from kb.analysis.bulk import surface_counts, text_positions
from kb.index.codec import VarintPositions, encode_positions

_INDEX_CHAIN = (SvTokenizer, SvNormalizeFilter, SvStopFilter, SvTermsFilter)
_SPELL_CHAIN = (SvTokenizer, SvNormalizeFilter, SvStopFilter)

Posting = tuple[bytes, int, float, bytes]


def _chain(analyzer: Any) -> tuple[type, ...]:
    items = getattr(analyzer, "items", None)
    return tuple(type(x) for x in items) if items else ()


class SvText(fields.TEXT):
    """A TEXT field whose indexing takes the one-pass path for the Swedish chains; with
    ``phrase`` its positions are varints (kb.index.codec.VarintPositions)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        fmt: Any = getattr(self, "format", None)
        if type(fmt) is formats.Positions:
            self.format = VarintPositions(field_boost=fmt.field_boost)

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:
        if kwargs or not isinstance(value, str):
            return super().index(value, **kwargs)
        fmt = self.format
        chain = _chain(self.analyzer)
        boost = fmt.field_boost
        if chain == _INDEX_CHAIN and type(fmt) is VarintPositions:
            return iter(
                [
                    (term.encode("utf-8"), len(poses), len(poses) * boost, encode_positions(poses))
                    for term, poses in text_positions(value).items()
                ]
            )
        if chain == _INDEX_CHAIN and type(fmt) is formats.Frequency:  # headings, lead
            return iter(
                [
                    (term.encode("utf-8"), len(poses), len(poses) * boost, pack_uint(len(poses)))
                    for term, poses in text_positions(value).items()
                ]
            )
        if chain == _SPELL_CHAIN and type(fmt) is formats.Frequency:
            return iter(
                [
                    (word.encode("utf-8"), count, count * boost, pack_uint(count))
                    for word, count in surface_counts(value).items()
                ]
            )
        if chain == _SPELL_CHAIN and type(fmt) is formats.Existence:
            return iter([(word.encode("utf-8"), 1, boost, b"") for word in surface_counts(value)])
        return super().index(value, **kwargs)


class SvWords(SvText):
    """A field that records only which documents hold each word: no frequencies, positions or
    lengths. The spelling field needs no more (a word's document frequency, kb.search.spelling)."""

    def __init__(self, analyzer: Any) -> None:
        super().__init__(analyzer=analyzer, phrase=False)
        self.format = formats.Existence(field_boost=1.0)
        self.scorable = False
