"""Keyword matching for enrichment: the shared tokeniser and ``KeywordMatcher``.

Finds taxonomy keywords with Swedish inflections, compounds and acronyms ("informationssäkerhet"
in "informationssäkerhetsarbetet", "MSB" in "MSB:s"); dictionary-free and deterministic so
tagging stays fast. Imports only the standard library.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

# A word: letters/digits, with inner hyphens or an acronym colon suffix ("e-tjänst", "MSB:s").
_TOKEN = re.compile(r"[^\W_]+(?:[-:][^\W_]+)*")
# A brief text (a notice, a summary page, a web page of a few paragraphs): about one printed page.
# It says each thing once, so the focus areas (ingest.enrich.topics) and the municipalities it is
# about (ingest.enrich.salience) take one clear mention as enough there.
BRIEF_WORDS = 300

# Noun and adjective endings (plural, definite, genitive) that may follow a keyword.
INFLECTIONS = frozenset({
    "", "s", "n", "ns", "en", "ens", "et", "ets", "er", "ers", "erna", "ernas", "ar", "ars",
    "arna", "arnas", "or", "ors", "orna", "ornas", "na", "nas", "a", "as", "t", "e", "es", "r",
    "rna", "rnas",
})  # fmt: skip
# Letters that may join the parts of a compound ("informations|säkerhet", "e-tjänste|plattform").
_LINKERS = ("", "s", "e", "a", "-")
MIN_COMPOUND_PART = 3  # the other part of a compound must have at least this many letters
# Endings that derive a new word rather than start a second compound part ("strategi|ska").
_DERIVATIONS = ("sk", "isk", "lig", "ell", "era", "ering", "ande", "ende", "ad", "iser")
MIN_COMPOUND_KEYWORD = 5  # shorter keywords only match whole (inflected) words


@dataclass(frozen=True)
class Token:
    """One word of the text with its character offset."""

    text: str
    lower: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` in order, with offsets."""
    return [Token(m[0], m[0].lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def is_brief(*parts: str) -> bool:
    """Whether ``parts`` (a title and a text) hold fewer than ``BRIEF_WORDS`` words together."""
    words = 0
    for part in parts:
        words += sum(1 for _ in _TOKEN.finditer(part))
        if words >= BRIEF_WORDS:
            return False
    return True


_C = TypeVar("_C")
_R = TypeVar("_R")


def longest_forms(
    keys: Sequence[str],
    forms: Mapping[tuple[str, ...], Sequence[_C]],
    max_words: int,
    pick: Callable[[int, int, Sequence[_C]], _R | None],
) -> Iterator[tuple[int, int, _R | None]]:
    """Walk ``keys`` (lower-cased words of tokens) over name forms, longest first, no overlaps.

    At each position the longest run of up to ``max_words`` keys that ``forms`` holds and whose
    candidates ``pick`` accepts yields ``(start, words, picked)`` and the walk skips past it; a
    position where nothing is accepted yields ``(start, 1, None)``. Places and organisations share
    this walk and differ only in which candidate they accept.
    """
    i = 0
    while i < len(keys):
        for n in range(min(max_words, len(keys) - i), 0, -1):
            candidates = forms.get(tuple(keys[i : i + n]))
            picked = pick(i, n, candidates) if candidates else None
            if picked is not None:
                yield i, n, picked
                i += n
                break
        else:
            yield i, 1, None
            i += 1


def is_acronym(keyword: str) -> bool:
    """Short keywords written with capitals or digits ("AI", "MSB", "5G", "IoT") match only
    in exactly that spelling, so "ai" or "Msb" in running text never counts."""
    upper = sum(ch.isupper() for ch in keyword)
    shaped = upper >= 2 or (upper == 1 and keyword[0].isdigit())
    return " " not in keyword and len(keyword) <= 5 and shaped


def _bases(word: str) -> tuple[str, ...]:
    """The word and, for a plural keyword ("personuppgifter"), its singular stem, so compounds
    built on the stem ("personuppgiftsincident") match too."""
    if len(word) > 6 and word[-2:] in ("er", "ar", "or"):
        return (word, word[:-2])
    return (word,)


def _stems(word: str, a_plurals: bool = False) -> tuple[str, ...]:
    """What inflection endings follow: the bases and, with ``a_plurals``, for a keyword ending
    in -a after a consonant the stem its plural is built on ("e-faktura": "e-fakturor")."""
    if a_plurals and len(word) > 5 and word[-1] == "a" and word[-2] not in _VOWELS:
        return (*_bases(word), word[:-1])
    return _bases(word)


_VOWELS = frozenset("aeiouyåäö")


def _footnote_free(token: str) -> str:
    """``token`` without a footnote number glued to its end by PDF extraction
    ("interoperabilitet21", "strategi9"); a word with digits of its own ("5g", "nis2") stays."""
    word = token.rstrip("0123456789")
    return word if len(word) >= 5 and word[-1].isalpha() and len(word) < len(token) else token


def word_matches(token: str, word: str, a_plurals: bool = False) -> bool:
    """Whether lower-case ``token`` is ``word`` with an inflection ending."""
    stems = _stems(word, a_plurals)
    return any(token.startswith(b) and token[len(b) :] in INFLECTIONS for b in stems)


def compound_weight(
    token: str, word: str, *, heads: bool = True, modifiers: bool = True, a_plurals: bool = False
) -> float:
    """How strongly lower-case ``token`` contains ``word``: 1.0 for the word itself (inflected)
    or as the head of a compound, 0.75 as its first part, 0.0 otherwise."""
    stems = _stems(word, a_plurals)
    if not any(b in token for b in stems):  # cheap filter: most tokens contain no keyword
        return 0.0
    if word_matches(token, word, a_plurals):
        return 1.0
    if len(word) < MIN_COMPOUND_KEYWORD:
        return 0.0
    if heads and any(_head_of(token, stem) for stem in stems):
        return 1.0
    # A first part is the keyword or a plural's singular ("personuppgifts|incident"), not the
    # stem of an -a word: "E-hälsomyndigheten" is an agency's name, not e-health.
    for base in _bases(word):
        if modifiers and token.startswith(base):
            rest = token[len(base) :]
            for linker in _LINKERS:
                part = rest[len(linker) :]
                if (
                    rest.startswith(linker)
                    and len(part) >= MIN_COMPOUND_PART
                    and not part.startswith(_DERIVATIONS)
                ):
                    # "informationssäkerhetsarbetet" yes; "utbildningen" is an inflection (above)
                    return 0.75
    return 0.0


def _head_of(token: str, base: str) -> bool:
    """``base`` (inflected) ends compound ``token`` after a first part of a few letters."""
    at = token.rfind(base)
    return at >= MIN_COMPOUND_PART and token[at + len(base) :] in INFLECTIONS


def _short_head(token: str, word: str) -> bool:
    """``word`` (of any length) is the inflected head of compound ``token``."""
    return any(_head_of(token, base) for base in _bases(word))


@dataclass(frozen=True)
class Hit:
    """One keyword occurrence: which keyword, at which token, with what weight."""

    keyword: str
    index: int
    weight: float


class KeywordMatcher:
    """Finds a fixed set of keywords (single words, phrases, acronyms) in token lists."""

    def __init__(
        self,
        keywords: Iterable[str],
        *,
        heads: bool = True,
        modifiers: bool = True,
        false_friends: dict[str, tuple[str, ...]] | None = None,
        phrase_heads: bool = False,
        a_plurals: bool = False,
    ):
        self.heads = heads
        # The plural of an -a keyword ("e-fakturor") is a mention of a subject; a document type
        # is named in the singular ("Checklista för …", not an article about "checklistor").
        self.a_plurals = a_plurals
        # A phrase's last word, however short, may be a compound head: "öppna data" in "öppna
        # upphandlingsdata" (the words before it anchor the match).
        self.phrase_heads = phrase_heads
        self.modifiers = modifiers
        self.false_friends = false_friends or {}
        self._acronyms: dict[str, str] = {}
        self._phrases: list[tuple[str, tuple[str, ...]]] = []
        self._words: list[str] = []
        seen: set[str] = set()
        for keyword in keywords:
            keyword = keyword.strip()
            if not keyword or keyword.lower() in seen:
                continue
            seen.add(keyword.lower())
            if is_acronym(keyword):
                self._acronyms[keyword] = keyword
            elif " " in keyword:
                self._phrases.append((keyword, tuple(keyword.lower().split())))
            else:
                self._words.append(keyword.lower())
        # Longer keywords first: at one token the most specific keyword wins.
        self._words.sort(key=len, reverse=True)
        # One C-speed search per token rules out most tokens before the per-keyword checks.
        parts = sorted(
            {b for w in self._words for b in _stems(w, a_plurals)}, key=len, reverse=True
        )
        self._any = re.compile("|".join(map(re.escape, parts))) if parts else None
        firsts = sorted({b for _k, ws in self._phrases for b in _stems(ws[0])}, key=len)
        self._phrase_start = re.compile("|".join(map(re.escape, firsts[::-1]))) if firsts else None
        self._phrases.sort(key=lambda p: len(p[1]), reverse=True)

    def hits(self, tokens: Sequence[Token]) -> list[Hit]:
        """Every keyword occurrence; each token counts for at most one keyword."""
        found: list[Hit] = []
        used: set[int] = set()
        starts: list[int] = []
        if self._phrase_start is not None:
            starts = [i for i, t in enumerate(tokens) if self._phrase_start.match(t.lower)]
        for keyword, words in self._phrases:
            n = len(words)
            for i in starts:
                if i + n > len(tokens) or any(j in used for j in range(i, i + n)):
                    continue
                # The last word may be a compound head: "digital tillsyn" in "digital nattillsyn".
                last = _footnote_free(tokens[i + n - 1].lower)
                if all(word_matches(tokens[i + k].lower, words[k]) for k in range(n - 1)) and (
                    (
                        compound_weight(last, words[-1], modifiers=False) == 1.0
                        or (self.phrase_heads and _short_head(last, words[-1]))
                    )
                    if self.heads
                    else word_matches(last, words[-1])
                ):
                    found.append(Hit(keyword, i, 1.0))
                    used.update(range(i, i + n))
        for i, token in enumerate(tokens):
            if i in used:
                continue
            hit = self._token_hit(token, i)
            if hit is not None:
                found.append(hit)
        found.sort(key=lambda h: h.index)
        return found

    def _token_hit(self, token: Token, index: int) -> Hit | None:
        if self._acronyms and not token.text.islower():
            for part in re.split(r"[-:]", token.text):
                if part in self._acronyms:
                    return Hit(self._acronyms[part], index, 1.0)
        lower = _footnote_free(token.lower)
        if self._any is None or not self._any.search(lower):
            return None
        for word in self._words:
            if any(f in lower for f in self.false_friends.get(word, ())):
                continue
            weight = compound_weight(
                lower, word, heads=self.heads, modifiers=self.modifiers, a_plurals=self.a_plurals
            )
            if weight:
                return Hit(word, index, weight)
        return None


def summarise(hits: Iterable[Hit], boost: dict[int, float] | None = None) -> dict[str, float]:
    """Weighted count per keyword; ``boost`` multiplies hits at some token indexes (the title)."""
    totals: dict[str, float] = {}
    for hit in hits:
        factor = boost.get(hit.index, 1.0) if boost else 1.0
        totals[hit.keyword] = totals.get(hit.keyword, 0.0) + hit.weight * factor
    return totals


def damped(total: float) -> float:
    """Diminishing returns for repeats: one keyword said ten times is not ten pieces of evidence."""
    return total if total <= 1.0 else 1.0 + math.log(total)


def evidence(counts: dict[str, int], limit: int = 6) -> tuple[str, ...]:
    """Human-readable evidence, most frequent first: ("informationssäkerhet ×4", "MSB ×2")."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return tuple(f"{kw} ×{n}" for kw, n in ranked)
