"""Snippets: the passage of a document that best shows why it matched, escaped, words marked.

Every character taken from the document is HTML-escaped; the only markup added is ``<mark>``.
To stay fast on long documents, candidate places are found by plain substring search for the
query terms (stems are prefixes of the words they come from, compound parts are substrings),
and only windows around them are tokenised and checked with the index analyzer.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kb.index.record import PAGE_BREAK

WINDOW = 240  # characters of context in a snippet
MAX_CANDIDATES = 60
MAX_WINDOWS = 12  # passages tokenised per hit at most
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    html: str
    page: int | None


def _fold(text: str) -> str:
    # Same length as the input: one character in, one out (å -> a, é -> e), so offsets agree.
    return "".join(unicodedata.normalize("NFKD", c)[0] if ord(c) > 127 else c for c in text.lower())


def make_snippet(
    pages: list[str],
    page_numbers: list[int],
    query_terms: Iterable[str],
    tokenize: Callable[[str], list[tuple[str, int, int]]],
    index_terms: Callable[[str], frozenset[str]],
    fallback: str = "",
) -> Snippet:
    """The best passage for ``query_terms`` in ``pages``.

    Args:
        pages: page texts; page_numbers: their numbers (for ``#page=N`` links).
        query_terms: the query's index terms (positive words only).
        tokenize: (token, start, end) with the index tokenizer.
        index_terms: all index terms of one surface token.
        fallback: text shown when nothing matches (the summary); the first words otherwise.
    """
    terms = {t for t in query_terms if t}
    text = PAGE_BREAK.join(pages)
    if terms and text:
        best = _best_window(text, terms, tokenize, index_terms)
        if best is not None:
            start, end, marks = best
            page = _page_of(text, min(marks)[0], page_numbers)
            return Snippet(_render(text, start, end, marks), page)
    lead = fallback or text
    return Snippet(_render(lead, 0, min(len(lead), WINDOW), []), None)


def _best_window(
    text: str,
    terms: set[str],
    tokenize: Callable[[str], list[tuple[str, int, int]]],
    index_terms: Callable[[str], frozenset[str]],
) -> tuple[int, int, list[tuple[int, int]]] | None:
    lowered = text.lower()
    folded = _fold(text)
    probes = {t.split("-")[-1][:6] for t in terms if t} | {t[:6] for t in terms}
    starts: set[int] = set()
    for probe in probes:
        if len(probe) < 2:
            continue
        for hay in (lowered, folded):
            pos = hay.find(probe)
            while pos != -1 and len(starts) < MAX_CANDIDATES * 4:
                starts.add(pos)
                pos = hay.find(probe, pos + 1)
    if not starts:
        return None
    best: tuple[int, int, int, list[tuple[int, int]]] | None = None
    checked_upto = -1
    windows = 0
    for pos in sorted(starts)[: MAX_CANDIDATES * 4]:
        if pos < checked_upto:
            continue
        windows += 1
        if windows > MAX_WINDOWS and best is not None:
            break  # a good enough passage: long documents must not cost more per hit
        lo = max(0, pos - WINDOW // 3)
        hi = min(len(text), lo + WINDOW)
        marks: list[tuple[int, int]] = []
        seen: set[str] = set()
        for token, s, e in tokenize(text[lo:hi]):
            hit = index_terms(token) & terms
            if hit:
                marks.append((lo + s, lo + e))
                seen |= hit
        checked_upto = hi - WINDOW // 3
        if marks and (best is None or (len(seen), len(marks)) > (best[0], len(best[3]))):
            best = (len(seen), lo, hi, marks)
            if len(seen) == len(terms):
                break
    if best is None:
        return None
    _, lo, hi, marks = best
    return (*_snap_to_words(text, lo, hi), marks)


def _snap_to_words(text: str, lo: int, hi: int) -> tuple[int, int]:
    if lo > 0:
        space = text.find(" ", lo, lo + 30)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", hi - 30, hi)
        hi = space if space != -1 else hi
    return lo, hi


def _page_of(text: str, offset: int, page_numbers: list[int]) -> int | None:
    if len(page_numbers) <= 1:
        return page_numbers[0] if page_numbers and page_numbers[0] > 1 else None
    index = text.count(PAGE_BREAK, 0, offset)
    return page_numbers[min(index, len(page_numbers) - 1)]


def _render(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    parts: list[str] = ["… " if start > 0 else ""]
    pos = start
    for s, e in sorted(marks):
        if s < pos or e > end:
            continue
        parts.append(_clean(text[pos:s]))
        parts.append(f"<mark>{_clean(text[s:e])}</mark>")
        pos = e
    parts.append(_clean(text[pos:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts)


def _clean(text: str) -> str:
    return html.escape(_SPACE.sub(" ", text))
