"""Phrases read as words: a phrase's words after the first must be whole words, not compound parts.

The index puts a compound's parts at the compound's own position (kb.analysis.analyzer,
``index_outputs``), so positions alone let the phrase "digital tjänst" (a thesaurus entry for
e-tjänst) match "digital hemtjänst" through the compound's head. The index cannot tell a part
from a whole word at a position without a schema change, so the documents whose positions
matched a phrase are read once more here: their stored title and text, tokenised with the
index's tokeniser, must hold the phrase with

- the first word matching any term of a written word, compound parts included: the phrase
  starts inside the compound's head ("skolans digitala tjänster" for "digital tjänst" and
  "hemtjänstens digitala tjänster" alike; "informationssäkerhet arbete" is rare and harmless);
- every later word matching a written word as a whole (``whole_outputs``: the word's stem, its
  hyphen parts such as e-tjänster -> tjänst, folded copies), never a part that decompounding
  found.

Single words still match compound parts as before (kb.search.scoring): only phrases are read.
The check runs once per phrase and index generation (the caller caches its outcome) and only on
the documents the positions already matched; each text is scanned until the phrase is found.
"""

from __future__ import annotations

import json
import zlib
from collections import deque
from collections.abc import Iterable, Sequence

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.analyzer import TOKEN_PATTERN, index_outputs, is_stop, normalize, whole_outputs
from kb.index.record import META_FIELD, PAGE_BREAK, read_text_z
from kb.search.budget import check_time

# Documents checked between two looks at the query's time budget.
CHECK_TIME_EVERY = 64


def _words(text: str) -> Iterable[str]:
    """The indexed words of ``text`` in order (normalised, stop words and junk dropped): what
    the index numbered as consecutive positions."""
    for match in TOKEN_PATTERN.finditer(text):
        word = normalize(match.group())
        if word and not is_stop(word):
            yield word


def holds_phrase(text: str, terms: Sequence[str]) -> bool:
    """Whether ``text`` holds the index ``terms`` as consecutive words, the first as any term of
    its word (a compound's part too), the others as whole words."""
    n = len(terms)
    if n == 0:
        return False
    last: deque[str] = deque(maxlen=n)
    tail = terms[1:]
    for word in _words(text):
        last.append(word)
        if len(last) < n:
            continue
        if n > 1 and terms[-1] not in whole_outputs(word):
            continue  # the common case: the phrase does not end here
        if terms[0] not in index_outputs(last[0]):
            continue
        if all(t in whole_outputs(w) for t, w in zip(tail, list(last)[1:], strict=True)):
            return True
    return False


def _texts(searcher: Searcher, docnum: int) -> tuple[str, str]:
    """The title, and the body as indexed (summary, then the page texts), of ``docnum``."""
    meta = json.loads(searcher.stored_fields(docnum)[META_FIELD])
    blob = read_text_z(searcher, docnum)
    pages = zlib.decompress(blob).decode("utf-8") if blob else ""
    body = "\n".join(x for x in (meta.get("summary") or "", pages.replace(PAGE_BREAK, "\n")) if x)
    return meta.get("title") or "", body


def whole_word_phrases(searcher: Searcher, terms: Sequence[str], docs: np.ndarray) -> np.ndarray:
    """The docnums of ``docs`` (where the phrase's positions matched) whose title or body holds
    the phrase with whole words after the first (``holds_phrase``)."""
    if len(terms) < 2 or not len(docs):
        return docs
    keep = np.zeros(len(docs), dtype=bool)
    for i, docnum in enumerate(docs.tolist()):
        if i % CHECK_TIME_EVERY == 0:
            check_time()
        title, body = _texts(searcher, docnum)
        keep[i] = holds_phrase(title, terms) or holds_phrase(body, terms)
    return docs[keep]
