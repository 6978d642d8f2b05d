"""Swedish compound splitting driven by hunspell-sv's compound flags.

A word is segmented as ``begin (middle|begin)* end`` using the lexicon's tables: at most four parts
of at least three letters, fewest parts first. Particles, lexicalised words (kb/data/no_split.txt)
and derivational heads (-full) are respected. ``compound_terms`` gives the words to index beside a
compound: modifier base forms, the inflected head and, for three or more parts, every sub-compound.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kb.lexicon import Lexicon, get_lexicon
from kb.wordlists import DERIVATIONAL_HEADS, NO_SPLIT, PARTICLES

MIN_PART = 3
MIN_WORD = 6
MAX_PARTS = 4
MAX_WORD = 60  # longer "words" are junk (URLs, hashes); splitting them only costs time
# The fallback for modifiers the dictionary forgot to flag (moln-) needs a longer word.
MIN_FALLBACK = 4
_MAX_NO_SPLIT = max((len(w) for w in NO_SPLIT), default=0)


@dataclass(frozen=True)
class Part:
    """One part of a compound: ``word[start:end]``, and its base form (digitaliserings -> ...ing).

    For the head the base is the inflected surface (strategin); stemming conflates it later.
    """

    start: int
    end: int
    base: str


def _protected_end(word: str, start: int) -> int:
    # A no-split word beginning at ``start`` may not be cut inside.
    limit = start
    for n in range(MIN_PART, min(_MAX_NO_SPLIT, len(word) - start) + 1):
        if word[start : start + n] in NO_SPLIT:
            limit = start + n
    return limit


def _modifier_base(piece: str, first: bool, lex: Lexicon) -> tuple[str, int] | None:
    """(base, fallback count) when ``piece`` may stand before another part, else None."""
    if piece in PARTICLES:
        return None
    base = lex.begin.get(piece) if first else (lex.middle.get(piece) or lex.begin.get(piece))
    if base is not None:
        return base, 0
    if len(piece) >= MIN_FALLBACK and piece in lex.heads:
        return piece, 1
    if piece[-1] == "s" and len(piece) > MIN_FALLBACK and piece[:-1] in lex.heads:
        return piece[:-1], 1
    return None


def _derivational(head: str) -> bool:
    return any(head.startswith(d) and len(head) - len(d) <= 2 for d in DERIVATIONAL_HEADS)


def _segment(word: str, lex: Lexicon, as_modifier: bool) -> tuple[Part, ...]:
    """The best segmentation of ``word`` into two or more parts, or ()."""
    n = len(word)
    best: tuple[tuple[int, int, int], tuple[Part, ...]] | None = None

    def consider(parts: list[Part], fallbacks: int) -> None:
        nonlocal best
        shortest = min(p.end - p.start for p in parts)
        key = (len(parts), fallbacks, -shortest)
        if best is None or key < best[0]:
            best = (key, tuple(parts))

    def search(start: int, parts: list[Part], fallbacks: int) -> None:
        if best is not None and len(parts) + 1 > best[0][0]:
            return
        rest = word[start:]
        if parts and len(rest) >= MIN_PART:
            if as_modifier:
                found = _modifier_base(rest, False, lex)
                if found is not None:
                    consider([*parts, Part(start, n, found[0])], fallbacks + found[1])
            elif rest in lex.end and rest not in PARTICLES and not _derivational(rest):
                consider([*parts, Part(start, n, rest)], fallbacks)
        if len(parts) + 2 > MAX_PARTS:
            return
        for cut in range(max(start + MIN_PART, _protected_end(word, start)), n - MIN_PART + 1):
            found = _modifier_base(word[start:cut], not parts, lex)
            if found is None:
                continue
            step = [*parts, Part(start, cut, found[0])]
            search(cut, step, fallbacks + found[1])
            # Hunspell's SIMPLIFIEDTRIPLE: fall + lucka is written fallucka.
            if word[cut - 1] == word[cut - 2] and cut - 1 - start >= MIN_PART:
                search(cut - 1, step, fallbacks + found[1])

    search(0, [], 0)
    return best[1] if best is not None else ()


def _splittable(word: str) -> bool:
    return MIN_WORD <= len(word) <= MAX_WORD and word.isalpha() and word not in NO_SPLIT


@lru_cache(maxsize=100_000)
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
            linked = any(word[p.start : p.end] != p.base for p in sub[:-1])
            if not is_head or linked:
                fine.extend(Part(part.start + p.start, part.start + p.end, p.base) for p in sub)
                continue
        fine.append(part)
    return tuple(fine)


def head_start(word: str) -> int:
    """Where the head of a compound begins (digitaliseringsstrategin -> 15), or 0."""
    parts = split(word)
    return parts[-1].start if parts else 0


@lru_cache(maxsize=100_000)
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
