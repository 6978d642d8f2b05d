"""Page furniture of a web page saved as Markdown or plain text: its menus before the content and
its footer after it.

Owns ``split_furniture``: the leading and trailing runs of blocks that are navigation, not text
(link lists, the short headings above them, skip links, a cookie dialog), told from the page's
content. HTML pages lose their furniture in ``ingest.extract.html_content``; a converter's
Markdown keeps it, and every Swedish public site's footer names *tillgänglighet* (the
accessibility statement the law requires) and *kakor*, which made any such page a match for those
words. A run counts only when its links outweigh the prose in it (``_best_run``), it names at
least two furniture names (link texts, headings or short lines that are, as a whole, such a name:
"Kontakt", not "Kontakt med vården vid kris"), and the content left is not the smaller part of
the page: a list of links inside an article, a page that is one list of documents, and an
article that ends with a short list of sources stay whole. The page's own parts next to a footer
stay too: a closing list of links with no furniture name, a contact section naming a person, and
a Markdown page's first H1 above its menu. Imports nothing of the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A block's prose lowers a run's score by its words over this (a site's one-line description in a
# footer costs about 1, an article's closing paragraph 3 or more); a block of more words ends it.
PROSE_WORDS_PER_POINT = 10.0
MAX_RUN_PROSE_WORDS = 30
W_SHORT_LINE = -0.5  # a short line or heading that titles no list ("Godkänt:", "Alltid aktiv")
MIN_RUN_SCORE = 3.0  # three links' worth of furniture
MIN_MARKERS = 2  # distinct furniture words ("Tillgänglighetsredogörelse" and "Kakor")
# The content that remains must be at least this share of the page's words and this many words:
# a page that is mostly links (a hub, a list of sources) is kept whole.
MIN_KEPT_SHARE, MIN_KEPT_WORDS = 0.3, 40
SHORT_LINE_WORDS = 8  # a heading or a label, not a sentence
TEXT_LINK_WORDS = 5  # plain text has no link syntax: a list line of at most this many words

# Words that name a site's furniture, in its link texts and headings (case-insensitive, whole
# words): accessibility statement, cookies, privacy, about and contact, social media, skip links.
# They count only where a link text, a heading or a short line as a whole is such a name
# (``_names``): "Kontakt", "Hantering av kakor", not "Kontakt med vården vid kris".
_MARKERS = re.compile(
    r"(?<!\w)(?:tillgänglighetsredogörelse|tillgänglighet|kakor|cookies?|personuppgifter|"
    r"integritetspolicy|om webbplatsen|om oss|kontakta oss|kontakt|följ oss|sociala medier|"
    r"facebook|instagram|linkedin|youtube|twitter|webbkarta|(?:till )?toppen(?: av sidan)?|"
    r"till startsidan|startsida|nyhetsbrev|prenumerera|lediga jobb|press|lyssna|lättläst|"
    r"teckenspråk|other languages|english|du är här|meny|sök|logga in|hoppa till|"
    r"till (?:sidans )?(?:huvud)?innehåll(?:et)?|gå direkt till|skip to(?: content)?|menu|"
    r"search|sitemap|accessibility|privacy|contact us|follow us|copyright)(?!\w)|©",
    re.IGNORECASE,
)
# A footer's address lines: phone, e-mail, postal address, organisation number, opening hours,
# street and box address, the organisation's name ("Exempelby kommun").
_CONTACT = re.compile(
    r"(?<!\w)(?:telefon|tel|e-post|epost|växel|besöksadress|postadress|org\.? ?nr|"
    r"organisationsnummer|öppettider|öppet|phone|email)(?!\w)|\b\d{3} ?\d{2}\s+\w|"
    r"[\w.-]+@[\w-]+\.\w|\]\((?:mailto|tel):|\w(?:gatan|vägen|gränd|torget|backen) \d|\bbox \d|"
    r"\w (?:kommun|region|regionen)$|^(?:region|länsstyrelsen) \w+$",
    re.IGNORECASE,
)
# A whole line that is furniture from its first words: copyright, breadcrumb, skip link.
_LEADING_NAME = re.compile(
    r"^\W*(©|\(c\)|copyright|du är här|hoppa till|gå direkt till|skip to)(?!\w)", re.IGNORECASE
)
# Words a furniture name may carry beside its markers ("Digital tillgänglighet", "Behandling av
# personuppgifter", "Kakor och personuppgifter", "Följ oss på Facebook").
_FILLER = frozenset(
    {"och", "av", "om", "på", "i", "digital", "behandling", "hantering", "hantera"}
    | {"webbplatsen", "webbplatsens", "and", "of", "on", "our"}
)
# A cookie banner's prose: about the site's cookies and the reader's consent.
_COOKIE = re.compile(r"(?<!\w)(?:kakor|cookies?)(?!\w)", re.IGNORECASE)
_CONSENT = re.compile(
    r"samtyck|godkänn|acceptera|inställningar|webbläsare|webbplatsen|consent|accept|browser",
    re.IGNORECASE,
)

_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]|<https?://[^>\s]+>")
_BARE_URL = re.compile(r"https?://\S+")
_SEPARATORS = re.compile(r"[|·•/,–—-]")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s")
_TARGET = re.compile(r"\]\(\s*([^)\s]*)")
_H1 = re.compile(r"^\s{0,3}#\s|^\s{0,3}=+\s*$")
_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_CODE_OR_TABLE = re.compile(r"^\s*(?:```|~~~|\|)")
_WORD = re.compile(r"[^\W_]+")
# A numbered heading ("2.1 Inledning", not "1177 Vårdguiden") or a page number after dot leaders
# or a gap ("Bilagor ..... 14"): a line of a document's table of contents, not of a site's menu.
_OUTLINE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+\S|(?:\.{2,}|\t|\s{2,})\s*\d{1,4}\s*$")

NAV, HEAD, COOKIE, PROSE, STOP = "nav", "head", "cookie", "prose", "stop"


@dataclass(frozen=True)
class Split:
    """A page's text cut in three: the leading furniture, the content, the trailing furniture
    (each "" when there is none)."""

    lead: str
    body: str
    tail: str


@dataclass(frozen=True)
class _Block:
    kind: str  # NAV, HEAD, COOKIE, PROSE or STOP (code, a table, long prose)
    start: int  # line offsets in the page
    end: int
    links: int  # links on link-only lines
    words: int
    names: frozenset[str]  # the furniture names its link texts, headings and short lines are
    contact: bool = False  # an address line (phone, e-mail, postal address)
    other: bool = False  # a short line that is neither a furniture name nor an address line
    heading: bool = False  # a Markdown heading and nothing else
    local: bool = False  # its links all lead within the page ("#section-2")


def split_furniture(text: str, markdown: bool = True) -> Split:
    """The page ``text`` (Markdown, or plain text when ``markdown`` is False) with its leading
    and trailing furniture cut off; a page without recognisable furniture comes back whole as
    the body. A Markdown page's first H1 stays in the body even when a menu follows it."""
    lines = text.split("\n")
    blocks = _blocks(lines, markdown)
    if not blocks:
        return Split("", text, "")
    total = sum(b.words for b in blocks)
    first, last = 0, len(blocks)
    tail_at = _best_run(list(reversed(blocks)), trailing=True)
    if tail_at:
        last = len(blocks) - tail_at
    lead_at = _best_run(blocks[:last], trailing=False)
    if lead_at:
        first = lead_at
    kept = sum(b.words for b in blocks[first:last])
    if (first, last) == (0, len(blocks)) or kept < MIN_KEPT_WORDS or kept < MIN_KEPT_SHARE * total:
        return Split("", text, "")
    body_start = blocks[first].start if first < len(blocks) else len(lines)
    body_end = blocks[last - 1].end if last > first else body_start
    lead, body = lines[:body_start], lines[body_start:body_end]
    # (the page's heading, not its menu: a converter writes the menu below the <h1>)
    h1 = _first_h1(lines) if markdown else None
    if h1 and h1[1] <= body_start:
        lead = [*lines[: h1[0]], *lines[h1[1] : body_start]]
        body = [*lines[h1[0] : h1[1]], "", *body]
    return Split(
        "\n".join(lead).strip("\n"), "\n".join(body), "\n".join(lines[body_end:]).strip("\n")
    )


def _first_h1(lines: list[str]) -> tuple[int, int] | None:
    """The line range of the page's first H1 ("# Title", or "Title" over "====="), if any."""
    for i, line in enumerate(lines):
        if _H1.match(line) and line.lstrip().startswith("#"):
            return i, i + 1
        if i and _H1.match(line) and lines[i - 1].strip() and not _RULE.match(lines[i - 1]):
            return i - 1, i + 1
    return None


def _best_run(blocks: list[_Block], trailing: bool) -> int:
    """How many of ``blocks`` (read from the page's edge inwards: a footer's blocks last first
    when ``trailing``) are furniture: the run with the best score, when it scores at least
    ``MIN_RUN_SCORE`` and names ``MIN_MARKERS`` furniture words; 0 otherwise."""
    gains: list[float] = []
    section_start, contact, other = 0, False, False
    for i, block in enumerate(blocks):
        if block.kind == STOP or (block.kind == PROSE and block.words > MAX_RUN_PROSE_WORDS):
            break
        if trailing and block.heading:
            # A heading over address lines and a name ("Kontakt", a person, her phone) titles
            # the page's own contact section, not the footer's: the run ends below it.
            if contact and other:
                del gains[section_start:]
                break
            section_start, contact, other = i + 1, False, False
        contact, other = contact or block.contact, other or block.other
        # the list a heading titles comes after it in the page
        if trailing:
            titled = blocks[i - 1] if i else None
        else:
            titled = blocks[i + 1] if i + 1 < len(blocks) else None
        gains.append(_score(block, titled is not None and titled.kind == NAV))
    best, best_at, score = 0.0, 0, 0.0
    for i, gain in enumerate(gains):
        score += gain
        # (a heading that costs nothing goes with its list)
        if score > best or (score == best and gain == 0 and best_at == i):
            best, best_at = score, i + 1
    if trailing:
        best_at = _own_lists(blocks, best_at)
        best = sum(gains[:best_at])
    if best < MIN_RUN_SCORE:
        return 0
    names = set().union(*(b.names for b in blocks[:best_at]))
    return best_at if len(names) >= MIN_MARKERS else 0


def _own_lists(blocks: list[_Block], run: int) -> int:
    """The trailing ``run`` without the page's own lists at its inner end: links to other pages
    of which no link text is a furniture name ("Mer information": "Kontakt med vården vid
    kris"), with the heading or label above them ("Godkänt av:"). A footer begins with its
    furniture names; a list of the page's sections ("Sidans innehåll", links within the page)
    is the site's furniture and stays in the run."""

    def own(block: _Block) -> bool:
        return block.kind == NAV and not block.names and not block.local

    while run:
        top = blocks[run - 1]
        if own(top):
            run -= 1
        elif (
            run > 1 and top.kind == HEAD and not (top.names or top.contact) and own(blocks[run - 2])
        ):
            run -= 2
        else:
            break
    return run


def _score(block: _Block, titles_list: bool) -> float:
    """A block's furniture score: +1 per link of a list, +1 for a cookie banner, a cost for
    prose and for short lines; a heading of a list (``titles_list``), a furniture heading
    ("Kontakta oss") and address lines cost nothing."""
    if block.kind == NAV:
        return float(block.links)
    if block.kind == COOKIE:
        return 1.0
    if block.kind == HEAD:
        footer_line = (block.names or block.contact) and not block.other
        return 0.0 if titles_list or footer_line else W_SHORT_LINE
    return -block.words / PROSE_WORDS_PER_POINT


def _blocks(lines: list[str], markdown: bool) -> list[_Block]:
    """The page's blocks: runs of lines between blank lines, each classified."""
    blocks: list[_Block] = []
    start = None
    for i, line in enumerate([*lines, ""]):
        if line.strip():
            if start is None:
                start = i
            continue
        if start is not None:
            blocks.append(_classify(lines[start:i], start, i, markdown))
            start = None
    return blocks


def _classify(lines: list[str], start: int, end: int, markdown: bool) -> _Block:
    """One block: a list of links (NAV), headings and short lines (HEAD), a cookie banner
    (COOKIE), prose, or code, a table or a person's contact lines (STOP: content, never
    furniture)."""
    links = words = prose = others = headings = shown = 0
    names: set[str] = set()
    contact = False
    label: list[str] = []
    targets: list[str] = []
    for n, line in enumerate(lines):
        if _CODE_OR_TABLE.match(line):
            return _Block(STOP, start, end, 0, 0, frozenset())
        if (n and _UNDERLINE.match(line)) or _RULE.match(line):
            continue  # a heading's underline or a rule
        shown += 1
        heading = markdown and (
            bool(_ATX.match(line)) or (n + 1 < len(lines) and bool(_UNDERLINE.match(lines[n + 1])))
        )
        headings += heading
        found, text, units = _link_line(line) if markdown else (0, line, [])
        # (an e-mail or phone link is an address, not a menu's link)
        address = bool(_CONTACT.search(text) or _CONTACT.search(line))
        found = 0 if address else found
        count = len(_WORD.findall(text))
        words += count
        label.append(text)
        short = count <= SHORT_LINE_WORDS and not _sentence(text)
        line_names = _names_of(units if found else [text] if heading or short else [])
        names |= line_names
        contact |= address
        others += not (heading or found or address or line_names) and short
        # (plain text has no link syntax: a line of a list of short lines counts as a link)
        text_link = len(lines) > 1 and count <= TEXT_LINK_WORDS and not _OUTLINE.search(text)
        if found or (not markdown and text_link and short and not address):
            links += max(found, 1)
            targets += _TARGET.findall(line)
        elif not heading and not short:
            prose += 1
    joined = " ".join(label)
    if prose:
        cookie = _COOKIE.search(joined) and _CONSENT.search(joined)
        if cookie:
            names |= {m.group(0).casefold() for m in _COOKIE.finditer(joined)}
        return _Block(COOKIE if cookie else PROSE, start, end, links, words, frozenset(names))
    if contact and others and (others <= 2 and (not markdown or not links)):
        # a person's name or title beside a phone or e-mail: the page's own contact
        return _Block(STOP, start, end, 0, words, frozenset())
    kind = NAV if links else HEAD
    is_heading = markdown and headings == shown
    local = bool(targets) and all("#" in target for target in targets)
    return _Block(
        kind, start, end, links, words, frozenset(names), contact, others > 0, is_heading, local
    )


def _names_of(units: list[str]) -> set[str]:
    """The furniture names of ``units`` (link texts, headings, short lines) that are, as a
    whole, furniture names: "Kontakt", "Behandling av personuppgifter", "© 2025 Exempelby
    kommun", "Hoppa till innehållet"; none of "Kontakt med vården vid kris"."""
    names: set[str] = set()
    for unit in units:
        if lead := _LEADING_NAME.match(unit):
            names.add(lead.group(1).casefold())
            continue
        found = {m.group(0).casefold() for m in _MARKERS.finditer(unit)}
        rest = _WORD.findall(_MARKERS.sub(" ", unit))
        if found and all(word.casefold() in _FILLER for word in rest):
            names |= found
    return names


def _link_line(line: str) -> tuple[int, str, list[str]]:
    """How many links (or pictures) a Markdown line is made of, 0 unless it is only links with
    at most a couple of words beside them ("[Kunskapsstöd](/k) Kunskapsstöd", "[Om oss](/om) |
    [Kakor](/kakor)"); its text without link targets; and its link texts."""
    line = _LIST_MARK.sub("", line)
    rest = _IMAGE.sub(" ", line)
    texts: list[str] = []

    def keep(match: re.Match[str]) -> str:
        texts.append(match.group(1) or match.group(2) or "")
        return " "

    rest = _LINK.sub(keep, rest)
    found = len(texts) + len(_IMAGE.findall(line)) + len(_BARE_URL.findall(rest))
    rest = _BARE_URL.sub(" ", rest)
    others = len(_WORD.findall(_SEPARATORS.sub(" ", rest)))
    link_words = sum(len(_WORD.findall(t)) for t in texts)
    text = " ".join([*texts, rest])
    return (found if others <= max(2, link_words) else 0), text, texts


def _sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))
