"""The candidate table of the spelling suggestion ("Menade du ...?"), one per index generation.

Walking Whoosh's Levenshtein automaton over the ``spell`` field cost 35–70 ms CPU per unknown
query word at 100,000 documents. This table answers the same question from memory in well under a
millisecond: a symmetric-delete index (SymSpell) over the field's words, built once per generation
from the term list alone (no postings, ~0.5 s CPU and ~10 MB at 100,000 documents).

Words are compared folded the Swedish way (kb.analysis.lexicon.fold: å/ä -> a, ö -> o), so
"valfardsteknik" finds "välfärdsteknik", and with the optimal-string-alignment distance, so a swap
of two neighbouring letters ("digitalsiering") is one edit. Every word within ``maxdist`` folded
edits that starts with the same folded letter is a candidate: all the old automaton found (it
needed the same raw first letter and counted a swap as two edits) and the folded spellings too.

Each word is keyed by its folded first letter plus every string left after deleting up to
``MAX_EDITS`` letters from the next ``PREFIX_CHARS - 1`` (SymSpell's prefix bound: a typo later
in a long word leaves the prefix as it was; the distance is then checked on the whole word). Keys
are kept as 64-bit hashes in a sorted numpy array beside the word numbers, so the table is three
arrays rather than millions of Python strings.
"""

from __future__ import annotations

import threading
from array import array
from itertools import combinations

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.lexicon import fold

MAX_EDITS = 2
PREFIX_CHARS = 7
MIN_CHARS = 3
# Longer "words" are URLs, hashes and glued text: nobody means them.
MAX_CHARS = 40


def _deletes(key: str, edits: int) -> set[str]:
    """``key``'s first letter followed by each string left after deleting up to ``edits`` letters
    from the rest of its first ``PREFIX_CHARS`` letters."""
    head, rest = key[:1], key[1:PREFIX_CHARS]
    out = {head + rest}
    for n in range(1, min(edits, len(rest)) + 1):
        for gone in combinations(range(len(rest)), n):
            out.add(head + "".join(c for i, c in enumerate(rest) if i not in gone))
    return out


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance of ``a`` and ``b`` (insert, delete, substitute, swap of
    neighbours), or ``limit + 1`` once it is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, before[j - 2] + 1)
            cur.append(d)
        if min(cur) > limit:
            return limit + 1
        before, prev = prev, cur
    return prev[-1]


class SpellTable:
    """The words of one generation's ``spell`` field and their symmetric-delete keys."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.folded = [fold(w) for w in words]
        # Packed arrays, not lists: a list of 1.3 million Python ints peaks at ~50 MB more.
        hashes = array("q")
        ids = array("i")
        for i, key in enumerate(self.folded):
            deletes = _deletes(key, MAX_EDITS)
            hashes.extend(map(hash, deletes))
            ids.extend([i] * len(deletes))
        keys = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._ids = np.frombuffer(ids, dtype=np.int32)[order]

    @classmethod
    def build(cls, searcher: Searcher, field: str) -> SpellTable:
        """The table of the words of ``field`` in ``searcher``'s generation (digits left out)."""
        words = []
        for raw in searcher.reader().lexicon(field):
            word = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            if MIN_CHARS <= len(word) <= MAX_CHARS and not any(c.isdigit() for c in word):
                words.append(word)
        return cls(words)

    @property
    def nbytes(self) -> int:
        """Bytes of the key arrays (the word lists come on top: ~100 bytes a word)."""
        return int(self._keys.nbytes + self._ids.nbytes)

    def candidates(self, word: str, maxdist: int) -> list[tuple[str, float]]:
        """Words within ``maxdist`` folded edits of ``word`` with the same folded first letter,
        each with its distance: folded edits, plus a quarter for each å/ä/ö (or other accent)
        typed differently, so "valfardsteknik" is nearer to "välfärdsteknik" than any real typo."""
        key = fold(word)
        if not key:
            return []
        hashed = np.array([hash(d) for d in _deletes(key, maxdist)], dtype=np.int64)
        lo = np.searchsorted(self._keys, hashed, "left")
        hi = np.searchsorted(self._keys, hashed, "right")
        if not int((hi - lo).sum()):
            return []
        found = np.unique(
            np.concatenate([self._ids[a:b] for a, b in zip(lo, hi, strict=True) if b > a])
        )
        out = []
        for i in found.tolist():
            folded = self.folded[i]
            dist = osa_distance(key, folded, maxdist)
            if dist > maxdist:
                continue
            term = self.words[i]
            accents = osa_distance(word, term, maxdist + 2) - dist if term != word else 0
            out.append((term, dist + 0.25 * max(0, accents)))
        return out


_tables: dict[tuple[tuple[str, int], str], SpellTable] = {}
_lock = threading.Lock()


def spell_table(searcher: Searcher, generation: tuple[str, int], field: str) -> SpellTable:
    """The table of ``generation`` (built on first use; the two newest generations kept)."""
    key = (generation, field)
    table = _tables.get(key)
    if table is not None:
        return table
    with _lock:  # one build at a time; a caller that waited reuses it
        table = _tables.get(key)
        if table is None:
            table = SpellTable.build(searcher, field)
            # The previous generation's is kept too: a request still on it must not rebuild it.
            while len(_tables) > 1:
                _tables.pop(next(iter(_tables)))
            _tables[key] = table
        return table
