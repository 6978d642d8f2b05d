"""Tag documents with the focus areas (fokusområden) of the national digitalisation strategy.

Owns the scoring: taxonomy keywords matched with inflections and compounds, damped for repeats,
weighted up in the title and normalised by length; a threshold and at most two areas, each with
its evidence ("informationssäkerhet ×4", "MSB ×2"). Imports kb and ingest only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.enrich.words import KeywordMatcher, Token, damped, evidence, summarise, tokenize
from kb.document import Tag

if TYPE_CHECKING:
    from kb.taxonomy.model import Taxonomy

MAX_AREAS = 2
# An area needs this score (damped keyword weight per sqrt(100 words)) to be tagged at all...
MIN_SCORE = 1.2
# ...at least this much raw evidence (two plain mentions, or one in the title)...
MIN_WEIGHT = 2.0
# ...and a second area must reach this share of the best one.
SECOND_SHARE = 0.5
TITLE_BOOST = 3.0
NORM_WORDS = 100  # length normalisation: sqrt(words / NORM_WORDS), never below 1


@dataclass(frozen=True)
class AreaScore:
    """The evidence for one focus area in one document (kept for tests and tuning)."""

    area: str
    score: float
    weight: float
    counts: dict[str, int]


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
            area.id: KeywordMatcher((*area.keywords, *area.aliases), false_friends=FALSE_FRIENDS)
            for area in taxonomy.focus_areas.values()
        }

    def scores(self, title: str, text: str) -> list[AreaScore]:
        """Every area with any evidence, best first."""
        title_tokens = tokenize(title)
        tokens: list[Token] = title_tokens + tokenize(text)
        boost = dict.fromkeys(range(len(title_tokens)), TITLE_BOOST)
        norm = max(1.0, math.sqrt(len(tokens) / NORM_WORDS))
        result = []
        for area, matcher in self.matchers.items():
            hits = matcher.hits(tokens)
            if not hits:
                continue
            totals = summarise(hits, boost)
            counts: dict[str, int] = {}
            for hit in hits:
                counts[hit.keyword] = counts.get(hit.keyword, 0) + 1
            score = sum(damped(w) for w in totals.values()) / norm
            result.append(AreaScore(area, round(score, 3), sum(totals.values()), counts))
        result.sort(key=lambda s: (-s.score, s.area))
        return result

    def tags(self, title: str, text: str) -> tuple[Tag, ...]:
        """At most ``MAX_AREAS`` focus-area tags that pass the thresholds, best first."""
        chosen: list[AreaScore] = []
        for cand in self.scores(title, text):
            if cand.score < MIN_SCORE or cand.weight < MIN_WEIGHT:
                continue
            if chosen and cand.score < SECOND_SHARE * chosen[0].score:
                break
            chosen.append(cand)
            if len(chosen) == MAX_AREAS:
                break
        return tuple(Tag(c.area, "auto", evidence(c.counts), round(c.score, 2)) for c in chosen)
