"""The evaluation's test of "a title a reader would accept", kept apart from the rules it grades.

A title fails when it is empty or too long, looks like a file name ("RPA_rapport_slutversion_v2",
"rapport.pdf", the file's own name), is boilerplate a program or a letterhead put there
("PROTOKOLLSUTDRAG", "Microsoft Word - dok1.docx", "PowerPoint-presentation", "Untitled"),
is written in capitals throughout, carries a stray bracket ("[Sammanfattning"), or is mostly not
words (a page number, a date, a diary number).

Stricter since the titles session (docs/enrichment.md, "Titles a reader accepts"): a title also
fails when it only names a part of a page or a form ("Innehåll", "Plats och tid", "Guide"), is
a call to action from a sidebar ("Saknas ett projekt?"), a speaker or byline line ("Adam Panzer
(DIGG)", "Contributor: …", "… | Se även: …"), a template's placeholder ("Namn Efternamn - Titel",
"… – radera när du läst"), is cut where a heading wrapped ("Rapport om", "Bolagsverkets"), starts
on punctuation ("&Ö Network …"), has little real-word content (logo text or broken extraction:
"Ha 7 AO", "ALLS, Ef", "Avropsf ö rfr å gan") or is only the publisher's name ("Kungsbacka
kommun"). The ingest rules do not import this module, and it states its rules apart from theirs.
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
    # Parts of a page, a protocol's fields and a template's placeholders.
    "om", "oss", "kontakt", "nyheter", "navigering", "sök", "inledning", "bakgrund", "syfte",
    "guide", "plats", "tid", "närvarande", "beslutande", "utdragsbestyrkande", "justering",
    "förvaltning", "avdelning", "namn", "efternamn", "filter", "filtersammanfattning",
})  # fmt: skip
_CALL_TO_ACTION = re.compile(
    r"^(saknas|saknar du|hittade du|hittar du|vill du|har du|behöver du|letar du|hjälp oss|"
    r"tyck till|läs mer|kontakta oss|prenumerera|lägg till|anmäl dig|logga in)\b",
    re.IGNORECASE,
)
_NAME = r"[A-ZÅÄÖÉÜ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?"
_SPEAKER = re.compile(rf"^{_NAME}(?:\s+{_NAME}){{1,3}},?\s*\([^()]{{1,60}}\)$")
_BYLINE = re.compile(
    r"\b(se även|se också|contributors?|författare|skriven av|publicerad|uppdaterad|foto)\s*:",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"namn efternamn|förnamn efternamn|klicka här|radera (när|innan)|skriv (rubrik|titel) här",
    re.IGNORECASE,
)
_OPEN_END = frozenset({
    "om", "och", "för", "till", "av", "med", "i", "på", "vid", "som", "att", "eller", "samt",
    "från", "mot", "inom", "hos", "ur", "ska", "kan", "är", "en", "ett", "den", "det",
})  # fmt: skip
_VOWELS = set("aeiouyåäöéü")
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


def _few_real_words(text: str) -> bool:
    """Several tokens but no real word of four letters or more, or under 60 % of the letters in
    real words (lower case, or capitalised and three letters or more, with a vowel); a line in
    capitals throughout is judged in lower case."""
    tokens = re.findall(r"[^\W\d_]+", text)
    if len(text.split()) < 2 or not tokens:
        return False
    if not any(ch.islower() for ch in text):
        tokens = [t[:1] + t[1:].lower() for t in tokens]

    def real(word: str) -> bool:
        vowel = bool(_VOWELS & set(word.casefold()))
        return vowel and (word.islower() or (len(word) >= 3 and word[1:].islower()))

    found = [t for t in tokens if real(t)]
    if not any(len(t) >= 4 for t in found):
        return True
    return sum(map(len, found)) < 0.6 * sum(map(len, tokens))


def _broken_words(text: str) -> bool:
    """Lone letters inside words ("Avropsf ö rfr å gan") or a lone capital ("A vropsvägledning")."""
    tokens = text.split()
    lone = [t for t in tokens if len(t) == 1 and t.isalpha() and t not in ("i", "I")]
    if len(lone) >= 2 and len(lone) >= 0.2 * len(tokens):
        return True
    return bool(re.match(r"^[A-HJ-ZÅÄÖ] [a-zåäö]{3,}", text))


def title_problem(title: str, filename: str = "", publisher: str = "") -> str | None:
    """Why a reader would not accept ``title`` as the document's title, or None when they would.

    Args:
        title: the title shown in results.
        filename: the original's file name; a title that is just that name fails.
        publisher: the document's publisher; a title that is only that name fails.
    """
    text = " ".join(title.split())
    if not text:
        return "empty"
    if len(text) > MAX_CHARS:
        return "too long"
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < MIN_LETTERS or len(letters) < 0.5 * len(text.replace(" ", "")):
        return "not words"
    if _few_real_words(text) or _broken_words(text):
        return "not words"
    if _FILE_SUFFIX.search(text) or "_" in text:
        return "file name"
    stem = PurePosixPath(filename).stem
    # Dev-set files carry a numeric prefix ("401_"); compare without it.
    stem = re.sub(r"^\d+_", "", stem)
    if stem and _name_key(text) == _name_key(stem) and "-" in stem and " " not in text:
        return "file name"
    if _PROGRAM_BOILERPLATE.match(text) or _PLACEHOLDER.search(text):
        return "program boilerplate"
    if not (text[0].isalnum() or text[0] in "\"'«”“([{"):
        return "stray punctuation"
    if not _balanced(text) or text[0] in "([{)]}" or text[-1] in "([{":
        return "stray bracket"
    words = re.findall(r"[^\W\d_]+", text.casefold())
    if words and all(w in GENERIC_WORDS for w in words):
        return "generic"
    if _CALL_TO_ACTION.match(text):
        return "call to action"
    if _SPEAKER.match(text) or _BYLINE.search(text) or text.count("|") >= 2:
        return "byline"
    if publisher and _name_key(text) == _name_key(publisher):
        return "publisher name"
    if words and text[-1] not in ".?!)" and words[-1] in _OPEN_END:
        return "cut short"
    if len(words) <= 2 and words and re.search(r"(ets|ens|ns)$", words[-1]):
        return "cut short"
    if len(letters) > 6 and all(not ch.islower() for ch in letters):
        return "all caps"
    if text[0].isalpha() and text[0].islower() and not re.match(r"^[a-z]+-?[A-ZÅÄÖ]", text):
        return "starts in lower case"
    return None
