"""Where curation is kept: one JSON file per document under ``<data_dir>/curation/``.

The store of originals keeps what ingest found and the index is derived from it; these files are
the other half of the truth, so ``kb reindex`` rebuilds the index from the store plus these files
and a re-ingest never touches them. Every write is atomic (kb.atomic). Imports kb values only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from kb.atomic import atomic_write
from kb.curation.model import Curation, Value, from_json, to_json
from kb.document import is_document_id
from kb.errors import NotFoundError, StoreError


class CurationStore:
    """The curation files of one data directory.

    Args:
        root: the folder (``Settings.curation_dir``); created on the first write.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, doc_id: str) -> Path:
        """The file of ``doc_id`` (NotFoundError for a string that is no document id)."""
        if not is_document_id(doc_id):
            raise NotFoundError(f"Ogiltigt dokument-id / invalid document id: {doc_id[:80]!r}")
        return self.root / f"{doc_id}.json"

    def load(self, doc_id: str) -> Curation:
        """The curation of ``doc_id``: empty when nobody corrected it.

        Raises:
            StoreError: the file exists but cannot be read (it is never silently ignored:
                that would undo an editor's work at the next index write).
        """
        path = self.path(doc_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return Curation(doc_id)
        except OSError as err:
            raise StoreError(f"Kunde inte läsa rättelserna i {path}: {err}") from err
        try:
            return from_json(json.loads(raw))
        except (ValueError, KeyError, TypeError) as err:
            raise StoreError(f"Trasig rättelsefil / broken curation file {path}: {err}") from err

    def save(self, curation: Curation) -> None:
        """Write ``curation`` (atomically, replacing the older file)."""
        data = json.dumps(to_json(curation), ensure_ascii=False, indent=1, sort_keys=True)
        try:
            atomic_write(self.path(curation.doc_id), data.encode("utf-8"))
        except OSError as err:
            raise StoreError(f"Kunde inte spara rättelserna för {curation.doc_id}: {err}") from err

    def ids(self) -> list[str]:
        """Ids of the documents with a curation file, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.stem for p in self.root.glob("*.json") if is_document_id(p.stem))

    def has(self, doc_id: str) -> bool:
        """Whether ``doc_id`` has a curation file (cheap: no parsing)."""
        return is_document_id(doc_id) and (self.root / f"{doc_id}.json").is_file()

    def matches(self, doc_id: str, checked: Mapping[str, Value]) -> bool:
        """Whether ``doc_id`` is corrected to exactly the values of ``checked`` already."""
        if not checked:
            return True
        corrections = self.load(doc_id).corrections
        return all(f in corrections and corrections[f].value == v for f, v in checked.items())
