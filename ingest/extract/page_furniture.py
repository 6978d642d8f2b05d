"""Page furniture of a web page saved as Markdown or plain text: its menus before the content and
its footer after it.

Owns ``split_furniture``: the leading and trailing runs of blocks that are navigation, not text
(link lists, the short headings above them, skip links, a cookie dialog), told from the page's
content. HTML pages lose their furniture in ``ingest.extract.html_content``; a converter's
Markdown keeps it, and every Swedish public site's footer names *tillgänglighet* (the
accessibility statement the law requires) and *kakor*, which made any such page a match for those
words. A run counts only when its links outweigh the prose in it (``_best_run``), it names at
least two typical furniture words, and the content left is not the smaller part of the page: a
list of links inside an article, a page that is one list of documents, and an article that ends
with a short list of sources stay whole. Imports nothing of the project.
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
_MARKERS = re.compile(
    r"(?<!\w)(?:tillgänglighetsredogörelse|tillgänglighet|kakor|cookies?|personuppgifter|"
    r"integritetspolicy|om webbplatsen|om oss|kontakta oss|kontakt|följ oss|sociala medier|"
    r"facebook|instagram|linkedin|youtube|twitter|webbkarta|till toppen|toppen av sidan|"
    r"till startsidan|startsida|nyhetsbrev|prenumerera|lediga jobb|press|lyssna|lättläst|"
    r"teckenspråk|other languages|english|du är här|meny|sök|logga in|hoppa till|"
    r"till (?:sidans )?(?:huvud)?innehåll(?:et)?|gå direkt till|skip to(?: content)?|menu|"
    r"search|sitemap|accessibility|privacy|contact us|follow us|copyright)(?!\w)|©",
    re.IGNORECASE,
)
# A footer's address lines: phone, e-mail, postal address, organisation number, opening hours.
_CONTACT = re.compile(
    r"(?<!\w)(?:telefon|tel|e-post|epost|växel|besöksadress|postadress|org\.? ?nr|"
    r"organisationsnummer|öppettider|phone|email)(?!\w)|\b\d{3} ?\d{2}\s+\w",
    re.IGNORECASE,
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
    label: str  # the block's words without link targets (for the markers)


def split_furniture(text: str, markdown: bool = True) -> Split:
    """The page ``text`` (Markdown, or plain text when ``markdown`` is False) with its leading
    and trailing furniture cut off; a page without recognisable furniture comes back whole as
    the body."""
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
    return Split(
        "\n".join(lines[:body_start]).strip("\n"),
        "\n".join(lines[body_start:body_end]),
        "\n".join(lines[body_end:]).strip("\n"),
    )


def _best_run(blocks: list[_Block], trailing: bool) -> int:
    """How many of ``blocks`` (read from the page's edge inwards: a footer's blocks last first
    when ``trailing``) are furniture: the run with the best score, when it scores at least
    ``MIN_RUN_SCORE`` and names ``MIN_MARKERS`` furniture words; 0 otherwise."""
    best, best_at, score = 0.0, 0, 0.0
    for i, block in enumerate(blocks):
        if block.kind == STOP or (block.kind == PROSE and block.words > MAX_RUN_PROSE_WORDS):
            break
        # the list a heading titles comes after it in the page
        if trailing:
            titled = blocks[i - 1] if i else None
        else:
            titled = blocks[i + 1] if i + 1 < len(blocks) else None
        gain = _score(block, titled is not None and titled.kind == NAV)
        score += gain
        # (a heading that costs nothing goes with its list)
        if score > best or (score == best and gain == 0 and best_at == i):
            best, best_at = score, i + 1
    if best < MIN_RUN_SCORE:
        return 0
    names = {m.group(0).casefold() for b in blocks[:best_at] for m in _MARKERS.finditer(b.label)}
    return best_at if len(names) >= MIN_MARKERS else 0


def _score(block: _Block, titles_list: bool) -> float:
    """A block's furniture score: +1 per link of a list, +1 for a cookie banner, a cost for
    prose and for short lines; a heading of a list (``titles_list``), a furniture heading
    ("Kontakta oss") and an address line cost nothing."""
    if block.kind == NAV:
        return float(block.links)
    if block.kind == COOKIE:
        return 1.0
    if block.kind == HEAD:
        footer_line = _MARKERS.search(block.label) or _CONTACT.search(block.label)
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
    (COOKIE), prose, or code or a table (STOP: content, never furniture)."""
    links = words = prose = 0
    label: list[str] = []
    for n, line in enumerate(lines):
        if _CODE_OR_TABLE.match(line):
            return _Block(STOP, start, end, 0, 0, "")
        if (n and _UNDERLINE.match(line)) or _RULE.match(line):
            continue  # a heading's underline or a rule
        heading = bool(_ATX.match(line)) or (
            n + 1 < len(lines) and bool(_UNDERLINE.match(lines[n + 1]))
        )
        found, text = _link_line(line) if markdown else (0, line)
        count = len(_WORD.findall(text))
        words += count
        label.append(text)
        # (plain text has no link syntax: a line of a list of short lines counts as a link)
        text_link = (
            len(lines) > 1
            and count <= TEXT_LINK_WORDS
            and not _sentence(text)
            and not _OUTLINE.search(text)
        )
        if found or (not markdown and text_link):
            links += max(found, 1)
        elif not heading and (count > SHORT_LINE_WORDS or _sentence(text)):
            prose += 1
    joined = " ".join(label)
    if prose:
        cookie = _COOKIE.search(joined) and _CONSENT.search(joined)
        return _Block(COOKIE if cookie else PROSE, start, end, links, words, joined)
    return _Block(NAV if links else HEAD, start, end, links, words, joined)


def _link_line(line: str) -> tuple[int, str]:
    """How many links (or pictures) a Markdown line is made of, 0 unless it is only links with
    at most a couple of words beside them ("[Kunskapsstöd](/k) Kunskapsstöd", "[Om oss](/om) |
    [Kakor](/kakor)"); and its text without link targets."""
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
    return (found if others <= max(2, link_words) else 0), text


def _sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))
