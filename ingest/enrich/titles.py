"""Choose the title a reader sees: the document's own heading over file metadata and boilerplate.

Owns the title rules. A candidate that is empty, an identifier ("{e09d…}"), a file name
("RPA_rapport_v2.docx"), program boilerplate ("Microsoft Word - …") or mostly not words gives way
to the first heading-like line of the text. A title in capitals throughout is set in sentence case
("KUNGSBACKA KOMMUN SAMMANTRÄDESPROTOKOLL" → "Kungsbacka kommun sammanträdesprotokoll"). A title
that only says what kind of paper it is ("KALLELSE/UNDERRÄTTELSE", "Protokollsutdrag") gets the
body it comes from ("Kallelse/underrättelse – Nämnden för Service"). Stray brackets are dropped.
Imports only the standard library.
"""

from __future__ import annotations

import re

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
# Words that only name the kind of paper; a title of nothing else needs the issuing body.
KIND_WORDS = frozenset({
    "kallelse", "underrättelse", "protokoll", "protokollsutdrag", "sammanträdesprotokoll",
    "utdrag", "föredragningslista", "dagordning", "tjänsteskrivelse", "minnesanteckningar",
    "bilaga", "beslut", "och", "ur",
})  # fmt: skip
_BODY = re.compile(r"(nämnd|styrelse|fullmäktige|utskott|revision|direktion|förbund)", re.I)
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


def _heading(text: str) -> str:
    """The first line near the top that reads like a heading, with the lines it wraps onto (a
    slide's heading set on three lines: "Öppet är det nya svarta inom / digitalisering. …")."""
    lines = text.splitlines()[:HEAD_LINES]
    for i, raw in enumerate(lines):
        line = _tidy(raw)
        readable = 8 <= len(line) <= HEADING_CHARS and _letters_share(line) >= 0.6
        if readable and not _DATE_LINE.match(line) and not unusable(line):
            for more in lines[i + 1 :]:
                more = _tidy(more)
                if not more[:1].islower() or len(line) + len(more) >= HEADING_CHARS:
                    break
                line = f"{line} {more}"
            return line
    return ""


def _tidy(title: str) -> str:
    text = " ".join(title.replace("#", " ").split())
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


def choose_title(title: str, text: str) -> str:
    """The title to show for a document whose extracted title is ``title`` and text ``text``
    ("" when neither offers one; normalise then falls back to the file name)."""
    chosen = _tidy(title)
    if unusable(chosen):
        chosen = _heading(text)
    chosen = _sentence_case(chosen)
    if chosen and _only_kind_words(chosen):
        for line in text.splitlines()[:HEAD_LINES]:
            line = _tidy(line)
            if _BODY.search(line) and len(line) <= 80 and not _only_kind_words(line):
                return f"{chosen} – {_sentence_case(line)}"
    return chosen
