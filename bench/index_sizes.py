"""What each field of a built index costs on disk: postings, term dictionary and stored values.

For every indexed field: distinct terms, postings, the bytes of its posting lists (the extents in
the ``.pst`` files) and of its term-dictionary rows (key + term info, without the hash table's
overhead). For every stored value: its bytes in the stored-fields column. Also the folder's total
and the files by kind. The figures feed docs/decisions.md ("What the index keeps").

    .venv/bin/python bench/index_sizes.py /work/bench-data/100k/data/index
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3TermInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _build_dir(path: Path) -> Path:
    current = path / "CURRENT"
    return path / current.read_text().strip() if current.exists() else path


def sizes(path: Path) -> dict[str, Any]:
    folder = _build_dir(path)
    ix = whoosh_index.open_dir(str(folder))
    by_kind: Counter[str] = Counter()
    for f in folder.rglob("*"):
        if f.is_file():
            if f.parent.name.startswith("snapshot-"):
                kind = "snapshot arrays"
            elif f.name.startswith("MAIN_") and "." in f.name:
                kind = f.name.split(".", 1)[1]
            else:
                kind = "other"
            by_kind[kind] += f.stat().st_size
    fields: dict[str, dict[str, float]] = {}
    stored: Counter[str] = Counter()
    with ix.searcher() as s:
        for leaf, _offset in s.reader().leaf_readers():
            for name in ix.schema.names():
                if not ix.schema[name].indexed:
                    continue
                row = fields.setdefault(name, {"terms": 0, "postings": 0, "postings_mb": 0.0})
                row.setdefault("term_rows_mb", 0.0)
                for term, info in leaf.iter_field(name):
                    row["terms"] += 1
                    row["postings"] += info.doc_frequency()
                    _off, length = info.extent()
                    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps it in a tuple
                        length = length[0]
                    row["postings_mb"] += (length or 0) / 1e6
                    # Key: field number + term; value: the fixed term info + offset and length.
                    row["term_rows_mb"] += (len(term) + 2 + W3TermInfo._struct.size + 12) / 1e6
            for docnum in range(leaf.doc_count_all()):
                for name, value in leaf.stored_fields(docnum).items():
                    stored[name] += len(value) if isinstance(value, (str, bytes)) else 8
        docs = s.doc_count_all()
    ix.close()
    return {
        "folder": str(folder),
        "documents": docs,
        "total_mb": round(sum(by_kind.values()) / 1e6, 1),
        "files_mb": {k: round(v / 1e6, 1) for k, v in sorted(by_kind.items())},
        "indexed": {
            k: {n: round(v, 1) if isinstance(v, float) else v for n, v in row.items()}
            for k, row in sorted(fields.items())
        },
        "stored_mb": {k: round(v / 1e6, 1) for k, v in sorted(stored.items())},
    }


if __name__ == "__main__":
    print(json.dumps(sizes(Path(sys.argv[1])), indent=2))
