"""Snippets: the passage of a document that best shows why it matched, escaped, words marked.

Every character taken from the document is HTML-escaped; the only markup added is ``<mark>``.
To cost microseconds rather than milliseconds on long documents, nothing is done to the whole
text per hit: the stored text is decompressed only as far as the first candidate places, which
``str.find`` locates (in C, for each term start as written in lower case, capitalised and in
capitals, with and without å/ä/ö; stems are prefixes of the words they come from, compound parts
are substrings), and only windows around those places
are tokenised and checked with the index analyzer.
"""

from __future__ import annotations

import bisect
import codecs
import html
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from kb.index.record import PAGE_BREAK
from kb.lead_text import good_lead, lead_text

WINDOW = 240  # characters of context in a snippet
MAX_CANDIDATES = 60
MAX_WINDOWS = 3  # passages tokenised per hit at most (the ones with most distinct terms)
CHUNK = 32 * 1024  # characters decompressed at a time
PROBE_LEN = 6  # characters of a term searched for
_SPACE = re.compile(r"\s+")
# Compatibility characters common in extracted text that never stand inside a word (no-break and
# thin spaces, the ellipsis): NFKC changes them, but not the words tokenised around them.
_SPACELIKE = str.maketrans(
    dict.fromkeys(
        "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u2026\u3000", " "
    )
)


@dataclass(frozen=True)
class Snippet:
    html: str
    page: int | None


def _fold(text: str) -> str:
    # Same length as the input: one character in, one out (å -> a, é -> e), so offsets agree.
    return "".join(unicodedata.normalize("NFKD", c)[0] if ord(c) > 127 else c for c in text.lower())


def snippet_from_compressed(
    blob: bytes,
    page_numbers: list[int],
    query_terms: Iterable[str],
    tokenize: Callable[[str], list[tuple[str, int, int]]],
    index_terms: Callable[[str], frozenset[str]],
    fallback: str = "",
    key_patterns: Callable[[frozenset[str]], tuple[re.Pattern[str], ...]] | None = None,
) -> Snippet:
    """The best passage of the zlib-compressed page texts ``blob`` (joined by PAGE_BREAK).

    Decompresses only as far as the first ``MAX_CANDIDATES * 4`` candidate places (and a window
    beyond), so the cost does not grow with the length of the document. ``key_patterns(terms)``
    (kb.analysis.termkeys) match inside every word that can produce one of ``terms``; with them
    only the words they match in are tokenised and analysed, with the same marks.
    """
    terms = frozenset(t for t in query_terms if t)
    probes = _probes(terms) if terms else None
    text, found, more = _read_candidates(blob, probes)
    if probes and found:
        best = _best_window(text, found, terms, tokenize, index_terms, key_patterns)
        if best is not None:
            start, end, marks = best
            page = _page_of(text, min(marks)[0], page_numbers)
            return Snippet(_render(text, start, end, marks, more), page)
    # No match to show: the lead, never page furniture or half a sentence (kb.lead_text).
    if good_lead(fallback):
        return Snippet(_render(fallback, 0, min(len(fallback), WINDOW), []), None)
    lead = lead_text(text, WINDOW)
    cont = not lead.endswith("…") and (more or _longer_than(text, len(lead)))
    return Snippet(_render(lead, 0, len(lead), [], cont), None)


def _longer_than(text: str, size: int) -> bool:
    """Whether ``text`` with its whitespace tidied has more than ``size`` characters: tidying a
    prefix never gives more characters than tidying the whole, so a prefix usually answers."""
    head = text[: 4 * size + 64]
    if len(" ".join(head.split())) > size:
        return True
    return len(head) < len(text) and len(" ".join(text.split())) > size


def _read_candidates(
    blob: bytes, probes: tuple[tuple[str, int], ...] | None
) -> tuple[str, dict[int, int], bool]:
    """Decompressed text so far, candidate offsets with their probe group, and whether text
    remains.

    Stops at the end, or once every probe group has been found (or there are enough
    candidates) and the text reaches a window beyond the last one.
    """
    inflate = zlib.decompressobj()
    decode = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = blob
    text = ""
    found: dict[int, int] = {}
    groups = {g for _, g in probes} if probes else set()
    seen: set[int] = set()
    scanned = 0
    while True:
        raw = inflate.decompress(pending, CHUNK)
        pending = inflate.unconsumed_tail
        done = not pending
        if done:
            raw += inflate.flush()
        text += decode.decode(raw, final=done)
        if not probes:
            if len(text) >= WINDOW or done:
                return text, {}, not done
            continue
        # Overlap the previous scan so a match across the chunk border is not lost.
        start = max(0, scanned - PROBE_LEN)
        for probe, group in probes:
            pos = text.find(probe, start)
            while pos != -1 and len(found) < MAX_CANDIDATES * 4:
                found.setdefault(pos, group)
                seen.add(group)
                pos = text.find(probe, pos + 1)
        scanned = len(text)
        enough = bool(found) and (len(found) >= MAX_CANDIDATES * 4 or seen >= groups)
        if done or (enough and len(text) - max(found) > WINDOW):
            return text, found, not done


@lru_cache(maxsize=2048)
def _probes(terms: frozenset[str]) -> tuple[tuple[str, int], ...]:
    """What to look for, with a group number per term start: the first letters of every term
    and of its last part, in lower case, capitalised and in capitals, with and without å/ä/ö.
    ``str.find`` runs in C, so the text itself is never case-folded."""
    base = sorted({t.split("-")[-1][:PROBE_LEN] for t in terms} | {t[:PROBE_LEN] for t in terms})
    out: dict[str, int] = {}
    for group, probe in enumerate(p for p in base if len(p) >= 2):
        for variant in (probe, _fold(probe)):
            for cased in (variant, variant.capitalize(), variant.upper()):
                out.setdefault(cased, group)
    return tuple(out.items())


def _best_window(
    text: str,
    found: dict[int, int],
    terms: frozenset[str],
    tokenize: Callable[[str], list[tuple[str, int, int]]],
    index_terms: Callable[[str], frozenset[str]],
    key_patterns: Callable[[frozenset[str]], tuple[re.Pattern[str], ...]] | None = None,
) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The window with most distinct query terms: candidate windows are ranked by the distinct
    probe groups they contain (no tokenising), and only the best ``MAX_WINDOWS`` are tokenised
    and checked with the analyzer."""
    if not found:
        return None
    keys = key_patterns(terms) if key_patterns is not None else None
    starts = sorted(found)
    ranked: list[tuple[int, int, int]] = []
    for i, pos in enumerate(starts):
        lo = max(0, pos - WINDOW // 3)
        hi = min(len(text), lo + WINDOW)
        j = bisect.bisect_left(starts, hi, lo=i)
        k = bisect.bisect_left(starts, lo, hi=i)
        distinct = len({found[p] for p in starts[k:j]})
        ranked.append((-distinct, pos, lo))
    ranked.sort()
    most = ranked[0][0]
    best: tuple[int, int, int, list[tuple[int, int]]] | None = None
    for distinct, _, lo in ranked[:MAX_WINDOWS]:
        if best is not None and distinct > most:
            break  # fewer distinct terms than a window already checked
        hi = min(len(text), lo + WINDOW)
        marks: list[tuple[int, int]] = []
        seen: set[str] = set()
        for token, s, e in _words(text[lo:hi], tokenize, keys):
            hit = index_terms(token) & terms
            if hit:
                marks.append((lo + s, lo + e))
                seen |= hit
        if marks and (best is None or (len(seen), len(marks)) > (best[0], len(best[3]))):
            best = (len(seen), lo, hi, marks)
            if len(seen) == len(terms):
                break
    if best is None:
        return None
    _, lo, hi, marks = best
    return (*_snap_to_words(text, lo, hi), marks)


def _words(
    window: str,
    tokenize: Callable[[str], list[tuple[str, int, int]]],
    keys: tuple[re.Pattern[str], ...] | None,
) -> list[tuple[str, int, int]]:
    """The words of ``window`` that can produce a query term: those a pattern of ``keys``
    matches in (all words without patterns). The patterns run over the lower-cased window when
    its words are NFKC-normal and lower-casing keeps its length (so offsets there are offsets in
    ``window``), else over each normalised word."""
    if keys is None:
        return tokenize(window)
    lower = window.lower()
    if len(lower) != len(window) or not _words_normal(window):
        # Offsets in ``lower`` are not those of the words: check each normalised word instead.
        return [w for w in tokenize(window) if any(key.search(w[0]) for key in keys)]
    spans = sorted([m.span() for key in keys for m in key.finditer(lower)])
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(spans):
        # No word holds a space, so tokenising from the space before a match to the space after
        # it gives the very words (and offsets) tokenising the whole window would there.
        start = window.rfind(" ", 0, spans[i][0]) + 1
        stop = window.find(" ", spans[i][1])
        stop = len(window) if stop == -1 else stop
        j = i
        while j < len(spans) and spans[j][0] < stop:
            j += 1
        for token, s, e in tokenize(window[start:stop]):
            if any(s + start < q and e + start > p for p, q in spans[i:j]):
                out.append((token, s + start, e + start))
        i = j
    return out


def _words_normal(window: str) -> bool:
    """Whether every word of ``window`` is as NFKC leaves it, as the index's normalisation
    needs for a key found in the raw text to be one found in the word."""
    if unicodedata.is_normalized("NFKC", window):
        return True
    return unicodedata.is_normalized("NFKC", window.translate(_SPACELIKE))


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


def _render(
    text: str, start: int, end: int, marks: list[tuple[int, int]], more: bool = False
) -> str:
    parts: list[str] = ["… " if start > 0 else ""]
    pos = start
    for s, e in sorted(marks):
        if s < pos or e > end:
            continue
        parts.append(_clean(text[pos:s]))
        parts.append(f"<mark>{_clean(text[s:e])}</mark>")
        pos = e
    parts.append(_clean(text[pos:end]))
    if end < len(text) or more:
        parts.append(" …")
    return "".join(parts)


def _clean(text: str) -> str:
    return html.escape(_SPACE.sub(" ", text))
