"""Cues of a document's kind beyond its type words, for ``ingest.enrich.meta``.

Owns two readings of a text: a type word in the plural names what a text lists or discusses
("Policys och vägledningar kring öppen programvara", "Rapporter från e-rådet"), not what the
text is; and a text that says the thing its title names is a project ("NSÖD var ett projekt för
enhetlig publicering ...") describes a project, although it never says "projektbeskrivning".
Imports ``ingest.enrich.words`` only.
"""

from __future__ import annotations

import re

from ingest.enrich.words import tokenize

# Plural endings of the type words: strategi-er, vägledning-ar, checklist-or, and the definite
# forms. A keyword that is plural itself ("riktlinjer", "frågor och svar") has no ending left.
_PLURAL_ENDINGS = ("erna", "arna", "orna", "er", "ar", "or")
# The sentence says its subject is a project: "X är ett projekt", "X var ett treårigt
# EU-projekt", "X är ett samverkansprojekt mellan ..." (a verb of being, an article, at most
# three words, then a word ending in "projekt").
_IS_A_PROJECT = re.compile(
    r"\b(?:är|var|blir|blev)\s+(?:ett|en)\s+(?:[\w-]+\s+){0,3}?[\w-]*projekt\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?]\s|\n\s*\n|\|")
PROJECT_OPENING_CHARS = 1000  # the first paragraphs, where a page says what it is about
EVIDENCE_WORDS = 3  # the subject's last words, for the evidence ("förkortat NSÖD, var ett projekt")
MIN_TITLE_WORD = 3  # "NSÖD", "Digilär": a title word that can name the subject


def plural_form(token: str, keyword: str) -> bool:
    """Whether lower-case ``token`` is type word ``keyword`` in the plural ("strategier",
    "handlingsplanerna"; a loanword in -y also with -s: "policys")."""
    # (also as a compound's head: "digitaliseringsstrategier")
    stems = (keyword, keyword[:-1]) if keyword.endswith("a") else (keyword,)
    if keyword.endswith("y") and token.endswith(keyword + "s"):
        return True
    return any(token.endswith(stem + end) for stem in stems for end in _PLURAL_ENDINGS)


def says_title_is_a_project(title: str, text: str) -> str | None:
    """The words of the opening that say what the title names is a project, or None: the
    subject before "är/var ett ...projekt" must hold a word of the title ("NSÖD ... var ett
    projekt" under the title "NSÖD"; not "Wordpress är ett programvaruprojekt" in a page on
    Helsingborg's open source work)."""
    words = {t.lower for t in tokenize(title) if len(t.lower) >= MIN_TITLE_WORD}
    if not words:
        return None
    opening = text[:PROJECT_OPENING_CHARS]
    for match in _IS_A_PROJECT.finditer(opening):
        ends = list(_SENTENCE_END.finditer(opening, 0, match.start()))
        subject = opening[ends[-1].end() if ends else 0 : match.start()]
        if words & {t.lower for t in tokenize(subject)}:
            return " ".join([*subject.split()[-EVIDENCE_WORDS:], *match.group(0).split()])
    return None
