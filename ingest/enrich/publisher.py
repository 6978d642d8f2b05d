"""Find the publisher of a document: the organisation that issued it, not one it writes about.

Owns the weights of the evidence: the site the document came from, an explicit "Utgiven av" /
"Utgivare:" / "©" line, the file's metadata (site name, author when it is an organisation), the
letterhead (the first lines), the title, the signature (the last lines before any appendix), web
and e-mail addresses on the first page, and how often the name recurs. A name that only recurs in
the body never wins on its own; in a summary of a talk, the speaker's organisation does not
either. Imports kb and ingest only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from ingest.enrich.organisations import Mention, Registry, with_defined_names
from ingest.enrich.site_evidence import contact_us, orgs_named, site_evidence
from ingest.enrich.voice import decides, own_municipality, own_side, quoted, receives
from kb.document import Tag

W_HOST = 6.0
W_STATED = 5.0  # "Utgiven av Digg", "Utgivare: ... Riksgäldskontoret", "© SKR 2021"
W_META = 4.0
W_LETTERHEAD = 3.0
W_TITLE = 2.0
W_ADDRESS_HEAD = 2.0  # "kristine.ulander@digg.se" on the first page
W_SIGNATURE = 1.5
W_CONTACT = 3.0  # the site's contact address in its footer, "kontakta oss på info@skr.se"
W_REPEAT, MAX_REPEAT = 0.25, 2.0
MIN_SCORE = 2.5
LETTERHEAD_CHARS = 300
LETTERHEAD_LINE = 80  # a letterhead is short lines; an article's first paragraph is not
W_VOICE = 2.0  # the organisation opens a paragraph near the top as its subject
W_DECIDES = 5.0  # "Regeringen ger Digg i uppdrag", "ändrar regeringen": the issuer of a decision
W_QUOTED = 3.0  # "säger civilminister Erik Slottner": a press release quotes its own side
W_OWN_SIDE = 2.5  # "inom projektet Open Up! studerar vi", "här på NOSAD"
W_OWN_BODY = 2.5  # a municipal board's own text naming one municipality as an organisation
HEAD_CHARS = 1500
SIGNATURE_CHARS = 400
_STATED = re.compile(
    r"(utgiven av|utgivare|publicerad av|ansvarig utgivare|producerad av|©|copyright|"
    r"published by|beslutade? av)\s*:?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Publisher:
    """The publisher found, as a tag ("org:digg" with evidence) and its display name."""

    tag: Tag
    name: str


def find_publisher(
    title: str,
    text: str,
    url: str | None,
    metadata: dict[str, str],
    registry: Registry,
) -> Publisher | None:
    """The most likely publisher, or None when the evidence is too thin.

    Args:
        title: the document's title.
        text: its text.
        url: where it was published (its host is the strongest evidence).
        metadata: the extractor's metadata ("og:site_name", "author", ...).
        registry: the organisations of the taxonomy.
    """
    scores: dict[str, float] = defaultdict(float)
    notes: dict[str, list[str]] = defaultdict(list)

    def add(org: str, weight: float, note: str) -> None:
        scores[org] += weight
        if note not in notes[org]:
            notes[org].append(note)

    host = (urlsplit(url).hostname or "") if url else ""
    if host and (org := registry.host_org(host)):
        add(org, W_HOST, f"webbplats {host}")
    # "publisher" (meta tags and JSON-LD, a name a line) is read by site_evidence below: read here
    # too, the same name scored W_META twice under one note.
    for key in ("og:site_name", "author", "creator"):
        value = metadata.get(key, "")
        for m in registry.scan(value) if value else ():
            if m.end - m.start >= 0.6 * len(value.strip()):  # the field is the name itself
                add(m.org, W_META, f"metadata {key}: {value[:60]}")
    template = metadata.get("title", "")
    if _TEMPLATE.search(template):  # "Tullverkets mall och dess layouter": the slides' template
        for m in registry.scan(template)[:1]:
            add(m.org, W_META, f"mallen: {template[:60]}")
    named: dict[str, str] = {}
    for site in _sites_in_title(metadata.get("html_title", "")):
        named.update(dict.fromkeys(orgs_named(site, registry), site))
    for org, site in named.items():
        add(org, W_META, f"webbplatsens namn: {site[:60]}")
    weights = {"meta": W_META, "stated": W_STATED, "contact": W_CONTACT}
    for found in [*site_evidence(metadata, registry), *contact_us(text, registry)]:
        add(found.org, weights[found.kind], found.note)
    for page_host in metadata.get("image_hosts", "").split():
        if org := registry.host_org(page_host):
            add(org, W_META, f"sidans bilder från {page_host}")
    # A summary of a talk or a workshop is written by its organiser about the speakers: the
    # speaker's organisation names its title, opens its lines and ends it without publishing it.
    # Only the heading says so: "Sammanfattning av dragningen" in the first item of minutes does
    # not make the minutes a report of someone else's talk.
    heading = text.lstrip()[: LETTERHEAD_LINE * 2].split("\n", 1)[0]
    reported = bool(_REPORTED_TALK.search(title) or _REPORTED_TALK.search(heading))
    for m in registry.scan(title) if not reported else ():
        # "Uppdrag till MSB": MSB receives, not publishes; "Sammanfattning från workshop 15/9
        # Anna Ek (Digg)": Digg is the speaker's organisation, not the summary's publisher.
        if not _object_of(title, m.start) and not _affiliation(title, m):
            add(m.org, W_TITLE, f"i rubriken: {m.text}")
    mentions = with_defined_names(text, registry.scan(text))
    for m in _stated(text, registry):
        add(m.org, W_STATED, f"utgivare: {m.text}")
    repeats: dict[str, float] = defaultdict(float)
    seen_head: set[str] = set()
    seen_end: set[str] = set()
    # The body ends where the appendices begin: a signature or a closing slide stands before
    # "Bilaga 1 Intervjuade organisationer", not in its list.
    end = _appendix_start(text)
    closing = max(0, end - SIGNATURE_CHARS)  # where a closing slide or signature may start
    once: set[tuple[str, str]] = set()
    for i, m in enumerate(mentions):
        if _restated(text, mentions, i):
            continue  # "Myndigheten för digital förvaltning (Digg)" is one mention
        if reported:
            repeats[m.org] = min(MAX_REPEAT, repeats[m.org] + W_REPEAT)
            continue
        line = _line_at(text, m.start)
        recipient = _object_of(text, m.start) or receives(text, m)
        voices = []
        if m.start < HEAD_CHARS and not _object_of(text, m.start) and decides(text, m):
            voices.append((W_DECIDES, "beslutar"))  # "Regeringen ger Digg i uppdrag att ..."
        if registry.by_id[m.org].kind == "regering" and quoted(text, m):
            # "..., säger civilminister Erik Slottner": a minister speaks for the government;
            # a quoted official of a municipality may be the subject of an article.
            voices.append((W_QUOTED, "citeras"))
        if own_side(text, m):
            voices.append((W_OWN_SIDE, "vi"))  # "Inom projektet Open Up! studerar vi ..."
        for weight, kind in voices:
            if (m.org, kind) not in once:
                once.add((m.org, kind))
                add(m.org, weight, f"{kind}: {_excerpt(text, m)}")
        if (
            m.start < LETTERHEAD_CHARS
            and m.org not in seen_head
            and len(line) <= LETTERHEAD_LINE
            and not _object_of(text, m.start, _RECIPIENT_BEFORE)
            and not _affiliation(text, m)
            and not _list_item(text, m)
            and not _FIGURE_AFTER.match(text, m.end)
        ):
            seen_head.add(m.org)
            add(m.org, W_LETTERHEAD, f"brevhuvud: {m.text}")
        elif m.start < HEAD_CHARS and _opens_line(text, m) and not recipient:
            add(m.org, W_VOICE, f"avsändare: {m.text}")  # "Regeringen uppdrar åt ..."
        elif closing < m.start < end:
            if _CLOSING.search(text, closing, m.start):
                add(m.org, W_LETTERHEAD, f"avslutning: {m.text}")  # "Tack! ... <the organisation>"
            else:
                add(m.org, W_SIGNATURE, f"underskrift: {m.text}")
        repeats[m.org] = min(MAX_REPEAT, repeats[m.org] + W_REPEAT)
    for org, extra in repeats.items():
        scores[org] += extra
    # A text whose opening speaks of ministers twice ("äldre- och socialförsäkringsministern och
    # civilministern Erik Slottner diskutera ...") is the government's own news.
    head_ministers = [m for m in mentions if m.start < HEAD_CHARS and _MINISTER.search(m.text)]
    if len({m.start for m in head_ministers}) >= 2 and not any(
        _object_of(text, m.start) for m in head_ministers
    ):
        add(head_ministers[0].org, W_VOICE, f"regeringen i inledningen: {head_ministers[0].text}")
    for m in registry.hosts_in(text[:HEAD_CHARS] if not reported else ""):
        if m.org not in seen_head:
            seen_head.add(m.org)
            add(m.org, W_ADDRESS_HEAD, f"adress: {m.text}")
    if not reported and (cue := _CLOSING.search(text, closing)):
        # "Kontakt / Anna Ek / Epost anna.ek(@)skr.se": the speaker's own address on the closing
        # slide or under a letter's signature.
        for m in registry.hosts_in(text[cue.end() : end]):
            at = cue.end() + m.start
            if m.org not in seen_end and _EMAIL_BEFORE.search(text[max(0, at - 5) : at]):
                seen_end.add(m.org)
                add(m.org, W_LETTERHEAD, f"kontakt: {m.text}")
    if not scores:
        return None
    best = max(scores, key=lambda org: (scores[org], org))
    if scores[best] < MIN_SCORE and (own := own_municipality(text, mentions, registry)):
        add(own, W_OWN_BODY, "kommunal nämnd eller förvaltning skriver")
        best = max(scores, key=lambda org: (scores[org], org))
    if scores[best] < MIN_SCORE:
        return None
    name = registry.by_id[best].name
    evidence = tuple(notes[best][:4])
    return Publisher(Tag(best, "auto", evidence, round(scores[best], 2)), name)


# "Användbarhet - design.regionhalland.se", "Nyheter | Digg": the site's name after the page's.
_TITLE_SEPARATOR = re.compile(r"\s[-|–—:]\s|\s»\s")
OPENING_WORDS = 4  # "Äldre- och socialförsäkringsminister Anna Tenje besöker": the subject

_OBJECT_BEFORE = frozenset({
    "till", "åt", "hos", "om", "för", "med", "besöker", "av", "mot", "i", "på", "vid", "från",
    "inom", "gästar",
})  # fmt: skip
# A presentation template named after its owner ("Tullverkets mall", "SKR template").
_TEMPLATE = re.compile(r"\b(?:mall|mallen|template|ppt-mall)\b", re.IGNORECASE)
# The closing slide: "Tack!" / "Tack för att ni lyssnade" and then the speaker's organisation.
_CLOSING = re.compile(
    r"(?:^|\n)\s*(?:tack|thank you|kontakt|kontaktuppgifter|frågor\?|contact)\b", re.IGNORECASE
)
# An e-mail address: "name@digg.se", "name(@)skr.se", "name [at] msb.se".
_EMAIL_BEFORE = re.compile(r"(?:@|\(@\)|\[at\]|\(at\))\s*$", re.IGNORECASE)
# A figure right after the name makes the line a row of a table or a chart, not a letterhead:
# "Exempel kommun – ca 2,3 mnkr", "Exempel stad: 45 %", "Exempel kommun 1 200 st".
_FIGURE_AFTER = re.compile(
    r"[ \t]*[-–—:]?[ \t]*(?:ca\.?|cirka|drygt|nästan|över)?[ \t]*\d[\d \t.,]*[ \t]*"
    r"(?:%|procent|kr\b|kronor|tkr|mkr|mnkr|mlnkr|mdkr|miljon\w*|miljard\w*|st\b|timmar)",
    re.IGNORECASE,
)
# "Sammanfattning från workshop 15/9", "Referat av Anna Eks föredrag", "Anteckningar från
# seminariet": a report of what others said.
_REPORTED_TALK = re.compile(
    r"\b(?:sammanfattning|referat|anteckningar|minnesanteckningar)\s+(?:från|av)\s+"
    r"(?:[\w:/.-]+\s+){0,4}?(?:workshop\w*|seminari\w*|webbinari\w*|föredrag\w*|"
    r"presentation\w*|dragning\w*|konferens\w*|meetup\w*|panel\w*|samtal\w*)",
    re.IGNORECASE,
)
# An appendix heading on a line of its own: "Bilaga 1", "BILAGA MED GENOMFÖRDA MÖTEN",
# "Bilagor", "Appendix A: …"; not "Bilageförteckning" (the list of appendices), "Bilaga: …" as
# an item of minutes' paragraph (a colon right after the word) or a sentence ("Bilaga 1 visar …").
_APPENDIX = re.compile(
    r"(?m)^[ \t]*(?:bilaga|bilagor|appendix|appendices)\b(?!:)[^\n]{0,80}(?<![.!?,;])$",
    re.IGNORECASE,
)
_BETWEEN_RESTATED = re.compile(r"[\s()\[\],:/–—-]*")
_LIST_ITEM = re.compile(r"\s*(?:[-*•●▪◦–]|\d{1,2}[.)])\s")
_MINISTER = re.compile(r"minister(?:n|rarna)?$", re.IGNORECASE)
# In a letterhead line only these mark a name as the receiver ("Uppdrag till MSB", "delar av
# E-hälsomyndigheten"); "Taxa för Linköpings kommun" is Linköping's own.
_RECIPIENT_BEFORE = frozenset({"till", "åt", "hos", "om", "av", "mot", "med", "besöker", "gästar"})


def _appendix_start(text: str) -> int:
    """Where the appendices of a text begin (a heading "Bilaga 1 …", "BILAGOR", "Appendix" in
    its last third), or its end when it has none. A paragraph sign after the heading means the
    body goes on: minutes name "Bilaga 2" under one § and sign after the last."""
    for m in _APPENDIX.finditer(text, 2 * len(text) // 3):
        if "§" not in text[m.end() :]:
            return m.start()
    return len(text)


def _restated(text: str, mentions: list[Mention], i: int) -> bool:
    """The mention restates the one before it: a name with its acronym or expansion, "Myndigheten
    för digital förvaltning (Digg)", "NOSAD – Network Open Source and Data", is one mention."""
    if i == 0 or mentions[i - 1].org != mentions[i].org:
        return False
    return _BETWEEN_RESTATED.fullmatch(text, mentions[i - 1].end, mentions[i].start) is not None


def _excerpt(text: str, m: Mention) -> str:
    return " ".join(text[max(0, m.start - 20) : m.end + 20].split())


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)].strip()


def _object_of(text: str, offset: int, before: frozenset[str] = _OBJECT_BEFORE) -> bool:
    """The name follows a preposition or a verb of visiting: it is not the speaker."""
    words = text[max(0, offset - 12) : offset].split()
    return bool(words) and words[-1].lower() in before


def _stated(text: str, registry: Registry) -> list[Mention]:
    """Organisations named right after "Utgiven av", "Utgivare:" or "©" (on the same line)."""
    found = []
    for m in _STATED.finditer(text):
        line_end = text.find("\n", m.end())
        line = text[m.end() : line_end if line_end >= 0 else len(text)][:160]
        for hit in registry.scan(line):
            found.append(Mention(hit.org, m.end() + hit.start, m.end() + hit.end, hit.text))
            break
    return found


def _sites_in_title(title: str) -> list[str]:
    """Where a browser title may name its site: the part after the last separator ("Nyheter |
    Digg") and the part before the first ("Lysekils kommun - IT-samverkan"); none without one."""
    parts = [p.strip() for p in _TITLE_SEPARATOR.split(title.strip())]
    return [parts[-1], parts[0]] if len(parts) > 1 else []


def _opens_line(text: str, mention: Mention) -> bool:
    """The organisation opens its line, as the subject: "Regeringen uppdrar åt ...",
    "Äldre- och socialförsäkringsminister Anna Tenje besöker ..." (at most a few words before).
    An item of a list ("● DIGG - egen lösning") is one of many, not the sender."""
    start = text.rfind("\n", 0, mention.start) + 1
    before = text[start : mention.start]
    if _list_item(text, mention):
        return False
    return len(before.split()) < OPENING_WORDS and not re.search(r"[.,:;!?()]", before)


def _list_item(text: str, mention: Mention) -> bool:
    """The name stands in a bulleted or numbered item ("● DIGG - egen lösning", "2. MSB")."""
    return bool(_LIST_ITEM.match(text, text.rfind("\n", 0, mention.start) + 1))


def _affiliation(text: str, mention: Mention) -> bool:
    """The name stands in parentheses, as a person's affiliation: "Anna Ek (Luleå tekniska
    universitet)"."""
    return text[max(0, mention.start - 2) : mention.start].strip().endswith("(")
