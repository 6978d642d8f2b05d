"""Phrases read as written words: a compound's parts count only at a phrase's two ends.

The index puts a compound's parts at the compound's own position (kb.analysis.analyzer,
``index_outputs``), so positions alone let the phrase "digital tjänst" (a thesaurus entry for
e-tjänst) match "digital hemtjänst" through the compound's head. The index cannot tell a part
from a whole word at a position without a schema change, so the documents whose positions
matched a phrase are read once more here: their stored title and text, tokenised with the
index's tokeniser, must hold the phrase with

- the first word matching a whole word or a compound's head (its trailing parts): the phrase
  may start inside a word ("kommunarkiv digitala handlingar" holds "arkiv digitala");
- the words between matching written words as a whole (``whole_outputs``: the word's stem, its
  hyphen parts such as e-tjänster -> tjänst, folded copies), never a part decompounding found;
- the last word matching a whole word or a compound's leading part, never its head: the phrase
  may end inside a word ("digitala arkivleveranser" holds "digitalt arkiv") but not skip the
  front of one ("digital hemtjänst" does not hold "digital tjänst").

So a phrase matches where its words stand one after another in the written text, a compound
cut at its seams at either end of the phrase only.

Single words still match compound parts as before (kb.search.scoring): only phrases are read.
The check runs once per phrase and index generation (the caller caches its outcome) and only on
the documents the positions already matched; each text is scanned until the phrase is found.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import deque
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.analyzer import (
    TOKEN_PATTERN,
    WORD_CACHE_SIZE,
    is_stop,
    normalize,
    stem,
    whole_outputs,
)
from kb.analysis.decompound import compound_terms
from kb.analysis.lexicon import fold
from kb.index.record import META_FIELD, PAGE_BREAK, read_text_z
from kb.search.budget import check_time

# Documents checked between two looks at the query's time budget.
CHECK_TIME_EVERY = 64
# Documents read per phrase and index generation, the best-scored first. Reading one costs about
# 0.4 ms (100,000 generated documents): unbounded, a common thesaurus phrase ("digital tjänst",
# 2,348 position matches at 100,000) took 1.1 s on the first query after every commit, and ran
# past the 3 s query budget at 300,000. The best-scored are the ones an officer sees; the rest
# keep their position match unread, as every phrase match was before this check existed.
CHECK_MAX = 300
# Only windows of text around the places where a word starts with the phrase's last term (its
# first PROBE_LEN letters, diacritics folded) are tokenised: a long report costs a regex scan.
PROBE_LEN = 4
# Characters before such a place per earlier word of the phrase: the word and stop words between.
WINDOW_PER_WORD = 80
_SPACE = re.compile(r"\s")
# A folded letter of a term stands for these letters of the text (ASCII-typed queries).
_UNFOLD = {"a": "aåäáàâ", "o": "oöóòô", "e": "eéèêë", "u": "uüúùû", "i": "iíìî", "c": "cç"}


@lru_cache(maxsize=1024)
def _probe(term: str) -> re.Pattern[str]:
    """Where a word starts like ``term`` (its first PROBE_LEN letters, any case and accents)."""
    letters = (f"[{_UNFOLD[c]}]" if c in _UNFOLD else re.escape(c) for c in fold(term)[:PROBE_LEN])
    return re.compile("".join(letters), re.IGNORECASE)


def _words(text: str) -> Iterable[str]:
    """The indexed words of ``text`` in order (normalised, stop words and junk dropped): what
    the index numbered as consecutive positions."""
    for match in TOKEN_PATTERN.finditer(text):
        word = normalize(match.group())
        if word and not is_stop(word):
            yield word


def holds_phrase(text: str, terms: Sequence[str]) -> bool:
    """Whether ``text`` holds the index ``terms`` as consecutive words (see the module
    docstring: compounds cut only at the phrase's two ends)."""
    n = len(terms)
    if n == 0:
        return False
    last: deque[str] = deque(maxlen=n)
    tail = terms[1:]
    for word in _words(text):
        last.append(word)
        if len(last) < n:
            continue
        if n > 1 and terms[-1] not in ends_phrase(word):
            continue  # the common case: the phrase does not end here
        if terms[0] not in starts_phrase(last[0]):
            continue
        words = list(last)[1:]
        if all(t in whole_outputs(w) for t, w in zip(tail[:-1], words[:-1], strict=True)):
            return True
    return False


@lru_cache(maxsize=WORD_CACHE_SIZE)
def starts_phrase(word: str) -> frozenset[str]:
    """The terms a phrase's first word may match in ``word``: the word as a whole and the
    trailing parts of a compound, where the phrase starts inside the word (tjänst of
    hemtjänst, for "tjänst för äldre")."""
    trailing = (stem(p) for p in compound_terms(word) if word.endswith(p))
    return whole_outputs(word).union(trailing)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def ends_phrase(word: str) -> frozenset[str]:
    """The terms a phrase's last word may match in ``word``: the word as a whole
    (``whole_outputs``) and the leading parts of a compound, where the phrase reads on into the
    word (arkiv of arkivleveranser, digitalisering of digitaliseringsstrategi), not its head."""
    # Parts come in their dictionary form: programvara of programvaruprojekt, skola of skolmaten.
    leading = (stem(p) for p in compound_terms(word) if word.startswith(p[: max(3, len(p) - 1)]))
    return whole_outputs(word).union(leading)


def holds_phrase_fast(text: str, terms: Sequence[str]) -> bool:
    """``holds_phrase``, tokenising only windows that end where a word starts like the phrase's
    last term (stems begin their words; a compound's head does not start the compound)."""
    probe = _probe(terms[-1])
    read_to = -1
    for m in probe.finditer(text):
        if m.start() < read_to or (m.start() and text[m.start() - 1].isalnum()):
            continue  # not a word's start (hemtjänst), or the last window held this place
        word = TOKEN_PATTERN.match(text, m.start())
        if word is None or terms[-1] not in ends_phrase(normalize(word.group())):
            continue  # tjänstgöring for tjänst: no window to read
        start = max(0, m.start() - WINDOW_PER_WORD * (len(terms) - 1))
        cut = _SPACE.search(text, start, m.start()) if start else None
        start = cut.end() if cut is not None else start  # never half a word first
        after = _SPACE.search(text, m.end())
        read_to = after.start() if after is not None else len(text)
        if holds_phrase(text[start:read_to], terms):
            return True
    return False


def _texts(searcher: Searcher, docnum: int) -> tuple[str, str]:
    """The title, and the body as indexed (summary, then the page texts), of ``docnum``."""
    meta = json.loads(searcher.stored_fields(docnum)[META_FIELD])
    blob = read_text_z(searcher, docnum)
    pages = zlib.decompress(blob).decode("utf-8") if blob else ""
    body = "\n".join(x for x in (meta.get("summary") or "", pages.replace(PAGE_BREAK, "\n")) if x)
    return meta.get("title") or "", body


def whole_word_phrases(
    searcher: Searcher, terms: Sequence[str], docs: np.ndarray, scores: np.ndarray | None = None
) -> np.ndarray:
    """The docnums of ``docs`` (where the phrase's positions matched, sorted) whose title or body
    holds the phrase with whole words after the first (``holds_phrase``).

    With ``scores`` (the phrase's score of each of ``docs``), at most ``CHECK_MAX`` documents are
    read, the best-scored first; the others keep their position match unread."""
    if len(terms) < 2 or not len(docs):
        return docs
    checked = docs
    if scores is not None and len(docs) > CHECK_MAX:
        checked = np.sort(docs[np.argsort(-scores, kind="stable")[:CHECK_MAX]])
    keep = np.zeros(len(checked), dtype=bool)
    for i, docnum in enumerate(checked.tolist()):
        if i % CHECK_TIME_EVERY == 0:
            check_time()
        title, body = _texts(searcher, docnum)
        keep[i] = holds_phrase_fast(title, terms) or holds_phrase_fast(body, terms)
    if checked is docs:
        return docs[keep]
    return np.union1d(np.setdiff1d(docs, checked, assume_unique=True), checked[keep])
