"""Who speaks in a text, for the publisher: the issuer of a decision, the receiver of an order,
a quoted minister, the writer's own organisation, a municipal board's own voice.

Owns the patterns: "Regeringen ger Digg i uppdrag" (Regeringen decides), "Digg ska analysera"
(Digg receives), "säger civilminister ..." (quoted), "inom projektet Open Up! studerar vi" (the
writer's side), "nämnden beslutar ... kommunens" (a municipal body writes). The weights stay in
``ingest.enrich.publisher``. Imports ingest only.
"""

from __future__ import annotations

import re

from ingest.enrich.organisations import Mention, Registry

# The issuer of a decision: "Regeringen ger ...", "Regeringen har beslutat ...", "Digg beslutar".
_DECISION_VERBS = (
    r"(?:ger|uppdrar|beslutar|beslutat|beslutade|beviljar|beviljat|avslår|avslagit|bifaller|bifallit|"
    r"förelägger|ändrar|tillsätter|inrättar|medger|utser|fastställer|föreskriver)"
)
_DECIDES_AFTER = re.compile(rf"\s+(?:har\s+)?(?:nu\s+|i\s+dag\s+|idag\s+)?{_DECISION_VERBS}\b")
# Inverted after a clause or an adverb: "(prop. 2017/18:206) ändrar regeringen ...".
_DECIDES_BEFORE = re.compile(
    rf"(?:[,)]|\b(?:nu|därför|härmed|samtidigt|också|även))\s*{_DECISION_VERBS}\s+$", re.IGNORECASE
)
# The object of a decision: "Regeringen ger Post- och telestyrelsen i uppdrag".
_OBJECT_OF_DECISION = re.compile(rf"\b{_DECISION_VERBS}\s+$", re.IGNORECASE)
# The one who receives an order or an assignment is not the one who gives it: "Digg ska
# analysera", "E-hälsomyndigheten har fått i uppdrag", "MSB får i uppdrag".
_RECEIVES = re.compile(
    r"\s*(?:\([^)]{1,40}\)\s*)?(?:ska|skall|bör|har\s+fått|får|fick|ges|gavs|har\s+getts)\b",
    re.IGNORECASE,
)
_QUOTE_BEFORE = re.compile(r"\b(?:säger|sade|sa|skriver|berättar)\s+$", re.IGNORECASE)
# An organisation the writer belongs to: "inom projektet Open Up!", "vi på SKR", "här på NOSAD",
# with "vi", "oss", "vår" or "min" in the same sentence.
_OWN_SIDE = re.compile(
    r"\b(?:projektet|nätverket|föreningen|vi\s+(?:på|i|inom)|oss\s+(?:på|i|inom)|här\s+på)\s+$",
    re.IGNORECASE,
)
_QUOTATION_LINE = re.compile(r"[ \t>]*[–—\"”»]")
_FIRST_PERSON = re.compile(r"\b(?:vi|oss|vår|vårt|våra|jag|min|mitt|mina)\b", re.IGNORECASE)
_MUNICIPAL_VOICE = re.compile(
    r"\b(?:kommunstyrelsens?|kommunfullmäktiges?|\w*nämndens?|\w*förvaltningens?|kommunens|"
    r"vår kommun)\b",
    re.IGNORECASE,
)
MUNICIPAL_VOICE_MIN = 2


def decides(text: str, m: Mention) -> bool:
    """The organisation issues a decision: "Regeringen ger ...", "ändrar regeringen ..."."""
    before = text[max(0, m.start - 20) : m.start]
    return bool(_DECIDES_AFTER.match(text, m.end) or _DECIDES_BEFORE.search(before))


def quoted(text: str, m: Mention) -> bool:
    """The name stands right after "säger" ("..., säger civilminister Erik Slottner")."""
    return bool(_QUOTE_BEFORE.search(text[max(0, m.start - 20) : m.start]))


def own_side(text: str, m: Mention) -> bool:
    """The writer's own organisation: "inom projektet Open Up! studerar vi", "här på NOSAD".
    Not in a quotation ("– Även hos oss på Myndigheten för delaktighet ..."): that is a person
    the article quotes speaking for their organisation."""
    if _QUOTATION_LINE.match(text, text.rfind("\n", 0, m.start) + 1):
        return False
    return bool(_OWN_SIDE.search(text[max(0, m.start - 30) : m.start])) and _first_person(text, m)


def receives(text: str, m: Mention) -> bool:
    """The organisation is told what to do ("Digg ska ...", "MSB har fått i uppdrag ...",
    "Regeringen ger Digg i uppdrag")."""
    before = text[max(0, m.start - 20) : m.start]
    return bool(_RECEIVES.match(text, m.end) or _OBJECT_OF_DECISION.search(before))


def _first_person(text: str, m: Mention) -> bool:
    """A first-person word in the sentence around the mention."""
    start = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    stops = [i for i in (text.find(".", m.end), text.find("\n", m.end)) if i >= 0]
    end = min(stops) if stops else len(text)
    return bool(_FIRST_PERSON.search(text[start:end]))


def own_municipality(text: str, mentions: list[Mention], registry: Registry) -> str:
    """The one municipality named as an organisation in a text that speaks as a municipal board
    or administration ("nämnden beslutar", "förvaltningen", "kommunens"); "" otherwise."""
    if len(_MUNICIPAL_VOICE.findall(text[:20_000])) < MUNICIPAL_VOICE_MIN:
        return ""
    named = {m.org for m in mentions if registry.by_id[m.org].municipality}
    return named.pop() if len(named) == 1 else ""
