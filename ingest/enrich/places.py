"""Find the municipalities (SCB codes) and regions a document refers to, with scores and evidence.

Owns the gazetteer of name forms, the context rules for names that are ordinary words ("Vara",
"Mark", "Boden"), URL host hints, and the rule that names inside other organisations' names
("Lunds universitet", "Jönköpings län") do not count. Imports kb and ingest only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ingest.enrich.words import Token, longest_forms, tokenize

if TYPE_CHECKING:
    from kb.taxonomy.model import Taxonomy

MAX_FORM_WORDS = 5
# Words after a name that make it part of another organisation's name.
_OTHER_ORG_NEXT = frozenset({
    "universitet", "universitets", "universitetet", "högskola", "län", "läns", "stift",
    "stifts", "tingsrätt", "tingsrätts", "hovrätt", "lasarett", "sjukhus", "university",
    "county", "tekniska", "energi", "hamn", "science", "stadsnät", "stiftelse",
})  # fmt: skip
# "Förvaltningsrätten i Göteborg", "Högskolan i Skövde": a court or school named after the place.
_OTHER_ORG_BEFORE = frozenset({
    "högskolan", "universitetet", "länsstyrelsen", "förvaltningsrätten", "kammarrätten",
    "tingsrätten", "hovrätten", "polisen", "domstolen", "landstinget", "migrationsdomstolen",
})  # fmt: skip
# Words after an ambiguous name that show it names the municipality ("Vara kommunfullmäktige").
_MUNICIPAL_NEXT = frozenset({
    "kommun", "kommuns", "kommunfullmäktige", "kommunstyrelse", "kommunstyrelsen",
    "kommunstyrelses", "kommunkoncern", "kommunkoncernen", "stad", "stads", "municipality",
})  # fmt: skip
# Place prepositions before a capitalised ambiguous name ("i Mark", "från Boden").
_PLACE_PREPOSITIONS = frozenset(
    {"i", "från", "till", "inom", "utanför", "kring", "runt", "in", "from"}
)
_LIST_GAP = re.compile(r"^\s*(?:,|och|samt|and|&|/|;|–|-)\s*$", re.IGNORECASE)
_HOST_TLDS = frozenset({"se", "nu", "com", "org", "net", "eu"})


@dataclass(frozen=True)
class _Form:
    kind: str  # "muni", "region" or "block" (a county: its name is not a municipality)
    target: str
    surface: str  # canonical spelling, for the case check and the evidence
    weak: bool  # an ambiguous bare name: needs context

    @property
    def words(self) -> tuple[str, ...]:
        return _surface_words(self.surface)


@dataclass(frozen=True)
class Match:
    """One accepted-or-not occurrence of a name form in a text."""

    form: _Form
    text: str
    start: int  # character offsets in the scanned text
    end: int
    first: int  # token indexes
    last: int
    other_org: bool = False  # part of another organisation's name ("Lunds universitet")


def fold(text: str) -> str:
    """Lower case without diacritics ("Göteborg" -> "goteborg")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=8192)
def _surface_words(surface: str) -> tuple[str, ...]:
    return tuple(t.text.split(":")[0] for t in tokenize(surface))


def _key(text: str) -> tuple[str, ...]:
    return tuple(t.lower.split(":")[0] for t in tokenize(text))


def _host_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


class Gazetteer:
    """The name forms of one taxonomy, indexed by lower-case word tuples."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.forms: dict[tuple[str, ...], list[_Form]] = defaultdict(list)
        self.hosts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        region_keys: set[tuple[str, ...]] = set()
        for region in taxonomy.regions.values():
            for alias in {region.name, region.short_name, *region.aliases}:
                for surface in (alias, alias + "s") if alias[-1] not in "sxz)" else (alias,):
                    region_keys.add(_key(surface))
                    self._add(surface, _Form("region", region.id, surface, False))
                if " " not in alias and len(alias) >= 4:
                    self.hosts[_host_key(alias)].append(("region", region.id))
        for county in taxonomy.counties.values():
            for surface in (county.name, county.name + "s", county.name_en, *county.forms):
                if not surface:
                    continue
                if _key(surface) not in region_keys:
                    self._add(surface, _Form("block", county.code, surface, False))
        folded: dict[str, set[str]] = defaultdict(set)
        for m in taxonomy.municipalities.values():
            for form in (m.name, *m.forms):
                folded[fold(form)].add(m.code)
        for m in taxonomy.municipalities.values():
            bare = set(m.bare_forms)
            for form in (m.name, *m.forms):
                weak = m.ambiguous and form in bare
                self._add(form, _Form("muni", m.code, form, weak))
                # "Goteborg", "Skovde": typed without diacritics, when that is still unique.
                ascii_form = fold(form)
                unique = folded[ascii_form] == {m.code}
                if ascii_form != form.lower() and len(ascii_form) >= 5 and unique:
                    self._add(ascii_form.title(), _Form("muni", m.code, form, weak))
            for key in {_host_key(m.name), _host_key(m.name) + "kommun"}:
                self.hosts[key].append(("muni", m.code))

    def _add(self, surface: str, form: _Form) -> None:
        key = _key(surface)
        if not 0 < len(key) <= MAX_FORM_WORDS or form in self.forms[key]:
            return
        # A municipality or region form beats a county form with the same words ("Region Gotland").
        if form.kind == "block" and self.forms[key]:
            return
        if form.kind != "block":
            self.forms[key] = [f for f in self.forms[key] if f.kind != "block"]
        self.forms[key].append(form)

    def host_targets(self, url: str | None) -> list[tuple[str, str, str]]:
        """(kind, id, host) for the organisation a URL's host names ("www.uddevalla.se")."""
        if not url:
            return []
        host = (urlsplit(url).hostname or "").lower()
        labels = host.split(".")
        if len(labels) < 2 or labels[-1] not in _HOST_TLDS:
            return []
        targets = self.hosts.get(labels[-2], [])
        # A host key shared by two names (Håbo and Habo both fold to "habo") proves nothing.
        return [(kind, ident, host) for kind, ident in targets] if len(targets) == 1 else []

    def scan(self, text: str) -> tuple[list[Token], list[Match]]:
        """The tokens of ``text`` and its name-form matches (longest first, not overlapping)."""
        tokens = tokenize(text)
        keys = [t.lower.split(":")[0] for t in tokens]

        def pick(i: int, n: int, candidates: Sequence[_Form]) -> tuple[_Form, str] | None:
            form = _case_fit(candidates, [t.text.split(":")[0] for t in tokens[i : i + n]])
            return None if form is None else (form, candidates[0].surface)

        found: list[Match] = []
        for i, n, picked in longest_forms(keys, self.forms, MAX_FORM_WORDS, pick):
            if picked is None:
                continue
            form, surface = picked
            end = tokens[i + n - 1].end
            if "(" in surface and text[end : end + 1] == ")":
                end += 1  # "Göteborgsregionen (GR)": keep the closing parenthesis
            found.append(
                Match(form, text[tokens[i].start : end], tokens[i].start, end, i, i + n - 1)
            )
        return tokens, [_flag_other(m, tokens, text) for m in found]


def _case_fit(candidates: Sequence[_Form], words: list[str]) -> _Form | None:
    """The first form whose capital letters the text keeps ("mark" is not "Mark"); text in
    capitals only (letterheads: "VARA KOMMUN") fits every form."""
    if " ".join(words).isupper():
        return candidates[0]
    for form in candidates:
        canon = form.words
        if all(
            not c.isupper() or (j < len(w) and w[j].isupper())
            for cw, w in zip(canon, words, strict=False)
            for j, c in enumerate(cw)
        ):
            return form
    return None


def _flag_other(match: Match, tokens: list[Token], text: str) -> Match:
    """The match, flagged when it is part of another organisation's name: "Lunds universitet",
    "Förvaltningsrätten i Göteborg", "Mark- och miljödomstolen" (a compound's first part)."""
    if match.form.kind != "muni":
        return match
    nxt = tokens[match.last + 1].lower if match.last + 1 < len(tokens) else ""
    before = [t.lower for t in tokens[max(0, match.first - 2) : match.first]]
    other = (
        nxt in _OTHER_ORG_NEXT
        or (len(before) == 2 and before[1] == "i" and before[0] in _OTHER_ORG_BEFORE)
        or text[match.end : match.end + 2] in ("- ", "-\n")
    )
    return replace(match, other_org=True) if other else match


def accept(
    tokens: list[Token], matches: list[Match], text: str, strong_codes: set[str]
) -> list[Match]:
    """The matches to keep: unambiguous ones, and ambiguous bare names that have context (a
    place preposition, "kommun" after, a list of other names, a firm mention elsewhere)."""
    accepted = [not m.form.weak for m in matches]
    for k, m in enumerate(matches):
        if accepted[k]:
            continue
        prev = tokens[m.first - 1] if m.first else None
        nxt = tokens[m.last + 1].lower if m.last + 1 < len(tokens) else ""
        after_preposition = (
            prev is not None
            and prev.lower in _PLACE_PREPOSITIONS
            and text[prev.end : m.start].strip() == ""
            and m.text[:1].isupper()
        )
        in_parentheses = text[m.start - 1 : m.start] == "(" and text[m.end : m.end + 1] == ")"
        accepted[k] = (
            nxt in _MUNICIPAL_NEXT
            or m.form.target in strong_codes
            or after_preposition
            or in_parentheses
        )
    changed = True
    while changed:  # lists: "Götene, Lidköping, Vara, Grästorp och Essunga"
        changed = False
        for k, m in enumerate(matches):
            if accepted[k] or not m.text[:1].isupper():
                continue
            for j in (k - 1, k + 1):
                if 0 <= j < len(matches) and accepted[j] and matches[j].form.kind == "muni":
                    lo, hi = (matches[j], m) if j < k else (m, matches[j])
                    if _LIST_GAP.match(text[lo.end : hi.start]):
                        accepted[k] = changed = True
                        break
    return [m for m, ok in zip(matches, accepted, strict=True) if ok]
