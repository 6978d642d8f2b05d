"""The seam between the web admin and ingest: what the admin needs to stage an upload or a URL.

web must not import ingest (both stand on kb), so the composition root (kbcli's `kb serve`)
passes an object with this shape in the app config under ``ADMIN_STAGER`` (ingest.stage.Stager
is the real one). Without one the admin still works for accounts, edits and removals, and says
that adding documents is not available. Imports kb only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kb.document import Document
from kb.taxonomy.model import Taxonomy

CONFIG_KEY = "ADMIN_STAGER"


class StagedLike(Protocol):
    """One staged original: the document as it would be published, or why it failed."""

    @property
    def document(self) -> Document | None: ...

    @property
    def original(self) -> bytes: ...

    @property
    def notes(self) -> tuple[str, ...]: ...

    @property
    def error(self) -> str: ...

    @property
    def code(self) -> str: ...


class StagerLike(Protocol):
    """Reads one source into a document without writing anything."""

    @property
    def accepted_suffixes(self) -> tuple[str, ...]: ...

    def stage_file(self, path: Path, taxonomy: Taxonomy) -> StagedLike: ...

    def stage_url(self, url: str, taxonomy: Taxonomy) -> StagedLike: ...
