"""Passages for focus-area tagging: the text cut where a reader sees a new item, minus the
furniture that looks digital but is not about anything (signature pages, digital sign-off).

Owns what is removed before scoring ("Digital justering", "digitalt signerat", BankID and
e-signing lines, "utvecklande ledarskap", which is leadership training, not digital leadership) and
where a passage ends: a blank line, an agenda item ("7.", "§ 12"), a heading ("#") or a table row.
Imports only the standard library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lines that come from signing the minutes, not from what was decided.
_SIGNATURE_LINE = re.compile(
    r"digital(?:t)?\s+(?:justering|justerad|signer\w*)|bankid|e-signing|signerat\s+av|"
    r"signerad\s+av|justerandes\s+signatur|elektroniskt?\s+signer\w*|dokumentreferens|"
    r"signering\w*|underteckn\w*|"
    # a signing log row: "f60698219206b0d6ed  11:08:13 CET   E-LEGITIMATION"
    r"\d\d:\d\d:\d\d\s+(?:CET|CEST|UTC)\b|"
    # the privacy notice every page links to: "Behandling av personuppgifter", "Hantering av kakor"
    r"behandling\s+av\s+personuppgifter|hantering\s+av\s+kakor|"
    # web page furniture: the privacy and accessibility links in every footer
    r"tillgänglighetsredogörelse|om\s+cookies|om\s+webbplatsen|"
    # ... and a link alone on its line: "Digital tillgänglighet", "Tillgänglighet"
    r"^\W*(?:(?:digital\s+)?tillgänglighet\W*)+$",
    re.IGNORECASE,
)
# A teaser for another article ("Läs också: 8 tips för en bättre digital arbetsmiljö") says what
# that article is about, not this one.
_TEASER_LINE = re.compile(r"^\W*läs\s+(?:också|även)\b", re.IGNORECASE)
# A sentence that sends the reader to a web address ("På 1177.se finns information och e-tjänster
# för dig", "Mer information finns på msb.se", "Se krisinformation.se") says what that site
# offers, not what this text is about.
_POINTER = re.compile(
    r"(?:\bpå|\bfinns\s+(?:på|via)|\bläs\s+mer\s+(?:på|via)|^\W*se)\s+(?:https?://)?"
    r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:se|nu|com|org|eu|net)\b",
    re.IGNORECASE,
)
# A sentence within a line; a dot inside a word ("1177.se") does not end it.
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=\S))+[.!?]?")
# Phrases that contain a keyword and mean something else.
_NOT_DIGITAL = re.compile(r"utvecklande\s+ledarskap|ledarskapsutbildning\b", re.IGNORECASE)
_NEW_ITEM = re.compile(r"^\s*(?:#{1,6}\s|\d{1,3}[.)]\s|§\s*\d|\|)")
MAX_PASSAGE_CHARS = 1500


@dataclass(frozen=True)
class Passage:
    """One item of a document: its text and where it starts."""

    text: str
    start: int

    @property
    def quote(self) -> str:
        """The passage's opening words, for the evidence ("§ 7 Årsrapport dataskydd …")."""
        words = " ".join(self.text.split())
        return words if len(words) <= 70 else words[:67].rstrip() + "…"


def clean(text: str) -> str:
    """``text`` without signature lines, teasers for other articles, sentences that point to
    another web site and phrases that only look digital."""
    lines = [
        "" if _SIGNATURE_LINE.search(ln) or _TEASER_LINE.match(ln) else ln
        for ln in text.splitlines()
    ]
    text = _SENTENCE.sub(_blank_pointer, "\n".join(lines))
    return _NOT_DIGITAL.sub(" ", text)


def _blank_pointer(sentence: re.Match[str]) -> str:
    return " " * len(sentence[0]) if _POINTER.search(sentence[0]) else sentence[0]


def passages(text: str) -> list[Passage]:
    """The items of ``text``: blocks between blank lines, split again at agenda items, headings
    and table rows, and at ``MAX_PASSAGE_CHARS``."""
    found: list[Passage] = []
    current: list[str] = []
    start = offset = 0

    def close() -> None:
        body = "\n".join(current).strip()
        if body:
            found.append(Passage(body, start))

    for line in text.splitlines(keepends=True):
        size = sum(len(c) for c in current)
        if not line.strip() or _NEW_ITEM.match(line) or size > MAX_PASSAGE_CHARS:
            close()
            current, start = [], offset
        if line.strip():
            current.append(line.rstrip("\n"))
        offset += len(line)
    close()
    return found
