"""Which line can name a document: the tests a title candidate must pass, apart from the choice.

Owns the reasons a heading or a metadata title is not the document's name although it is words:
page furniture (a table of contents' "Innehåll", a protocol's field label "Plats och tid", a
call to action "Saknas ett projekt?"), a speaker or byline line ("Adam Panzer (DIGG)",
"Contributor: …", "… | Se även: …"), a template's placeholder ("Namn Efternamn - Titel",
"… – radera när du läst"), a heading cut at a line break ("Rapport om", "Bolagsverkets") and
strings with little real-word content (logo text read by OCR or broken text extraction: "Ha 7 AO",
"(SLL, ER Af"). ``ingest.enrich.titles`` chooses among the candidates. Standard library only.
"""

from __future__ import annotations

import re

# Headings that name a part of a page or a form, never the document (all words must be these).
GENERIC_WORDS = frozenset({
    "innehåll", "innehållsförteckning", "sammanfattning", "summary", "contents", "meny", "menu",
    "navigering", "navigation", "sök", "search", "startsida", "start", "hem", "home", "om", "oss",
    "kontakt", "kontakta", "nyheter", "aktuellt", "relaterat", "relaterade", "sidor", "länkar",
    "dela", "sidan", "inledning", "bakgrund", "syfte", "översikt", "förord", "bilaga", "bilagor",
    "plats", "och", "tid", "närvarande", "beslutande", "ersättare", "ledamöter", "justering",
    "justerare", "paragrafer", "paragraf", "ärende", "ärenden", "datum", "guide", "presentation",
    "agenda", "dagordning", "filtersammanfattning", "filter", "sida", "page", "del", "kapitel",
    "rubrik", "titel", "title", "dokument", "document", "av", "the", "of", "utdragsbestyrkande",
    "förvaltning", "avdelning", "enhet", "namn", "efternamn",
})  # fmt: skip
# A protocol's or a form's field label that opens the line ("Plats och tid Kommunhuset …").
_FORM_FIELD = re.compile(
    r"^(plats och tid|(ej )?beslutande|närvarande|övriga (närvarande|deltagande)|justerare|"
    r"justeringens|utdragsbestyrkande|ersättare|sekreterare|ordförande)\b",
    re.IGNORECASE,
)
# A short question addressed to the reader ("Saknas ett projekt?", "Hittade du det du
# sökte?"): a sidebar or a footer, not a title. A page may well be named by a question, so
# only a short one that ends on its question mark counts.
_READER_QUESTION = re.compile(
    r"^(saknas|saknar du|hittade du|hittar du|vill du|har du|behöver du|letar du|fick du|"
    r"var (den här|denna) sida)\b",
    re.IGNORECASE,
)
# An invitation that is a button or a link on its own ("Logga in", "Läs mer", "Dela sidan").
# With a subject after it, the same words name a page: "Logga in med e-legitimation" is a
# guide's title, so only the bare invitation (three words at most) counts.
_INVITATION = re.compile(
    r"^(hjälp oss|tyck till|läs mer|kontakta oss|prenumerera|tipsa|anmäl dig|logga in|"
    r"lägg till|dela (sidan|på))\b",
    re.IGNORECASE,
)


def _call_to_action(text: str) -> bool:
    """True for a bare invitation or a short question to the reader (page furniture)."""
    count = len(words(text))
    if _INVITATION.match(text):
        return count <= 3
    return bool(_READER_QUESTION.match(text)) and text.rstrip().endswith("?") and count <= 6


# A person's name followed by their organisation or party in brackets, and nothing else: a
# speaker line or a protocol's list of members ("Adam Panzer (DIGG)", "Patrik Köhler (m)").
_NAME = r"[A-ZÅÄÖÉÜ][a-zåäöéüø]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?"
_SPEAKER = re.compile(rf"^{_NAME}(?:\s+{_NAME}){{1,3}},?\s*\([^()]{{1,60}}\)$")
# A label and a colon that introduce who wrote or where else to look: a byline or link line.
_BYLINE = re.compile(
    r"\b(se även|se också|contributor|contributors|författare|skriven av|publicerad|"
    r"uppdaterad|senast ändrad|foto|fotograf|kontaktperson)\s*:",
    re.IGNORECASE,
)
# What a template leaves for its user to replace or delete.
_PLACEHOLDER = re.compile(
    r"(namn efternamn|förnamn efternamn|klicka här|klicka för att|radera (när|innan|denna)|"
    r"skriv (rubrik|titel|namn) här|\[rubrik\]|\[titel\])",
    re.IGNORECASE,
)
# Words a title cannot end on: it was cut where the heading wrapped.
OPEN_ENDINGS = frozenset({
    "om", "och", "för", "till", "av", "med", "i", "på", "vid", "som", "att", "eller", "samt",
    "från", "mot", "inom", "hos", "ur", "ska", "kan", "är", "en", "ett", "den", "det", "de",
    "the", "of", "and", "for", "to", "in", "a", "an",
})  # fmt: skip
# A definite genitive ("Bolagsverkets", "Statens", "kommunens") waits for what it owns.
_GENITIVE = re.compile(r"(ets|ens|ns|arnas|ernas|ornas)$")
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = set("aeiouyåäöéü")
# The share of a line's letters that must be in real words ("EU-konferens om AI och IT": 0.7).
REAL_SHARE = 0.6
# Lone letters inside words: two or more, and this share of the tokens ("å ena sidan" is words).
LONE_SHARE = 0.2


def words(text: str) -> list[str]:
    """The runs of letters in ``text``, in order."""
    return _WORD.findall(text)


def _real_word(word: str) -> bool:
    """A word as text has it: with a vowel, in lower case, or capitalised and three letters or
    more (an all-capital token is an acronym or logo text; "Ef", "Zg" are not words)."""
    if not _VOWELS & set(word.casefold()):
        return False
    return word.islower() or (len(word) >= 3 and word[1:].islower())


def little_real_words(text: str) -> bool:
    """True when ``text`` is mostly not words: no real word of four letters or more among
    several tokens ("Ha 7 AO", "ALLS, Ef"), or under ``REAL_SHARE`` of its letters in real words
    ("FSE CARRERA olje tra", "1/Zg DIGITAL FÖRVALTNING f/ Agency …"). One token alone ("NSÖD",
    "VA-taxa") is judged by the other tests. A line in capitals throughout is judged in lower
    case."""
    tokens = words(text)
    if not tokens:
        return True
    letters = [ch for ch in text if ch.isalpha()]
    if not any(ch.islower() for ch in letters):
        tokens = [t[:1] + t[1:].lower() for t in tokens]
    if len(text.split()) == 1:
        return False
    real = [t for t in tokens if _real_word(t)]
    if not any(len(t) >= 4 for t in real):
        return True
    return sum(map(len, real)) < REAL_SHARE * sum(map(len, tokens))


def broken_words(text: str) -> bool:
    """True when the text extraction split words apart: lone letters inside words ("Avropsf ö
    rfr å gan"; "i" and "I" are words) or a lone capital before a lower-case word ("A vrops…")."""
    tokens = text.split()
    lone = [t for t in tokens if len(t) == 1 and t.isalpha() and t not in ("i", "I")]
    if len(lone) >= 2 and len(lone) >= LONE_SHARE * len(tokens):
        return True
    return bool(re.match(r"^[A-HJ-ZÅÄÖ] [a-zåäö]{3,}", text))


def generic(text: str) -> bool:
    """True when every word of ``text`` only names a part of a page or a form."""
    found = [w.casefold() for w in words(text)]
    return bool(found) and all(w in GENERIC_WORDS for w in found)


def open_ended(text: str) -> bool:
    """True when ``text`` ends where a heading wrapped: on a preposition, a conjunction, or a
    short title's definite genitive ("Rapport om", "Statens", "Bolagsverkets")."""
    found = words(text)
    if not found or text.rstrip()[-1:] in '.?!)»”"':
        return False
    last = found[-1].casefold()
    return last in OPEN_ENDINGS or (len(found) <= 2 and bool(_GENITIVE.search(last)))


def furniture(text: str) -> str | None:
    """Why ``text`` is page furniture or a byline rather than a title, or None."""
    if generic(text):
        return "generic"
    if _call_to_action(text):
        return "call to action"
    if _SPEAKER.match(text) or _BYLINE.search(text) or text.count("|") >= 2:
        return "byline"
    if _PLACEHOLDER.search(text):
        return "placeholder"
    if _FORM_FIELD.match(text):
        return "form field"
    return None


def rejected(text: str) -> str | None:
    """Why ``text`` cannot be a document's title although it may be readable, or None."""
    if not text or not (text[0].isalnum() or text[0] in "\"'«”“"):
        return "stray punctuation"
    if text[0].islower() and not re.match(r"^[a-zåäö]+-?[A-ZÅÄÖ]", text):
        return "starts in lower case"
    if little_real_words(text) or broken_words(text):
        return "not words"
    return furniture(text) or ("cut short" if open_ended(text) else None)
