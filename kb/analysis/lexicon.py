"""The Swedish lexicon behind stemming and decompounding: its tables, cache and process singleton.

The tables are derived from the pip-installed hunspell-sv (kb/lexicon_build.py) on first use and
cached as a pickle keyed by LEXICON_VERSION and the hunspell-sv and Snowball versions, written
atomically so concurrent builders never leave half a file. The dictionary is never vendored.
"""

from __future__ import annotations

import gc
import importlib.metadata
import logging
import os
import pickle
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb.atomic import atomic_write

log = logging.getLogger(__name__)

# Bump when the derivation of the tables changes; it keys the cache file (with the versions of
# hunspell-sv and snowballstemmer) and is part of kb.analysis.ANALYZER_VERSION.
LEXICON_VERSION = "lex-2"

HUNSPELL_DIST = "hunspell-sv"

# Folded keys for shorter words collide too often (år/ar, får/far).
MIN_FOLD_LEN = 4

_FOLD_TABLE = str.maketrans(
    {
        "å": "a", "ä": "a", "ö": "o", "à": "a", "á": "a", "â": "a", "ã": "a",
        "é": "e", "è": "e", "ê": "e", "ë": "e", "í": "i", "ì": "i", "î": "i", "ï": "i",
        "ó": "o", "ò": "o", "ô": "o", "õ": "o", "ø": "o", "ú": "u", "ù": "u", "û": "u",
        "ü": "u", "ý": "y", "ÿ": "y", "ç": "c", "ñ": "n", "æ": "ae", "ß": "ss",
    }
)  # fmt: skip


def fold(word: str) -> str:
    """``word`` with Swedish and other diacritics folded to ASCII (förvaltning -> forvaltning)."""
    return word.translate(_FOLD_TABLE)


@dataclass(frozen=True)
class Lexicon:
    """The tables derived from hunspell-sv (about 100 MB in memory; see docs/analysis.md).

    Attributes:
        key: ``lexicon_key()`` when it was built.
        stems: form -> stem where Snowball alone would not conflate the form with its lemma.
        folded_stems: Snowball stem of an ASCII-folded form -> the real stem, so forvaltningen
            stems like förvaltningen (only where no real ASCII word has that Snowball stem).
        fold_collisions: ASCII words that are also the folded form of another word (saker/säker).
        begin: form that may start a compound -> its base word (digitaliserings -> digitalisering).
        middle: form that may stand inside a compound -> its base word.
        end: every form a compound may end with (inflected forms included).
        heads: base forms of words that may end a compound (the fallback for unflagged modifiers).
        proper_nouns: place and other names (trollhättan, skaraborg), never cut inside.
    """

    key: str
    stems: dict[str, str]
    folded_stems: dict[str, str]
    fold_collisions: frozenset[str]
    begin: dict[str, str]
    middle: dict[str, str]
    end: frozenset[str]
    heads: frozenset[str]
    proper_nouns: frozenset[str]


def _versions() -> str:
    parts = [LEXICON_VERSION]
    for dist in (HUNSPELL_DIST, "snowballstemmer"):
        try:
            parts.append(f"{dist}.{importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{dist}.none")
    return "+".join(parts)


def lexicon_key() -> str:
    """The lexicon's version key: LEXICON_VERSION plus the hunspell-sv and Snowball versions."""
    return _versions()


def cache_dir() -> Path:
    """Where the built lexicon is cached: $KB_CACHE_DIR, else ~/.cache/kunskapsbank."""
    env = os.environ.get("KB_CACHE_DIR")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "kunskapsbank"


def cache_path() -> Path:
    """The cache file for the installed versions."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", _versions())
    return cache_dir() / f"lexicon_{safe}.pickle"


# -- cache -----------------------------------------------------------------------------------------


def load_or_build(path: Path | None = None, build: Callable[[], Lexicon] | None = None) -> Lexicon:
    """The lexicon from the cache file, building and caching it when missing or stale.

    Args:
        path: the cache file (default ``cache_path()``).
        build: what builds the lexicon (default: from hunspell-sv, several seconds).
    """
    if build is None:
        from kb.analysis.lexicon_build import build_lexicon

        build = build_lexicon
    path = path or cache_path()
    key = _versions()
    try:
        with path.open("rb") as fh:
            lexicon = pickle.load(fh)
        if isinstance(lexicon, Lexicon) and lexicon.key == key:
            return lexicon
        log.info("lexicon cache %s is stale; rebuilding", path)
    except FileNotFoundError:
        pass
    except Exception as err:  # a truncated or foreign file: rebuild rather than fail
        log.warning("lexicon cache %s unreadable (%s); rebuilding", path, err)
    started = time.perf_counter()
    lexicon = build()
    log.info("built the Swedish lexicon in %.1f s", time.perf_counter() - started)
    _write_atomically(path, lexicon)
    return lexicon


def _write_atomically(path: Path, lexicon: Lexicon) -> None:
    try:
        atomic_write(path, pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as err:  # a read-only home still gets a working (uncached) analyzer
        log.warning("could not cache the lexicon in %s: %s", path.parent, err)


_lock = threading.Lock()
_lexicon: Lexicon | None = None


def get_lexicon() -> Lexicon:
    """The process-wide lexicon, loaded (or built) on first use."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                _lexicon = load_or_build()
                # The lexicon's sets and dicts (hundreds of thousands of entries) live as long as
                # the process, as do the word caches of kb.analysis.analyzer, made at import:
                # moved out of the collector's reach, a full collection no longer walks them
                # (about 90 ms at every full collection of a search worker, 10 ms after).
                gc.freeze()
    return _lexicon
