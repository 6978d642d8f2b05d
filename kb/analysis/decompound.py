"""Swedish compound splitting driven by hunspell-sv's compound flags.

A word is segmented as ``begin (middle|begin)* end`` using the lexicon's tables: at most four parts
of at least three letters, fewest parts first. Particles, lexicalised words
(kb/analysis/data/no_split.txt) and derivational heads (-full) are respected. ``compound_terms``
gives the words to index beside a compound: modifier base forms, the inflected head and, for three
or more parts, every sub-compound.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kb.analysis.lexicon import Lexicon, get_lexicon
from kb.analysis.wordlists import DERIVATIONAL_HEADS, NO_SPLIT, PARTICLES

MIN_PART = 3
MIN_WORD = 6
MAX_PARTS = 4
MAX_WORD = 60  # longer "words" are junk (URLs, hashes); splitting them only costs time
# The fallback for modifiers the dictionary forgot to flag (moln-) needs a longer word.
MIN_FALLBACK = 4


@dataclass(frozen=True)
class Part:
    """One part of a compound: ``word[start:end]``, and its base form (digitaliserings -> ...ing).

    For the head the base is the inflected surface (strategin); stemming conflates it later.
    """

    start: int
    end: int
    base: str


# handläggare protects handläggarna too: also guard the form without its final vowel.
_NO_SPLIT_FORMS = NO_SPLIT | {w[:-1] for w in NO_SPLIT if w[-1] in "ae" and len(w) > MIN_PART + 2}
_NO_SPLIT_PREFIXES = frozenset(w[:MIN_PART] for w in _NO_SPLIT_FORMS)
_MAX_NO_SPLIT = max((len(w) for w in _NO_SPLIT_FORMS), default=0)
_MAX_PROPER = 30  # longer names are compounds of names (västragötalandsregionen) anyway


def _protected_end(word: str, start: int) -> int:
    # A no-split word beginning at ``start`` may not be cut inside.
    limit = start
    if word[start : start + MIN_PART] in _NO_SPLIT_PREFIXES:
        for n in range(MIN_PART, min(_MAX_NO_SPLIT, len(word) - start) + 1):
            if word[start : start + n] in _NO_SPLIT_FORMS:
                limit = start + n
    return limit


def _proper_end(word: str, lex: Lexicon) -> int:
    # A name at the start of a word (trollhättans, skaraborgs) is not cut inside.
    limit = 0
    for n in range(MIN_PART + 1, min(_MAX_PROPER, len(word)) + 1):
        if word[:n] in lex.proper_nouns:
            limit = n
    return limit


_inner: tuple[Lexicon, dict[str, str]] | None = None


def _inner_table(lex: Lexicon) -> dict[str, str]:
    """Forms that may follow another part: middle forms, else begin forms (built once)."""
    global _inner
    if _inner is None or _inner[0] is not lex:
        _inner = (lex, {**lex.begin, **lex.middle})
    return _inner[1]


def _modifier_base(piece: str, first: bool, lex: Lexicon) -> tuple[str, int] | None:
    """(base, 1 if it took the fallback else 0) when ``piece`` may stand before another part."""
    base = lex.begin.get(piece) if first else _inner_table(lex).get(piece)
    extra = 0
    if base is None:
        if len(piece) >= MIN_FALLBACK and piece in lex.heads:
            base, extra = piece, 1
        elif piece[-1] == "s" and len(piece) > MIN_FALLBACK and piece[:-1] in lex.heads:
            base, extra = piece[:-1], 1
        else:
            return None
    if piece in PARTICLES or base in PARTICLES:
        return None
    return base, extra


def _derivational(head: str) -> bool:
    return any(head.startswith(d) and len(head) - len(d) <= 2 for d in DERIVATIONAL_HEADS)


_Cut = tuple[int, int, str]  # start, end, base


def _segment(word: str, lex: Lexicon, as_modifier: bool) -> tuple[Part, ...]:
    """The best segmentation of ``word`` into two or more parts, or ().

    Fewest parts wins, then fewest fallback modifiers, then the longest shortest part.
    """
    n = len(word)
    end, begin, heads, inner = lex.end, lex.begin, lex.heads, _inner_table(lex)
    # Where a head could begin; cutting beyond the last one is pointless.
    head_starts: set[int] | None = None
    last_cut = n - MIN_PART
    if not as_modifier:
        head_starts = {p for p in range(MIN_PART, n - MIN_PART + 1) if word[p:] in end}
        if not head_starts:
            return ()
        # + 1: a simplified triple starts the head at cut - 1
        last_cut = min(max(head_starts) + 1, n - MIN_PART)
    best_key: tuple[int, int, int] | None = None
    best: list[_Cut] = []
    proper_end = _proper_end(word, lex)

    def search(start: int, parts: list[_Cut], fallbacks: int, shortest: int) -> None:
        nonlocal best_key, best
        count = len(parts)
        if best_key is not None and count + 1 > best_key[0]:
            return
        if count and n - start >= MIN_PART:
            rest = word[start:]
            found: tuple[str, int] | None = None
            if as_modifier:
                found = _modifier_base(rest, False, lex)
            elif rest in end and rest not in PARTICLES and not _derivational(rest):
                found = (rest, 0)
            if found is not None:
                key = (count + 1, fallbacks + found[1], -min(shortest, n - start))
                if best_key is None or key < best_key:
                    best_key, best = key, [*parts, (start, n, found[0])]
        if count + 2 > MAX_PARTS:
            return
        table = begin if count == 0 else inner
        only_heads = head_starts if count + 2 == MAX_PARTS else None
        lowest = max(start + MIN_PART, _protected_end(word, start), proper_end if start == 0 else 0)
        for cut in range(lowest, last_cut + 1):
            if only_heads is not None and cut not in only_heads and cut - 1 not in only_heads:
                continue
            # _modifier_base inlined: this loop is the hot path of indexing new words.
            piece = word[start:cut]
            base = table.get(piece)
            extra = 0
            if base is None:
                if cut - start < MIN_FALLBACK:
                    continue
                if piece in heads:
                    base, extra = piece, 1
                elif piece[-1] == "s" and cut - start > MIN_FALLBACK and piece[:-1] in heads:
                    base, extra = piece[:-1], 1
                else:
                    continue
            if piece in PARTICLES or base in PARTICLES:  # upp, unders- (under)
                continue
            step = [*parts, (start, cut, base)]
            size = min(shortest, cut - start)
            search(cut, step, fallbacks + extra, size)
            # Hunspell's SIMPLIFIEDTRIPLE: fall + lucka is written fallucka. As cut <= n - 3, the
            # part after it has 4+ letters, so klubb + ben does not explain klubben.
            if word[cut - 1] == word[cut - 2] and cut - 1 - start >= MIN_PART:
                search(cut - 1, step, fallbacks + extra, size)

    search(0, [], 0, n)
    return tuple(Part(*cut) for cut in best)


def _splittable(word: str) -> bool:
    return MIN_WORD <= len(word) <= MAX_WORD and word.isalpha() and word not in NO_SPLIT


@lru_cache(maxsize=50_000)
def split(word: str) -> tuple[Part, ...]:
    """The finest useful parts of a lowercased word, or () when it is not a compound.

    Modifiers are split again (personuppgifts -> person + uppgifts); the head only when its own
    split shows a linking form (säkerhets + arbetet), so lexicalised heads such as plattform stay.
    """
    if not _splittable(word):
        return ()
    lex = get_lexicon()
    coarse = _segment(word, lex, as_modifier=False)
    if not coarse:
        return ()
    fine: list[Part] = []
    for i, part in enumerate(coarse):
        surface = word[part.start : part.end]
        is_head = i == len(coarse) - 1
        sub = _segment(surface, lex, as_modifier=not is_head) if _splittable(surface) else ()
        if sub and len(fine) + len(sub) + (len(coarse) - i - 1) <= MAX_PARTS:
            linked = any(surface[p.start : p.end] != p.base for p in sub[:-1])
            if not is_head or linked:
                fine.extend(Part(part.start + p.start, part.start + p.end, p.base) for p in sub)
                continue
        fine.append(part)
    return tuple(fine)


def head_start(word: str) -> int:
    """Where the head of a compound begins (digitaliseringsstrategin -> 15), or 0."""
    parts = split(word)
    return parts[-1].start if parts else 0


@lru_cache(maxsize=50_000)
def compound_terms(word: str) -> tuple[str, ...]:
    """The words to index beside a compound: modifier bases, the head and sub-compounds.

    informationssäkerhetsarbetet -> information, säkerhet, arbetet, informationssäkerhet,
    säkerhetsarbetet. A word that is not a compound gives ().
    """
    parts = split(word)
    if not parts:
        return ()
    terms = [p.base for p in parts]
    count = len(parts)
    for size in range(2, count):
        for i in range(count - size + 1):
            last = parts[i + size - 1]
            if i + size == count:
                terms.append(word[parts[i].start :])
            else:
                terms.append(word[parts[i].start : last.start] + last.base)
    return tuple(dict.fromkeys(t for t in terms if t != word))
