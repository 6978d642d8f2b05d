"""Suggestions as you type: facet values, document titles and frequent words that a prefix starts.

Built once per index generation (like kb.search.snapshot) into sorted arrays of folded keys, so a
lookup is two ``bisect`` calls and one ``argpartition`` over the matching slice of weights. Keys are
folded the Swedish way (lowercase, NFKC, diacritics to ASCII: kb.analysis.lexicon.fold), so "jonk"
finds Jönköping and "forvaltn" förvaltning. Sources:

- facet values: every multi-select facet of the registry with documents (municipalities, regions,
  focus areas, publishers, types...), keyed on their Swedish and English labels and, for a name of
  several words, on each later word too ("got" finds "Västra Götaland"); weight = documents;
- titles of live documents, keyed on the title's start; weight = newness (newest first);
- words of the ``spell`` field (words as people type them, no stemming), the ``MAX_WORDS`` most
  frequent; weight = document frequency.

A key that starts with an e-word is kept joined as well (``e-tjanst`` also as ``etjanst``), as a
search treats etjänst and e-tjänst as one word (kb.search.expansion): "etj" offers e-tjänst.

A word's count is the number of live documents holding it as written (not the search's total, which
also counts stems, synonyms and partial matches), one original under several addresses once, as
the results page counts it (kb.search.copies). Whoosh's document frequency, stored at build time,
counts deleted documents until segments merge and every address of an original; when the
generation has deletions or copies the caller passes ``count`` (kb.search.livecount) and only the
few words shown are recounted, from their postings.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from whoosh.searching import Searcher

from kb.analysis.analyzer import normalize
from kb.analysis.lexicon import fold
from kb.facets.registry import FacetRegistry
from kb.index.record import META_FIELD
from kb.search.expansion import joined_spelling
from kb.search.snapshot import Snapshot
from kb.search.suggest_scope import SuggestScope
from kb.taxonomy.model import Taxonomy

SuggestionKind = Literal["facet", "title", "word"]

SPELL_FIELD = "spell"
# The vocabulary kept for completion: enough for every word officers use, bounded in memory.
MAX_WORDS = 60_000
MIN_WORD_CHARS = 3
# Title keys are cut here: a prefix longer than this still matches (every key is a prefix).
TITLE_KEY_CHARS = 48
MAX_PREFIX_CHARS = 100
DEFAULT_LIMIT = 8
# How many of each kind a full list holds at most, so one kind never crowds out the others.
# Their sum (12) is the most any answer holds: web/openapi.json and docs/embedding.md say so.
KIND_SHARE = {"facet": 4, "title": 3, "word": 5}


def suggest_key(text: str) -> str:
    """The folded form keys and prefixes are compared in: ``Jönköping`` -> ``jonkoping``."""
    return " ".join(fold(normalize(w)) for w in text.split())


@dataclass(frozen=True)
class Suggestion:
    """One completion.

    Attributes:
        kind: ``facet`` (a filter value), ``title`` (a document) or ``word`` (a query word).
        text: what to show (a label in Swedish; the web layer relabels facet values).
        count: documents with the value or word (0 for a title).
        facet / value: the facet id and value of a ``facet`` suggestion.
        doc_id: the document of a ``title`` suggestion.
    """

    kind: SuggestionKind
    text: str
    count: int = 0
    facet: str = ""
    value: str = ""
    doc_id: str = ""


class _SortedKeys:
    """Sorted folded keys, each pointing at an item, with a weight per key."""

    def __init__(self, entries: Iterable[tuple[str, int, float]]) -> None:
        rows = sorted(entries)
        self.keys = [k for k, _, _ in rows]
        self.items = np.array([i for _, i, _ in rows], dtype=np.int32)
        self.weights = np.array([w for _, _, w in rows], dtype=np.float64)

    def best(self, prefix: str, limit: int, allowed: np.ndarray | None = None) -> list[int]:
        """Items whose key starts with ``prefix``, heaviest first, each item once; only items
        ``allowed`` (a bool per item) holds, when given."""
        lo = bisect.bisect_left(self.keys, prefix)
        hi = bisect.bisect_left(self.keys, prefix + "\uffff", lo)
        if hi <= lo:
            return []
        rows = np.arange(lo, hi)
        if allowed is not None:
            rows = rows[allowed[self.items[lo:hi]]]
        weights = self.weights[rows]
        # Several keys may point at one item: take a few extra before removing repeats.
        take = min(len(rows), limit * 3)
        if take == 0:
            return []
        top = np.argpartition(-weights, take - 1)[:take] if take < len(rows) else np.arange(take)
        order = top[np.lexsort((self.items[rows][top], -weights[top]))]
        out: list[int] = []
        for at in order:
            item = int(self.items[rows[at]])
            if item not in out:
                out.append(item)
                if len(out) == limit:
                    break
        return out


class Suggester:
    """The completion tables of one index generation (read-only once built: thread-safe)."""

    def __init__(
        self,
        facet_values: list[tuple[str, str, int]],
        facet_keys: _SortedKeys,
        titles: list[tuple[str, str]],
        title_keys: _SortedKeys,
        words: list[tuple[str, int]],
        word_keys: _SortedKeys,
        title_docs: np.ndarray,
    ) -> None:
        self._facet_values = facet_values
        self._facet_keys = facet_keys
        self._titles = titles
        # Each title's docnum in the generation the tables were built from (for a scope).
        self._title_docs = title_docs
        self._title_keys = title_keys
        self._words = words
        self._word_keys = word_keys

    @classmethod
    def build(
        cls, searcher: Searcher, snapshot: Snapshot, taxonomy: Taxonomy, facets: FacetRegistry
    ) -> Suggester:
        """Read the facet values, titles and frequent words of the searcher's generation."""
        facet_values: list[tuple[str, str, int]] = []
        facet_entries: list[tuple[str, int, float]] = []
        everything = snapshot.live
        for facet in facets.multi:
            table = snapshot.facets.get(facet.id)
            if table is None:
                continue
            counts = table.counts(everything)
            if snapshot.copies:  # as the facet's count on the results page: an original once
                snapshot.copies.uncount(table, everything, counts)
            for value, count in counts.items():
                if count <= 0:
                    continue
                item = len(facet_values)
                facet_values.append((facet.id, value, count))
                for lang in ("sv", "en"):
                    for key in _name_keys(facet.label(taxonomy, value, lang)):
                        facet_entries.append((key, item, float(count)))
        titles, title_entries, title_docs = _titles(searcher, snapshot)
        words, word_entries = _words(searcher)
        return cls(
            facet_values,
            _SortedKeys(set(facet_entries)),
            titles,
            _SortedKeys(title_entries),
            words,
            _SortedKeys(word_entries),
            np.array(title_docs, dtype=np.int64),
        )

    def suggest(
        self,
        prefix: str,
        limit: int = DEFAULT_LIMIT,
        label: Callable[[str, str], str] | None = None,
        count: Callable[[str], int] | None = None,
        scope: SuggestScope | None = None,
    ) -> list[Suggestion]:
        """Up to ``limit`` completions of ``prefix``: facet values, then titles, then words.

        ``label(facet_id, value)`` names a facet value (the web's language); the Swedish label
        of the registry otherwise. ``count(word)`` recounts a word over live documents (the
        stored document frequency otherwise); a word no live document holds is not offered.
        ``scope``: only what lies in its documents, counted there (kb.search.suggest_scope).
        A prefix shorter than two letters suggests nothing.
        """
        key = suggest_key(prefix[:MAX_PREFIX_CHARS])
        if len(key.replace(" ", "")) < 2 or limit <= 0:
            return []
        # Within a scope some candidates count nothing there: look further down the list.
        spare = 1 if scope is None else 4
        facets: list[Suggestion] = []
        for i in self._facet_keys.best(key, KIND_SHARE["facet"] * spare):
            f, v, n = self._facet_values[i]
            n = n if scope is None else scope.facet(f, v)
            if n > 0:
                facets.append(Suggestion("facet", label(f, v) if label else v, n, facet=f, value=v))
                if len(facets) == KIND_SHARE["facet"]:
                    break
        allowed = None if scope is None else scope.titles(self._title_docs)
        titles = [
            Suggestion("title", self._titles[i][1], doc_id=self._titles[i][0])
            for i in self._title_keys.best(key, KIND_SHARE["title"], allowed)
        ]
        # A word completes the last word typed; the words before it stay as they are.
        head, _, last = key.rpartition(" ")
        typed = prefix[: len(prefix) - len(prefix.split()[-1])] if head else ""
        words: list[Suggestion] = []
        if len(last) >= 2:
            share = KIND_SHARE["word"]
            # A recount may drop a word (only deleted documents hold it): spare candidates, each
            # recounted only when needed, since a frequent word's postings cost milliseconds.
            for i in self._word_keys.best(last, share * max(spare, 2 if count else 1)):
                word, n = self._words[i]
                if not head and last in (fold(word), joined_spelling(fold(word))):
                    continue  # the word typed (in either spelling of an e-word)
                if scope is not None:
                    n = scope.word(SPELL_FIELD, word)
                elif count is not None:
                    n = count(word)
                if n > 0:
                    words.append(Suggestion("word", typed + word, n))
                    if len(words) == share:
                        break
            words.sort(key=lambda s: -s.count)  # stable: ties keep the stored order
        return _interleave(facets, titles, words, limit)


def _interleave(
    facets: list[Suggestion], titles: list[Suggestion], words: list[Suggestion], limit: int
) -> list[Suggestion]:
    # Words first when nothing else matches; otherwise a fair share of each, in kind order.
    out: list[Suggestion] = []
    pools = [facets, words, titles]
    while len(out) < limit and any(pools):
        for pool in pools:
            if pool and len(out) < limit:
                out.append(pool.pop(0))
    order = {"facet": 0, "word": 1, "title": 2}
    seen: set[str] = set()
    unique = []
    for s in sorted(out, key=lambda s: order[s.kind]):
        mark = s.text.lower()  # a word that is also a facet's name shows once, as the facet
        if mark not in seen:
            seen.add(mark)
            unique.append(s)
    return unique


def _name_keys(name: str) -> list[str]:
    """A name's key and the keys of its later words (``Västra Götaland`` also by ``got``)."""
    key = suggest_key(name)
    if not key:
        return []
    words = key.split(" ")
    keys = [key] + [" ".join(words[i:]) for i in range(1, len(words)) if len(words[i]) >= 3]
    return keys + [j for j in map(_joined_key, keys) if j]


def _joined_key(key: str) -> str:
    """``key`` with its first word joined when that is an e-word (``e-tjanst for`` ->
    ``etjanst for``), else ""."""
    first, space, rest = key.partition(" ")
    joined = joined_spelling(first)
    return f"{joined}{space}{rest}" if joined else ""


def _titles(
    searcher: Searcher, snapshot: Snapshot
) -> tuple[list[tuple[str, str]], list[tuple[str, int, float]], list[int]]:
    titles: list[tuple[str, str]] = []
    entries: list[tuple[str, int, float]] = []
    docs: list[int] = []
    seen: set[str] = set()
    for docnum in np.flatnonzero(snapshot.live):
        meta = json.loads(searcher.stored_fields(int(docnum))[META_FIELD])
        title = " ".join(str(meta.get("title") or "").split())
        key = suggest_key(title)[:TITLE_KEY_CHARS]
        if not key or key in seen:
            continue  # the same title twice would be two identical suggestions
        seen.add(key)
        for k in (key, _joined_key(key)):
            if k:
                entries.append((k, len(titles), float(snapshot.date_rank[docnum])))
        titles.append((str(meta.get("id") or ""), title))
        docs.append(int(docnum))
    return titles, entries, docs


def _words(searcher: Searcher) -> tuple[list[tuple[str, int]], list[tuple[str, int, float]]]:
    reader = searcher.reader()
    counted: list[tuple[int, str]] = []
    for raw, info in reader.iter_field(SPELL_FIELD):
        df = info.doc_frequency()
        word = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        if len(word) < MIN_WORD_CHARS or any(c.isdigit() for c in word):
            continue
        counted.append((df, word))
    counted.sort(key=lambda p: (-p[0], p[1]))
    words = [(w, df) for df, w in counted[:MAX_WORDS]]
    entries = [
        (k, i, float(df))
        for i, (w, df) in enumerate(words)
        for k in (fold(w), joined_spelling(fold(w)))
        if k
    ]
    return words, entries
