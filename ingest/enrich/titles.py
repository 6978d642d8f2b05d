"""Choose the title a reader sees: the document's own heading over file metadata and boilerplate.

Owns the title rules. A candidate that is empty, an identifier ("{e09d…}"), a file name
("RPA_rapport_v2.docx"), program boilerplate ("Microsoft Word - …") or mostly not words gives way
to the first heading-like line of the text. A title in capitals throughout is set in sentence case
("KUNGSBACKA KOMMUN SAMMANTRÄDESPROTOKOLL" → "Kungsbacka kommun sammanträdesprotokoll"). A title
that only says what kind of paper it is ("KALLELSE/UNDERRÄTTELSE", "Protokollsutdrag") gets the
body it comes from ("Kallelse/underrättelse – Nämnden för Service"). Stray brackets are dropped.

A title is read with the lines it wraps onto ("Rapport om / strategiska vägval för / e-arkiv"),
its split letters joined ("A vropsvägledning") and an appended registry number set in brackets.
A candidate that is page furniture, a byline, a placeholder, cut short or not real words
(``ingest.enrich.title_lines``) gives way to the first heading-like line above the prose that is
none of these; when there is none the title is "" and normalise shows the cleaned file name.
A web page headed only with its site's name offers its content's own headings instead
(``ingest.extract.html_title``); the first that passes the same tests is taken.
Imports only the standard library.
"""

from __future__ import annotations

import html
import re

from ingest.enrich.title_lines import broken_words, little_real_words, open_ended, rejected

MAX_TITLE = 160
HEAD_LINES = 25
_FILE_LIKE = re.compile(r"(\.(pdf|docx?|pptx?|xlsx?|odt|txt|md|html?)\s*$)|_", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(microsoft (word|powerpoint)\s*-\s*|powerpoint-presentation$|presentation\d*$|"
    r"dokument\d+$|document\d+$|untitled|namnlös)",
    re.IGNORECASE,
)
# The title of the slide template or of a slide layout, left in the file's metadata
# ("Instruktioner för ppt-mallen", "Startsida med bild", "Title and Content").
_TEMPLATE = re.compile(
    r"\b(?:ppt-?mall\w*|powerpoint-?mall\w*|\w*mallen|templates?)\b|"
    r"^(?:startsida|titelbild|rubrikbild|rubrik och innehåll|title slide|title and content)\b",
    re.IGNORECASE,
)
HEADING_CHARS = 120
# A line this long is prose: the search for a heading ends there.
PROSE_CHARS = 150
# The extracted title is looked for among this many top lines, to read the lines it wraps onto.
CONTINUE_LINES = 5
# Words that only name the kind of paper; a title of nothing else needs the issuing body.
KIND_WORDS = frozenset({
    "kallelse", "underrättelse", "protokoll", "protokollsutdrag", "sammanträdesprotokoll",
    "utdrag", "föredragningslista", "dagordning", "tjänsteskrivelse", "minnesanteckningar",
    "bilaga", "beslut", "och", "ur",
})  # fmt: skip
_BODY = re.compile(r"(nämnd|styrelse|fullmäktige|utskott|revision|direktion|förbund)", re.I)
_LONE_CAPITAL = re.compile(r"^([A-HJ-ZÅÄÖ]) (?=[a-zåäö]{3,})")
_LONE_LETTER = re.compile(r"(?<=[a-zåäö]) ([a-zåäö]) (?=[a-zåäö])")
_SECTION_NUMBER = re.compile(r"^\d+(\.\d+)*\.\s+(?=[A-ZÅÄÖ])")
# Two or three capitalised words alone: a name in a list of people ("Räddningschef Hans Bohlin")
# or an organisation's, where the text has not reached its heading.
_NAME_LINE = re.compile(r"^[A-ZÅÄÖÉ][a-zåäöéü-]+(?: [A-ZÅÄÖÉ][a-zåäöéü-]+){1,2}$")
_REFERENCE = re.compile(
    r"(?<=[\s\d.,])(?:diarienummer|dnr|id-nummer|ärendenummer)\s*:(.*)$", re.IGNORECASE
)
_DATE_LINE = re.compile(r"^[\d\s./:-]+$|^sida\s+\d|^\d+\s*\(\d+\)$", re.IGNORECASE)


def _letters_share(text: str) -> float:
    compact = text.replace(" ", "")
    return sum(ch.isalpha() for ch in compact) / len(compact) if compact else 0.0


def unusable(title: str) -> bool:
    """True when ``title`` cannot be shown as it is (and no repair would make it readable)."""
    text = title.strip()
    return (
        not text
        or len(text) > MAX_TITLE
        or _letters_share(text) < 0.5
        or bool(_FILE_LIKE.search(text))
        or bool(_BOILERPLATE.match(text))
        or bool(_TEMPLATE.search(text))
    )


def _heading(lines: list[str]) -> str:
    """The first line near the top that reads like a heading and can name the document, with
    the lines it wraps onto (a slide's heading set on three lines: "Öppet är det nya svarta inom /
    digitalisering. …"). Furniture, bylines and cut or broken lines are passed over ("Innehåll",
    "Adam Panzer (DIGG)", "Ha 7 AO"); the search ends where prose starts, since a short line
    below a paragraph is a list item or a section, not the document's name."""
    if little_real_words(" ".join(lines)):
        return ""  # logo text or a scan's OCR: no line of it is the document's name
    for i, line in enumerate(lines):
        if len(line) > PROSE_CHARS:
            break
        readable = 8 <= len(line) <= HEADING_CHARS and _letters_share(line) >= 0.6
        if readable and not _DATE_LINE.match(line) and not unusable(line):
            candidate = _sentence_case(_wrapped(line, lines[i + 1 :]))
            if not rejected(candidate) and not _NAME_LINE.match(candidate):
                return candidate
    return ""


def _wrapped(line: str, following: list[str]) -> str:
    """``line`` with the lines it wraps onto: those that go on in lower case, or any line after
    one that ends open ("Rapport om / strategiska vägval för / e-arkiv …")."""
    for more in following:
        if not more or len(line) + len(more) >= HEADING_CHARS:
            break
        if not (more[:1].islower() or open_ended(line)) or _letters_share(more) < 0.6:
            break
        line = f"{line} {more}"
    return line


def _continued(title: str, lines: list[str]) -> str:
    """``title`` with the lines it wraps onto when it is one of the text's top lines (a PDF's
    heading read from its largest font stops at the first line: "Förvaltningsgemensam")."""
    folded = title.casefold()
    for i, line in enumerate(lines[:CONTINUE_LINES]):
        if line.casefold() == folded:
            return _wrapped(title, lines[i + 1 :])
    return title


def _shortened(title: str) -> str:
    """A long title cut at the last word that fits, with an ellipsis."""
    cut = title[: MAX_TITLE - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return f"{cut} …"


def _repaired(title: str) -> str:
    """``title`` with the words that PDF text extraction split put together again ("A
    vropsvägledning", "Avropsf ö rfr å gan": letters drawn apart), without a section number
    ("1. Avropsförfrågan"). Lone letters are joined only when there are many of them, since "å ena
    sidan" is words."""
    if broken_words(title):
        title = _LONE_CAPITAL.sub(r"\1", title)
        title = _LONE_LETTER.sub(r"\1", title)
    return _SECTION_NUMBER.sub("", title)


def _without_reference(title: str) -> str:
    """``title`` with the registry number a page appends to it set in brackets without its
    label ("Ny bokföringslag m.m. ID-nummer: prop. 1998/99:130" → "Ny bokföringslag m.m. (prop.
    1998/99:130)"; "… 2026Diarienummer: Fö2025/01712"): the number is still searched for."""
    found = _REFERENCE.search(title)
    if not found or not found.start() or not found.group(1).strip():
        return title
    return f"{title[: found.start()].strip()} ({found.group(1).strip()})"


def _tidy(title: str) -> str:
    # An entity in a front matter's or a metadata title ("&#8211;") is the character it names.
    text = " ".join(html.unescape(title).replace("#", " ").split())
    for opening, closing in ("()", "[]", "{}"):
        if text.count(opening) != text.count(closing):
            text = text.replace(opening, "").replace(closing, "").strip()
    return text.strip(" -–:|")


def _sentence_case(text: str) -> str:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) <= 6 or any(ch.islower() for ch in letters):
        return text
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


def _only_kind_words(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return bool(words) and all(w in KIND_WORDS for w in words)


def _candidate(lines: tuple[str, ...]) -> str:
    """The first of a page's own headings and emphasised lines that passes the title tests."""
    for line in lines:
        candidate = _sentence_case(_repaired(_without_reference(_tidy(line))))
        readable = 8 <= len(candidate) <= MAX_TITLE and _letters_share(candidate) >= 0.5
        fails = _DATE_LINE.match(candidate) or unusable(candidate) or rejected(candidate)
        if readable and not fails and not _NAME_LINE.match(candidate):
            return candidate
    return ""


def choose_title(title: str, text: str, instead: tuple[str, ...] = ()) -> str:
    """The title to show for a document whose extracted title is ``title`` and text ``text``
    ("" when neither offers one a reader would accept; normalise then falls back to the file
    name). The extracted title is read with the lines it wraps onto; when it cannot be shown or
    is furniture, a byline or not words (``ingest.enrich.title_lines``), the first heading-like
    line of the text that can be is used. ``instead`` are the page's own headings when
    ``title`` is only its site's name (``ingest.extract.html_title``): the first that passes
    the same tests is taken, else the site's name stays."""
    if chosen := _candidate(instead):
        return chosen
    lines = [_tidy(line) for line in text.splitlines()[:HEAD_LINES]]
    chosen = _sentence_case(_continued(_repaired(_without_reference(_tidy(title))), lines))
    if unusable(chosen) or rejected(chosen):
        # A long title is still the document's own words: better than the file's name.
        long = len(chosen) > MAX_TITLE and not unusable(chosen[:MAX_TITLE]) and not rejected(chosen)
        chosen = _heading(lines) or (_shortened(chosen) if long else "")
    if chosen and _only_kind_words(chosen):
        for line in text.splitlines()[:HEAD_LINES]:
            line = _tidy(line)
            if _BODY.search(line) and len(line) <= 80 and not _only_kind_words(line):
                return f"{chosen} – {_sentence_case(line)}"
    return chosen
