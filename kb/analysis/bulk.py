"""The Swedish index chain as whole-text functions: the postings of one field value at once.

``swedish_analyzer()`` runs a Whoosh token stream (tokeniser -> normalise -> stop words -> terms)
with one Python generator step per token and filter. Indexing needs only the result: each term
with its positions (``text_positions``) or each surface word with its count
(``surface_counts``). Both take the tokens with one ``findall`` and look every token up in one
bounded cache of token -> output terms, because normalising, stemming, decompounding and folding
are pure functions of the token. The output equals the token stream's exactly, positions
included (tests/test_analysis_bulk.py compares them), so kb.index.textfield can use these
functions for the same field on any path, incremental or bulk.
"""

from __future__ import annotations

from functools import lru_cache

from kb.analysis.analyzer import TOKEN_PATTERN, index_outputs, is_stop, normalize

__all__ = ["surface_counts", "text_positions", "token_terms"]

# Each entry is a token's text plus a small tuple of strings: about 300 bytes, 60 MB at most.
TOKEN_CACHE_SIZE = 200_000

_DROPPED: tuple[str, ...] | None = None  # the token normalises to nothing: no position at all


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def token_terms(token: str) -> tuple[str, ...] | None:
    """The index terms of one surface token: ``()`` for a stop word (it keeps a position only
    before the first indexed word), None when it normalises to nothing (SvNormalizeFilter drops
    it; it still counts for the tokeniser's position)."""
    word = normalize(token)
    if not word:
        return _DROPPED
    if is_stop(word):
        return ()
    return index_outputs(word)


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _surface(token: str) -> str:
    """The normalised, indexed form of a surface token for the spelling field ("" if none)."""
    word = normalize(token)
    return "" if not word or is_stop(word) else word


def text_positions(text: str) -> dict[str, list[int]]:
    """Each index term of ``text`` with its positions, in first-seen order.

    Positions follow SvStopFilter: the first indexed word keeps its tokeniser position (stop
    words and dropped tokens before it count), every later indexed word is one more than the
    previous, so phrases skip stop words. All terms of one word share its position.
    """
    out: dict[str, list[int]] = {}
    pos = -1
    started = False
    for index, token in enumerate(TOKEN_PATTERN.findall(text)):
        terms = token_terms(token)
        if not terms:
            continue
        if started:
            pos += 1
        else:
            pos, started = index, True
        for term in terms:
            found = out.get(term)
            if found is None:
                out[term] = [pos]
            else:
                found.append(pos)
    return out


def surface_counts(text: str) -> dict[str, int]:
    """Each indexed surface word of ``text`` (normalised, stop words dropped) with its count."""
    out: dict[str, int] = {}
    for token in TOKEN_PATTERN.findall(text):
        word = _surface(token)
        if word:
            out[word] = out.get(word, 0) + 1
    return out
