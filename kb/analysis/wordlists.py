"""The editable word lists of the Swedish analysis, read from the data files in kb/analysis/data/.

Vocabulary (stop words, acronyms, lexicalised words, particles) lives in data files so it can grow
without code changes. ``DATA_DIGEST`` fingerprints the files: it is part of ANALYZER_VERSION, so an
index built with other lists is detected and rebuilt. Imports only the standard library.
"""

from __future__ import annotations

import hashlib
from importlib import resources

from kb.errors import ConfigError

_FILES = (
    "stopwords.txt",
    "no_stem.txt",
    "no_split.txt",
    "particles.txt",
    "derivational_heads.txt",
)


def _read_all() -> dict[str, str]:
    texts: dict[str, str] = {}
    folder = resources.files("kb.analysis") / "data"
    for name in _FILES:
        try:
            texts[name] = (folder / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"Cannot read the word list kb/analysis/data/{name}: {err}") from err
    return texts


def parse_word_list(text: str) -> frozenset[str]:
    """The words of a list file: one a line, lowercased, '#' comments and blank lines skipped."""
    words = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            words.add(word)
    return frozenset(words)


_TEXTS = _read_all()

STOP_WORDS: frozenset[str] = parse_word_list(_TEXTS["stopwords.txt"])
"""Dropped at index and query time (Snowball's Swedish list with "sitt", not "sitta")."""

NO_STEM: frozenset[str] = parse_word_list(_TEXTS["no_stem.txt"])
"""Indexed as typed: acronyms such as it, skr, digg."""

NO_SPLIT: frozenset[str] = parse_word_list(_TEXTS["no_split.txt"])
"""Lexicalised words that are never split or cut inside (bredband, ordförande)."""

PARTICLES: frozenset[str] = parse_word_list(_TEXTS["particles.txt"])
"""Words that never form a compound part (upp, under, över)."""

DERIVATIONAL_HEADS: frozenset[str] = parse_word_list(_TEXTS["derivational_heads.txt"])
"""Word-final elements that derive rather than compound (-full, -lös, -rik)."""


def _digest(*lists: frozenset[str]) -> str:
    # Over the parsed words, so editing a comment does not force a reindex.
    h = hashlib.sha256()
    for words in lists:
        h.update("\n".join(sorted(words)).encode("utf-8") + b"\0")
    return h.hexdigest()[:8]


DATA_DIGEST: str = _digest(STOP_WORDS, NO_STEM, NO_SPLIT, PARTICLES, DERIVATIONAL_HEADS)
"""A fingerprint of the lists; part of ANALYZER_VERSION."""
