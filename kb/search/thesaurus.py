"""The thesaurus: synonyms and acronyms staff edit in a text file, applied at query time.

File format (``corpus/thesaurus.txt``), one rule per line, ``#`` starts a comment:

    gdpr, dataskyddsförordningen          # a group: each entry finds the others
    robotisering => rpa, automatisering   # one way: the left side also finds the right side

Entries are words or phrases; they are compared by their index terms, so inflections match
(``e-tjänster`` uses the rule for ``e-tjänst``). One-way rules are applied once, never chained.

Bad input never replaces a working thesaurus: ``ThesaurusFile`` re-reads the file when its
mtime or size changes, and when the new text is malformed (a line that is not a rule, an entry in
two groups, a cycle of one-way rules, an empty or enormous file) it keeps the previous rules and
reports the error with the line number (``ThesaurusFile.error``).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import ConfigError

log = logging.getLogger(__name__)

MAX_BYTES = 512 * 1024  # a hand-kept list; far above any real one, far below a mistake
MAX_RULES = 5_000
MAX_ENTRY_WORDS = 5
MAX_EXPANSIONS = 8  # entries added to one query word at most
CHECK_EVERY = 1.0  # seconds between two stat() calls of the file
_ENTRY = re.compile(r"^[\w][\w\- ’'.]*$", re.UNICODE)


class ThesaurusError(ConfigError):
    """A thesaurus file that cannot be used; the message names the line."""


@dataclass(frozen=True)
class Rule:
    line: int
    sources: tuple[str, ...]  # entries whose query also searches ``targets``
    targets: tuple[str, ...]
    group: bool  # a group (a, b, c) rather than a one-way rule


@dataclass(frozen=True)
class Thesaurus:
    """Parsed rules; ``expansions`` maps an entry to the entries it also searches for."""

    rules: tuple[Rule, ...] = ()
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def compiled(
        self, analyze: Callable[[str], list[str]]
    ) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Expansions keyed by the index terms of the entry (so inflected forms match)."""

        def key_of(entry: str) -> tuple[str, ...]:
            return tuple(t for w in entry.split() for t in analyze(w))

        out: dict[tuple[str, ...], list[str]] = {}
        for entry, targets in self.expansions.items():
            key = key_of(entry)
            if key:
                bucket = out.setdefault(key, [])
                # A target that is only another form of the entry adds nothing.
                bucket.extend(t for t in targets if t not in bucket and key_of(t) != key)
        return {k: tuple(v[:MAX_EXPANSIONS]) for k, v in out.items()}


def _entries(text: str, line: int) -> tuple[str, ...]:
    items = tuple(" ".join(e.split()).lower() for e in text.split(","))
    for e in items:
        if not e:
            raise ThesaurusError(f"rad {line}: tomt ord mellan kommatecken / empty entry")
        if not _ENTRY.match(e) or len(e.split()) > MAX_ENTRY_WORDS:
            raise ThesaurusError(
                f"rad {line}: {e[:40]!r} är inget ord eller uttryck (högst {MAX_ENTRY_WORDS} ord) "
                "/ not a word or phrase"
            )
    return items


def parse_thesaurus(text: str) -> Thesaurus:
    """Parse the file text; raises ThesaurusError naming the first bad line."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ThesaurusError(
            f"filen är för stor ({len(text.encode('utf-8')) // 1024} kB, högst {MAX_BYTES // 1024} "
            "kB) / file too large"
        )
    if not text.strip():
        raise ThesaurusError("filen är tom (avbruten skrivning?) / the file is empty")
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, _, right = line.partition("=>")
            if "=>" in right:
                raise ThesaurusError(f"rad {number}: mer än en => / more than one =>")
            sources, targets = _entries(left, number), _entries(right, number)
            rules.append(Rule(number, sources, targets, group=False))
        else:
            items = _entries(line, number)
            if len(items) < 2:
                raise ThesaurusError(
                    f"rad {number}: skriv minst två ord åtskilda med komma, eller a => b "
                    "/ a rule needs two entries"
                )
            rules.append(Rule(number, items, items, group=True))
        if len(rules) > MAX_RULES:
            raise ThesaurusError(f"rad {number}: fler än {MAX_RULES} regler / too many rules")
    return Thesaurus(tuple(rules), _expansions(rules))


def _expansions(rules: list[Rule]) -> dict[str, tuple[str, ...]]:
    group_of: dict[str, int] = {}
    out: dict[str, list[str]] = {}
    for rule in rules:
        if rule.group:
            for entry in rule.sources:
                if entry in group_of:
                    raise ThesaurusError(
                        f"rad {rule.line}: {entry!r} står redan i gruppen på rad "
                        f"{group_of[entry]}; slå ihop raderna / entry already in another group"
                    )
                group_of[entry] = rule.line
                out.setdefault(entry, []).extend(e for e in rule.sources if e != entry)
    arrows: dict[str, list[tuple[str, int]]] = {}
    for rule in rules:
        if not rule.group:
            for s in rule.sources:
                for t in rule.targets:
                    if s == t:
                        raise ThesaurusError(f"rad {rule.line}: {s!r} pekar på sig själv / self")
                    arrows.setdefault(s, []).append((t, rule.line))
                    bucket = out.setdefault(s, [])
                    if t not in bucket:
                        bucket.append(t)
    _check_cycles(arrows)
    return {k: tuple(v) for k, v in out.items()}


def _check_cycles(arrows: dict[str, list[tuple[str, int]]]) -> None:
    """One-way rules that lead back to where they started are a mistake: say so, with the line."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt, line in arrows.get(node, ()):
            if state.get(nxt) == 1:
                cycle = " => ".join([*path[path.index(nxt) :], node, nxt])
                raise ThesaurusError(
                    f"rad {line}: cirkel i envägsreglerna ({cycle}); skriv orden som en grupp "
                    "med kommatecken / cycle in one-way rules"
                )
            if state.get(nxt) is None:
                visit(nxt, [*path, node])
        state[node] = 2

    for start in list(arrows):
        if state.get(start) is None:
            visit(start, [])


class ThesaurusFile:
    """The thesaurus of one file, re-read when the file changes; bad edits keep the old rules."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: str | None = None
        self._current = Thesaurus()
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._compiled: dict[int, tuple[object, dict[tuple[str, ...], tuple[str, ...]]]] = {}
        self.reload()

    def current(self) -> Thesaurus:
        """The rules in force, after re-reading the file if it changed (at most once a second)."""
        now = time.monotonic()
        if now - self._checked >= CHECK_EVERY:
            self._checked = now
            self.reload()
        return self._current

    def compiled(
        self, analyze: Callable[[str], list[str]]
    ) -> dict[tuple[str, ...], tuple[str, ...]]:
        thesaurus = self.current()
        key = id(analyze)
        cached = self._compiled.get(key)
        if cached is None or cached[0] is not thesaurus:
            cached = (thesaurus, thesaurus.compiled(analyze))
            self._compiled[key] = cached
        return cached[1]

    def reload(self) -> bool:
        """Re-read the file if its mtime or size changed; True when new rules took effect."""
        try:
            st = os.stat(self.path)
        except OSError:
            stamp = None
        else:
            stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp == self._stamp:
                return False
            self._stamp = stamp
            if stamp is None:
                # No file: no synonyms (a deleted file is a choice, not a mistake).
                self._current, self.error = Thesaurus(), None
                return True
            try:
                parsed = parse_thesaurus(self.path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ThesaurusError) as err:
                self.error = f"{self.path}: {err}"
                log.warning("thesaurus not reloaded, previous rules stay in force: %s", self.error)
                return False
            self._current, self.error = parsed, None
            return True


def add_pair(path: Path, left: str, right: str, one_way: bool = False) -> Thesaurus:
    """Add the pair to the file after checking the result; nothing is written on error.

    A pair whose word already stands in a group joins that group (``kb synonym add ai ml`` with
    a line ``ai, artificiell intelligens`` gives ``ai, artificiell intelligens, ml``); otherwise a
    new line ``left, right`` (or ``left => right`` with ``one_way``) is appended.

    Raises:
        ThesaurusError: when the file with the change would not parse.
    """
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as err:  # one line from `kb synonym add`, no traceback
        raise ThesaurusError(f"{path}: kan inte läsas / cannot be read: {err}") from err
    left, right = " ".join(left.split()), " ".join(right.split())
    for word in (left, right):
        # The file's own syntax inside a word would write another rule than the one asked for
        # ("x => y" and "z" became the one-way rule x => y, z).
        if any(mark in word for mark in (",", "#", "=>")):
            raise ThesaurusError(
                f"{word!r}: ett ord får inte innehålla , # eller => / "
                "a word cannot hold ',', '#' or '=>'"
            )
    if left.lower() == right.lower():
        raise ThesaurusError(f"{left!r} och {right!r} är samma ord / the two words are the same")
    lines = old.splitlines()
    joined = False
    if not one_way and old.strip():
        try:
            rules = parse_thesaurus(old).rules
        except ThesaurusError:
            rules = ()
        words = {left.lower(), right.lower()}
        for rule in rules:
            if rule.group and words & set(rule.sources):
                missing = [w for w in (left, right) if w.lower() not in rule.sources]
                if missing:
                    raw = lines[rule.line - 1]
                    body, hash_, comment = raw.partition("#")
                    lines[rule.line - 1] = (
                        body.rstrip()
                        + ", "
                        + ", ".join(missing)
                        + (f"  #{comment}" if hash_ else "")
                    )
                joined = True
                break
    if not joined:
        lines.append(f"{left} => {right}" if one_way else f"{left}, {right}")
    new = "\n".join(lines) + "\n"
    try:
        parsed = parse_thesaurus(new)
    except ThesaurusError as err:
        # Name the file and say nothing was written: the faulty line may be one edited by hand
        # ("rad 98" alone did not say of what, nor whether the pair went in).
        raise ThesaurusError(f"Inget lades till / nothing added: {path}: {err}") from err
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:  # a corpus folder that is missing or read-only
        raise ThesaurusError(f"{path}: kan inte skrivas / cannot be written: {err}") from err
    return parsed
