"""Which municipalities a document is about (concerns) and which it only mentions.

Owns the salience rules. Every reference the gazetteer accepts is weighed by where and how it
stands: the organisation's name ("Nacka kommun", "Göteborgs Stad") weighs more than the bare
place name, the title and the opening weigh more than the body. What is not about the place
weighs nothing: postal addresses ("434 81 Kungsbacka", "103 33 Stockholm"), datelines
("Stockholm den 27 oktober 1994"), courts, schools and companies named after a place
("Förvaltningsrätten i Göteborg", "Lunds universitet"), person names ("Anders Lund"), lists and
tables of many municipalities, and lines repeated on every page. A municipality is a concern
when it publishes the document, when the title names it and the text names it as an
organisation, or when it stands out in the text; every other reference is a mention. Imports
kb and ingest only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ingest.enrich.place_roles import is_addressee, is_service, list_members
from ingest.enrich.places import Gazetteer, Match, accept
from ingest.enrich.words import Token, is_brief
from kb.document import Tag

W_ORG, W_BARE = 1.0, 0.4  # "Nacka kommun" against "Nacka"
W_TITLE_ORG, W_TITLE_BARE = 3.0, 1.5
LEAD_FACTOR = 2.0
LEAD_CHARS = 600
MIN_SALIENCE = 3.5  # a concern from the text alone needs this much...
TOP_SHARE = 0.5  # ...and half the best municipality's salience...
MAX_NAMED = 12  # ...in a text that names fewer municipalities than this (not a catalogue)
TITLE_BARE_MIN = 2.5  # a bare name in the title needs the text to name the place again
W_HOST = 5.0
LIST_WINDOW = 160  # characters either side of a name
LIST_MIN = 4  # this many different municipalities that close make a list or table
REPEATED_LINE = 3  # a line seen this often is page furniture (a header or footer)
REGION_FROM_MEMBERS = 0.8  # share of a region's members that must be named to infer it
REGION_MIN_MEMBERS = 4
_POSTCODE_BEFORE = re.compile(r"(?:\b\d{3}\s?\d{2}|\bbox\s+\d+,?)\s*$", re.IGNORECASE)
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_DATELINE_AFTER = re.compile(  # on the same line or the next, never across a blank line
    rf"^[ \t]*,?[ \t]*\n?[ \t]*(?:den\s+)?"
    rf"(?:\d{{1,2}}\s+(?:{_MONTHS})|\d{{4}}-\d{{2}}-\d{{2}}|i\s+(?:{_MONTHS}))",
    re.IGNORECASE,
)
_ORG_WORDS = frozenset({"kommun", "kommuns", "stad", "stads", "city", "kommunstyrelse",
                        "kommunstyrelsen", "kommunfullmäktige", "municipality"})  # fmt: skip
# "konferens i Lund", "reser till Göteborg", "gästar Örebro": the place is a venue, not the subject.
_VENUE_BEFORE = re.compile(
    r"(konferens\w*|mässa\w*|seminari\w*|reser till|gästar|arrangeras)\b[^.:]{0,40}$",
    re.IGNORECASE,
)
_NOT_PERSON = frozenset({"region", "kommun", "stad", "staden", "kommunen", "i", "och"})
# A municipality that is a party to an agreement ("avtal mellan kommunen och Varbergs kommun,
# Falkenbergs kommun ...", "samverkansavtal med Mölndals Stad") is what the item is about, also
# when the parties stand in a list; a catalogue of many (every party allowed to call off a
# framework agreement) is not.
_AGREEMENT_BEFORE = re.compile(
    r"\b(?:\w*avtal\w*|överenskommelse\w*|samverkan med|tillsammans med)\b[^\n]{0,300}$",
    re.IGNORECASE,
)
MAX_PARTIES = 8  # more municipalities that close make a catalogue, not the parties
# A text that speaks as a municipal body ("Kommunstyrelsen beslutar", "nämnden", "kommunens")
# and names one municipality as an organisation is that municipality's own document.
_OWN_BODY = re.compile(
    r"\b(?:kommunstyrelsen|kommunfullmäktige|nämnden|förvaltningen|kommunens|vår kommun)\b",
    re.IGNORECASE,
)
OWN_BODY_MIN = 2
# A municipal body followed by "i" and the place names the municipality as an organisation:
# "Kommunstyrelsen i Vara", "Socialnämnden i Lund" (a court or a county board is another
# organisation: ingest.enrich.places flags those).
_BODY_BEFORE_I = re.compile(
    r"^(?:kommunstyrelsen|kommunfullmäktige|kommunledningen|kommunledningskontoret|\w+nämnden)$"
)
# A brief text (words.is_brief) names its subject once or twice: the one municipality it names
# as an organisation, in its opening or more than once, is what it is about (an example further
# down, "Örebro kommun hade däremot valt …", is not).
BRIEF_MIN_SALIENCE = LEAD_FACTOR * W_ORG
LISTED = "lista över många kommuner"


@dataclass
class _Place:
    """The evidence for one municipality in one document."""

    salience: float = 0.0
    org_mentions: int = 0
    party: bool = False  # a party to an agreement the text is about
    addressee: bool = False  # a decision or an assignment is addressed to it
    listed: bool = False  # it stands in a short list that the title points to
    in_title: bool = False
    title_org: bool = False
    forms: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Places:
    """The place tags of one document, best first: the municipalities it concerns, those it only
    mentions, and the regions."""

    municipalities: tuple[Tag, ...]
    mentions: tuple[Tag, ...]
    regions: tuple[Tag, ...]

    @property
    def concerns(self) -> tuple[Tag, ...]:
        """The municipalities the document is about (the facet filters on these)."""
        return self.municipalities


def find_places(
    title: str,
    text: str,
    url: str | None,
    gazetteer: Gazetteer,
    publisher_municipality: str = "",
    publisher_members: frozenset[str] = frozenset(),
) -> Places:
    """Municipality (concerns and mentions) and region tags, with scores and evidence.

    Args:
        title: the document title (a name there weighs most).
        text: the full text.
        url: where the document was published; a municipality's own host makes it a concern.
        gazetteer: ``rules_for(taxonomy).gazetteer``.
        publisher_municipality: the SCB code of the publishing municipality, if one published it.
        publisher_members: the member municipalities of the publishing kommunalförbund or
            e-råd: a regional council's document concerns the members it names.
    """
    places: dict[str, _Place] = defaultdict(_Place)
    regions: dict[str, _Place] = defaultdict(_Place)
    for kind, ident, host in gazetteer.host_targets(url):
        target = places[ident] if kind == "muni" else regions[ident]
        target.salience += W_HOST
        target.notes.append(f"webbplats {host}")
    scanned = [(title, True, *gazetteer.scan(title)), (text, False, *gazetteer.scan(text))]
    strong = {ident for ident, p in places.items() if p.salience}
    for _part, _is_title, _tokens, matches in scanned:
        strong |= {
            m.form.target
            for m in matches
            if m.form.kind == "muni" and not m.form.weak and not m.other_org
        }
    furniture = _repeated_lines(text)
    accepted: list[Match] = []  # the text's accepted references
    in_lists: list[Match] = []  # those discounted as part of a list
    for part, is_title, tokens, matches in scanned:
        kept = [m for m in matches if not (m.other_org and m.form.weak)]
        for m in accept(tokens, kept, part, strong):
            if not is_title:
                accepted.append(m)
            if m.form.kind == "block":
                continue
            if m.form.kind == "region":
                regions[m.form.target].salience += W_ORG
                regions[m.form.target].forms[m.text] += 1
                continue
            place = places[m.form.target]
            place.forms[m.text] += 1
            is_org = _is_org(m.form.surface, tokens, m.first, m.last) or (
                not m.other_org and is_service(m, tokens, part)
            )
            if (
                is_title
                and not is_org
                and _VENUE_BEFORE.search(part[max(0, m.start - 60) : m.start])
            ):
                place.notes.append("plats för ett evenemang i rubriken")
                place.salience += W_BARE
                continue
            if is_title:
                place.in_title = True
                place.title_org |= is_org
                place.salience += W_TITLE_ORG if is_org else W_TITLE_BARE
                place.org_mentions += is_org
                continue
            if is_org and _party(m, part, matches):
                place.party = True
            if is_org and is_addressee(m, part):
                place.addressee = True
            why = _not_about(m, tokens, part, furniture, matches)
            if why == LISTED:
                in_lists.append(m)
            if why:
                if why not in place.notes:
                    place.notes.append(why)
                continue
            weight = W_ORG if is_org else W_BARE
            place.salience += weight * (LEAD_FACTOR if m.start < LEAD_CHARS else 1.0)
            place.org_mentions += is_org
    if not publisher_municipality and not publisher_members:
        publisher_municipality = _own_municipality(places, text)
    seeds = [
        m
        for m in in_lists
        if places[m.form.target].in_title and m.form.target != publisher_municipality
    ]
    for code in list_members(seeds, accepted):
        places[code].listed = True
    concerns, mentions = _split(
        places, publisher_municipality, publisher_members, url, is_brief(title, text)
    )
    referred = {code for code, p in places.items() if p.forms and not _only_other_org(p)}
    region_tags = _regions(gazetteer, regions, referred)
    return Places(concerns, mentions, region_tags)


def _party(m: Match, text: str, matches: list[Match]) -> bool:
    """The municipality is named as a party to an agreement, among few others."""
    line_start = text.rfind("\n", 0, m.start) + 1
    if not _AGREEMENT_BEFORE.search(text[max(line_start, m.start - 300) : m.start]):
        return False
    near = {
        o.form.target
        for o in matches
        if o.form.kind == "muni" and abs(o.start - m.start) <= 2 * LIST_WINDOW
    }
    return len(near) <= MAX_PARTIES


def _own_municipality(places: dict[str, _Place], text: str) -> str:
    """The municipality whose own document this is: the text speaks as a municipal body and
    names exactly one municipality as an organisation ("" otherwise)."""
    if len(_OWN_BODY.findall(text[:20_000])) < OWN_BODY_MIN:
        return ""
    named = [code for code, p in places.items() if p.org_mentions and not _only_other_org(p)]
    return named[0] if len(named) == 1 else ""


def _is_org(surface: str, tokens: list[Token], first: int, last: int) -> bool:
    """The name of the municipality as an organisation: "Nacka kommun", "Göteborgs Stad",
    "Kommunstyrelsen i Vara"."""
    words = surface.lower().split()
    nxt = tokens[last + 1].lower if last + 1 < len(tokens) else ""
    if any(w in _ORG_WORDS for w in words) or nxt in _ORG_WORDS:
        return True
    before = [t.lower for t in tokens[max(0, first - 2) : first]]
    return len(before) == 2 and before[1] == "i" and bool(_BODY_BEFORE_I.match(before[0]))


def _not_about(
    m: Match, tokens: list[Token], text: str, furniture: list[tuple[int, int]], matches: list[Match]
) -> str:
    """Why a reference says nothing about the place ("" when it does)."""
    if m.other_org:
        return "namn på annan organisation"
    line_start = text.rfind("\n", 0, m.start) + 1
    if _POSTCODE_BEFORE.search(text[max(line_start, m.start - 14) : m.start]):
        return "postadress"
    if _DATELINE_AFTER.match(text[m.end : m.end + 30]):
        return "dateringsort"
    if any(a <= m.start < b for a, b in furniture):
        return "sidhuvud eller sidfot"
    if not _is_org(m.form.surface, tokens, m.first, m.last) and _beside_a_name(m, tokens, text):
        return "personnamn eller företagsnamn"
    near = {
        o.form.target
        for o in matches
        if o.form.kind == "muni" and abs(o.start - m.start) <= LIST_WINDOW
    }
    if len(near) >= LIST_MIN:
        return LISTED
    return ""


def _beside_a_name(m: Match, tokens: list[Token], text: str) -> bool:
    """A capitalised word right before or after a bare place name, with only a space between:
    "Anders Lund", "Mark Levengood", "Berg Propulsion", "Sandviken Energi"."""
    for j, gap in ((m.first - 1, (m.first - 1, m.first)), (m.last + 1, (m.last, m.last + 1))):
        if not 0 <= j < len(tokens):
            continue
        token = tokens[j]
        between = text[tokens[gap[0]].end : tokens[gap[1]].start]
        capitalised = token.text[:1].isupper() and not token.text.isupper()
        if between == " " and capitalised and token.lower not in _NOT_PERSON:
            line_start = text.rfind("\n", 0, token.start) + 1
            sentence_start = text[max(line_start, token.start - 2) : token.start].strip() in (
                "",
                ".",
            )
            if j > m.last or not sentence_start:
                return True
    return False


def _repeated_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that recur ``REPEATED_LINE`` times or more (headers and footers)."""
    lines = [ln.strip() for ln in text.splitlines()]
    counts = Counter(ln for ln in lines if len(ln) >= 8)
    repeated = {ln for ln, n in counts.items() if n >= REPEATED_LINE}
    spans, offset = [], 0
    for raw in text.splitlines(keepends=True):
        if raw.strip() in repeated:
            spans.append((offset, offset + len(raw)))
        offset += len(raw)
    return spans


def _split(
    places: dict[str, _Place],
    publisher: str,
    members: frozenset[str],
    url: str | None,
    brief: bool = False,
) -> tuple[tuple[Tag, ...], tuple[Tag, ...]]:
    best = max((p.salience for p in places.values()), default=0.0)
    named = sum(1 for p in places.values() if p.salience > 0)
    as_org = [code for code, p in places.items() if p.org_mentions]
    concerns: list[tuple[float, Tag]] = []
    mentions: list[tuple[float, Tag]] = []
    host = (urlsplit(url).hostname or "") if url else ""
    for code, place in places.items():
        shown = tuple(f"{form} ×{n}" for form, n in place.forms.most_common(4))
        if code == publisher:
            reason = "utgivare"
        elif code in members and not _only_other_org(place):
            reason = "medlem i utgivande region"
        elif place.party:
            reason = "part i avtal"
        elif place.addressee:
            reason = "beslutet riktas till kommunen"
        elif place.listed:
            reason = "i listan som rubriken pekar på"
        elif any(n.startswith("webbplats") for n in place.notes) and host:
            reason = "webbplats"
        elif place.in_title and (
            place.title_org or place.org_mentions or place.salience >= TITLE_BARE_MIN
        ):
            reason = "i rubriken"
        elif (
            place.salience >= MIN_SALIENCE
            and place.salience >= TOP_SHARE * best
            and place.org_mentions >= 1
            and not publisher
            and not members
            and named < MAX_NAMED
        ):
            reason = "framträdande i texten"
        elif (
            brief
            and as_org == [code]
            and named == 1
            and place.salience >= BRIEF_MIN_SALIENCE
            and not publisher
            and not members
        ):
            reason = "den enda kommunen i en kort text"
        else:
            reason = ""
        hosts = tuple(n for n in place.notes if n.startswith("webbplats"))
        notes = tuple(n for n in place.notes if not n.startswith("webbplats"))
        if reason:
            why = hosts if reason == "webbplats" else (reason,)
            tag = Tag(code, "auto", (*shown, *why), round(place.salience, 2))
            concerns.append((place.salience, tag))
        elif place.forms:
            tag = Tag(code, "auto", (*shown, *notes[:2]), round(place.salience, 2))
            mentions.append((place.salience, tag))
    order = lambda item: (-item[0], item[1].value)  # noqa: E731
    return (
        tuple(t for _s, t in sorted(concerns, key=order)),
        tuple(t for _s, t in sorted(mentions, key=order)),
    )


def _only_other_org(place: _Place) -> bool:
    return "namn på annan organisation" in place.notes and place.salience == 0


def _regions(
    gazetteer: Gazetteer, regions: dict[str, _Place], named_codes: set[str]
) -> tuple[Tag, ...]:
    """Regions named (by name or alias), or most of whose members the document names while
    naming fewer municipalities outside it (a national list of all 290 names no region)."""
    scored: dict[str, tuple[float, list[str]]] = {}
    for ident, place in regions.items():
        shown = [f"{form} ×{n}" for form, n in place.forms.most_common(4)] + place.notes
        scored[ident] = (place.salience, shown)
    for region in gazetteer.taxonomy.regions.values():
        named = [c for c in region.members if c in named_codes]
        outside = len(named_codes) - len(named)
        enough = len(region.members) >= REGION_MIN_MEMBERS and outside < len(named)
        if enough and len(named) >= REGION_FROM_MEMBERS * len(region.members):
            score, shown = scored.get(region.id, (0.0, []))
            note = f"{len(named)} av {len(region.members)} medlemskommuner nämns"
            scored[region.id] = (score + len(named) / len(region.members), [*shown, note])
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return tuple(
        Tag(ident, "auto", tuple(notes), round(score, 2)) for ident, (score, notes) in ranked
    )
