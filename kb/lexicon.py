"""The Swedish lexicon behind stemming and decompounding, derived from the pip-installed hunspell-sv.

It owns reading sv_SE.aff/.dic, expanding the suffix rules, building the stem override table and the
compound tables, and caching the result as a pickle keyed by the hunspell-sv version, the Snowball
version and LEXICON_VERSION. The dictionary (LGPL-3.0) is read at first use and never vendored.
Imports only the standard library, snowballstemmer/PyStemmer and kb.errors.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import pickle
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kb.errors import ConfigError

log = logging.getLogger(__name__)

# Bump when the derivation of the tables changes; it keys the cache file (with the versions of
# hunspell-sv and snowballstemmer) and is part of kb.analysis.ANALYZER_VERSION.
LEXICON_VERSION = "lex-1"

HUNSPELL_DIST = "hunspell-sv"
_AFF, _DIC = "sv_SE.aff", "sv_SE.dic"

# Lemmas ending in these derivational suffixes keep them as their stem when Snowball would cut
# them off, so myndighet stays apart from myndig and projektor from projekt.
KEPT_SUFFIXES = ("het", "or")
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
    """``word`` with Swedish and other Latin diacritics folded to ASCII (förvaltning -> forvaltning)."""
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
    """

    key: str
    stems: dict[str, str]
    folded_stems: dict[str, str]
    fold_collisions: frozenset[str]
    begin: dict[str, str]
    middle: dict[str, str]
    end: frozenset[str]
    heads: frozenset[str]


def hunspell_files() -> tuple[Path, Path]:
    """The (aff, dic) paths of the installed hunspell-sv distribution.

    Raises:
        ConfigError: when hunspell-sv is not installed or its files are missing.
    """
    candidates: list[Path] = []
    try:
        dist = importlib.metadata.distribution(HUNSPELL_DIST)
        for f in dist.files or ():
            if f.name == _DIC:
                candidates.append(Path(str(dist.locate_file(f))).resolve().parent)
    except importlib.metadata.PackageNotFoundError:
        pass
    candidates.append(Path(sys.prefix) / "share" / "hunspell")
    for folder in candidates:
        if (folder / _AFF).is_file() and (folder / _DIC).is_file():
            return folder / _AFF, folder / _DIC
    raise ConfigError(
        "The Swedish dictionary hunspell-sv is not installed: pip install hunspell-sv "
        "(needed for stemming and compound splitting)"
    )


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


# -- reading hunspell ------------------------------------------------------------------------------

_Rule = tuple[str, str, str, "re.Pattern[str]"]  # strip, add, continuation flags, condition


def _read_aff(path: Path) -> tuple[dict[str, list[_Rule]], dict[str, str]]:
    rules: dict[str, list[_Rule]] = {}
    options: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0] == "SFX" and len(fields) >= 5:
            flag, strip, add, cond = fields[1], fields[2], fields[3], fields[4]
            add, _, cont = add.partition("/")
            rules.setdefault(flag, []).append(
                (
                    "" if strip == "0" else strip,
                    "" if add == "0" else add,
                    cont,
                    re.compile("(?:" + cond + ")$"),
                )
            )
        elif len(fields) == 2 and fields[0].isupper():
            options[fields[0]] = fields[1]
    return rules, options


def _read_dic(path: Path) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        next(fh)  # the entry count
        for line in fh:
            word, _, flags = line.strip().partition("/")
            word = word.lower()
            if word and word.replace("-", "").isalpha() and not word.startswith("-"):
                entries.append((word, flags.split()[0] if flags.strip() else ""))
    return entries


def _usable(form: str) -> bool:
    return bool(form) and form[-1] != "-" and form.replace("-", "").isalpha()


def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("swedish")


def build_lexicon() -> Lexicon:
    """Derive the lexicon from the installed hunspell-sv (takes several seconds)."""
    aff_path, dic_path = hunspell_files()
    rules, options = _read_aff(aff_path)
    begin_flag = options.get("COMPOUNDBEGIN", "X")
    middle_flag = options.get("COMPOUNDMIDDLE", "U")
    end_flag = options.get("COMPOUNDEND", "Y")
    only_flag = options.get("ONLYINCOMPOUND", "Z")
    forbidden_flag = options.get("FORBIDDENWORD", "%")
    needaffix_flag = options.get("NEEDAFFIX", "¤")

    intern: dict[str, str] = {}
    words: set[str] = set()
    lemmas: set[str] = set()  # entries with an inflection paradigm of their own
    lemmas_of: dict[str, set[str]] = {}
    begin: dict[str, str] = {}
    middle: dict[str, str] = {}
    end: set[str] = set()
    heads: set[str] = set()

    for word, flags in _read_dic(dic_path):
        if forbidden_flag in flags:
            continue
        word = intern.setdefault(word, word)
        standalone = only_flag not in flags and needaffix_flag not in flags
        if standalone:
            words.add(word)
        if begin_flag in flags:
            begin.setdefault(word, word)
        if middle_flag in flags:
            middle.setdefault(word, word)
        is_end = end_flag in flags
        if is_end:
            end.add(word)
            heads.add(word)
        for flag in flags:
            for strip, add, cont, cond in rules.get(flag, ()):
                if not word.endswith(strip) or not cond.search(word):
                    continue
                form = word[: len(word) - len(strip)] + add
                if not _usable(form):
                    continue
                form = intern.setdefault(form, form)
                if cont:  # a linking form such as digitaliserings-: only inside compounds
                    if begin_flag in cont:
                        begin.setdefault(form, word)
                    if middle_flag in cont:
                        middle.setdefault(form, word)
                    continue
                if is_end:
                    end.add(form)
                if only_flag in flags:
                    continue
                words.add(form)
                if flag not in _DERIVING_FLAGS:
                    lemmas_of.setdefault(form, set()).add(word)
                    if standalone:
                        lemmas.add(word)

    _recover_bases(begin, words)
    _recover_bases(middle, words)
    stems, folded_stems, collisions = _stem_tables(words, lemmas, lemmas_of)
    return Lexicon(
        key=_versions(),
        stems=stems,
        folded_stems=folded_stems,
        fold_collisions=collisions,
        begin=begin,
        middle=middle,
        end=frozenset(end),
        heads=frozenset(heads),
    )


# Suffix classes that derive new words (absolutist -> absolutistisk, Lund -> lundabo): their forms
# are words of their own, not inflections of the entry.
_DERIVING_FLAGS = frozenset("Ted")


def _recover_bases(table: dict[str, str], words: set[str]) -> None:
    # Some compound-only morphemes are entries of their own (samhälls, skol, tjänste): find the word
    # they link, so the modifier base is samhälle, skola, tjänst.
    for form, base in table.items():
        if base != form or form in words:
            continue
        stem, last = form[:-1], form[-1]
        if last == "s":
            guesses = (stem, stem + "e", stem + "a")
        elif last == "e":
            guesses = (stem, stem + "a")
        elif last in "ou":
            guesses = (stem + "a", stem + "e")
        else:
            guesses = (form + "a", form + "e")
        for guess in guesses:
            if guess in words and len(guess) >= 3:
                table[form] = guess
                break


def _lemma_stem(lemma: str, snow: dict[str, str]) -> str:
    stem = snow[lemma]
    for suffix in KEPT_SUFFIXES:
        if lemma.endswith(suffix) and len(stem) <= len(lemma) - len(suffix):
            return lemma
    return stem


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _stem_tables(
    words: set[str], lemmas: set[str], lemmas_of: dict[str, set[str]]
) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    # Hyphenated words are stemmed on their last part at run time, so they need no entry.
    plain = sorted(w for w in words if "-" not in w)
    bases = {lemma for forms in lemmas_of.values() for lemma in forms if "-" not in lemma}
    every = sorted(set(plain) | bases)
    stemmer = _stemmer()
    snow = dict(zip(every, stemmer.stemWords(every), strict=True))
    interned: dict[str, str] = {}
    stems: dict[str, str] = {}
    final: dict[str, str] = {}
    for form in plain:
        if form in lemmas or form not in lemmas_of:
            target = _lemma_stem(form, snow)
        else:
            targets = {_lemma_stem(lemma, snow) for lemma in lemmas_of[form] if "-" not in lemma}
            if not targets or snow[form] in targets:
                target = snow[form]
            else:
                # Several lemmas disagree: prefer the stem closest to the form's own spelling.
                target = min(targets, key=lambda t: (-_common_prefix(t, form), t))
        target = interned.setdefault(target, target)
        final[form] = target
        if target != snow[form]:
            stems[form] = target

    # Folded forms: key on the Snowball stem of the folded form, which one paradigm mostly shares,
    # so the table stays small. Keys that are the stem of a real ASCII word are left out.
    diacritic = [w for w in plain if fold(w) != w and len(fold(w)) >= MIN_FOLD_LEN]
    collisions = frozenset(fold(w) for w in diacritic if fold(w) in words)
    ascii_stems = {snow[w] for w in plain if fold(w) == w}
    folded: dict[str, str | None] = {}
    folded_forms = [fold(w) for w in diacritic]
    for form, key in zip(diacritic, stemmer.stemWords(folded_forms), strict=True):
        if fold(form) in collisions:
            continue
        if folded.setdefault(key, final[form]) != final[form]:
            folded[key] = None  # two words fold together: let Snowball decide instead
    folded_stems = {
        k: v for k, v in folded.items() if v is not None and v != k and k not in ascii_stems
    }
    return stems, folded_stems, collisions


# -- cache -----------------------------------------------------------------------------------------


def load_or_build(path: Path | None = None) -> Lexicon:
    """The lexicon from the cache file, building and caching it when missing or stale."""
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
    lexicon = build_lexicon()
    log.info("built the Swedish lexicon in %.1f s", time.perf_counter() - started)
    _write_atomically(path, lexicon)
    return lexicon


def _write_atomically(path: Path, lexicon: Lexicon) -> None:
    # A temporary file in the same folder and os.replace: a reader never sees half a file, and
    # two processes building at once each replace the file with a complete copy.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(lexicon, fh, protocol=pickle.HIGHEST_PROTOCOL)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
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
    return _lexicon
