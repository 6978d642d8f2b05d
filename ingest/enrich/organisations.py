"""The organisations that can publish a document, and where a text names them.

Owns the publisher registry: the agencies and other national bodies of
``corpus/taxonomy/organisations.tsv``, every municipality by its organisation names ("Kungsbacka
kommun", "Malmö stad", not the bare place name), the county regions ("Region Halland"), the
county administrative boards ("Länsstyrelsen i Kalmar län") and the kommunalförbund of
regions.toml. Ids are prefixed by kind: "org:digg", "kommun:1384", "lan:13", "lansstyrelse:13",
"region:fyrbodal". Imports kb and ingest only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.enrich.words import Token, is_acronym, longest_forms, tokenize

if TYPE_CHECKING:
    from kb.taxonomy.model import Taxonomy

FILE_NAME = "organisations.tsv"
MAX_FORM_WORDS = 8
_HOST = re.compile(r"(?<![\w.-])(?:[\w-]+\.)*([\w-]+)\.(?:se|nu|com|org|eu|net)\b", re.IGNORECASE)
_MUNICIPAL_WORDS = ("kommun", "stad", "city of", "region gotland")
# A short name the document defines for an organisation right after its name: "Kammarkollegiet
# (nedan Inköpscentralen)", "Statens servicecenter (i det följande kallat SSC)", "Exempel AB
# (hädanefter ”Bolaget”)". Up to two words, the first capitalised.
_DEFINED = re.compile(
    r"\s*(?:AB\s*)?\((?:nedan|hädanefter|i det följande|härefter)"
    r"(?:\s+(?:kallad|kallat|kallas|benämnd))?"
    r"\s*[\"”»']?([A-ZÅÄÖ][\w-]+(?: [a-zåäö][\w-]+)?)[\"”»']?\s*\)"
)


@dataclass(frozen=True)
class Organisation:
    """One possible publisher.

    Attributes:
        id: "org:<id>", "kommun:<SCB code>", "lan:<county code>", "lansstyrelse:<county code>"
            or "region:<region id>".
        name: the name shown ("Myndigheten för digital förvaltning", "Kungsbacka kommun").
        kind: "myndighet", "kommun", "region", "kommunalförbund", ...
        forms: every name form that points to it, the name first.
        hosts: its web sites ("digg.se").
    """

    id: str
    name: str
    kind: str
    forms: tuple[str, ...]
    hosts: tuple[str, ...] = ()

    @property
    def municipality(self) -> str:
        """The SCB code when the organisation is a municipality, else ""."""
        kind, _, code = self.id.partition(":")
        return code if kind == "kommun" else ""

    @property
    def county(self) -> str:
        """The county code when the organisation is a county region, else ""."""
        kind, _, code = self.id.partition(":")
        return code if kind == "lan" else ""


@dataclass(frozen=True)
class Mention:
    """One place where a text names an organisation (character offsets)."""

    org: str
    start: int
    end: int
    text: str


def _key(surface: str) -> tuple[str, ...]:
    return tuple(t.lower.split(":")[0] for t in tokenize(surface))


def _genitive(form: str) -> str | None:
    return None if form[-1:] in "sxz)!" else form + "s"


class Registry:
    """Every possible publisher of one taxonomy, with a scanner for their names and hosts."""

    def __init__(self, organisations: list[Organisation]):
        self.by_id = {o.id: o for o in organisations}
        self.forms: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
        self.suffixes: list[tuple[str, str]] = []
        self.hosts: dict[str, str] = {}
        for org in organisations:
            for form in org.forms:
                if form.startswith("*"):
                    self.suffixes.append((form[1:].lower(), org.id))
                    continue
                for surface in filter(None, (form, _genitive(form))):
                    key = _key(surface)
                    if 0 < len(key) <= MAX_FORM_WORDS and (org.id, form) not in self.forms[key]:
                        self.forms[key].append((org.id, form))
            for host in org.hosts:
                self.hosts[host.lower().removeprefix("www.")] = org.id

    def scan(self, text: str) -> list[Mention]:
        """Where ``text`` names an organisation: the longest name form at each word, or a word
        ending in a listed suffix ("civilministern")."""
        tokens = tokenize(text)
        keys = [t.lower.split(":")[0] for t in tokens]

        def pick(i: int, n: int, candidates: Sequence[tuple[str, str]]) -> str | None:
            words = [t.text.split(":")[0] for t in tokens[i : i + n]]
            # An acronym form ("MSB") counts only in capitals.
            return next(
                (org for org, form in candidates if not is_acronym(form) or words[0] == form), None
            )

        found: list[Mention] = []
        for i, n, org in longest_forms(keys, self.forms, MAX_FORM_WORDS, pick):
            if org is not None:
                end = tokens[i + n - 1].end
                found.append(Mention(org, tokens[i].start, end, text[tokens[i].start : end]))
                continue
            if mention := self._compound(tokens[i], keys[i], text):
                found.append(mention)
                continue
            for suffix, suffix_org in self.suffixes:
                if keys[i].endswith(suffix) and len(keys[i]) > len(suffix):
                    token = tokens[i]
                    found.append(Mention(suffix_org, token.start, token.end, token.text))
                    break
        return found

    def _compound(self, token: Token, key: str, text: str) -> Mention | None:
        """A one-word name opening a hyphenated compound: "OpenUp-projektet", "SKR-rapporten",
        "NOSAD-eventet" name the organisation as their first part."""
        head, dash, _ = key.partition("-")
        if not dash or not head:
            return None
        surface = text[token.start : token.start + len(head)]
        for org, form in self.forms.get((head,), ()):
            if not is_acronym(form) or surface == form:
                return Mention(org, token.start, token.start + len(head), surface)
        return None

    def host_org(self, host: str) -> str | None:
        """The organisation whose site ``host`` is ("www.digg.se", "kommun.kungsbacka.se")."""
        labels = host.lower().removeprefix("www.").split(".")
        for k in range(len(labels) - 1):
            org = self.hosts.get(".".join(labels[k:]))
            if org:
                return org
        return None

    def hosts_in(self, text: str) -> list[Mention]:
        """Web and e-mail addresses in ``text`` that belong to a known organisation."""
        found = []
        for m in _HOST.finditer(text):
            host = m[0].split("@")[-1]
            org = self.host_org(host)
            if org:
                found.append(Mention(org, m.start(), m.end(), m[0]))
        return found


def with_defined_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus every later use of a short name the text defines for one of them
    ("Kammarkollegiet (nedan Inköpscentralen) ... Inköpscentralen har genomfört ..."): the
    document then speaks of the organisation by that name, which is in no list."""
    extra: list[Mention] = []
    for m in mentions:
        defined = _DEFINED.match(text, m.end)
        if not defined:
            continue
        name = defined[1]
        for use in re.finditer(rf"\b{re.escape(name)}s?\b", text[defined.end() :]):
            at = defined.end() + use.start()
            extra.append(Mention(m.org, at, at + len(use[0]), use[0]))
    return sorted([*mentions, *extra], key=lambda m: m.start) if extra else mentions


def load_organisations(taxonomy: Taxonomy, path: Path | None = None) -> list[Organisation]:
    """The national organisations of ``organisations.tsv`` (in the taxonomy's folder) followed by
    the municipalities, county regions, county administrative boards and kommunalförbund."""
    orgs: list[Organisation] = []
    file = path or Path(taxonomy.directory) / FILE_NAME
    if file.is_file():
        orgs += _read_tsv(file)
    for m in taxonomy.municipalities.values():
        forms = [f for f in m.forms if any(w in f.lower() for w in _MUNICIPAL_WORDS)]
        forms += _without_genitive(m.name, forms)
        hosts = (re.sub(r"[^a-z0-9]", "", _ascii(m.name)) + ".se",)
        orgs.append(Organisation(f"kommun:{m.code}", forms[0] if forms else m.name, "kommun",
                                 tuple(forms), hosts))  # fmt: skip
    for county in taxonomy.counties.values():
        if county.forms:
            # "Region Halland" publishes on regionhalland.se (and its subdomains).
            region_hosts = tuple(
                re.sub(r"[^a-z0-9]", "", _ascii(f)) + ".se"
                for f in county.forms
                if f.lower().startswith("region ")
            )
            orgs.append(Organisation(f"lan:{county.code}", county.forms[0], "region",
                                     county.forms, region_hosts))  # fmt: skip
        board = f"Länsstyrelsen i {county.name}"
        orgs.append(Organisation(f"lansstyrelse:{county.code}", board, "länsstyrelse", (board,)))
    for region in taxonomy.regions.values():
        aliases = tuple(a for a in region.aliases if len(a) >= 4 or a.isupper())
        orgs.append(Organisation(f"region:{region.id}", region.name, region.kind,
                                 (region.name, *aliases)))  # fmt: skip
    return orgs


def _without_genitive(name: str, forms: list[str]) -> list[str]:
    """ "Helsingborg stad" beside "Helsingborgs stad": the organisation's name is often written
    without the genitive s."""
    extra = []
    for form in forms:
        head, _, word = form.rpartition(" ")
        if head == name + "s" and word.lower() in ("kommun", "stad"):
            extra.append(f"{name} {word}")
    return [f for f in extra if f not in forms]


def _ascii(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _read_tsv(path: Path) -> list[Organisation]:
    orgs = []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    rows = [ln.split("\t") for ln in lines if not ln.startswith("#")]
    for row in rows[1:]:
        row += [""] * (5 - len(row))
        ident, name, kind, forms, hosts = (c.strip() for c in row[:5])
        names = [name, *(f.strip() for f in forms.split(";") if f.strip())]
        sites = tuple(h.strip() for h in hosts.split(";") if h.strip())
        orgs.append(Organisation(f"org:{ident}", name, kind, tuple(names), sites))
    return orgs
