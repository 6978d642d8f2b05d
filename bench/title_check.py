"""The evaluation's test of "a title a reader would accept", kept apart from the rules it grades.

A title fails when it is empty or too long, looks like a file name ("RPA_rapport_slutversion_v2",
"rapport.pdf", the file's own name), is boilerplate a program or a letterhead put there
("PROTOKOLLSUTDRAG", "Microsoft Word - dok1.docx", "PowerPoint-presentation", "Untitled"),
is written in capitals throughout, carries a stray bracket ("[Sammanfattning"), or is mostly not
words (a page number, a date, a diary number). The ingest rules do not import this module.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

MAX_CHARS = 180
MIN_LETTERS = 3
_FILE_SUFFIX = re.compile(r"\.(pdf|docx?|pptx?|xlsx?|odt|txt|md|html?|rtf)\b", re.IGNORECASE)
# Words that alone say only what kind of paper it is, or that a program wrote.
GENERIC_WORDS = frozenset({
    "protokoll", "protokollsutdrag", "sammanträdesprotokoll", "utdrag", "kallelse", "rapport",
    "bilaga", "bilagor", "presentation", "powerpoint", "powerpoint-presentation", "dokument",
    "document", "untitled", "namnlös", "namnlöst", "titel", "title", "rubrik", "sida", "page",
    "slide", "bild", "start", "startsida", "hem", "home", "index", "microsoft", "word",
    "tjänsteskrivelse", "beslut", "minnesanteckningar", "föredragningslista", "och", "till",
    "med", "en", "ett", "av", "sammanfattning", "innehåll", "innehållsförteckning", "contents",
    "summary", "agenda", "meny", "menu", "kommun", "stad", "region", "nr", "del",
})  # fmt: skip
_PROGRAM_BOILERPLATE = re.compile(
    r"^(microsoft (word|powerpoint)|powerpoint-presentation$|presentation\d*$|dokument\d+|"
    r"document\d+|untitled|namnlös|title|slide \d+)\b",
    re.IGNORECASE,
)
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _name_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _fold(text))


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for ch in text:
        if ch in _BRACKETS:
            stack.append(_BRACKETS[ch])
        elif ch in _BRACKETS.values() and (not stack or stack.pop() != ch):
            return False
    return not stack


def title_problem(title: str, filename: str = "") -> str | None:
    """Why a reader would not accept ``title`` as the document's title, or None when they would.

    Args:
        title: the title shown in results.
        filename: the original's file name; a title that is just that name fails.
    """
    text = " ".join(title.split())
    if not text:
        return "empty"
    if len(text) > MAX_CHARS:
        return "too long"
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < MIN_LETTERS or len(letters) < 0.5 * len(text.replace(" ", "")):
        return "not words"
    if _FILE_SUFFIX.search(text) or "_" in text:
        return "file name"
    stem = PurePosixPath(filename).stem
    # Dev-set files carry a numeric prefix ("401_"); compare without it.
    stem = re.sub(r"^\d+_", "", stem)
    if stem and _name_key(text) == _name_key(stem) and "-" in stem and " " not in text:
        return "file name"
    if _PROGRAM_BOILERPLATE.match(text):
        return "program boilerplate"
    if not _balanced(text) or text[0] in "([{)]}" or text[-1] in "([{":
        return "stray bracket"
    words = re.findall(r"[^\W\d_]+", text.casefold())
    if words and all(w in GENERIC_WORDS for w in words):
        return "generic"
    if len(letters) > 6 and all(not ch.islower() for ch in letters):
        return "all caps"
    if text[0].isalpha() and text[0].islower() and not re.match(r"^[a-z]+-?[A-ZÅÄÖ]", text):
        return "starts in lower case"
    return None
