"""Term keys: which words of a text can produce a given index term, without analysing them.

A snippet marks a word when its index terms (``index_terms``) meet the query's terms, and a word
met for the first time costs about 20 µs of decompounding and stemming; most words of a window
produce no query term at all. ``key_patterns(terms)`` find, in lower-cased text, every place a
word producing one of ``terms`` must contain: a snippet analyses only the words it matches in.

Why a short key suffices. Every index term of a word is the stem of a *surface*: the word, its
hyphen pieces, a compound's head or sub-compound (a substring of the word, or one starting with a
part of at least three of its letters), a modifier's base form (the lexicon's ``begin`` and
``middle`` tables: "arbets" gives "arbete"), or the ASCII-folded copy of one of these. A stem
starts like its surface: Snowball only cuts endings, a compound keeps its modifiers as written,
a genitive or hyphenated word keeps its front. So the first ``KEY_LEN`` letters of the folded
term are a prefix of the folded surface, and they occur in the folded word, except where the
lexicon says otherwise. Those exceptions are found by scanning its tables once (about 150 keys):
irregular stems (``stems``: "slog" gives "slå"), folded stems (``folded_stems``), and base forms
that do not start like their modifier form ("ros" gives "roa"). For those the surface's own key
is added. A word with a hyphen, soft hyphen or other dash is always analysed (its joined form
drops them), and so is one with æ or ß (whose folds are two letters).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from functools import lru_cache

from kb.analysis.analyzer import stem
from kb.analysis.lexicon import Lexicon, fold, get_lexicon

__all__ = ["KEY_LEN", "key_patterns", "term_keys"]

# At most decompound.MIN_PART: a compound's term starts with its first part as written, which may
# be that short. Shorter keys would match most words (docs/benchmarks.md, "Snippets, 2026-12-07").
KEY_LEN = 3
# Characters that make a word always analysed: hyphens and dashes (normalize joins and unifies
# them), the soft hyphen (normalize drops it from inside a key) and letters that fold to two.
_ALWAYS = "-\u2010\u2011\u2012\u2013\u2212\u00adæß"


def _key(text: str) -> str:
    return fold(text)[:KEY_LEN]


def _starts_alike(surface: str, term: str) -> bool:
    # The cheap test first: most entries agree before folding.
    return surface.startswith(term[:KEY_LEN]) or fold(surface).startswith(_key(term))


def _scan(lex: Lexicon) -> dict[str, frozenset[str]]:
    """Term -> the extra keys of the surfaces the lexicon maps to it unlike a prefix."""
    extra: defaultdict[str, set[str]] = defaultdict(set)
    for form, target in lex.stems.items():
        if not _starts_alike(form, target):
            extra[target].add(_key(form))
    for snow, target in lex.folded_stems.items():
        # ``snow`` is the Snowball stem of a folded word, so a prefix of it.
        if not _starts_alike(snow, target):
            extra[target].add(snow[:KEY_LEN])
    for table in (lex.begin, lex.middle):
        for piece, base in table.items():
            # The base's own key (and its stem's) starts the base; it must start the piece too.
            if not _starts_alike(piece, base):
                extra[stem(base)].add(_key(piece))
    return {term: frozenset(keys) for term, keys in extra.items()}


def _folds_to() -> dict[str, str]:
    """Folded letter -> a character class of every lower-case letter folding to it."""
    sources: defaultdict[str, set[str]] = defaultdict(set)
    for code in range(0x80, 0x250):
        char = chr(code)
        if char == char.lower() and len(fold(char)) == 1 and fold(char) != char:
            sources[fold(char)].add(char)
    return {
        letter: "[" + re.escape(letter + "".join(sorted(chars))) + "]"
        for letter, chars in sources.items()
    }


_CLASSES = _folds_to()


# Every word with one of these is analysed (see _ALWAYS).
_ALWAYS_PATTERN = re.compile(f"[{re.escape(_ALWAYS)}]")


@lru_cache(maxsize=4096)
def _key_pattern(key: str) -> re.Pattern[str]:
    # One pattern a key: keys recur across queries far more than sets of terms do, and compiling
    # costs about 13 µs a key against 80 µs for one alternation of a query's keys. Shared by every
    # lexicon: a key's pattern depends on the fixed fold table alone.
    return re.compile("".join(_CLASSES.get(c, re.escape(c)) for c in key))


class _LexiconKeys:
    """The term keys of one lexicon: its exceptions and the caches made from them, replaced
    together when the lexicon is (a cache kept apart from it would answer for the old one)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lexicon = lex
        self.extra = _scan(lex)
        self.term_keys = lru_cache(maxsize=4096)(self._term_keys)
        self.key_patterns = lru_cache(maxsize=4096)(self._key_patterns)

    def _term_keys(self, terms: frozenset[str]) -> frozenset[str]:
        keys: set[str] = set()
        for term in terms:
            if term:
                keys.add(_key(term))
                keys.update(self.extra.get(term, ()))
        return frozenset(keys)

    def _key_patterns(self, terms: frozenset[str]) -> tuple[re.Pattern[str], ...]:
        return (*map(_key_pattern, sorted(self.term_keys(terms))), _ALWAYS_PATTERN)


_current: _LexiconKeys | None = None
_lock = threading.Lock()


def _keys() -> _LexiconKeys:
    """The term keys of the lexicon in use: scanned once per lexicon (about 0.15 s)."""
    global _current
    lex = get_lexicon()
    current = _current
    if current is None or current.lexicon is not lex:
        with _lock:
            if _current is None or _current.lexicon is not lex:
                _current = _LexiconKeys(lex)
            current = _current
    return current


def exceptions() -> dict[str, frozenset[str]]:
    """The extra keys per term, scanned once per lexicon (about 0.15 s; kb.analysis.warm_up)."""
    return _keys().extra


def term_keys(terms: frozenset[str]) -> frozenset[str]:
    """Folded strings one of which every word producing one of ``terms`` contains when folded
    (or it has a hyphen, a dash, a soft hyphen, æ or ß). Cached per lexicon."""
    return _keys().term_keys(terms)


def key_patterns(terms: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    """Patterns that match, in lower-cased NFKC text, somewhere inside every word whose index
    terms meet ``terms`` (and inside some other words). A word none of them matches in produces
    none of the terms; that holds for text that is NFKC-normal and as long lower-cased as
    written. Cached per lexicon."""
    return _keys().key_patterns(terms)
