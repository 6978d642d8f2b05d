"""Documents a query names by their publisher ("Region Halland webbhandbok").

A page of Region Halland's web handbook rarely says "Region Halland": the name is in the page
frame that extraction leaves out, and in the publisher the pipeline recognised. A query *names*
a publisher when it holds every distinctive word of the publisher's name: the words left when
generic ones (kommun, stad, region, myndigheten, ...) and stop words are set aside. "Halland"
names Region Halland, "Kungsbacka" names Kungsbacka kommun; "kommun" or "region" alone names
nobody. The documents of a named publisher then match the query's words of that name, scored as a
word of the title (kb.search.scoring.PUBLISHER_WEIGHT).

Read from the snapshot's publisher facet (only organisations the pipeline recognised), once per
index generation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from kb.search.snapshot import Snapshot

# Words that say what kind of organisation a name is, not which one (Swedish public bodies).
GENERIC_WORDS = (
    "kommun",
    "stad",
    "region",
    "landsting",
    "län",
    "länsstyrelsen",
    "myndigheten",
    "verket",
    "sveriges",
    "förbund",
    "kommunalförbund",
)
FACET = "publisher"
MAX_TABLES = 4  # one per live snapshot and analyzer

Name = tuple[frozenset[str], frozenset[str], np.ndarray]  # all terms, distinctive terms, docnums
_tables: dict[tuple[object, ...], list[Name]] = {}


def publisher_names(snap: Snapshot, analyze: Callable[[str], list[str]]) -> list[Name]:
    """Per publisher of the snapshot: the terms of its name, the distinctive ones, its documents."""
    key = (snap.generation, snap.n_docs, id(analyze))
    names = _tables.get(key)
    if names is None:
        generic = {t for w in GENERIC_WORDS for t in analyze(w)}
        names = []
        table = snap.facets.get(FACET)
        if table is not None and len(table.values):
            order = np.argsort(table.val_idx, kind="stable")
            vals, docs = table.val_idx[order], table.doc_idx[order]
            bounds = np.searchsorted(vals, np.arange(len(table.values) + 1))
            for i, value in enumerate(table.values):
                terms = frozenset(t for w in value.split() for t in analyze(w))
                distinct = terms - generic
                if distinct:
                    ids = np.unique(docs[bounds[i] : bounds[i + 1]]).astype(np.int32)
                    names.append((terms, frozenset(distinct), ids))
        while len(_tables) >= MAX_TABLES:
            _tables.pop(next(iter(_tables)))
        _tables[key] = names
    return names


def named_terms(
    snap: Snapshot, analyze: Callable[[str], list[str]], query_terms: Iterable[str]
) -> dict[str, np.ndarray]:
    """Query term -> documents of the publishers the query names whose name holds the term."""
    wanted = set(query_terms)
    if not wanted:
        return {}
    out: dict[str, np.ndarray] = {}
    for terms, distinct, ids in publisher_names(snap, analyze):
        if distinct <= wanted:
            for term in terms & wanted:
                before = out.get(term)
                out[term] = ids if before is None else np.union1d(before, ids).astype(np.int32)
    return out
