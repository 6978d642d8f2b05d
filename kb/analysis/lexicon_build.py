"""Deriving the lexicon from hunspell-sv: read sv_SE.aff/.dic, expand suffix rules, build tables.

The stem override table maps every dictionary form to the Snowball stem of its lemma where Snowball
alone would not conflate them (strategin -> strategi); the compound tables say which forms may
begin, stand inside or end a compound. Called by kb.lexicon when its cache is missing or stale.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path
from typing import Any

from kb.analysis.lexicon import HUNSPELL_DIST, MIN_FOLD_LEN, Lexicon, fold, lexicon_key
from kb.errors import ConfigError

_AFF, _DIC = "sv_SE.aff", "sv_SE.dic"

# Lemmas ending in these derivational suffixes keep them as their stem when Snowball would cut
# them off, so myndighet stays apart from myndig and projektor from projekt.
KEPT_SUFFIXES = ("het", "or")
# Compound parts have 3+ letters, so only longer proper nouns can be cut inside.
MIN_PROPER_CUT = 3


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


def _read_dic(path: Path) -> list[tuple[str, str, bool]]:
    """(lowercased word, flags, whether it is a proper noun) for every usable entry."""
    entries: list[tuple[str, str, bool]] = []
    with path.open(encoding="utf-8") as fh:
        next(fh)  # the entry count
        for line in fh:
            raw, _, flags = line.strip().partition("/")
            word = raw.lower()
            if word and word.replace("-", "").isalpha() and not word.startswith("-"):
                proper = raw[0].isupper() and not raw.isupper()  # Trollhättan, not SKR
                entries.append((word, flags.split()[0] if flags.strip() else "", proper))
    return entries


def _usable(form: str) -> bool:
    return bool(form) and form[-1] != "-" and form.replace("-", "").isalpha()


def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("swedish")


def build_lexicon() -> Lexicon:
    """Derive the lexicon from the installed hunspell-sv (takes several seconds)."""
    aff_path, dic_path = hunspell_files()
    try:
        rules, options = _read_aff(aff_path)
        entries = _read_dic(dic_path)
    except (OSError, UnicodeDecodeError, re.error, StopIteration) as err:
        raise ConfigError(f"Cannot read the hunspell-sv dictionary {dic_path}: {err}") from err
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
    propers: set[str] = set()

    for word, flags, proper in entries:
        if forbidden_flag in flags:
            continue
        word = intern.setdefault(word, word)
        if proper and len(word) > MIN_PROPER_CUT:
            propers.add(word)
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

    _recover_bases(begin, words, heads)
    _recover_bases(middle, words, heads)
    stems, folded_stems, collisions = _stem_tables(words, lemmas, lemmas_of)
    return Lexicon(
        key=lexicon_key(),
        stems=stems,
        folded_stems=folded_stems,
        fold_collisions=collisions,
        begin=begin,
        middle=middle,
        end=frozenset(end),
        heads=frozenset(heads),
        proper_nouns=frozenset(propers),
    )


# Suffix classes that derive new words (absolutist -> absolutistisk, Lund -> lundabo): their forms
# are words of their own, not inflections of the entry.
_DERIVING_FLAGS = frozenset("Ted")


def _recover_bases(table: dict[str, str], words: set[str], heads: set[str]) -> None:
    for form, base in table.items():
        if form[-1] == "s" and base not in (form, form[:-1]) and form[:-1] in heads:
            # skydds- links the noun skydd, not the verb skydda that also yields it.
            table[form] = form[:-1]
            continue
        # Some compound-only morphemes are entries of their own (samhälls, skol, tjänste): find
        # the word they link, so the modifier base is samhälle, skola, tjänst.
        if base != form or form in words:
            continue
        stem, last = form[:-1], form[-1]
        guesses: tuple[str, ...]
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
    plain = [w for w in words if "-" not in w]
    bases = {lemma for forms in lemmas_of.values() for lemma in forms if "-" not in lemma}
    every = list(bases.union(plain))
    stemmer = _stemmer()
    snow = dict(zip(every, stemmer.stemWords(every), strict=True))
    lemma_targets: dict[str, str] = {}

    def lemma_target(lemma: str) -> str:
        found = lemma_targets.get(lemma)
        if found is None:
            found = lemma_targets[lemma] = _lemma_stem(lemma, snow)
        return found

    stems: dict[str, str] = {}
    final: dict[str, str] = {}
    for form in plain:
        own = snow[form]
        if form in lemmas or form not in lemmas_of:
            target = lemma_target(form)
        else:
            targets = {lemma_target(lemma) for lemma in lemmas_of[form] if "-" not in lemma}
            if not targets or own in targets:
                target = own
            elif len(targets) == 1:
                (target,) = targets
            else:
                # Several lemmas disagree: prefer the stem closest to the form's own spelling.
                target = min(targets, key=lambda t: (-_common_prefix(t, form), t))
        final[form] = target
        if target != own:
            stems[form] = target

    # Folded forms: key on the Snowball stem of the folded form, which one paradigm mostly shares,
    # so the table stays small. Keys that are the stem of a real ASCII word are left out.
    folds = {w: fold(w) for w in plain if not w.isascii()}
    ascii_stems = {snow[w] for w in plain if folds.get(w, w) == w}
    diacritic = [w for w, f in folds.items() if f != w and len(f) >= MIN_FOLD_LEN]
    collisions = frozenset(folds[w] for w in diacritic if folds[w] in words)
    folded: dict[str, str | None] = {}
    keys = stemmer.stemWords([folds[w] for w in diacritic])
    for form, key in zip(diacritic, keys, strict=True):
        if folds[form] in collisions:
            continue
        if folded.setdefault(key, final[form]) != final[form]:
            folded[key] = None  # two words fold together: let Snowball decide instead
    folded_stems = {
        k: v for k, v in folded.items() if v is not None and v != k and k not in ascii_stems
    }
    return stems, folded_stems, collisions
