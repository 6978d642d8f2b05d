"""Related hits by pseudo-relevance feedback: documents about what the best hits are about,
though they use none of the query's words.

Many documents that answer a question never use its words (a design handbook for
*tjänstedesign*, notices about "digitala lösningar" for *e-tjänst*; docs/relevance.md, "Why the
rest is missed"). When a query has few hits (fewer than ``FEEDBACK_BELOW`` documents match any
of its clauses, so the results do not fill two pages), the best ``FEEDBACK_DOCS`` hits are read
once more (their stored title and text, tokenised as the index does) and the words that
characterise them (RM3-style: each word's share of each document's words, weighted by the
document's score, times the word's IDF) become a second, weak query. Documents that score on
those words but match no clause of the query itself are added as *related* hits: partial
matches ranked below every document that matches any clause, listing every clause as missing.
``Matched.full`` never holds them, so a question with no answer gets no full hit this way.

A word must occur in at least ``MIN_SHARED`` of the feedback documents (a word of one document
says what that document is about, not what the hits have in common), and not in more than
``MAX_SHARE`` of the index (common words find everything); a related document must hold at least
``RELATED_TERMS`` of the words (one shared word is no shared topic: "Vägbreddningen på
landsbygden" is not about *bredband* because a broadband notice mentions the countryside). The
weights are in one place below. A candidate whose text is a copy of a hit's or of a related hit
ranked above it (the same PDF under two addresses) is left out (``_distinct``).

Cost: nothing for a query with enough hits; otherwise reading and tokenising the first
``READ_CHARS`` characters of ``FEEDBACK_DOCS`` documents and scoring ``FEEDBACK_TERMS`` words
(about 10-25 ms of CPU at 100,000 documents, docs/relevance.md). Their postings are not kept
in the snapshot's cache, where they would push out the lists of common query words. Related
hits are extras: a search that runs out of its time budget here returns without them.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from dataclasses import replace
from functools import lru_cache

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.analyzer import TOKEN_PATTERN, is_stop, normalize, stem
from kb.index.record import META_FIELD, PAGE_BREAK, read_text_z
from kb.search.budget import QueryTooSlowError, check_time
from kb.search.matching import Matched
from kb.search.scoring import QueryScorer

# -- Feedback weights: the one place ---------------------------------------------------------
# Found on the dev set (python -m bench.eval_relevance DEVSET --set feedback.NAME=VALUE), swept one
# or two at a time on half A of the answerable questions (alternate ids) and checked on half B and
# on both query files; where half A was flat the cheaper value was kept (5 documents, not 8; 15
# words, not 20 or 30; 15,000 characters, not 50,000). MAX_SHARE 0.1 lost half the gain (common
# subject words such as "tillgänglighet" fell out); RELATED_MIN above 0.2 and MIN_SHARED 3 cut
# good related hits. The figures are in docs/relevance.md ("Related hits").
FEEDBACK_BELOW = 20  # read feedback only when fewer documents than this match any clause
FEEDBACK_DOCS = 5  # the best hits read as feedback
FEEDBACK_TERMS = 15  # words of the second query
MIN_SHARED = 2  # ... each in at least this many of the feedback documents (times in one)
MAX_SHARE = 0.2  # ... and in at most this share of all documents
READ_CHARS = 15_000  # characters of each feedback document read (a long report's start)
RELATED_MAX = 20  # related hits added at most
RELATED_MIN = 0.1  # ... each scoring at least this share of the feedback documents' median
RELATED_TERMS = 3  # ... and holding at least this many of the words: one shared word is no topic
# A related hit whose text is a copy of a hit above it (the same PDF twice, a page under two
# addresses) is left out: texts of about the same size (compressed, within SAME_SIZE) whose
# opening SAME_CHARS characters share SAME_SHINGLES of their runs of four words.
SAME_SIZE = 1.1
SAME_CHARS = 2_000
SAME_SHINGLES = 0.9
_DIGIT = re.compile(r"\d")


def _text(searcher: Searcher, docnum: int) -> str:
    """The title and the start of the body (summary, then page texts) of ``docnum``."""
    meta = json.loads(searcher.stored_fields(docnum)[META_FIELD])
    blob = read_text_z(searcher, docnum)
    # Only the start is read: a long report's text is not inflated whole (2 bytes a character
    # covers Swedish text; a character cut in two at the end is dropped).
    head = zlib.decompressobj().decompress(blob, 2 * READ_CHARS) if blob else b""
    pages = head.decode("utf-8", "ignore")
    parts = (meta.get("title") or "", meta.get("summary") or "", pages.replace(PAGE_BREAK, "\n"))
    return "\n".join(p for p in parts if p)[:READ_CHARS]


def term_counts(text: str) -> Counter[str]:
    """Index terms (a word's own stem) of ``text`` with their counts; stop words and words with
    digits (years, section numbers) left out."""
    counts: Counter[str] = Counter()
    for token, n in Counter(TOKEN_PATTERN.findall(text)).items():
        term = _term(token)  # once per distinct token, not per occurrence
        if term:
            counts[term] += n
    return counts


@lru_cache(maxsize=20_000)  # a few feedback sets' words (5 documents hold about 3,000)
def _term(token: str) -> str:
    """The index term a written token counts for here ("" for a stop word or a number)."""
    word = normalize(token)
    return stem(word) if word and not is_stop(word) and not _DIGIT.search(word) else ""


def feedback_terms(
    scorer: QueryScorer, docs: list[int], weights: list[float], exclude: set[str]
) -> list[tuple[str, float]]:
    """(term, weight) of the ``FEEDBACK_TERMS`` words that best characterise ``docs`` (their
    scores ``weights``), the query's own ``exclude`` terms left out."""
    total = sum(weights) or 1.0
    mass: dict[str, float] = {}  # RM3's P(term | feedback): share of words, score-weighted
    held: Counter[str] = Counter()  # feedback documents holding the term
    times: Counter[str] = Counter()  # its occurrences in them
    for docnum, weight in zip(docs, weights, strict=True):
        check_time()
        counts = term_counts(_text(scorer.searcher, docnum))
        size = sum(counts.values()) or 1
        for term, n in counts.items():
            mass[term] = mass.get(term, 0.0) + (weight / total) * n / size
            held[term] += 1
        times.update(counts)
    # Held by MIN_SHARED of the documents; from a single hit ("more like this"), repeated in it
    # (Lucene's MoreLikeThis asks the same, minTermFreq 2): a sentence defines no subject.
    if len(docs) > 1:
        pool = [t for t in mass if held[t] >= MIN_SHARED and t not in exclude]
    else:
        pool = [t for t in mass if times[t] >= MIN_SHARED and t not in exclude]
    pool.sort(key=lambda t: -mass[t])
    reader = scorer.searcher.reader()
    n = max(scorer.snap.live_count, 1)
    out: list[tuple[str, float]] = []
    for term in pool[: 3 * FEEDBACK_TERMS]:
        df = reader.doc_frequency("body", term)  # the title's words are in the body too, mostly
        if df <= held[term] or df > MAX_SHARE * n:
            continue  # no other document holds it, or too many do
        out.append((term, mass[term] * math.log(n / df)))
    out.sort(key=lambda x: -x[1])
    return out[:FEEDBACK_TERMS]


def _cached_terms(
    scorer: QueryScorer, docs: list[int], weights: list[float], exclude: set[str]
) -> list[tuple[str, float]]:
    """``feedback_terms``, kept in the snapshot's cache: the next page or another filter of the
    same search reads the same documents (the filters apply after matching)."""
    key = ("#feedback", " ".join(map(str, docs)) + "|" + " ".join(sorted(exclude)))
    cached = scorer.snap.cache.get(key)
    if cached is None:
        found = feedback_terms(scorer, docs, weights, exclude)
        cached = (np.array([t for t, _ in found], dtype=str), np.array([w for _, w in found]))
        scorer.snap.cache.put(key, cached)
    return [(str(t), float(w)) for t, w in zip(cached[0], cached[1], strict=True)]


class _Texts:
    """Documents' compressed texts and their opening runs of words, read once each; the runs
    only of two texts of about the same size (most pairs are told apart by their sizes)."""

    def __init__(self, scorer: QueryScorer) -> None:
        self.searcher = scorer.searcher
        self.blobs: dict[int, bytes] = {}
        self.runs: dict[int, set[int]] = {}

    def _blob(self, docnum: int) -> bytes:
        if docnum not in self.blobs:
            check_time()
            self.blobs[docnum] = read_text_z(self.searcher, docnum)
        return self.blobs[docnum]

    def same(self, a: int, b: int) -> bool:
        """Whether ``a`` and ``b`` hold the same text, give or take a line or two."""
        small, large = sorted((len(self._blob(a)), len(self._blob(b))))
        if not small or large > SAME_SIZE * small:
            return False
        one, two = self._runs(a), self._runs(b)
        return bool(one and two) and len(one & two) >= SAME_SHINGLES * len(one | two)

    def _runs(self, docnum: int) -> set[int]:
        if docnum not in self.runs:
            head = zlib.decompressobj().decompress(self._blob(docnum), 2 * SAME_CHARS)
            # Words as written, lower-cased: a copy is the same text, not the same terms.
            words = head.decode("utf-8", "ignore")[:SAME_CHARS].lower().split()
            self.runs[docnum] = {hash(tuple(words[i : i + 4])) for i in range(len(words) - 3)}
        return self.runs[docnum]


def _distinct(scorer: QueryScorer, ranked: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """The first ``RELATED_MAX`` of ``ranked`` (best first) that copy neither a hit of the query
    nor a related hit before them, in docnum order."""
    texts = _Texts(scorer)
    kept: list[int] = []
    for docnum in (int(d) for d in ranked):
        if not any(texts.same(docnum, int(other)) for other in (*hits, *kept)):
            kept.append(docnum)
            if len(kept) == RELATED_MAX:
                break
    return np.array(sorted(kept), dtype=ranked.dtype)


def add_related(
    scorer: QueryScorer, found: Matched, exclude: set[str], excluded: np.ndarray | None
) -> Matched:
    """``found`` with related hits added (see the module docstring); unchanged when the query
    has enough hits, or none, or its best hits have nothing in common.

    ``exclude``: the query's index terms (not searched again); ``excluded``: documents the query
    excludes (``-word``), never related hits.
    """
    scores, coverage, full = found.scores, found.coverage, found.full
    if not FEEDBACK_DOCS or scores is None or coverage is None or full is None:
        return found
    if not 0 < np.count_nonzero(scores) < FEEDBACK_BELOW:
        return found  # nothing to learn from, or related hits would follow two pages of hits
    hits = np.flatnonzero(scores > 0)
    # The best hits as the results page orders them: more clauses first, then score.
    order = np.lexsort((-scores[hits], -coverage[hits]))[:FEEDBACK_DOCS]
    docs = [int(d) for d in hits[order]]
    try:
        terms = _cached_terms(scorer, docs, [float(scores[d]) for d in docs], exclude)
        related = np.zeros(len(scores), dtype=np.float32)
        shared = np.zeros(len(scores), dtype=np.int16)  # how many of the words each one holds
        weight_sum = sum(w for _, w in terms)
        for term, weight in terms:
            # Not cached: the words change with every query, and their lists are long ones.
            s = scorer.term_scores(term, keep=False)
            if s is not None:
                related += (weight / weight_sum) * s
                shared += s > 0
    except QueryTooSlowError:
        return found  # extras only: the query's own hits are complete
    if not terms:
        return found
    bar = RELATED_MIN * float(np.median(related[docs]))
    candidates = (related > max(bar, 0.0)) & (shared >= RELATED_TERMS)
    candidates &= (scores == 0) & scorer.snap.live
    if excluded is not None:
        candidates &= ~excluded
    pick = np.flatnonzero(candidates)
    if not len(pick):
        return found
    try:
        pick = _distinct(scorer, pick[np.argsort(-related[pick], kind="stable")], hits)
    except QueryTooSlowError:
        return found
    if not len(pick):
        return found  # every one a copy of a hit
    # They match no clause (coverage 0), and score under the query's own lowest hit, so they
    # rank below every hit of the query itself, in the order of their feedback score.
    out = scores.copy()
    out[pick] = 0.5 * float(scores[hits].min()) * related[pick] / float(related[pick].max())
    return replace(
        found,
        scores=out,
        related=pick,
        feedback=tuple(t for t, _ in terms),
    )
