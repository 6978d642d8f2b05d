"""Tag documents with the focus areas (fokusområden) of the national digitalisation strategy.

Owns the scoring: taxonomy keywords matched with inflections and compounds, damped for repeats,
weighted up in the title and normalised by length; a threshold and at most two areas, each with
its evidence ("informationssäkerhet ×4", "MSB ×2"). Imports kb and ingest only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.enrich.passages import clean, passages
from ingest.enrich.words import (
    Hit,
    KeywordMatcher,
    Token,
    damped,
    evidence,
    is_brief,
    summarise,
    tokenize,
)
from kb.document import PASSAGE_EVIDENCE, Tag

if TYPE_CHECKING:
    from kb.taxonomy.model import Taxonomy

MAX_AREAS = 2
# An area needs this score (damped keyword weight per sqrt(100 words)) to be tagged at all...
MIN_SCORE = 1.2
# ...at least this much raw evidence (two plain mentions, or one in the title)...
MIN_WEIGHT = 2.0
# ...and a second area must reach this share of the best one.
SECOND_SHARE = 0.5
# A document no area reaches the bar for gets its best area at this share of the minimum score
# when specific keywords alone give the minimum weight.
LONE_SHARE = 0.5
TITLE_BOOST = 3.0
# A passage tags an area when specific keywords in it weigh this much (one plain mention).
PASSAGE_MIN_WEIGHT = 1.0  # in a short passage (an agenda item); twice that in a longer one
SHORT_PASSAGE = 300  # characters
DENSE = 2.0
PASSAGE_DOC_CHARS = 3000  # passages are scored on their own in documents at least this long
# Keywords too general to tag an area from one passage: they need the whole document's support.
GENERIC = frozenset({
    "strategi", "ledning", "styrning", "ledarskap", "utbildning", "plattform", "innovation",
    "integritet", "sekretess", "incident", "pilotprojekt", "ledningsgrupp", "verksamhetsutveckling",
    "kompetensförsörjning", "säkerhetsskydd", "sensorer", "automatisering", "målbild",
    "integrationer", "kunskapsspridning", "studiecirkel", "digitala verktyg", "riskanalys",
    "kompetensutveckling", "fortbildning", "vidareutbildning", "omvärldsbevakning", "fiber",
    # procedural boilerplate of contracts and forms ("personuppgifter behandlas enligt GDPR")
    "personuppgifter", "gdpr",
    "digitalisering", "digitala frågor",
})  # fmt: skip
# Generic training words: in a short passage about a digital subject they are digital training.
TRAINING = frozenset({
    "utbildning", "kompetensutveckling", "fortbildning", "vidareutbildning", "studiecirkel",
})  # fmt: skip
# A generic keyword counts this much in the whole-document score: "sekretess" and "integritet"
# in a guide to open data are not what it is about.
GENERIC_WEIGHT = 0.75
NORM_WORDS = 100  # length normalisation: sqrt(words / NORM_WORDS), never below 1
# A brief text (words.is_brief: under BRIEF_WORDS words) says each thing once: there one specific
# keyword is enough evidence (score and weight 1 instead of MIN_SCORE and MIN_WEIGHT). 300, about
# one printed page; 150 left 240-300-word pages out.
BRIEF_MIN = 1.0
BRIEF_MIN_SCORE = 0.8  # one mention in BRIEF_WORDS words: 1 / sqrt(1.5)
# ...and there the strategy's own subject is specific: "Även frågor om digitalisering och AI står
# på agendan" in a 90-word notice is what the visit is about.
BRIEF_SPECIFIC = frozenset({"digitalisering", "digitala frågor"})
# ...but an agency's name is not: it says who acts (who moves where, who is consulted), and the
# agency's remit is wider than the area (MSB is also fires and floods, PTS also the post). In a
# brief text it supports an area as a generic word does and adds none on its own.
AGENCIES = frozenset({"msb", "pts"})
# Incident words are shared by IT security and work safety ("incidentrapportering" of tillbud and
# arbetsskador): they count only beside another specific keyword of their area.
NEEDS_SUPPORT = frozenset({"incident", "incidentrapportering"})
# A keyword the taxonomy puts in a second area too (``also``) counts there at this share of its
# weight, so the second area still needs the usual evidence: never one mention (not even in a
# brief text), three in a long one.
ALSO_WEIGHT = 0.75


@dataclass(frozen=True)
class AreaScore:
    """The evidence for one focus area in one document (kept for tests and tuning)."""

    area: str
    score: float
    weight: float
    counts: dict[str, int]
    specific: float = 0.0  # the part of ``weight`` from specific (not generic) keywords


# Words that contain a keyword but mean something else: "vägledning" is guidance, not
# management (ledning); "ledningar" are cables; "utbildningsnämnden" is the school board.
FALSE_FRIENDS: dict[str, tuple[str, ...]] = {
    "ledning": (
        "vägledning", "handledning", "ledningar", "ledningsdragning", "ledningsägare",
        "ledningsnät", "ledningsrätt", "elledning", "vattenledning", "avloppsledning",
    ),
    "utbildning": ("utbildningsnämnd", "utbildningsförvaltning", "utbildningsgrupp"),
}  # fmt: skip


class TopicTagger:
    """Scores the focus areas of one taxonomy; build once, reuse for every document."""

    def __init__(self, taxonomy: Taxonomy):
        self.matchers = {
            area.id: KeywordMatcher(
                (*area.keywords, *area.aliases),
                false_friends=FALSE_FRIENDS,
                phrase_heads=True,
                a_plurals=True,
            )
            for area in taxonomy.focus_areas.values()
        }
        # keyword (lower case) -> the second area it also counts for
        self.also = {
            area.id: {word.lower(): other for word, other in area.also}
            for area in taxonomy.focus_areas.values()
        }

    def area_hits(self, tokens: list[Token]) -> dict[str, list[Hit]]:
        """Each area's keyword hits in ``tokens``. A word names one thing: where one area's
        keyword is the first part of another area's longer keyword at the same word, the longer
        one wins ("digitaliseringscoacher" is competence, not *digitalisering*)."""
        found = {area: matcher.hits(tokens) for area, matcher in self.matchers.items()}
        at: dict[int, list[str]] = {}
        for hits in found.values():
            for hit in hits:
                at.setdefault(hit.index, []).append(hit.keyword.lower())
        kept = {
            area: [
                h
                for h in hits
                if not any(
                    len(k) > len(h.keyword) and _part_of(h.keyword.lower(), k) for k in at[h.index]
                )
            ]
            for area, hits in found.items()
        }
        return self._with_also(kept)

    def _with_also(self, found: dict[str, list[Hit]]) -> dict[str, list[Hit]]:
        """``found`` plus, for a keyword the taxonomy also puts in a second area, a hit there at
        ``ALSO_WEIGHT``: Digg's Ena counts e-legitimation and säker digital kommunikation as
        shared digital infrastructure, the strategy counts them as digital security."""
        extra: dict[str, list[Hit]] = {}
        for area, hits in found.items():
            for h in hits:
                if other := self.also[area].get(h.keyword.lower()):
                    extra.setdefault(other, []).append(
                        Hit(h.keyword, h.index, h.weight * ALSO_WEIGHT)
                    )
        if not extra:
            return found
        return {
            area: sorted([*hits, *extra.get(area, [])], key=lambda h: h.index)
            for area, hits in found.items()
        }

    def scores(self, title: str, text: str, generic: frozenset[str] = GENERIC) -> list[AreaScore]:
        """Every area with any evidence, best first; ``generic`` keywords weigh less."""
        title_tokens = tokenize(title)
        tokens: list[Token] = title_tokens + tokenize(text)
        boost = dict.fromkeys(range(len(title_tokens)), TITLE_BOOST)
        norm = max(1.0, math.sqrt(len(tokens) / NORM_WORDS))
        result = []
        for area, hits in self.area_hits(tokens).items():
            hits = _supported(hits, generic)
            if not hits:
                continue
            totals = summarise(hits, boost)
            for keyword in totals:
                if keyword.lower() in generic:
                    totals[keyword] *= GENERIC_WEIGHT
            counts: dict[str, int] = {}
            for hit in hits:
                counts[hit.keyword] = counts.get(hit.keyword, 0) + 1
            score = sum(damped(w) for w in totals.values()) / norm
            specific = sum(w for k, w in totals.items() if k.lower() not in generic)
            result.append(AreaScore(area, round(score, 3), sum(totals.values()), counts, specific))
        result.sort(key=lambda s: (-s.score, s.area))
        return result

    def tags(self, title: str, text: str) -> tuple[Tag, ...]:
        """At most ``MAX_AREAS`` focus-area tags, best first: areas the whole document is about
        (the thresholds below), then areas one passage is clearly about (a short digital item in
        long minutes), each with its evidence and, for a passage, the passage it came from."""
        text = clean(text)
        chosen: list[Tag] = []
        brief = is_brief(title, text)
        generic = (GENERIC - BRIEF_SPECIFIC) | AGENCIES if brief else GENERIC
        whole = self.scores(title, text, generic)
        min_score, min_weight = (BRIEF_MIN_SCORE, BRIEF_MIN) if brief else (MIN_SCORE, MIN_WEIGHT)
        for cand in whole:
            if cand.score < min_score or cand.weight < min_weight:
                continue
            if chosen and cand.score < SECOND_SHARE * chosen[0].score:
                break
            if chosen and cand.specific < min_weight:
                # Generic words support an area but do not add one: "Förslag till strategi för
                # att minska de digitala klyftorna" is competence, its *strategi* not leadership,
                # and a guide to open data with "sekretess" ×6 and "dataskydd" once is not about
                # security. The second area's specific keywords must reach the weight alone.
                continue
            chosen.append(Tag(cand.area, "auto", evidence(cand.counts), round(cand.score, 2)))
            if len(chosen) == MAX_AREAS:
                return tuple(chosen)
        if not chosen and whole and self._strongest_alone(whole[0], min_score, min_weight):
            best = whole[0]
            chosen.append(Tag(best.area, "auto", evidence(best.counts), round(best.score, 2)))
        taken = {t.value for t in chosen}
        if len(text) < PASSAGE_DOC_CHARS:  # a short document is one passage: scored above
            return tuple(chosen)
        # Incident words in a passage count where the document or the passage supports them.
        supported = {
            a.area for a in whole if any(k.lower() not in generic | NEEDS_SUPPORT for k in a.counts)
        }
        for area, score, notes in self._passage_areas(text, supported):
            if area not in taken and len(chosen) < MAX_AREAS:
                chosen.append(Tag(area, "auto", notes, round(score, 2)))
                taken.add(area)
        return tuple(chosen)

    @staticmethod
    def _strongest_alone(best: AreaScore, min_score: float, min_weight: float) -> bool:
        """Whether a document no area reached the thresholds for still has a subject: its best
        area, named by specific keywords of the minimum weight on their own, at half the
        minimum score ("Policy för utveckling av programvara" names *öppen källkod* twice in
        300 words). Generic words never do; a long text needs more mentions (the score)."""
        return best.specific >= min_weight and best.score >= LONE_SHARE * min_score

    def _passage_areas(
        self, text: str, supported: set[str]
    ) -> list[tuple[str, float, tuple[str, ...]]]:
        """Areas some passage names by a specific keyword, strongest passage first. A training
        word counts in a short passage about another area's digital subject: "Utbildning om
        NIS 2" is training in digital security, which is digital competence."""
        best: dict[str, tuple[float, tuple[str, ...]]] = {}
        for passage in passages(text):
            tokens = tokenize(passage.text)
            short = len(passage.text) <= SHORT_PASSAGE
            found = {
                area: [h for h in m.hits(tokens) if not _in_name(passage.text, tokens, h.index)]
                for area, m in self.matchers.items()
            }
            found = {
                area: hits if area in supported else _supported(hits, GENERIC)
                for area, hits in found.items()
            }
            specific = {
                area: [h for h in hits if h.keyword.lower() not in GENERIC]
                for area, hits in found.items()
            }
            named = {area for area, hits in specific.items() if hits}  # by a specific keyword
            for area, hits in specific.items():
                if short and named - {area}:  # training in another area's subject
                    hits = hits + [h for h in found[area] if h.keyword.lower() in TRAINING]
                weight = sum(h.weight for h in hits)
                if weight < PASSAGE_MIN_WEIGHT or (
                    weight < DENSE * PASSAGE_MIN_WEIGHT and not short
                ):
                    continue
                counts: dict[str, int] = {}
                for hit in hits:
                    counts[hit.keyword] = counts.get(hit.keyword, 0) + 1
                if weight > best.get(area, (0.0, ()))[0]:
                    best[area] = (weight, (*evidence(counts, 3), PASSAGE_EVIDENCE + passage.quote))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return [(area, score, notes) for area, (score, notes) in ranked]


def _supported(hits: list[Hit], generic: frozenset[str]) -> list[Hit]:
    """``hits`` without the words that need support (``NEEDS_SUPPORT``) when no other specific
    keyword stands beside them: an article about reporting work accidents is not about
    information security, a report on IT incidents that names MSB or informationssäkerhet is."""
    if any(h.keyword.lower() not in generic | NEEDS_SUPPORT for h in hits):
        return hits
    return [h for h in hits if h.keyword.lower() not in NEEDS_SUPPORT]


def _part_of(short: str, long: str) -> bool:
    """``short`` opens or ends ``long``: "digitalisering" in "digitaliseringscoach",
    "plattform" in "skolplattform"."""
    return long.startswith(short) or long.endswith(short)


_COMPANY_FORMS = frozenset({"AB", "HB", "KB", "Ab"})


def _in_name(text: str, tokens: list[Token], index: int) -> bool:
    """Whether the word at ``index`` is part of a proper name: capitalised and right after
    another capitalised word, inside a line and a sentence ("för Kungsbacka Bredbandsnät",
    "Halmstad Stadsnät AB" in a table row). A company's name in a budget line or a register is
    not an item about broadband."""
    word = tokens[index].text
    if not word[:1].isupper() or word.isupper():
        return False
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if after is not None and after.text in _COMPANY_FORMS:
        return "\n" not in text[tokens[index].end : after.start]
    if index == 0:
        return False
    before = tokens[index - 1]
    gap = text[before.end : tokens[index].start]
    if not before.text[:1].isupper() or gap.strip() or "\n" in gap:
        return False
    # A capital that only opens a sentence ("Inom Bredband behöver …") proves nothing.
    opening = text[: before.start].rstrip(" \t")
    return bool(opening) and opening[-1] not in ".!?:\n"
