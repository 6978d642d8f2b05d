"""The role a municipality's name plays where it stands, beyond "named as an organisation".

Owns three readings that make a reference a statement about the municipality itself:
- a municipal service of the place: "hemtjänsten i Borås", "Borås hemtjänst", "äldreboende i
  Tyresö", "kommunbesök i Gullspång" (the municipality runs it, so the name weighs like
  "Borås kommun");
- the addressee of a decision: "erbjudande till Gotlands kommun", "Regeringen förelägger Kiruna
  kommun" (the decision is about the municipality it is addressed to);
- a list the title points to: a title that names a municipality which stands in a short list in the
  text ("Utredning föreslår försökskommuner från Haparanda till Färgelanda" over the list of the
  14 proposed municipalities) is about every municipality in that list. A long list (a register
  of every party to a framework agreement) stays mentions.
Imports only ingest.enrich.places and ingest.enrich.words.
"""

from __future__ import annotations

import re

from ingest.enrich.places import Match
from ingest.enrich.words import Token

# Services a municipality runs. A word that starts with one of these, right before "i"/"på" and
# the name, or right after the name in the genitive, is the municipality at work.
_SERVICES = (
    "hemtjänst", "hemsjukvård", "äldreboende", "äldreomsorg", "socialtjänst", "socialförvaltning",
    "kulturskol", "förskol", "grundskol", "räddningstjänst", "kommunbesök", "stadsbibliotek",
    "överförmyndar", "elevhälsa", "biståndshandläggning", "färdtjänst",
)  # fmt: skip
_SERVICE_BEFORE = re.compile(
    r"\b(?:" + "|".join(_SERVICES) + r")\w*\s+(?:i|på|inom)\s+$", re.IGNORECASE
)
# "erbjudande till Gotlands kommun", "uppdrag åt Malmö stad", "förelägger Kiruna kommun"
_ADDRESSEE_BEFORE = re.compile(
    r"\b(?:(?:uppdrag|uppdraget|erbjudande|erbjudandet|föreläggande|föreläggandet)\s+(?:till|åt)"
    r"|förelägger|uppdrar\s+åt|ålägger)\s+$",
    re.IGNORECASE,
)
MAX_LISTED = 20  # a list the title points to is its subject up to this many municipalities
LIST_WINDOW = 160  # characters between neighbours in one list (as salience.LIST_WINDOW)


def is_service(m: Match, tokens: list[Token], text: str) -> bool:
    """The name stands for a service the municipality runs ("hemtjänsten i Borås")."""
    line_start = text.rfind("\n", 0, m.start) + 1
    if _SERVICE_BEFORE.search(text[max(line_start, m.start - 60) : m.start]):
        return True
    if m.last + 1 < len(tokens):
        nxt = tokens[m.last + 1]
        return (
            text[m.end : nxt.start] == " "
            and m.text.endswith("s")
            and nxt.lower.startswith(_SERVICES)
        )
    return False


def is_addressee(m: Match, text: str) -> bool:
    """The municipality is the one a decision or an assignment is addressed to."""
    line_start = text.rfind("\n", 0, m.start) + 1
    return bool(_ADDRESSEE_BEFORE.search(text[max(line_start, m.start - 40) : m.start]))


def list_members(seeds: list[Match], matches: list[Match]) -> set[str]:
    """The municipalities of every short list (at most ``MAX_LISTED``) that holds a seed
    reference: references chained by gaps of at most ``LIST_WINDOW`` characters."""
    munis = sorted((m for m in matches if m.form.kind == "muni"), key=lambda m: m.start)
    members: set[str] = set()
    for seed in seeds:
        lo = hi = next((i for i, m in enumerate(munis) if m.start == seed.start), -1)
        if lo < 0:
            continue
        while lo > 0 and munis[lo].start - munis[lo - 1].end <= LIST_WINDOW:
            lo -= 1
        while hi + 1 < len(munis) and munis[hi + 1].start - munis[hi].end <= LIST_WINDOW:
            hi += 1
        chain = {m.form.target for m in munis[lo : hi + 1]}
        if len(chain) <= MAX_LISTED:
            members |= chain
    return members
