"""Publisher evidence from a page's frame and from "contact us" addresses.

Owns the reading of what the extractors keep about a page's site (``ingest.extract.html_site``,
Markdown front matter and ``mailto:`` links): the publisher named in meta tags or JSON-LD, a
footer's copyright line, the logo's alt text, the site's contact address, and an address the
writer gives as their own ("kontakta oss på info@skr.se") or as the contact for questions ("Vid
frågor kontakta ... via e-post ..."). Each finding is an organisation with
the kind of evidence; the weights stay in ``ingest.enrich.publisher``. Imports ingest only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.enrich.organisations import Registry

# The alt text of a logo names the site with some furniture words around it: "Region Hallands
# logotyp", "Till startsidan – Digg", "Logo Sveriges Kommuner och Regioner".
_LOGO_WORDS = re.compile(
    r"\b(?:logo\w*|logga\w*|länk|till|startsida\w*|gå|hem|home|link|to|the|of|page)\b|[-–—|:]",
    re.IGNORECASE,
)
# The writer gives an address as their own: "kontakta oss", "mejla oss", "hör av dig till oss".
_CONTACT_US = re.compile(
    r"\b(?:kontakta|mejla|maila|mail|e-post|epost|skriv|hör\s+av\s+(?:dig|er)|contact|e-mail|"
    r"email|write)\s+(?:till\s+|to\s+)?(?:oss|us)\b"
    # The document's own contact point for questions: "Vid frågor kontakta Kammarkollegiet via
    # e-post inkopscentralen@kammarkollegiet.se", "Har du frågor, kontakta Karin Berg, ...".
    r"|\b(?:vid|för|har\s+du|har\s+ni)\s+frågor(?:\s+om\s+(?:detta|denna|dokumentet|"
    r"vägledningen|ramavtalet|rapporten|beslutet))?\s*[,:?]?\s*kontakta\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:oss|vi|vår|våra|vårt|us|we|our)\b", re.IGNORECASE)
# An e-mail address: "name@skr.se", "name(@)skr.se", "name [at] skr.se".
_AT = re.compile(r"(?:@|\(@\)|\[at\]|\(at\))\s*$", re.IGNORECASE)
CONTACT_AFTER = 150  # characters after "kontakta oss" where its address may stand
COVERS = 0.6  # a field is an organisation's name when the name covers this share of it


@dataclass(frozen=True)
class Evidence:
    """One finding: the organisation, the kind of evidence ("meta", "stated", "contact"), a note."""

    org: str
    kind: str
    note: str


def site_evidence(metadata: dict[str, str], registry: Registry) -> Iterator[Evidence]:
    """What the page's frame says about its publisher (see the module docstring)."""
    for value in metadata.get("publisher", "").split("\n"):
        for org in _names(value, registry):
            yield Evidence(org, "meta", f"metadata publisher: {value[:60]}")
    if line := metadata.get("copyright", ""):
        for org in _after_copyright(line, registry)[:1]:
            yield Evidence(org, "stated", f"sidfot: {line[:60]}")
    if alt := metadata.get("logo", ""):
        for org in _names(_LOGO_WORDS.sub(" ", alt), registry):
            yield Evidence(org, "meta", f"logotyp: {alt[:60]}")
    seen: set[str] = set()
    for row in metadata.get("mailto", "").split("\n"):
        address, _, rest = row.partition("\t")
        text, _, where = rest.partition("\t")
        mail_org = registry.host_org(address.rpartition("@")[2]) if "@" in address else None
        # The site's contact address in its footer, or an address the link calls ours
        # ("[kontakta oss](mailto:openup@okfn.se)"); a person's address in an article is not.
        if mail_org and mail_org not in seen and (where == "footer" or _FIRST_PERSON.search(text)):
            seen.add(mail_org)
            yield Evidence(mail_org, "contact", f"kontakt: {address}")


def contact_us(text: str, registry: Registry) -> Iterator[Evidence]:
    """The address right after "kontakta oss", "mejla oss", "contact us" in the text: the
    writer's own organisation ("Frågor? Kontakta oss på info@skr.se")."""
    seen: set[str] = set()
    for cue in _CONTACT_US.finditer(text):
        window = text[cue.end() : cue.end() + CONTACT_AFTER]
        for m in registry.hosts_in(window):
            if _AT.search(window[: m.start]) and m.org not in seen:
                seen.add(m.org)
                yield Evidence(m.org, "contact", f"kontakta oss: {m.text}")
            break


def _names(value: str, registry: Registry) -> list[str]:
    """Organisations a short field is the name of ("Region Halland", "digg.se")."""
    return orgs_named(" ".join(value.split()), registry)


def orgs_named(value: str, registry: Registry) -> list[str]:
    """Organisations ``value`` is the name of, as a name ("Region Halland") or a host
    ("design.regionhalland.se"): the match covers ``COVERS`` of it, so "Uppdrag till MSB" (a
    page's own title) names none."""
    found = [m.org for m in registry.scan(value) if m.end - m.start >= COVERS * len(value)]
    found += [m.org for m in registry.hosts_in(value) if m.end - m.start >= COVERS * len(value)]
    return list(dict.fromkeys(found))


def _after_copyright(line: str, registry: Registry) -> list[str]:
    """The organisation named after "©" or "Copyright" in a footer line ("© 2023 SKR")."""
    at = re.search(r"©|\(c\)|copyright", line, re.IGNORECASE)
    rest = line[at.end() :] if at else line
    found = [m.org for m in registry.scan(rest)] + [m.org for m in registry.hosts_in(rest)]
    return list(dict.fromkeys(found))
