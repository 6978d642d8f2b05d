"""The Swedish analyzer chain of the title and body fields, and the query-side helpers.

Index: tokenise -> normalise -> stop words -> per word (one cached function) its stem plus the
stems of its hyphen and compound parts and ASCII-folded copies, at the word's position. Query: the
stem only. Filters are stateless (whoosh pickles them into the index; see kb/analysis/__init__.py).
"""

from __future__ import annotations

import importlib.metadata
import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import Analyzer

from kb.analysis.decompound import compound_terms, head_start
from kb.analysis.lexicon import LEXICON_VERSION, MIN_FOLD_LEN, fold, get_lexicon
from kb.analysis.wordlists import DATA_DIGEST, NO_STEM, STOP_WORDS

__all__ = [
    "ANALYZER_VERSION",
    "STOP_WORDS",
    "index_terms",
    "query_terms",
    "spelling_analyzer",
    "swedish_analyzer",
    "tokenize_with_offsets",
    "variant_terms",
    "warm_up",
    "whole_outputs",
]


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "none"


# Stored with the index: a different value means the index must be rebuilt. It changes by itself
# when hunspell-sv, snowballstemmer or the word lists in kb/analysis/data/ change; bump the
# "sv-N" part when this module or kb/analysis/decompound.py change what they emit.
ANALYZER_VERSION = (
    f"sv-1+{LEXICON_VERSION}+hunspell-sv.{_version('hunspell-sv')}"
    f"+snowball.{_version('snowballstemmer')}+lists.{DATA_DIGEST}"
)

MIN_TOKEN = 2
MAX_TOKEN = 64  # longer runs of letters are junk (hashes, base64) and only bloat the index
# Words whose analysis stays cached for snippets and queries: each of normalize, index_terms,
# index_outputs and stem keeps at most this many (index_terms and normalize kept 50,000, fewer
# than the 60,000 word forms of the 100k benchmark corpus, and missed 3 % of snippet words in a
# long-running worker). Measured 304 + 88-150 + 142 + 174 bytes an entry: at most about 75 MB
# per process over the four (55 MB before; docs/benchmarks.md, "Snippet analysis caches").
WORD_CACHE_SIZE = 100_000

# Letters and digits (not "_"), combining accents (decomposed ä) and the soft hyphen.
_WORD = r"(?:[^\W_]|[\u0300-\u036f\u00ad])+"
_HYPHENS = "\u2010\u2011\u2012\u2013\u2212"
# A word, words joined by hyphens (e-tjänst, IT-chef), and an acronym's colon ending (SKR:s).
TOKEN_PATTERN = re.compile(rf"{_WORD}(?:[-{_HYPHENS}]+{_WORD})*(?::[^\W\d_]{{1,3}}(?![\w:]))?")
_DASHES = str.maketrans(dict.fromkeys(_HYPHENS, "-") | {"\u00ad": None})
_REPEATED_HYPHENS = re.compile(r"-{2,}")


@lru_cache(maxsize=WORD_CACHE_SIZE)
def normalize(token: str) -> str:
    """A token as the index sees it: lowercased, NFKC, hyphens unified, soft hyphens removed,
    an acronym's colon ending dropped (SKR:s -> skr)."""
    if not token.isascii():
        token = unicodedata.normalize("NFKC", token).translate(_DASHES)
    text = token.lower().partition(":")[0]
    if "--" in text:
        text = _REPEATED_HYPHENS.sub("-", text)
    return text.strip("-")


def is_stop(word: str) -> bool:
    """True when a normalised token is not indexed: a stop word, too short or too long."""
    return word in STOP_WORDS or not MIN_TOKEN <= len(word) <= MAX_TOKEN


# -- stemming --------------------------------------------------------------------------------------

_local = threading.local()


def _snowball(word: str) -> str:
    # PyStemmer objects are not thread-safe; the web serves queries from several threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _local.stemmer = snowballstemmer.stemmer("swedish")
    return str(stemmer.stemWord(word))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def stem(word: str) -> str:
    """The stem of a normalised word: the override table, then compounds as modifiers + stem of
    the head (digitaliseringsstrategin -> digitaliseringsstrategi), then Snowball 3."""
    if word in NO_STEM or not word:
        return word
    if word[-1] == "s" and word[:-1] in NO_STEM:  # genitive without a colon: EUs, SKRs
        return word[:-1]
    if "-" in word:
        prefix, _, last = word.rpartition("-")
        return f"{prefix}-{stem(last)}"
    lex = get_lexicon()
    found = lex.stems.get(word)
    if found is not None:
        return found
    snow = _snowball(word)
    if word in lex.end:  # a dictionary word: Snowball agrees with its paradigm
        return snow
    if word.isascii() and len(word) >= MIN_FOLD_LEN:
        found = lex.folded_stems.get(snow)
        if found is not None:  # typed without å, ä, ö: the stem of the real word
            return found
    start = head_start(word)
    if start:
        return word[:start] + stem(word[start:])
    return snow


def _foldable(word: str) -> str | None:
    # Fold only longer words, and only where the folded form is no word of its own (säker/saker).
    if len(word) < MIN_FOLD_LEN or word.isascii():
        return None
    folded = fold(word)
    lex = get_lexicon()
    if folded == word or folded in lex.fold_collisions or folded in lex.end:
        return None
    return folded


def _surfaces(word: str) -> list[str]:
    """The word, its hyphen parts and its compound parts (unstemmed)."""
    out = [word]
    if "-" in word:
        pieces = word.split("-")
        if len(pieces[0]) <= 3:  # e-tjänst typed as etjänst
            out.append(word.replace("-", ""))
        for piece in pieces:
            if not is_stop(piece):
                out.append(piece)
                out.extend(t for t in compound_terms(piece) if t not in STOP_WORDS)
    else:
        out.extend(t for t in compound_terms(word) if t not in STOP_WORDS)  # själv|skattning
    return out


@lru_cache(maxsize=WORD_CACHE_SIZE)
def index_outputs(word: str) -> tuple[str, ...]:
    """The index terms of one normalised, non-stop word, the word's own stem first."""
    surfaces = _surfaces(word)
    folded = [f for f in map(_foldable, surfaces) if f is not None]
    return tuple(dict.fromkeys(stem(s) for s in surfaces + folded))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def whole_outputs(word: str) -> frozenset[str]:
    """The index terms one normalised, non-stop word stands for as written: its stem, its hyphen
    parts and joined form, folded copies; not the parts decompounding finds (hemtjänst gives
    hemtjänst, not tjänst). A phrase's words after the first must match one of these."""
    surfaces = [word]
    if "-" in word:
        pieces = word.split("-")
        if len(pieces[0]) <= 3:
            surfaces.append(word.replace("-", ""))
        surfaces.extend(p for p in pieces if not is_stop(p))
    folded = [f for f in map(_foldable, surfaces) if f is not None]
    return frozenset(stem(s) for s in surfaces + folded)


def query_outputs(word: str) -> tuple[str, ...]:
    """The query terms of one normalised, non-stop word: its stem only."""
    return (stem(word),)


# -- whoosh components -----------------------------------------------------------------------------


class SvTokenizer(Tokenizer):
    """Words, hyphenated words and acronyms with a colon ending (SKR:s); chars are offsets in the
    original text."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, match in enumerate(TOKEN_PATTERN.finditer(value), start_pos):
            t.text = match.group()
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


class SvNormalizeFilter(Filter):
    """Lowercases and normalises each token (see ``normalize``); drops tokens left empty."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = normalize(t.text)
            if text:
                t.text = text
                yield t


class SvStopFilter(Filter):
    """Drops stop words and tokens shorter than 2 or longer than 64 characters, renumbering
    positions so phrase queries skip them (as whoosh's StopFilter does)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        pos = None
        for t in tokens:
            if not is_stop(t.text):
                if t.positions:
                    pos = t.pos if pos is None else pos + 1
                    t.pos = pos
                t.stopped = False
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


class SvTermsFilter(Filter):
    """Replaces each word by its terms at the same position and character range: in index mode
    the stems of the word, its parts and folded copies; in query mode only the stem."""

    is_morph = True  # whoosh skips it (no_morph=True) when it wants words as typed

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.stopped:
                yield t
                continue
            text = t.text  # the token object is reused: read before yielding
            terms = query_outputs(text) if t.mode == "query" else index_outputs(text)
            for term in terms:
                t.text = term
                yield t


def warm_up() -> None:
    """Load the lexicon now rather than on the first query or document (call at start-up).

    It takes well under a second from the cache; the first run after installing builds the cache
    from hunspell-sv, which takes 10-25 s. The snippet term keys' scan of the lexicon follows
    (about 0.15 s; kb.analysis.termkeys imports this module, hence the late import).
    """
    get_lexicon()
    from kb.analysis.termkeys import exceptions

    exceptions()


def swedish_analyzer() -> Analyzer:
    """The analyzer of the title and body text fields (supports positions and chars)."""
    return SvTokenizer() | SvNormalizeFilter() | SvStopFilter() | SvTermsFilter()


def spelling_analyzer() -> Analyzer:
    """Words as people type them: tokenise, lowercase, normalise, drop stop words; no stemming."""
    return SvTokenizer() | SvNormalizeFilter() | SvStopFilter()


# -- helpers for queries and snippets --------------------------------------------------------------


def tokenize_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """(normalised token, start, end) for every word of ``text``, stop words included, with the
    index's tokeniser and normalisation; offsets index into ``text``."""
    out = []
    for match in TOKEN_PATTERN.finditer(text):
        word = normalize(match.group())
        if word:
            out.append((word, match.start(), match.end()))
    return out


@lru_cache(maxsize=WORD_CACHE_SIZE)
def index_terms(word: str) -> frozenset[str]:
    """All index terms one surface word produces (empty for a stop word). A snippet highlights a
    word when its index terms meet the query's terms."""
    whole = TOKEN_PATTERN.match(word)
    if whole is not None and whole.end() == len(word):
        # One token (a snippet's words already are): the loop below would make one turn.
        token = normalize(word)
        return frozenset(index_outputs(token) if token and not is_stop(token) else ())
    terms: set[str] = set()
    for token, _, _ in tokenize_with_offsets(word):
        if not is_stop(token):
            terms.update(index_outputs(token))
    return frozenset(terms)


_SYNCOPE = re.compile(r"^(?P<stem>.*[^aeiouyåäö])(?P<vowel>e)?(?P<cons>[nlr])(?P<end>a)?$")


@lru_cache(maxsize=20_000)
def variant_terms(word: str) -> tuple[str, ...]:
    """Extra query terms for an adjective whose forms the stemmer keeps apart (query side only).

    Adjectives in -en, -el, -er drop the e before -a (öppen/öppet -> öppna, säker -> säkra), and
    since öppna and säkra are verbs too, the lexicon leaves them stemmed apart (öpp / öppn). The
    lexicon itself confirms the pair: the comparative (öppnare, säkrare) stems like the base form.
    Returns the stem of the other form when that holds, else (); nouns (orden/ordna) never have
    such a comparative.
    """
    word = normalize(word)
    m = _SYNCOPE.match(word)
    if m is None or len(word) < 5 or bool(m["vowel"]) == bool(m["end"]):
        return ()
    base = f"{m['stem']}e{m['cons']}"  # öppen
    short = f"{m['stem']}{m['cons']}a"  # öppna
    comparative = f"{m['stem']}{m['cons']}are"  # öppnare
    lex = get_lexicon()
    if base not in lex.end or short not in lex.end or comparative not in lex.end:
        return ()
    if stem(comparative) != stem(base) or stem(short) == stem(base):
        return ()
    return (stem(short),) if word == base else (stem(base),)


def query_terms(text: str) -> list[str]:
    """The query-mode terms of free text in order, stop words dropped ("och" gives [])."""
    return [stem(token) for token, _, _ in tokenize_with_offsets(text) if not is_stop(token)]


def compound_parts(word: str) -> list[str]:
    """Query terms of the parts of a compound word; [] when ``word`` is not a compound."""
    pieces = compound_terms(word)
    if len(pieces) < 2 and word.isascii():
        # Typed without å, ä, ö ("valfardsteknik"): the parts of the real word its stem names,
        # so the query ranks as it does typed with them (docs/relevance.md, 2026-12-07).
        real = query_terms(word)
        if len(real) == 1 and not real[0].isascii():
            pieces = compound_terms(real[0])
    if len(pieces) < 2:
        return []
    return [t for p in pieces for t in query_terms(p)]
