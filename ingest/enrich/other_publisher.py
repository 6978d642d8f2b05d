"""The name of a publisher outside the list of organisations, shown without a facet value.

Owns the fall-back when no listed organisation (``corpus/taxonomy/organisations.tsv``,
municipalities, regions) is found: a company, a research project or an association that
states who it is is shown by that name (``Document.publisher``) while the publisher facet stays
empty, so the facet keeps a small curated vocabulary and a reader still sees who speaks.
Evidence, strongest first: the name the page gives itself (og:site_name, a publisher meta tag,
JSON-LD or front matter), a footer's copyright holder ("© 2023 Exempel AB"), a stated publisher
("Utgiven av Föreningen Exempel", "© 2021 Tietoevry"), the writer's own organisation ("Detta
gör vi på Debricked") and, last, the domain of the address on a closing slide ("Tack! …
anna@exempel.se"). A file sent with its web address shows that site's name instead of the
text's guesses (``ingest.normalise``). Imports ingest only.
"""

from __future__ import annotations

import re

MAX_NAME = 80
# A proper name: up to five capitalised words ("MetaSolutions", "Open Knowledge Foundation",
# "Exempel AB"), with "och", "för", "i" inside ("Föreningen för Exempel").
_NAME = re.compile(
    r"[A-ZÅÄÖ][\w&'-]*(?:\.\w+)*"
    r"(?:[ \t]+(?:(?:och|för|i|of|and|for|the)[ \t]+)?[A-ZÅÄÖ][\w&'-]*(?:\.\w+)*){0,4}"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\b")
# "Utgiven av", "Utgivare:", "Publicerad av", "Published by", "© 2023"; not "Ansvarig utgivare"
# (the responsible editor, a person) and not "Foto ©" (a photographer).
_STATED = re.compile(
    r"(?:^|\n)[ \t]*(?:utgiven av|utgivare:|publicerad av|published by)[ \t]*"
    r"|(?:©|copyright)[ \t]*(?=(?:(?:19|20)\d\d|[A-ZÅÄÖ]))",
    re.IGNORECASE,
)
_PHOTO = re.compile(r"\b(?:foto|bild|photo|illustration|fotograf)\b", re.IGNORECASE)
# The writer's organisation: "vi på Debricked", "här på Exempel", "vi inom Projekt X".
_OWN_SIDE = re.compile(r"\b(?:vi|oss|här)\s+(?:på|inom|hos)\s+(?=[A-ZÅÄÖ])")
_CLOSING = re.compile(r"(?:^|\n)\s*(?:tack|thank you|kontakt|contact)\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})\b", re.IGNORECASE)
# Mail services anyone uses, and the documentation domains of examples: not an organisation.
_SHARED_MAIL = frozenset({
    "gmail.com", "hotmail.com", "outlook.com", "live.se", "live.com", "yahoo.com", "yahoo.se",
    "icloud.com", "me.com", "protonmail.com", "proton.me", "telia.com", "bredband.net",
    "example.com", "example.se", "example.org",
})  # fmt: skip
CLOSING_CHARS = 400
# Words and endings that make a name an organisation's rather than a person's.
_ORGANISATION_WORDS = frozenset({
    "ab", "hb", "inc", "ltd", "gmbh", "group", "sweden", "sverige", "svenska",
    "foundation", "association", "network", "institute", "university", "labs", "lab", "tech",
    "consulting", "center", "centre", "centrum", "kommun", "region", "stad",
})  # fmt: skip
_ORGANISATION_ENDINGS = (
    "föreningen", "förbundet", "stiftelsen", "institutet", "nätverket", "projektet", "rådet",
    "bolaget", "verket", "byrån", "universitet", "högskola", "labbet", "gruppen", "akademien",
)  # fmt: skip
_FIRST_WORDS_NOT_NAMES = frozenset({
    "Detta", "Det", "Den", "Vi", "Här", "Alla", "All", "Rights", "Sida", "Page",
})  # fmt: skip


def other_publisher(text: str, url: str | None, metadata: dict[str, str]) -> str:
    """The name an unlisted publisher goes by, or "" (see the module docstring)."""
    for value in (metadata.get("og:site_name", ""), metadata.get("publisher", "")):
        if name := " ".join(value.split("\n")[0].split())[:MAX_NAME]:
            return name
    if (line := metadata.get("copyright", "")) and (name := _name_after(line, 0)):
        return name
    if url:
        return ""  # the site's own name (its host) says more than a guess from the text
    for cue in _STATED.finditer(text):
        line_start = text.rfind("\n", 0, cue.start()) + 1
        if _PHOTO.search(text, line_start, cue.end()):
            continue  # "Foto: © Anna Ek" credits a photographer
        if name := _name_after(text, cue.end()):
            return name
    for cue in _OWN_SIDE.finditer(text):
        if name := _name_after(text, cue.end()):
            return name
    closing = max(0, len(text) - CLOSING_CHARS)
    if closing_cue := _CLOSING.search(text, closing):
        for mail in _EMAIL.finditer(text, closing_cue.end()):
            domain = mail[1].lower()
            if domain not in _SHARED_MAIL:
                return domain
    return ""


def _name_after(text: str, at: int) -> str:
    """The proper name starting at ``at`` on its line, after a year ("© 2023 Exempel AB")."""
    end = text.find("\n", at)
    rest = text[at : end if end >= 0 else len(text)]
    rest = re.sub(r"^[\s©:]*", "", rest)
    rest = _YEAR.sub(" ", rest, count=1).strip(" ,.:") if _YEAR.match(rest) else rest
    m = _NAME.match(rest)
    if not m or m[0].split()[0] in _FIRST_WORDS_NOT_NAMES or looks_like_person(m[0]):
        return ""
    return m[0].strip(" .,'-")[:MAX_NAME]


def looks_like_person(name: str) -> bool:
    """Two or three capitalised words and no word of an organisation's name: "Anna Ek",
    "Publicerad av Karin Berg" is a byline; "Exempel Konsult AB", "Debricked" are not."""
    words = name.split()
    # A word in capitals is an acronym ("IT AB"), but an initial is part of a person's name
    # ("Anna G. Bengtsson").
    if not 2 <= len(words) <= 3 or any(w.isupper() and len(w.rstrip(".")) > 1 for w in words):
        return False
    return not any(w.lower().strip(".,") in _ORGANISATION_WORDS for w in words) and not any(
        w.lower().endswith(_ORGANISATION_ENDINGS) for w in words
    )
