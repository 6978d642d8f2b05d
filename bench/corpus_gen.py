"""Deterministic generator of Swedish-like benchmark documents and queries.

Documents: bodies of 150–1,500 words (log-uniform), a Zipf-distributed vocabulary whose head is
real Swedish function and municipal words in inflected and compound forms and whose tail is
generated Swedish-looking words with å/ä/ö; 1–3 municipalities (skewed towards the e-råd
regions), 1–2 focus areas, a document type and a date 2010–2026. The same seed always gives the
same corpus. Queries: words from high, mid and low frequency bands, half with filters.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from kb.document import Document, Page, Tag, document_id


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The most frequent words: Swedish function words (stop words), then municipal vocabulary in
# inflected, compound and hyphenated forms. Titles draw from the latter.
FUNCTION_WORDS = _words(
    """
och i att det som en på är av för med till den har de inte om ett men var han så vid från kan
ska också eller när hur alla efter vara där vi mot under här mer
"""
)
DOMAIN_WORDS = _words(
    """
kommun kommunen kommuner kommunerna kommunens region regionen förvaltning förvaltningen
digitalisering digitaliseringen digitaliseringsstrategi digitaliseringsstrategin e-tjänst
e-tjänster e-tjänsten e-tjänsterna e-arkiv e-arkivet e-legitimation e-råd informationssäkerhet
informationssäkerheten informationssäkerhetsarbetet säkerhet bygglov bygglovet bygglovsprocessen
ansökan ansökningar handläggning handläggningen beslut beslutet besluten protokoll protokollet
kommunstyrelsen kommunfullmäktige nämnden strategi strategin handlingsplan handlingsplanen plan
planen uppföljning uppföljningen projekt projektet projekten projektledare projektgrupp
förstudie förstudien rapport rapporten utredning utredningen vägledning vägledningen riktlinjer
rutiner rutin skola skolan skolor skolorna förskola förskolan elever eleverna lärare
lärplattform äldreomsorg äldreomsorgen hemtjänst hemtjänsten välfärdsteknik trygghetslarm larm
bredband bredbandsutbyggnad bredbandsutbyggnaden nätverk infrastruktur plattform plattformen
molntjänster molntjänst integration integrationer api grunddata data dataskydd
dataskyddsförordningen personuppgifter gdpr incident incidenter risk risker riskanalys kompetens
kompetensutveckling utbildning utbildningar medarbetare chefer ledning ledarskap styrning
nyttorealisering förändringsledning innovation innovationer automatisering ai rpa robotar
digitala digital digitalt invånare medborgare företag verksamhet verksamheten samverkan
samarbete samarbetet kommunalförbund kommunalförbundet arbete arbetet system systemet tjänst
tjänster tjänsten upphandling upphandlingen avtal avtalet leverantör kostnader budget år året
målet mål effekter resultat erfarenheter lärdomar behov behovet möjligheter
"""
)
HEAD = FUNCTION_WORDS + DOMAIN_WORDS
SYLLABLES = _words(
    """
ba be bi bo bu bå bä bö da de di do dä dö fa fe fi fo fö ga ge gi go gå gä ha he hi ho hå hä ja
jo jä ka ke ki ko kå kä kö la le li lo lå lä lö ma me mi mo må mä mö na ne ni no nå nä nö pa pe
pi po på pä ra re ri ro rå rä rö sa se si so så sä sö ta te ti to tå tä tö va ve vi vo vå vä vö
sta ste sti sto stå stä skr skå str
"""
)
ENDINGS = ("", "", "en", "et", "ar", "er", "na", "ens", "ning", "ningen", "het", "heten", "lig")
FOCUS = (
    "digital-kompetens",
    "digital-trygghet",
    "digital-innovation",
    "digitalt-ledarskap",
    "digital-infrastruktur",
)
DOC_TYPES = ("guide", "project", "decision", "plan", "report", "other")


@dataclass(frozen=True)
class BenchQuery:
    text: str
    focus_areas: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    band: str = ""


class CorpusGenerator:
    """Generates the same documents and queries for the same seed and municipality list."""

    def __init__(
        self,
        municipalities: list[str],
        favoured: list[str],
        seed: int = 20261123,
        vocab: int = 60_000,
    ) -> None:
        self.seed = seed
        rng = random.Random(seed)
        words = list(dict.fromkeys(HEAD))
        seen = set(words)
        while len(words) < vocab:
            w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
            w += rng.choice(ENDINGS)
            if w not in seen and len(w) > 2:
                seen.add(w)
                words.append(w)
        self.words = np.array(words, dtype=object)
        ranks = np.arange(1, vocab + 1, dtype=np.float64)
        weights = 1.0 / ranks**1.07
        self.cdf = np.cumsum(weights / weights.sum())
        self.municipalities = municipalities
        self.favoured = favoured

    def documents(self, count: int) -> Iterator[Document]:
        """``count`` documents; document ``i`` is always the same for the same seed."""
        rng = np.random.default_rng(self.seed)
        prng = random.Random(self.seed + 1)
        for i in range(count):
            length = int(math.exp(rng.uniform(math.log(150), math.log(1500))))
            body_ids = np.searchsorted(self.cdf, rng.random(length))
            # Titles: domain words from the head (after the function words) and a rarer word.
            title_ids = rng.integers(
                len(FUNCTION_WORDS), len(HEAD) - 1, prng.randint(2, 8)
            ).tolist()
            title_ids.append(int(np.searchsorted(self.cdf, rng.random())))
            munis = self._pick_municipalities(prng)
            focus = tuple(prng.sample(FOCUS, prng.choice((1, 1, 2))))
            year = prng.randint(2010, 2026)
            date = f"{year}-{prng.randint(1, 12):02d}-{prng.randint(1, 28):02d}"
            words = self.words[body_ids]
            paragraphs = [" ".join(words[j : j + 80]) for j in range(0, length, 80)]
            body = ".\n".join(paragraphs) + "."
            source = f"https://bench.invalid/doc/{i}"
            yield Document(
                id=document_id(source),
                source=source,
                title=" ".join(self.words[title_ids]).capitalize(),
                pages=(Page(1, body),),
                content_sha256=hashlib.sha256(body.encode()).hexdigest(),
                content_type="text/html",
                date=date,
                doc_type=Tag(prng.choice(DOC_TYPES)),
                focus_areas=tuple(Tag(f) for f in focus),
                municipalities=tuple(Tag(m) for m in munis),
            )

    def _pick_municipalities(self, prng: random.Random) -> tuple[str, ...]:
        n = prng.choice((1, 1, 1, 2, 2, 3))
        pool = self.favoured if prng.random() < 0.6 else self.municipalities
        return tuple(sorted(set(prng.sample(pool, n))))

    def queries(
        self, count: int, seed_offset: int = 0, regions: tuple[str, ...] = ()
    ) -> list[BenchQuery]:
        """``count`` queries: a third each from high, mid and low frequency bands; half filtered."""
        prng = random.Random(self.seed + 100 + seed_offset)
        bands = {"high": (0, 60), "mid": (60, 2_000), "low": (2_000, 20_000)}
        # Skip the function words (stop words) at the very top of the head.
        stop = set(FUNCTION_WORDS)
        content = [w for w in self.words if w not in stop]
        out: list[BenchQuery] = []
        for i in range(count):
            band = ("high", "mid", "low")[i % 3]
            lo, hi = bands[band]
            n_words = prng.choice((1, 1, 2, 2, 3))
            words = [content[prng.randrange(lo, hi)] for _ in range(n_words)]
            q = BenchQuery(" ".join(words), band=band)
            if i % 2:
                kind = prng.randrange(4)
                if kind == 0:
                    q = BenchQuery(q.text, municipalities=(prng.choice(self.favoured),), band=band)
                elif kind == 1:
                    q = BenchQuery(
                        q.text,
                        focus_areas=(prng.choice(FOCUS),),
                        municipalities=tuple(prng.sample(self.favoured, 2)),
                        band=band,
                    )
                elif kind == 2 and regions:
                    q = BenchQuery(q.text, regions=(prng.choice(regions),), band=band)
                else:
                    y = prng.randint(2010, 2024)
                    q = BenchQuery(
                        q.text,
                        doc_types=(prng.choice(DOC_TYPES),),
                        year_from=y,
                        year_to=y + 2,
                        band=band,
                    )
            out.append(q)
        return out
