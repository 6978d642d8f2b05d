"""An exact comparison of the store and the index that does not use kb's own check.

It reads the live Whoosh build named by CURRENT and the store through its public ``Store`` API,
and names each difference with the kinds `kb check` prints.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from kb.index.store import Store


def index_entries(data_dir: Path) -> list[dict[str, object]]:
    """The stored fields of every live document in the index of ``data_dir``."""
    index_dir = data_dir / "index"
    build = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    ix = whoosh_index.open_dir(str(index_dir / build))
    try:
        with ix.searcher() as searcher:
            return [dict(fields) for fields in searcher.all_stored_fields()]
    finally:
        ix.close()


def compare(data_dir: Path) -> set[tuple[str, str]]:
    """Every (kind, id) where the store and the index of ``data_dir`` differ."""
    store = Store(data_dir / "store")
    records = {doc.id: doc for doc in store}
    entries = index_entries(data_dir)
    counts = Counter(str(e["id"]) for e in entries)
    by_id = {str(e["id"]): json.loads(str(e["meta"])) for e in entries}
    found: set[tuple[str, str]] = set()
    for doc_id, doc in records.items():
        meta = by_id.get(doc_id)
        if meta is None:
            found.add(("missing-from-index", doc_id))
        elif (meta["title"], meta["source"], meta["date"]) != (doc.title, doc.source, doc.date):
            found.add(("stale-in-index", doc_id))
    for doc_id, count in counts.items():
        if doc_id not in records:
            found.add(("not-in-store", doc_id))
        if count > 1:
            found.add(("duplicate-in-index", doc_id))
    return found


def indexed_ids(data_dir: Path) -> set[str]:
    return {str(e["id"]) for e in index_entries(data_dir)}


def stored_ids(data_dir: Path) -> set[str]:
    return set(Store(data_dir / "store").ids())
